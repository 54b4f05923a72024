import * as vscode from 'vscode';
import { PythonEnvironmentNotificationMethod, type PythonEnvironmentParams } from '../../../common/protocol';
import type { ClientFeature } from '../clientFeature';

/** The part of the Python extension's API (`ms-python.python`) used here; every member is optional. */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment?(environment: { path: string } | string): Promise<{ executable?: { sysPrefix?: string } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

async function prefixOf(api: PythonExtensionApi, folder: vscode.WorkspaceFolder): Promise<string | undefined> {
  const environments = api.environments;
  const active = environments?.getActiveEnvironmentPath?.(folder.uri);
  if (active === undefined || environments?.resolveEnvironment === undefined) return undefined;
  const resolved = await environments.resolveEnvironment(active);
  const prefix = resolved?.executable?.sysPrefix;
  return typeof prefix === 'string' && prefix !== '' ? prefix : undefined;
}

/**
 * Tells the server which interpreter the Python extension selected for each workspace folder, so
 * that the Streamlit installed there decides the modelled version (docs/streamlit-model.md §7).
 * Without the Python extension nothing is sent and the server reads the workspace instead.
 */
export const pythonEnvironmentFeature: ClientFeature = (context) => {
  // In the background: activating the Python extension must not hold up ours.
  void followPythonEnvironment(context).catch(() => undefined);
};

async function followPythonEnvironment({ extension, client, output }: Parameters<ClientFeature>[0]): Promise<void> {
  const python = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (python === undefined) return;
  let api: PythonExtensionApi;
  try {
    api = python.isActive ? python.exports : await python.activate();
  } catch {
    output.appendLine('The Python extension could not be activated: the Streamlit version is read from the workspace instead.');
    return;
  }
  const send = async (): Promise<void> => {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      let prefix: string | undefined;
      try {
        prefix = await prefixOf(api, folder);
      } catch {
        prefix = undefined;
      }
      const params: PythonEnvironmentParams = { folderUri: folder.uri.toString(), ...(prefix !== undefined ? { prefix } : {}) };
      await client.sendNotification(PythonEnvironmentNotificationMethod, params);
    }
  };
  const changed = api.environments?.onDidChangeActiveEnvironmentPath;
  if (changed !== undefined) extension.subscriptions.push(changed(() => void send().catch(() => undefined)));
  extension.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(() => void send().catch(() => undefined)));
  await send();
}
