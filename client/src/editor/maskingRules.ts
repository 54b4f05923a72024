/** Masking decisions without `vscode`, so unit tests call them directly. */

/** Templates hold placeholders, not secrets (`secrets.toml.example` and the like): never masked. */
const TEMPLATE_FILE = /\.(example|sample|template)$/i;

/** The status bar text: how many lines show their value, or that none does. */
export function maskingStatusText(enabled: boolean, shownLines: number): string {
  if (!enabled) return '$(eye) Secrets visible';
  if (shownLines === 0) return '$(eye-closed) Secrets masked';
  return `$(eye) ${shownLines} ${shownLines === 1 ? 'line' : 'lines'} shown`;
}

/** Whether a file (path or name) is a template, never masked. */
export function isTemplateFile(fileName: string): boolean {
  return TEMPLATE_FILE.test(fileName);
}

/** `streamlitSecrets.maskShownLinesAfter`: its default and bounds, in seconds. */
export const SHOWN_LINES_TIMEOUT = { default: 30, minimum: 5, maximum: 600 } as const;

/**
 * How long lines shown in clear stay shown without a cursor move or an edit in their editor, in
 * milliseconds. VS Code tells extensions nothing when focus moves to the Explorer, Search or a
 * panel, so this bound is what keeps "leaving the editor masks every line" true there.
 */
export function shownLinesTimeoutMs(setting: unknown): number {
  const seconds = typeof setting === 'number' && Number.isFinite(setting) ? setting : SHOWN_LINES_TIMEOUT.default;
  return Math.round(Math.min(SHOWN_LINES_TIMEOUT.maximum, Math.max(SHOWN_LINES_TIMEOUT.minimum, seconds)) * 1000);
}
