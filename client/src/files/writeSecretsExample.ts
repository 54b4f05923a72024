/**
 * `secrets.toml.example`: the same tables and keys as the secrets file, with every value replaced by
 * an empty placeholder of the same type, so it can be committed and copied by collaborators.
 * No value of the original may reach it, and errors never quote the file.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { parse, TomlDate, TomlError } from 'smol-toml';
import { SecretsFileError } from './atomicWriteFile';
import { asSecretsFileError, createNewFile, readRegularFile, replaceFileContent } from './linkSafeFile';

export interface WriteSecretsExampleOptions {
  /** Replace an existing example file (atomically). Default false: an existing example is left alone. */
  overwrite?: boolean;
  /** The workspace folder: links are written through only to files inside it (default: the secrets file's folder). */
  workspaceFolder?: string;
}

export interface WriteSecretsExampleResult {
  /** `<secrets file>.example` */
  path: string;
  /** false when an example existed and `overwrite` was not set. */
  created: boolean;
}

type Value = unknown;
type Table = Record<string, Value>;

function isTable(value: Value): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function isArrayOfTables(value: Value): value is Table[] {
  return Array.isArray(value) && value.length > 0 && value.every(isTable);
}

/** Keys stay (they are the structure); bare when TOML allows it, else a basic string. */
export function tomlKey(key: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(key)) return key;
  let quoted = '"';
  for (const ch of key) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') quoted += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) quoted += `\\u${code.toString(16).padStart(4, '0')}`;
    else quoted += ch;
  }
  return `${quoted}"`;
}

/** The empty value of the same TOML type; never derived from the value's content. */
function placeholder(value: Value): string {
  if (typeof value === 'string') return '""';
  if (typeof value === 'bigint') return '0';
  if (typeof value === 'number') return '0.0'; // with integersAsBigInt, a plain number is a float
  if (typeof value === 'boolean') return 'false';
  if (value instanceof TomlDate) {
    if (value.isDate()) return '1970-01-01';
    if (value.isTime()) return '00:00:00';
    if (value.isLocal()) return '1970-01-01T00:00:00';
    return '1970-01-01T00:00:00Z';
  }
  if (value instanceof Date) return '1970-01-01T00:00:00Z';
  if (Array.isArray(value)) return '[]';
  if (isTable(value)) return '{}';
  return '""';
}

function emitTable(lines: string[], keyPath: string[], table: Table, header: 'none' | 'table' | 'array'): void {
  const scalars = Object.entries(table).filter(([, value]) => !isTable(value) && !isArrayOfTables(value));
  const nested = Object.entries(table).filter(([, value]) => isTable(value) || isArrayOfTables(value));
  const name = keyPath.map(tomlKey).join('.');
  // A table holding only sub-tables needs no header of its own; an empty one does (to keep the key).
  if (header === 'array') lines.push('', `[[${name}]]`);
  else if (header === 'table' && (scalars.length > 0 || nested.length === 0)) lines.push('', `[${name}]`);
  for (const [key, value] of scalars) lines.push(`${tomlKey(key)} = ${placeholder(value)}`);
  for (const [key, value] of nested) {
    if (isArrayOfTables(value)) {
      for (const element of value) emitTable(lines, [...keyPath, key], element, 'array');
    } else {
      emitTable(lines, [...keyPath, key], value as Table, 'table');
    }
  }
}

/** The example text for parsed secrets (exported for tests). */
export function secretsExampleText(secrets: Table, sourceName = 'secrets.toml'): string {
  const lines = [
    `# Example of ${sourceName}: the same keys, no values.`,
    `# Copy it to ${sourceName} (never commit that one) and fill in the values.`,
  ];
  emitTable(lines, [], secrets, 'none');
  return `${lines.join('\n')}\n`;
}

/**
 * Writes `<secretsFile>.example` beside the secrets file. Throws `SecretsFileError` when the secrets
 * file cannot be read or is not valid TOML (the message gives line and column, never file text).
 */
export async function writeSecretsExample(secretsFile: string, options: WriteSecretsExampleOptions = {}): Promise<WriteSecretsExampleResult> {
  const source = path.resolve(secretsFile);
  const target = `${source}.example`;
  let text: string;
  try {
    // A regular file only (a FIFO would never end), with a size cap.
    text = (await readRegularFile(source)).bytes.toString('utf8');
  } catch (error) {
    throw asSecretsFileError(error, (reason) => `Cannot read ${source}: ${reason}.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // Streamlit's parser accepts a BOM

  let secrets: Table;
  try {
    secrets = parse(text, { integersAsBigInt: true }) as Table;
  } catch (error) {
    // TomlError's message and codeblock quote the file: keep only the position.
    const where = error instanceof TomlError ? ` (line ${error.line}, column ${error.column})` : '';
    throw new SecretsFileError(`Cannot create the example: ${path.basename(source)} is not valid TOML${where}. Nothing was written.`, 'EPARSE');
  }
  const example = secretsExampleText(secrets, path.basename(source));

  const existing = await fsp.lstat(target).catch(() => undefined);
  if (existing && !options.overwrite) return { path: target, created: false };
  const workspaceFolder = options.workspaceFolder;
  try {
    if (existing) {
      // Written through a link (inside the workspace) or in place for hard links; mode and owner kept.
      const current = await readRegularFile(target);
      await replaceFileContent(target, current.bytes, example, workspaceFolder);
    } else {
      await createNewFile(target, example, { workspaceFolder });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST' && !options.overwrite) return { path: target, created: false };
    throw asSecretsFileError(error, (reason) => `Cannot write ${target}: ${reason}. Nothing was changed.`);
  }
  return { path: target, created: true };
}
