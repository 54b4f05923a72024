import * as vscode from 'vscode';
import { isTemplateFile, maskingStatusText, shownLinesTimeoutMs } from './maskingRules';
import { findMaskedValueRanges, splitByLines } from './secretValueRanges';

type LinePiece = ReturnType<typeof splitByLines>[number];

/** Language of secrets files (package.json `contributes.languages`). */
export const SECRETS_LANGUAGE = 'streamlit-secrets';
/** workspaceState key and context key (the editor title menu switches on it). */
export const MASKING_STATE_KEY = 'streamlitSecrets.masking';
export const MASKING_CONTEXT_KEY = 'streamlitSecrets.masking';
/** The status bar's command while lines are shown (hidden from the palette). */
export const HIDE_SHOWN_LINES_COMMAND = 'streamlitSecrets.maskShownLines';
/** A selection this many lines long or longer reveals only its cursor line (think: Select All). */
const MAX_REVEALED_SELECTION_LINES = 5;

export interface MaskingApi {
  /** The ranges currently hidden in the visible editor(s) of a document (empty when masking is off). */
  maskedRanges(uri: vscode.Uri | string): vscode.Range[];
  /** Whether masking is on in this workspace. */
  maskingEnabled(): boolean;
  /** Masks every line again (focus left the editor for a place VS Code does not report to extensions, e.g. one of our views). */
  maskAllLines(): void;
  /** How many lines show their value (what the status bar counts). */
  shownLines(): number;
}

/**
 * Hides the values of secrets files with editor decorations, so that a secrets file can be open
 * while the screen is shared. Values are found by a synchronous scan of the text (no language
 * server round trip) and set in the same tick as VS Code reports the editor visible. The line
 * of the cursor shows its value once the user moves the cursor or types there, so editing stays
 * practical; opening a file reveals nothing. On/off is per workspace (workspaceState), never in
 * the user's settings.
 *
 * Leaving the editor masks every line again. VS Code reports only some ways of leaving to
 * extensions (another editor, the window, a terminal, our own view); focus moving to the Explorer,
 * Search or a panel fires nothing (extensions see "active" components, not focus). So shown lines
 * also mask again after `streamlitSecrets.maskShownLinesAfter` seconds without a cursor move or an
 * edit in their editor, and the status bar counts what is really shown at every moment.
 *
 * Started before the language client so that masking does not wait for the server.
 */
export function startMasking(extension: vscode.ExtensionContext): MaskingApi {
  let enabled = extension.workspaceState.get<boolean>(MASKING_STATE_KEY, true);

  const decoration = vscode.window.createTextEditorDecorationType({
    // `display: none` removes the characters (so the width does not tell the length); opacity is
    // the fallback should a VS Code version ever drop the extra CSS.
    textDecoration: 'none; display: none',
    opacity: '0',
    before: { contentText: '••••••••', color: new vscode.ThemeColor('editorCodeLens.foreground') },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });

  /** Value pieces (one per line) per document version: the scan runs once per edit, not per cursor move. */
  const valueCache = new WeakMap<vscode.TextDocument, { version: number; pieces: LinePiece[] }>();
  /**
   * Editors the user is working in (moved the cursor, typed since the editor last got focus): only
   * these reveal the cursor line. Leaving the editor (another editor, our views, a terminal, the
   * window) forgets it, so every line masks again until the user works there again.
   */
  let interacted = new WeakSet<vscode.TextEditor>();
  /** What is set on each editor, for the test API. */
  const applied = new Map<vscode.TextEditor, vscode.Range[]>();
  const appliedState = new WeakMap<vscode.TextEditor, string>();

  const valuePieces = (document: vscode.TextDocument): LinePiece[] => {
    const cached = valueCache.get(document);
    if (cached?.version === document.version) return cached.pieces;
    const text = document.getText();
    const pieces = splitByLines(findMaskedValueRanges(text), text);
    valueCache.set(document, { version: document.version, pieces });
    return pieces;
  };

  const revealedLines = (editor: vscode.TextEditor): Set<number> => {
    const lines = new Set<number>();
    // Only the editor being worked in shows its cursor line; one beside it or left behind stays masked.
    if (!interacted.has(editor) || editor !== vscode.window.activeTextEditor) return lines;
    for (const selection of editor.selections) {
      lines.add(selection.active.line);
      if (!selection.isEmpty && selection.end.line - selection.start.line < MAX_REVEALED_SELECTION_LINES) {
        for (let line = selection.start.line; line <= selection.end.line; line++) lines.add(line);
      }
    }
    return lines;
  };

  /** Per visible editor, how many lines show a value (for the status bar). */
  const shown = new Map<vscode.TextEditor, number>();
  const shownLines = (): number => [...shown.values()].reduce((sum, count) => sum + count, 0);

  /** Masks every shown line once the user has not worked in the editor for a while (see above). */
  let timeoutMs = shownLinesTimeoutMs(vscode.workspace.getConfiguration('streamlitSecrets').get('maskShownLinesAfter'));
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const stopIdleTimer = (): void => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  /** Called on the user's own work in an editor (cursor moved, typed): the countdown starts again. */
  const restartIdleTimer = (): void => {
    stopIdleTimer();
    if (shownLines() > 0) idleTimer = setTimeout(() => maskAllLines(), timeoutMs);
  };

  const apply = (editor: vscode.TextEditor): void => {
    if (editor.document.languageId !== SECRETS_LANGUAGE || isTemplateFile(editor.document.fileName)) {
      shown.delete(editor);
      if (applied.delete(editor)) editor.setDecorations(decoration, []);
      return;
    }
    const revealed = enabled ? revealedLines(editor) : new Set<number>();
    // Cursor moves within the same lines change nothing: skip the round trip to the renderer.
    const state = enabled ? `${editor.document.version}:${[...revealed].join(',')}` : 'off';
    if (appliedState.get(editor) === state && applied.has(editor)) return;
    let ranges: vscode.Range[] = [];
    if (enabled) {
      const pieces = valuePieces(editor.document);
      ranges = pieces.filter((piece) => !revealed.has(piece.line)).map((piece) => new vscode.Range(piece.line, piece.start, piece.line, piece.end));
      shown.set(editor, new Set(pieces.filter((piece) => revealed.has(piece.line)).map((piece) => piece.line)).size);
    } else {
      shown.delete(editor);
    }
    editor.setDecorations(decoration, ranges);
    updateStatusBar();
    applied.set(editor, ranges);
    appliedState.set(editor, state);
  };

  const applyAll = (): void => {
    const visible = new Set(vscode.window.visibleTextEditors);
    for (const editor of applied.keys()) if (!visible.has(editor)) applied.delete(editor);
    for (const editor of shown.keys()) if (!visible.has(editor)) shown.delete(editor);
    for (const editor of visible) apply(editor);
  };

  const statusBar = vscode.window.createStatusBarItem('streamlitSecrets.masking', vscode.StatusBarAlignment.Right, 100);
  statusBar.name = 'Streamlit Secrets: Masking';
  function updateStatusBar(): void {
    const count = shownLines();
    // Whatever showed the lines, they never stay shown unbounded: no lines, no countdown; lines, one.
    if (count === 0) stopIdleTimer();
    else if (idleTimer === undefined) restartIdleTimer();
    statusBar.text = maskingStatusText(enabled, count);
    statusBar.command = enabled && count > 0 ? HIDE_SHOWN_LINES_COMMAND : 'streamlitSecrets.toggleMasking';
    statusBar.tooltip = !enabled
      ? 'Values in secrets files are shown. Click to hide them.'
      : count > 0
        ? `The lines you are working on show their values until you leave the editor or for ${timeoutMs / 1000} s without moving the cursor or typing. Click to mask them all.`
        : 'Values in secrets files are hidden (the line you work on shows its value). Click to show them all.';
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === SECRETS_LANGUAGE && !isTemplateFile(active.fileName)) statusBar.show();
    else statusBar.hide();
  }

  /** Masks every line again until the user works in an editor again. */
  const maskAllLines = (): void => {
    stopIdleTimer();
    interacted = new WeakSet();
    applyAll();
    updateStatusBar();
  };

  const setEnabled = async (value: boolean): Promise<void> => {
    enabled = value;
    applyAll();
    updateStatusBar();
    await Promise.all([
      extension.workspaceState.update(MASKING_STATE_KEY, value),
      vscode.commands.executeCommand('setContext', MASKING_CONTEXT_KEY, value),
    ]);
  };

  extension.subscriptions.push(
    decoration,
    statusBar,
    { dispose: stopIdleTimer },
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('streamlitSecrets.maskShownLinesAfter')) return;
      timeoutMs = shownLinesTimeoutMs(vscode.workspace.getConfiguration('streamlitSecrets').get('maskShownLinesAfter'));
      restartIdleTimer();
    }),
    vscode.window.onDidChangeVisibleTextEditors(applyAll),
    vscode.window.onDidChangeActiveTextEditor((active) => {
      // Coming back to an editor shows nothing until the user works there again.
      interacted = new WeakSet(active === undefined || !interacted.has(active) ? [] : [active]);
      applyAll();
      updateStatusBar();
    }),
    // Focus leaving the editor, as far as VS Code tells extensions: the window, a terminal typed in,
    // our own views shown or used (mergedSecretsView.ts). (`WindowState.active` is not used: it turns
    // false after 10 s without input anywhere, which would override the configured seconds, and it
    // stays true while the user works in the Explorer.)
    vscode.window.onDidChangeWindowState((state) => {
      if (!state.focused) maskAllLines();
    }),
    vscode.window.onDidChangeTerminalState(maskAllLines),
    vscode.window.onDidChangeActiveTerminal(maskAllLines),
    vscode.commands.registerCommand(HIDE_SHOWN_LINES_COMMAND, maskAllLines),
    vscode.window.onDidChangeTextEditorSelection((event) => {
      if (event.textEditor.document.languageId !== SECRETS_LANGUAGE) return;
      // Only the user's own keyboard or mouse counts: opening a file, "go to definition" from the
      // view or another extension moving the cursor (kind Command or undefined) reveals nothing.
      const byUser = event.kind === vscode.TextEditorSelectionChangeKind.Keyboard || event.kind === vscode.TextEditorSelectionChangeKind.Mouse;
      if (byUser) interacted.add(event.textEditor);
      apply(event.textEditor);
      if (byUser) restartIdleTimer();
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document.languageId !== SECRETS_LANGUAGE || event.contentChanges.length === 0) return;
      for (const editor of vscode.window.visibleTextEditors) {
        if (editor.document !== event.document) continue;
        // Typing in an editor counts as working in it.
        const active = editor === vscode.window.activeTextEditor;
        if (active) interacted.add(editor);
        apply(editor);
        if (active) restartIdleTimer();
      }
    }),
    // A language change (e.g. "Change Language Mode") reopens the document.
    vscode.workspace.onDidOpenTextDocument(applyAll),
    vscode.commands.registerCommand('streamlitSecrets.toggleMasking', () => setEnabled(!enabled)),
    vscode.commands.registerCommand('streamlitSecrets.maskValues', () => setEnabled(true)),
    vscode.commands.registerCommand('streamlitSecrets.unmaskValues', () => setEnabled(false)),
  );

  applyAll();
  updateStatusBar();
  void vscode.commands.executeCommand('setContext', MASKING_CONTEXT_KEY, enabled);

  return {
    maskedRanges(uri) {
      const key = typeof uri === 'string' ? uri : uri.toString();
      const editors = [...applied.keys()].filter((editor) => editor.document.uri.toString() === key);
      const editor = editors.find((candidate) => candidate === vscode.window.activeTextEditor) ?? editors[0];
      return editor === undefined ? [] : [...applied.get(editor)!];
    },
    maskingEnabled: () => enabled,
    maskAllLines,
    shownLines,
  };
}
