/**
 * The secrets-file commands: create the project secrets file (also from the missing-key quick fix,
 * with a key to add), write `secrets.toml.example`, add a secrets file to `.gitignore`, stop
 * tracking it. The file operations live in `../files` (plain Node, tested there); this module only
 * asks, reports and opens. No message shows a secret value.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  createProjectSecretsFile,
  ensureSecretsFileIgnored,
  untrackSecretsFile,
  writeSecretsExample,
  type EnsureSecretsFileIgnoredResult,
} from '../files';
import type { ClientFeature } from '../clientFeature';
import { addSecretKeys, addSecretKeysToFile } from './addSecretKey';
import { pickFlaggedSecretsFile } from './flaggedSecretsFiles';

export const CreateProjectSecretsFileCommand = 'streamlitSecrets.createProjectSecretsFile';
export const WriteSecretsExampleCommand = 'streamlitSecrets.writeSecretsExample';
export const AddToGitignoreCommand = 'streamlitSecrets.addToGitignore';
export const UntrackSecretsFileCommand = 'streamlitSecrets.untrackSecretsFile';
/** Run by the "Add key" quick fix after its edit (server/src/service/pythonCodeActions.ts): not in the palette. */
export const ShowSecretsFileRangeCommand = 'streamlitSecrets.showSecretsFileRange';

/** Arguments of "Create Project Secrets File" (all optional; the palette passes none). */
export interface CreateProjectSecretsFileArgs {
  /** The workspace folder (or any folder) to create `.streamlit/secrets.toml` in. */
  folderUri?: string;
  /** A key path to add with an empty value (missing-key quick fix). */
  addKey?: string[];
  /** Several key paths to add (a whole `[auth]` section); the cursor goes to the first. */
  addKeys?: string[][];
}

export interface CreateProjectSecretsFileOutcome {
  path: string;
  created: boolean;
  ignore?: EnsureSecretsFileIgnoredResult;
  ignoreError?: string;
  addedKey?: boolean;
  /** Why the key could not be added (a link leading outside the workspace, a read-only file…). */
  addKeyError?: string;
}

/** The key paths a quick fix asks to add: `addKeys`, else `addKey` alone. */
function keyPathsOf(args: CreateProjectSecretsFileArgs): string[][] {
  const isPath = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((key) => typeof key === 'string');
  if (Array.isArray(args.addKeys) && args.addKeys.length > 0 && args.addKeys.every(isPath)) return args.addKeys;
  return isPath(args.addKey) ? [args.addKey] : [];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function folderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.getWorkspaceFolder(uri);
}

async function pickFolder(folderUri: string | undefined): Promise<vscode.Uri | undefined> {
  if (folderUri !== undefined) return vscode.Uri.parse(folderUri);
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('Open a folder first: the project secrets file goes into <folder>/.streamlit/secrets.toml.');
    return undefined;
  }
  if (folders.length === 1) return folders[0]!.uri;
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Create .streamlit/secrets.toml in which folder?' });
  return picked?.uri;
}

function ignoreOptions(file: string): { trusted: boolean; workspaceFolder?: string } {
  const folder = folderOf(vscode.Uri.file(file));
  return { trusted: vscode.workspace.isTrusted, ...(folder ? { workspaceFolder: folder.uri.fsPath } : {}) };
}

/** Opens `file` with the cursor at line/character, or with `length` characters from there selected. */
async function openAt(file: string, line: number, character: number, length = 0): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const position = new vscode.Position(Math.min(line, document.lineCount - 1), character);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position.translate(0, length)), preview: false });
}

/** The "Add key" quick fix's second half: the secrets file, open, with the new empty value selected. */
async function showSecretsFileRange(args: { uri?: unknown; range?: { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } } = {}): Promise<void> {
  const { uri, range } = args;
  const numbers = [range?.start?.line, range?.start?.character, range?.end?.line, range?.end?.character];
  if (typeof uri !== 'string' || !numbers.every((n): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0)) return;
  const [startLine, startCharacter, endLine, endCharacter] = numbers;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(startLine, startCharacter, endLine, endCharacter), preview: false });
}

/** Creates (never overwrites) the file, makes git ignore it, optionally adds a key, opens it. */
export async function createProjectSecretsFileCommand(args: CreateProjectSecretsFileArgs = {}): Promise<CreateProjectSecretsFileOutcome | undefined> {
  const folder = await pickFolder(args.folderUri);
  if (folder === undefined) return undefined;
  let created;
  try {
    created = await createProjectSecretsFile(folder.fsPath);
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
    return undefined;
  }
  const outcome: CreateProjectSecretsFileOutcome = { path: created.path, created: created.created };
  try {
    outcome.ignore = await ensureSecretsFileIgnored(created.path, ignoreOptions(created.path));
  } catch (error) {
    outcome.ignoreError = errorMessage(error);
  }

  let line = 0;
  let character = 0;
  let selected = 0;
  const keyPaths = keyPathsOf(args);
  if (keyPaths.length > 0) {
    // An open, modified buffer wins: edit it rather than the disk behind the user's back.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.fsPath === created.path);
    if (open?.isDirty) {
      const result = addSecretKeys(open.getText(), keyPaths);
      if (result?.added) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(open.uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), result.text);
        await vscode.workspace.applyEdit(edit);
      }
      if (result) ({ line, character } = result);
      outcome.addedKey = result?.added ?? false;
    } else {
      let result;
      try {
        // Through a symlinked secrets file only into the workspace; never replacing the link.
        result = await addSecretKeysToFile(created.path, keyPaths, folderOf(vscode.Uri.file(created.path))?.uri.fsPath ?? folder.fsPath);
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not add "${keyPaths[0]!.join('.')}": ${errorMessage(error)}`);
        outcome.addKeyError = errorMessage(error);
      }
      if (result) ({ line, character } = result);
      outcome.addedKey = result?.added ?? false;
      if (result === undefined && outcome.addKeyError === undefined) {
        void vscode.window.showWarningMessage(`Could not add "${keyPaths[0]!.join('.')}": ${path.basename(created.path)} is not valid TOML. Add the key by hand.`);
      }
    }
  } else if (!created.created) {
    line = 0;
  } else {
    const text = await fsp.readFile(created.path, 'utf8').catch(() => '');
    line = text.split('\n').length - 1;
  }
  // A new empty value is shown selected (`""`, never masked): the user sees what the app now gets.
  if (outcome.addedKey === true) {
    const lineText = (vscode.workspace.textDocuments.find((document) => document.uri.fsPath === created.path)?.getText() ?? (await fsp.readFile(created.path, 'utf8'))).split(/\r?\n/)[line] ?? '';
    if (lineText.slice(character - 1, character + 1) === '""') {
      character -= 1;
      selected = 2;
    }
  }
  await openAt(created.path, line, character, selected);

  const parts: string[] = [created.created ? `Created ${vscode.workspace.asRelativePath(created.path)} (readable only by you).` : `${vscode.workspace.asRelativePath(created.path)} already exists; it was not changed${outcome.addedKey ? ' except for the new key' : ''}.`];
  if (outcome.ignore?.changed) parts.push(`Added "${outcome.ignore.line}" to ${vscode.workspace.asRelativePath(outcome.ignore.gitignorePath ?? '.gitignore')}.`);
  if (outcome.ignoreError !== undefined) {
    void vscode.window.showWarningMessage(`${parts.join(' ')} Could not make git ignore it: ${outcome.ignoreError}`);
  } else if (outcome.ignore?.tracked === true) {
    // Not awaited: the command's result must not wait for the user to dismiss a notification.
    void vscode.window.showWarningMessage(`${parts.join(' ')} Git already tracks this file: ignoring it is not enough.`, 'Stop Tracking…').then((choice) => {
      if (choice) void untrackSecretsFileCommand({ uri: vscode.Uri.file(created.path).toString() });
    });
  } else {
    void vscode.window.showInformationMessage(parts.join(' '));
  }
  return outcome;
}

/** The secrets file a command without arguments acts on: the active editor's, else the folder's. */
async function targetSecretsFile(uri: string | undefined, purpose: string): Promise<string | undefined> {
  if (uri !== undefined) return vscode.Uri.parse(uri).fsPath;
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'streamlit-secrets' && !active.uri.fsPath.endsWith('.example')) return active.uri.fsPath;
  const folder = await pickFolder(undefined);
  if (folder === undefined) return undefined;
  const file = path.join(folder.fsPath, '.streamlit', 'secrets.toml');
  try {
    await fsp.access(file);
    return file;
  } catch {
    void vscode.window.showErrorMessage(`No ${vscode.workspace.asRelativePath(file)} to ${purpose}. Run "Streamlit Secrets: Create Project Secrets File" first.`);
    return undefined;
  }
}

export async function writeSecretsExampleCommand(args: { uri?: string } = {}): Promise<string | undefined> {
  const file = await targetSecretsFile(args.uri, 'make an example of');
  if (file === undefined) return undefined;
  try {
    const workspaceFolder = folderOf(vscode.Uri.file(file))?.uri.fsPath;
    let result = await writeSecretsExample(file, workspaceFolder ? { workspaceFolder } : {});
    if (!result.created) {
      const choice = await vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(result.path)} already exists. Replace it with the current keys?`, { modal: true }, 'Replace');
      if (choice !== 'Replace') {
        await openAt(result.path, 0, 0);
        return result.path;
      }
      result = await writeSecretsExample(file, { overwrite: true, ...(workspaceFolder ? { workspaceFolder } : {}) });
    }
    await openAt(result.path, 0, 0);
    void vscode.window.showInformationMessage(`Wrote ${vscode.workspace.asRelativePath(result.path)}: the same keys with empty values, safe to commit.`);
    return result.path;
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
    return undefined;
  }
}

export async function addToGitignoreCommand(args: { uri?: string } = {}): Promise<EnsureSecretsFileIgnoredResult | undefined> {
  // From the palette (no uri): the files git would commit, not the active editor's.
  const file = args.uri !== undefined ? vscode.Uri.parse(args.uri).fsPath : await pickFlaggedSecretsFile('ignore');
  if (file === undefined) return undefined;
  try {
    const result = await ensureSecretsFileIgnored(file, ignoreOptions(file));
    const name = vscode.workspace.asRelativePath(file);
    const message = result.changed
      ? `Added "${result.line}" to ${vscode.workspace.asRelativePath(result.gitignorePath ?? '.gitignore')}: git now ignores ${name}.`
      : `${name} is already ignored (${result.alreadyCoveredBy ?? 'by an ignore rule'}).`;
    if (result.tracked === true) {
      void vscode.window.showWarningMessage(`${message} But git already tracks it: an ignore rule does not untrack a file.`, 'Stop Tracking…').then((choice) => {
        if (choice) void untrackSecretsFileCommand({ uri: vscode.Uri.file(file).toString() });
      });
    } else if (!result.verified) {
      void vscode.window.showWarningMessage(`${message} Git still does not report it as ignored; check the rules that re-include it.`);
    } else {
      void vscode.window.showInformationMessage(message);
    }
    return result;
  } catch (error) {
    void vscode.window.showErrorMessage(errorMessage(error));
    return undefined;
  }
}

export async function untrackSecretsFileCommand(args: { uri?: string; confirmed?: boolean } = {}): Promise<boolean> {
  const file = args.uri !== undefined ? vscode.Uri.parse(args.uri).fsPath : await pickFlaggedSecretsFile('untrack');
  if (file === undefined) return false;
  const name = vscode.workspace.asRelativePath(file);
  if (args.confirmed !== true) {
    const choice = await vscode.window.showWarningMessage(
      `Stop tracking ${name} in git?`,
      {
        modal: true,
        detail:
          'This runs "git rm --cached": the file stays on disk and is no longer committed, and it is added to .gitignore. ' +
          'The git history still holds the values it had: rotate every secret in it (and clean the history if the repository is shared).',
      },
      'Stop Tracking',
    );
    if (choice !== 'Stop Tracking') return false;
  }
  const result = await untrackSecretsFile(file, { trusted: vscode.workspace.isTrusted });
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Could not stop tracking ${name}: ${result.message}`);
    return false;
  }
  let ignoreNote = '';
  try {
    const ignored = await ensureSecretsFileIgnored(file, ignoreOptions(file));
    if (ignored.changed) ignoreNote = ` Added "${ignored.line}" to ${vscode.workspace.asRelativePath(ignored.gitignorePath ?? '.gitignore')}.`;
  } catch (error) {
    ignoreNote = ` Could not add it to .gitignore: ${errorMessage(error)}`;
  }
  void vscode.window.showWarningMessage(
    `${result.untracked ? `Git no longer tracks ${name}` : `${name} was not tracked`}; the file is still on disk.${ignoreNote} Commit this change. The git history still holds the old values: rotate those secrets.`,
  );
  return result.untracked;
}

/** Registers the four commands; returns them for the extension test suite. */
export const secretsFileCommandsFeature: ClientFeature = ({ extension }) => {
  extension.subscriptions.push(
    vscode.commands.registerCommand(ShowSecretsFileRangeCommand, showSecretsFileRange),
    vscode.commands.registerCommand(CreateProjectSecretsFileCommand, (args?: CreateProjectSecretsFileArgs) => createProjectSecretsFileCommand(args ?? {})),
    vscode.commands.registerCommand(WriteSecretsExampleCommand, (args?: { uri?: string } | vscode.Uri) =>
      writeSecretsExampleCommand(args instanceof vscode.Uri ? { uri: args.toString() } : (args ?? {})),
    ),
    vscode.commands.registerCommand(AddToGitignoreCommand, (args?: { uri?: string } | vscode.Uri) => addToGitignoreCommand(args instanceof vscode.Uri ? { uri: args.toString() } : (args ?? {}))),
    vscode.commands.registerCommand(UntrackSecretsFileCommand, (args?: { uri?: string; confirmed?: boolean } | vscode.Uri) =>
      untrackSecretsFileCommand(args instanceof vscode.Uri ? { uri: args.toString() } : (args ?? {})),
    ),
  );
  return { secretsFileCommands: { createProjectSecretsFileCommand, writeSecretsExampleCommand, addToGitignoreCommand, untrackSecretsFileCommand } };
};
