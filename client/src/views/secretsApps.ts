import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  MergedSecretsDetailRequestMethod,
  type MergedSecretsDetailParams,
  type MergedSecretsDetailResult,
} from '../../../common/protocol';

/** One Streamlit app of the workspace: a workspace folder, or a folder holding its own `.streamlit/`. */
export interface SecretsApp {
  /** Stable id (the folder URI). */
  id: string;
  /** The URI sent to the server: the folder itself. */
  uri: vscode.Uri;
  /** Workspace folder name, or the app folder relative to its workspace folder. */
  label: string;
  kind: 'workspaceFolder' | 'entrypoint';
  workspaceFolder: vscode.WorkspaceFolder;
}

export interface SecretsAppDetail {
  app: SecretsApp;
  detail: MergedSecretsDetailResult;
}

/** Folders never searched for app folders (dependencies, environments, VCS). */
const EXCLUDE = '**/{node_modules,.git,.venv,venv,env,site-packages,__pycache__,.tox}/**';
const MAX_APPS = 200;

/**
 * Every app of the workspace: each workspace folder, then each folder below one that holds a
 * `.streamlit/secrets.toml` or `.streamlit/config.toml` (Streamlit 1.46+ reads the entrypoint
 * folder's files too), sorted by path.
 */
export async function findSecretsApps(): Promise<SecretsApp[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const apps: SecretsApp[] = folders.map((folder) => ({
    id: folder.uri.toString(),
    uri: folder.uri,
    label: folder.name,
    kind: 'workspaceFolder',
    workspaceFolder: folder,
  }));
  if (folders.length === 0) return apps;
  const found = await vscode.workspace.findFiles('**/.streamlit/{secrets,config}.toml', EXCLUDE, MAX_APPS * 2);
  const seen = new Set(apps.map((app) => app.id));
  const entrypoints: SecretsApp[] = [];
  for (const file of found) {
    const appUri = vscode.Uri.joinPath(file, '..', '..');
    const id = appUri.toString();
    const folder = vscode.workspace.getWorkspaceFolder(appUri);
    if (seen.has(id) || folder === undefined) continue;
    seen.add(id);
    const relative = path.relative(folder.uri.fsPath, appUri.fsPath).split(path.sep).join('/');
    entrypoints.push({ id, uri: appUri, label: folders.length > 1 ? `${folder.name}/${relative}` : relative, kind: 'entrypoint', workspaceFolder: folder });
  }
  entrypoints.sort((a, b) => a.label.localeCompare(b.label));
  return [...apps, ...entrypoints.slice(0, MAX_APPS)];
}

/**
 * The detail of every app, dropping an app whose chain equals an earlier one's (a folder that is
 * also `$CWD` through the `streamlitSecrets.cwd` setting).
 */
export async function fetchSecretsApps(client: LanguageClient, refreshGit = false): Promise<SecretsAppDetail[]> {
  const apps = await findSecretsApps();
  const details = await Promise.all(
    apps.map(async (app) => {
      const params: MergedSecretsDetailParams = { uri: app.uri.toString(), ...(refreshGit ? { refreshGit } : {}) };
      const detail = await client.sendRequest<MergedSecretsDetailResult>(MergedSecretsDetailRequestMethod, params);
      return { app, detail };
    }),
  );
  const chains = new Set<string>();
  return details.filter(({ detail }) => {
    const chain = JSON.stringify([detail.cwd, detail.entrypointDir ?? '', detail.files.map((file) => file.path)]);
    if (chains.has(chain)) return false;
    chains.add(chain);
    return true;
  });
}
