/**
 * The workspace's secrets files that git would commit: not ignored (→ "Add to .gitignore") or
 * already tracked (→ "Stop Tracking"). The same check as the start-up notification and the
 * server's git-safety diagnostics (`common/git`), so a palette command acts on what was flagged,
 * not on whatever editor happens to be active.
 */
import * as vscode from 'vscode';
import { checkSecretsFileGitStatus } from '../../../common/git/secretsGitStatus';

/** Where the workspace's secrets files are looked for (and what is skipped). */
export async function workspaceSecretsFiles(): Promise<vscode.Uri[]> {
  return vscode.workspace.findFiles('**/.streamlit/secrets.toml', '**/{node_modules,.venv,venv,site-packages}/**', 50);
}

export type GitSafetyNeed = 'ignore' | 'untrack';

/** The secrets files that need `need`, in path order. */
export async function secretsFilesNeeding(need: GitSafetyNeed): Promise<vscode.Uri[]> {
  const flagged: vscode.Uri[] = [];
  for (const uri of await workspaceSecretsFiles()) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder === undefined) continue;
    const status = await checkSecretsFileGitStatus(uri.fsPath, { trusted: vscode.workspace.isTrusted, workspaceFolder: folder.uri.fsPath });
    if (need === 'ignore' ? !status.ignored : status.tracked === true) flagged.push(uri);
  }
  return flagged.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/**
 * The file a palette command acts on: the only one that needs it, or the user's pick when several
 * do; a message (and undefined) when none does.
 */
export async function pickFlaggedSecretsFile(need: GitSafetyNeed): Promise<string | undefined> {
  const files = await secretsFilesNeeding(need);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(
      need === 'ignore' ? 'Every secrets file in the workspace is already ignored by git.' : 'Git tracks no secrets file in the workspace.',
    );
    return undefined;
  }
  if (files.length === 1) return files[0]!.fsPath;
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: need === 'ignore' ? 'Git would commit these secrets files: add which one to .gitignore?' : 'Git tracks these secrets files: stop tracking which one?' },
  );
  return picked?.uri.fsPath;
}
