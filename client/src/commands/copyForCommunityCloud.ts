import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CommunityCloudAppsRequestMethod,
  CommunityCloudExportRequestMethod,
  type CommunityCloudApp,
  type CommunityCloudAppsResult,
  type CommunityCloudExportParams,
  type CommunityCloudExportResult,
  type CommunityCloudWarning,
} from '../../../common/protocol';
import type { ClientFeature } from '../clientFeature';

export const COPY_FOR_COMMUNITY_CLOUD_COMMAND = 'streamlitSecrets.copyForCommunityCloud';

/** One row of the masked preview: what the user reads (never a value, its length or a mask). */
export interface PreviewItem extends vscode.QuickPickItem {
  action?: 'copy' | 'cancel';
}

/**
 * Shows the masked preview and answers whether to copy. The default is a quick pick; tests
 * replace it (they cannot click) and get the same items the user would see.
 */
export type PreviewPresenter = (title: string, items: PreviewItem[]) => Promise<boolean>;

const quickPickPresenter: PreviewPresenter = (title, items) =>
  new Promise<boolean>((resolve) => {
    const pick = vscode.window.createQuickPick<PreviewItem>();
    pick.title = title;
    pick.placeholder = 'Masked preview, no values. Copy to clipboard, or Esc';
    pick.items = items;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    const confirm = items.find((item) => item.action === 'copy');
    if (confirm) pick.activeItems = [confirm];
    let answered = false;
    const finish = (copy: boolean): void => {
      if (answered) return;
      answered = true;
      resolve(copy);
      pick.dispose();
    };
    pick.onDidAccept(() => {
      const action = pick.selectedItems[0]?.action ?? pick.activeItems[0]?.action;
      // A key row only informs: the preview stays open.
      if (action !== undefined) finish(action === 'copy');
    });
    pick.onDidHide(() => finish(false));
    pick.show();
  });

/** Where the workspace's apps are named: a script relative to its workspace folder. */
function appLabel(app: CommunityCloudApp): string {
  const target = app.scripts[0] ?? vscode.Uri.parse(app.uri).fsPath;
  return vscode.workspace.asRelativePath(target, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

async function chooseApp(apps: CommunityCloudApp[]): Promise<CommunityCloudApp | undefined> {
  if (apps.length <= 1) return apps[0];
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  const items = apps.map((app) => ({
    label: appLabel(app),
    description: app.scripts.length > 1 ? `and ${app.scripts.length - 1} more script${app.scripts.length > 2 ? 's' : ''} with the same secrets` : undefined,
    detail: `streamlit run from ${vscode.workspace.asRelativePath(app.cwd, true) || path.basename(app.cwd)}`,
    app,
  }));
  // The app of the file being edited first.
  items.sort((a, b) => Number(b.app.scripts.includes(active ?? '')) - Number(a.app.scripts.includes(active ?? '')));
  const chosen = await vscode.window.showQuickPick(items, { title: 'Copy Secrets for Community Cloud', placeHolder: 'Which app do you deploy?' });
  return chosen?.app;
}

/** A warning in a few words (its message, in the detail line, may be cut off). */
const warningWords: Record<CommunityCloudWarning['code'], string> = {
  'local-only': 'only in the global file: local only',
  'points-at-this-machine': 'points at localhost',
  'local-file-path': 'a relative or home-relative file path',
  'auth-redirect-not-deployed': 'not the deployed app\'s URL',
};

/** The preview rows: confirm and cancel, the deployment warnings, then every key with its type and file. */
export function previewItems(result: Extract<CommunityCloudExportResult, { ok: true }>): PreviewItem[] {
  const keyCount = `${result.keyCount} top-level key${result.keyCount === 1 ? '' : 's'}`;
  const items: PreviewItem[] = [
    { label: '$(clippy) Copy to clipboard', description: keyCount, detail: 'as TOML, for your app\'s Settings → Secrets on Community Cloud', action: 'copy' },
    { label: '$(close) Cancel', description: 'nothing is copied', action: 'cancel' },
  ];
  if (result.warnings.length > 0) {
    items.push({ label: 'What will not work once deployed', kind: vscode.QuickPickItemKind.Separator });
    for (const warning of result.warnings) items.push({ label: `$(warning) ${warning.keyPath.join('.')}`, description: warningWords[warning.code], detail: warning.message });
  }
  items.push({ label: 'Keys (values hidden)', kind: vscode.QuickPickItemKind.Separator });
  const localOnly = new Set(result.warnings.filter((warning) => warning.code === 'local-only').map((warning) => warning.keyPath.join('\0')));
  for (const entry of result.preview) {
    const local = localOnly.has(entry.keyPath.join('\0')) ? ' · local only' : '';
    items.push({ label: `${'  '.repeat(entry.keyPath.length - 1)}${entry.key}`, description: `${entry.type}${local}`, detail: `from ${entry.source}` });
  }
  return items;
}

function sameKeys(a: Extract<CommunityCloudExportResult, { ok: true }>, b: Extract<CommunityCloudExportResult, { ok: true }>): boolean {
  return JSON.stringify(a.preview) === JSON.stringify(b.preview);
}

export interface CommunityCloudApi {
  /** Tests: answer the preview through `presenter` instead of a quick pick; `undefined` restores it. */
  setCommunityCloudPresenter(presenter: PreviewPresenter | undefined): void;
}

/**
 * "Copy Secrets for Community Cloud": the server's export (the same as `streamlit-secrets export
 * --for community-cloud`) behind a masked preview. The value text is asked for only after the user
 * confirms, goes to the clipboard only, and lives in this function's locals: no log, no message.
 */
export const copyForCommunityCloudFeature: ClientFeature = ({ extension, client }): CommunityCloudApi & Record<string, unknown> => {
  let presenter = quickPickPresenter;
  extension.subscriptions.push(
    vscode.commands.registerCommand(COPY_FOR_COMMUNITY_CLOUD_COMMAND, (target?: unknown) => copyForCommunityCloud(client, presenter, target instanceof vscode.Uri ? target : undefined)),
  );
  return {
    setCommunityCloudPresenter(replacement) {
      presenter = replacement ?? quickPickPresenter;
    },
  };
};

async function request(client: LanguageClient, params: CommunityCloudExportParams): Promise<CommunityCloudExportResult | undefined> {
  try {
    return await client.sendRequest<CommunityCloudExportResult>(CommunityCloudExportRequestMethod, params);
  } catch {
    // The error may carry the answer; say nothing about its content.
    void vscode.window.showErrorMessage('Streamlit Secrets: the secrets could not be exported.');
    return undefined;
  }
}

/** `target`: an app's script or folder (a caller that knows the app); else the user chooses. */
async function copyForCommunityCloud(client: LanguageClient, presenter: PreviewPresenter, target: vscode.Uri | undefined): Promise<void> {
  if ((vscode.workspace.workspaceFolders?.length ?? 0) === 0) {
    void vscode.window.showInformationMessage('Streamlit Secrets: open the folder of your Streamlit app first.');
    return;
  }
  let app: CommunityCloudApp | undefined;
  if (target !== undefined) {
    app = { uri: target.toString(), scripts: /\.pyi?$/.test(target.fsPath) ? [target.fsPath] : [], cwd: '' };
  } else {
    const { apps } = await client.sendRequest<CommunityCloudAppsResult>(CommunityCloudAppsRequestMethod, {});
    if (apps.length === 0) {
      void vscode.window.showInformationMessage('Streamlit Secrets: no Streamlit app found in this workspace.');
      return;
    }
    app = await chooseApp(apps);
  }
  if (app === undefined) return;
  const name = appLabel(app);
  const preview = await request(client, { uri: app.uri });
  if (preview === undefined) return;
  if (!preview.ok) {
    void vscode.window.showWarningMessage(`Streamlit Secrets: nothing to copy for ${name}: ${preview.reason}.`);
    return;
  }
  const restricted = vscode.workspace.isTrusted ? '' : ' (Restricted Mode: workspace settings that point at files are ignored)';
  if (!(await presenter(`Secrets for Community Cloud: ${name}${restricted}`, previewItems(preview)))) return;
  const exported = await request(client, { uri: app.uri, includeText: true });
  if (exported === undefined) return;
  if (!exported.ok || exported.text === undefined) {
    void vscode.window.showWarningMessage(`Streamlit Secrets: nothing copied for ${name}: ${exported.ok ? 'the export was empty' : exported.reason}.`);
    return;
  }
  if (!sameKeys(preview, exported)) {
    void vscode.window.showWarningMessage(`Streamlit Secrets: nothing copied: the secrets of ${name} changed while the preview was open. Run the command again.`);
    return;
  }
  await vscode.env.clipboard.writeText(exported.text);
  const keys = `${exported.keyCount} key${exported.keyCount === 1 ? '' : 's'}`;
  void vscode.window.showInformationMessage(`Copied ${keys} of ${name} for Community Cloud: paste them in the app's Settings → Secrets.`);
}
