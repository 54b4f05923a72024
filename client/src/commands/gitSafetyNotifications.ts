/**
 * One-time notifications (remembered per workspace in `workspaceState`):
 * - a project secrets file that git would not ignore, or that git tracks, with the fix as a button.
 *   The client checks with `common/git` itself rather than waiting for diagnostics: diagnostics only
 *   exist for OPEN documents, and the point is to warn about a file nobody has opened. It scans the
 *   workspace's `.streamlit/secrets.toml` files at start-up and when one is created.
 * - a Python file that uses `st.secrets` while no secrets file exists, offering to create one.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { MergedSecretsRequestMethod, type MergedSecretsResult } from '../../../common/protocol';
import { checkSecretsFileGitStatus } from '../../../common/git/secretsGitStatus';
import type { ClientFeature } from '../clientFeature';
import { workspaceSecretsFiles } from './flaggedSecretsFiles';
import { AddToGitignoreCommand, CreateProjectSecretsFileCommand, UntrackSecretsFileCommand } from './secretsFileCommands';

const notifiedGitKey = 'streamlitSecrets.notified.gitSafety';
const notifiedNoSecretsKey = 'streamlitSecrets.notified.noSecretsFile';

async function checkGitSafety(state: vscode.Memento, files: vscode.Uri[]): Promise<void> {
  if (state.get<boolean>(notifiedGitKey)) return;
  for (const uri of files.slice(0, 50)) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder === undefined) continue;
    const status = await checkSecretsFileGitStatus(uri.fsPath, { trusted: vscode.workspace.isTrusted, workspaceFolder: folder.uri.fsPath });
    if (status.tracked !== true && status.ignored) continue;
    if (state.get<boolean>(notifiedGitKey)) return;
    await state.update(notifiedGitKey, true);
    const name = vscode.workspace.asRelativePath(uri);
    if (status.tracked === true) {
      const choice = await vscode.window.showErrorMessage(
        `${name} is tracked by git: its secrets are (or will be) in commits. Stop tracking it and rotate the secrets — the history still holds them.`,
        'Stop Tracking…',
      );
      if (choice) await vscode.commands.executeCommand(UntrackSecretsFileCommand, { uri: uri.toString() });
    } else {
      const limited = status.limited === 'untrusted-workspace' ? ' (checked without git: the workspace is not trusted)' : '';
      const choice = await vscode.window.showWarningMessage(`Git would not ignore ${name}: "git add ." would commit its secrets${limited}.`, 'Add to .gitignore');
      if (choice) await vscode.commands.executeCommand(AddToGitignoreCommand, { uri: uri.toString() });
    }
    return;
  }
}

function usesSecrets(document: vscode.TextDocument): boolean {
  return document.languageId === 'python' && document.uri.scheme === 'file' && /\bsecrets\b/.test(document.getText()) && /\bstreamlit\b/.test(document.getText());
}

async function checkNoSecretsFile(state: vscode.Memento, client: LanguageClient, document: vscode.TextDocument): Promise<void> {
  if (state.get<boolean>(notifiedNoSecretsKey) || !usesSecrets(document)) return;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  if (folder === undefined) return;
  let merged: MergedSecretsResult;
  try {
    merged = await client.sendRequest<MergedSecretsResult>(MergedSecretsRequestMethod, { uri: document.uri.toString() });
  } catch {
    return;
  }
  if (merged.files.length === 0 || merged.files.some((file) => file.exists)) return;
  if (state.get<boolean>(notifiedNoSecretsKey)) return;
  await state.update(notifiedNoSecretsKey, true);
  const choice = await vscode.window.showWarningMessage(
    `${vscode.workspace.asRelativePath(document.uri)} uses st.secrets, but no secrets file exists: every access will fail with "No secrets found".`,
    'Create Project Secrets File',
  );
  if (choice) await vscode.commands.executeCommand(CreateProjectSecretsFileCommand, { folderUri: folder.uri.toString() });
}

export const gitSafetyNotificationsFeature: ClientFeature = ({ extension, client }) => {
  const state = extension.workspaceState;
  const scan = async (): Promise<void> => {
    await checkGitSafety(state, await workspaceSecretsFiles());
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/.streamlit/secrets.toml', false, true, true);
  extension.subscriptions.push(
    watcher,
    watcher.onDidCreate((uri) => void checkGitSafety(state, [uri])),
    vscode.workspace.onDidOpenTextDocument((document) => void checkNoSecretsFile(state, client, document)),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor) void checkNoSecretsFile(state, client, editor.document);
    }),
  );
  void scan();
  for (const document of vscode.workspace.textDocuments) void checkNoSecretsFile(state, client, document);
  return { gitSafetyNotifications: { scan, resetNotifications: async () => { await state.update(notifiedGitKey, undefined); await state.update(notifiedNoSecretsKey, undefined); } } };
};
