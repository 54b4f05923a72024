// dprint's TOML formatter (dprint-plugin-toml, a 0.5 MB WebAssembly module, run by
// @dprint/formatter), loaded on the first formatting request. The plugin is sandboxed by its host:
// no files, no environment, no network — it only formats the text it is given.
import { readFileSync } from 'node:fs';
import { getPath } from '@dprint/toml';

/** Formats TOML text; throws when it cannot parse it. Pure. */
export type TomlFormatter = (text: string, options: { crlf: boolean }) => string;

/**
 * What dprint may change: spacing around `=` and inside brackets, blank lines, comment spacing.
 * Keys, arrays and inline tables are never sorted, quotes and indentation stay as written, and no
 * Cargo.toml conventions apply. Inline tables stay on one line (TOML 1.0, which Streamlit's parser
 * reads); the result is checked against Streamlit's reading anyway (service/formatting.ts).
 */
const pluginConfig = {
  quoteStyle: 'maintain',
  indentTables: 'never',
  indentEntries: 'never',
  sortKeys: false,
  sortArrays: false,
  sortInlineTables: false,
  'cargo.applyConventions': false,
  'comment.forceLeadingSpace': true,
};

let loading: Promise<TomlFormatter> | undefined;

/** The formatter, initialised once (reading and compiling the module takes a few milliseconds). */
export function loadTomlFormatter(): Promise<TomlFormatter> {
  loading ??= import('@dprint/formatter').then((dprint) => {
    // The plugin's messages to stdout/stderr (none expected) could quote the file: dropped.
    const formatter = dprint.createFromBuffer(readFileSync(getPath()), { onOutput: () => undefined });
    formatter.setConfig({ lineWidth: 120, indentWidth: 2, useTabs: false }, pluginConfig);
    const problems = formatter.getConfigDiagnostics();
    if (problems.length > 0) throw new Error(`TOML formatter configuration: ${problems.map((problem) => `${problem.propertyName}: ${problem.message}`).join('; ')}`);
    return (text: string, options: { crlf: boolean }) =>
      formatter.formatText({ filePath: 'secrets.toml', fileText: text, overrideConfig: { newLineKind: options.crlf ? 'crlf' : 'lf' } });
  });
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
