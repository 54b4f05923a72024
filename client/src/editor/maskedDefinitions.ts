import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { maskSecretsText, type MaskedText } from './maskedText';

/** Scheme of the read-only, masked copy of a secrets file that definition results point into. */
export const MASKED_SCHEME = 'streamlit-secrets-masked';

const toMasked = (uri: vscode.Uri): vscode.Uri => uri.with({ scheme: MASKED_SCHEME });
const toReal = (uri: vscode.Uri): vscode.Uri => uri.with({ scheme: 'file' });

/**
 * Go to definition leads into a secrets file, and VS Code draws the target's lines in places our
 * editor decorations never reach: the Peek widget's list row (the whole line, value included), its
 * embedded editor and the Ctrl+hover preview. So definition results point into a masked copy of the
 * file (every value replaced by the mask, columns mapped); when that copy is opened in an editor tab
 * (F12, Ctrl+click, a double-click in Peek), the real file opens in its place, masked as usual.
 */
export function startMaskedDefinitions(extension: vscode.ExtensionContext): { provideDefinition: NonNullable<Middleware['provideDefinition']> } {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const masked = async (real: vscode.Uri): Promise<MaskedText> => maskSecretsText((await vscode.workspace.openTextDocument(real)).getText());

  const mapLocation = async (uri: vscode.Uri, range: vscode.Range): Promise<{ uri: vscode.Uri; range: vscode.Range }> => {
    if (uri.scheme !== 'file') return { uri, range };
    const text = await masked(uri);
    const at = (position: vscode.Position): vscode.Position => new vscode.Position(position.line, text.toMasked(position.line, position.character));
    return { uri: toMasked(uri), range: new vscode.Range(at(range.start), at(range.end)) };
  };

  /**
   * A masked copy opened in a tab gives way to the real file, at the same place. Only tabs: the
   * embedded editor of Peek is a visible text editor too, and stays on the masked copy.
   */
  const swapping = new Set<string>();
  const swapTabsForRealFiles = async (): Promise<void> => {
    for (const tab of vscode.window.tabGroups.all.flatMap((group) => group.tabs)) {
      if (!(tab.input instanceof vscode.TabInputText) || tab.input.uri.scheme !== MASKED_SCHEME) continue;
      const copy = tab.input.uri;
      if (swapping.has(copy.toString())) continue;
      swapping.add(copy.toString());
      try {
        const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === copy.toString() && candidate.viewColumn === tab.group.viewColumn);
        // Not shown yet: the visible-editors event follows, with the place to open the real file at.
        if (editor === undefined) continue;
        const real = toReal(copy);
        const text = await masked(real);
        const at = (position: vscode.Position): vscode.Position => new vscode.Position(position.line, text.toReal(position.line, position.character));
        const selection = new vscode.Selection(at(editor.selection.anchor), at(editor.selection.active));
        await vscode.window.showTextDocument(real, { viewColumn: tab.group.viewColumn, preview: tab.isPreview, selection });
        await vscode.window.tabGroups.close(tab);
      } finally {
        swapping.delete(copy.toString());
      }
    }
  };

  extension.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(MASKED_SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: async (uri) => (await masked(toReal(uri))).text,
    }),
    // An open masked copy follows the edits of the real file.
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.uri.scheme !== 'file') return;
      const copy = toMasked(event.document.uri).toString();
      if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === copy)) changed.fire(toMasked(event.document.uri));
    }),
    vscode.window.onDidChangeVisibleTextEditors(() => void swapTabsForRealFiles()),
    vscode.window.tabGroups.onDidChangeTabs(() => void swapTabsForRealFiles()),
  );

  return {
    async provideDefinition(document, position, token, next) {
      const result = await next(document, position, token);
      if (result === null || result === undefined) return result;
      const list = Array.isArray(result) ? result : [result];
      const mapped = await Promise.all(
        list.map(async (item: vscode.Location | vscode.LocationLink) => {
          if (item instanceof vscode.Location) {
            const target = await mapLocation(item.uri, item.range);
            return new vscode.Location(target.uri, target.range);
          }
          const target = await mapLocation(item.targetUri, item.targetRange);
          const selection = item.targetSelectionRange === undefined ? undefined : (await mapLocation(item.targetUri, item.targetSelectionRange)).range;
          return { ...item, targetUri: target.uri, targetRange: target.range, targetSelectionRange: selection };
        }),
      );
      return mapped as vscode.Location[] | vscode.LocationLink[];
    },
  };
}
