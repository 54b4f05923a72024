// Shared by the extension-host tests: the extension's id, the fixture workspace, and polling (the
// language server starts asynchronously, so every feature check retries until a deadline instead of
// sleeping for a fixed time).
import * as vscode from 'vscode';

export const EXTENSION_ID = 'streamlit-secrets-dev.streamlit-secrets';

/** The fixture workspace (a fresh copy of test/vscode/fixtures/workspace made by the runner). */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open: the runner should open the fixture workspace');
  return folder;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, ...relativePath.split('/'));
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  await extension.activate();
  return extension;
}

/** What the language server advertised (the extension's activate() returns its LanguageClient). */
export async function serverCapabilities(): Promise<Record<string, unknown>> {
  const extension = await activateExtension();
  const exports = extension.exports as { client?: { initializeResult?: { capabilities?: Record<string, unknown> } } } | undefined;
  return exports?.client?.initializeResult?.capabilities ?? {};
}

/**
 * Skips the calling test while the language server does not advertise `capability` yet, so the suite
 * can hold tests for features still being written; they run as soon as the server offers them.
 */
export async function skipUnlessServerOffers(context: Mocha.Context, capability: string): Promise<void> {
  const capabilities = await serverCapabilities();
  if (!capabilities[capability]) context.skip();
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document);
}

/** Appends `text` as a new last line of the editor's document; returns the position after it. */
export async function appendLine(editor: vscode.TextEditor, text: string): Promise<vscode.Position> {
  const document = editor.document;
  const end = document.lineAt(document.lineCount - 1).range.end;
  const prefix = document.lineAt(document.lineCount - 1).text.length > 0 ? '\n' : '';
  const applied = await editor.edit((edit) => edit.insert(end, prefix + text));
  if (!applied) throw new Error(`could not insert ${JSON.stringify(text)}`);
  const last = document.lineAt(document.lineCount - 1);
  return last.range.end;
}

/** The position just inside `needle` (at `offsetInNeedle`) at its first occurrence in the document. */
export function positionOf(document: vscode.TextDocument, needle: string, offsetInNeedle = 0): vscode.Position {
  const index = document.getText().indexOf(needle);
  if (index < 0) throw new Error(`${JSON.stringify(needle)} is not in ${document.uri.path}`);
  return document.positionAt(index + offsetInNeedle);
}

export function completionLabels(list: vscode.CompletionList | undefined): string[] {
  return (list?.items ?? []).map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

export function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** Reverts and closes every editor so one test's edits never leak into the next. */
export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * The text a language model tool answers, through `vscode.lm.invokeTool` as an agent calls it;
 * undefined when this VS Code has no language model tools API.
 */
export async function invokeLanguageModelTool(name: string, input: object): Promise<string | undefined> {
  const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
  if (typeof lm?.invokeTool !== 'function') return undefined;
  const result = await lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part))).join('');
}
