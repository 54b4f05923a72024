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
