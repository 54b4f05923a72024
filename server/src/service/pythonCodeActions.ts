import { CodeActionKind, TextEdit, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { MergedSecrets, LoadedSecretsSource } from './mergeSecrets';
import { diagnosticSource, type PythonDiagnosticData } from './pythonDiagnostics';
import { keyLocationsOf } from './secretLocations';
import { positionsOfText } from './textPositions';
import { formatKeyPath, nodeAt } from './secretNodes';
import { labelOf } from './provenance';
import { keyPathId, type KeyLocation } from '../toml/types';

/** The client command that creates the project secrets file (gitignored) and then adds a key. */
export const createProjectSecretsFileCommand = 'streamlitSecrets.createProjectSecretsFile';

/** The client command that opens a secrets file with a range selected (the value a quick fix added). */
export const showSecretsFileRangeCommand = 'streamlitSecrets.showSecretsFileRange';

/** Argument of `streamlitSecrets.showSecretsFileRange`. */
export interface ShowSecretsFileRangeArgs {
  uri: string;
  range: Range;
}

/** Argument of `streamlitSecrets.createProjectSecretsFile` when sent by a quick fix. */
export interface CreateProjectSecretsFileArgs {
  /** The folder whose `.streamlit/secrets.toml` to create (Streamlit's `$CWD`). */
  folderUri: string;
  addKey: string[];
  /** More keys of the same table to add with it (`addKey` first among them). */
  addKeys?: string[][];
}

const placeholder = '""  # TODO: set this secret';

/** A `[table]` header: its range (the whole header) starts before the key it names; a value follows its key. */
function isHeader(location: KeyLocation): boolean {
  return location.valueRange.start < location.keyRange.start;
}

function lineStartAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/**
 * An edit that adds `keyPath` with an empty value (and a TODO comment) to a secrets file's text,
 * in the right table: after the table's `[header]` when it has one, else a new `[header]` at the
 * end (or, for a root key, before the first header). Undefined where an insertion could change
 * the meaning of the file (the table is an inline table or made by dotted keys, or a prefix of
 * the path is not a table).
 */
export function insertSecretKey(text: string, keyPath: readonly string[], root: LoadedSecretsSource['root']): { offset: number; text: string } | undefined {
  if (keyPath.length === 0) return undefined;
  return insertSecretKeys(text, keyPath.slice(0, -1), [keyPath[keyPath.length - 1]!], root);
}

/**
 * `insertSecretKey` for several keys of one table (`tablePath`), written together in one edit;
 * keys the file already has are left out. Undefined when none is missing, or where
 * `insertSecretKey` would refuse.
 */
export function insertSecretKeys(
  text: string,
  tablePath: readonly string[],
  leaves: readonly string[],
  root: LoadedSecretsSource['root'],
): { offset: number; text: string } | undefined {
  const missing = [...new Set(leaves)].filter((leaf) => nodeAt(root, [...tablePath, leaf]) === undefined);
  if (missing.length === 0) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const line = missing.map((leaf) => `${formatKeyPath([leaf])} = ${placeholder}${eol}`).join('');
  const locations = keyLocationsOf(text);
  if (tablePath.length === 0) {
    // Root keys must come before the first table header.
    let firstHeader = -1;
    for (const list of locations.values()) {
      for (const location of list) {
        if (isHeader(location) && (firstHeader < 0 || location.valueRange.start < firstHeader)) firstHeader = location.valueRange.start;
      }
    }
    if (firstHeader < 0) return { offset: text.length, text: (text.length > 0 && !text.endsWith('\n') ? eol : '') + line };
    return { offset: firstHeader, text: `${line}${eol}` };
  }
  // Every prefix that exists must be a table; the table itself must have a plain `[header]`.
  for (let i = 1; i <= tablePath.length; i++) {
    const node = nodeAt(root, tablePath.slice(0, i));
    if (node !== undefined && node.kind !== 'table') return undefined;
  }
  const tableLocations = locations.get(keyPathId(tablePath)) ?? [];
  if (nodeAt(root, tablePath) !== undefined || tableLocations.length > 0) {
    const header = tableLocations.find((location) => isHeader(location) && !text.startsWith('[[', location.valueRange.start));
    if (header === undefined) return undefined;
    // The header range ends at its `]`; the new line goes right below it.
    return { offset: lineStartAfter(text, header.valueRange.end), text: (text.endsWith('\n') || lineStartAfter(text, header.valueRange.end) < text.length ? '' : eol) + line };
  }
  const prefix = text.length === 0 ? '' : text.endsWith('\n') ? eol : eol + eol;
  return { offset: text.length, text: `${prefix}[${formatKeyPath(tablePath)}]${eol}${line}` };
}

function isKeyPath(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((key) => typeof key === 'string');
}

function targetSource(merged: MergedSecrets, keyPath: readonly string[]): number | undefined {
  const entry = merged.entries.get(keyPath[0] ?? '');
  // Under an existing top-level key only the winning file helps: anything else stays hidden.
  if (entry !== undefined) return merged.sources[entry.winner]?.kind === 'file' ? entry.winner : undefined;
  for (const role of ['project', 'entrypoint'] as const) {
    const index = merged.sources.findIndex((source) => source.spec.role === role && source.kind === 'file');
    if (index >= 0) return index;
  }
  return undefined;
}

/**
 * Quick fixes for the Python diagnostics in `diagnostics`: add the missing key to the secrets
 * file that decides it (or create the project secrets file first), rewrite an attribute read as
 * `["key"]`.
 */
export function pythonCodeActions(documentUri: string, diagnostics: readonly Diagnostic[], merged: MergedSecrets): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== diagnosticSource) continue;
    const data = (diagnostic.data ?? {}) as PythonDiagnosticData;
    if (data.rewrite !== undefined) {
      actions.push({
        title: `Rewrite as ${data.rewrite.newText}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: { changes: { [documentUri]: [TextEdit.replace(data.rewrite.range, data.rewrite.newText)] } },
      });
    }
    const keyPath = isKeyPath(data.addKey) ? data.addKey : undefined;
    if (keyPath === undefined || keyPath.length === 0) continue;
    // Several keys of the same table (a whole [auth] section): added together.
    const table = keyPath.slice(0, -1);
    const sameTable = (path: string[]): boolean => path.length === keyPath.length && table.every((key, i) => path[i] === key);
    const keyPaths = Array.isArray(data.addKeys) && data.addKeys.every(isKeyPath) && data.addKeys.every(sameTable) && data.addKeys.length > 1 ? data.addKeys : [keyPath];
    const leaves = keyPaths.map((path) => path[path.length - 1]!);
    const dotted = keyPaths.length > 1 ? `[${formatKeyPath(table)}] ${leaves.join(', ')}` : `"${formatKeyPath(keyPath)}"`;
    const index = targetSource(merged, keyPath);
    if (index !== undefined) {
      const source = merged.sources[index]!;
      if (source.text === undefined || source.error !== undefined) continue;
      const insert = insertSecretKeys(source.text, table, leaves, source.root);
      if (insert === undefined) continue;
      const position = positionsOfText(source.text).positionAt(insert.offset);
      const uri = URI.file(source.spec.path).toString();
      // After the edit, the file opens with the (first) new empty value selected: the user sees
      // what the app now gets, and types the real value there.
      const after = positionsOfText(source.text.slice(0, insert.offset) + insert.text + source.text.slice(insert.offset));
      const valueAt = insert.offset + insert.text.indexOf(placeholder);
      const show: ShowSecretsFileRangeArgs = { uri, range: { start: after.positionAt(valueAt), end: after.positionAt(valueAt + 2) } };
      actions.push({
        title: `Add ${dotted} to ${labelOf(merged, index)}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: { changes: { [uri]: [TextEdit.insert(position, insert.text)] } },
        command: { title: 'Show the new key', command: showSecretsFileRangeCommand, arguments: [show] },
      });
      continue;
    }
    const project = merged.sources.find((source) => source.spec.role === 'project');
    if (project !== undefined && project.kind === 'missing' && !merged.entries.has(keyPath[0]!)) {
      const args: CreateProjectSecretsFileArgs = { folderUri: URI.file(merged.chain.cwd).toString(), addKey: [...keyPath], ...(keyPaths.length > 1 ? { addKeys: keyPaths.map((path) => [...path]) } : {}) };
      actions.push({
        title: `Create ${labelOf(merged, merged.sources.indexOf(project))} (gitignored) with ${dotted}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        command: { title: 'Create Project Secrets File', command: createProjectSecretsFileCommand, arguments: [args] },
      });
    }
  }
  return actions;
}
