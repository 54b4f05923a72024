/**
 * Adding an empty key to a secrets file's text (for the missing-key quick fix that has to create
 * the file first). Plain text editing, so comments and formatting stay; the result is re-parsed and
 * nothing is written if it would not parse. No `vscode` import (unit-testable).
 */
import { parse } from 'smol-toml';
import { SecretsFileError } from '../files/atomicWriteFile';
import { asSecretsFileError, readRegularFile, replaceFileContent } from '../files/linkSafeFile';
import { tomlKey } from '../files/writeSecretsExample';

export interface AddSecretKeyResult {
  text: string;
  /** 0-based line of the key (inserted or already there). */
  line: number;
  /** Column just inside the value's quotes (where the user types the value). */
  character: number;
  added: boolean;
}

function headerPath(line: string): string[] | undefined {
  const match = /^\s*\[\s*([^[\]#]+?)\s*\]\s*(#.*)?$/.exec(line);
  if (!match) return undefined;
  const parts: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*(\.|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(match[1]!)) !== null) {
    const raw = m[1]!;
    parts.push(raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1) : raw);
    if (m[2] === '') break;
  }
  return parts;
}

function has(value: unknown, path: readonly string[]): boolean {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current) || !(key in current)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return true;
}

/**
 * Adds `keyPath` (`["db", "password"]` → `password = ""` under `[db]`) unless it exists. Returns
 * undefined when the text does not parse (before or after): the caller then only opens the file.
 */
export function addSecretKey(text: string, keyPath: readonly string[]): AddSecretKeyResult | undefined {
  if (keyPath.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = parse(text.replace(/^\ufeff/, ''));
  } catch {
    return undefined;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const table = keyPath.slice(0, -1);
  const key = keyPath[keyPath.length - 1]!;
  const keyLine = `${tomlKey(key)} = ""`;
  const sameTable = (p: string[] | undefined): boolean => p !== undefined && p.length === table.length && p.every((s, i) => s === table[i]);

  if (has(parsed, keyPath)) {
    // Already there: point at it (best effort: the line that starts with the key in its table).
    let inTable = table.length === 0;
    for (let i = 0; i < lines.length; i++) {
      const header = headerPath(lines[i]!);
      if (header !== undefined) inTable = sameTable(header);
      else if (inTable && lines[i]!.trimStart().startsWith(`${tomlKey(key)}`)) return { text, line: i, character: lines[i]!.indexOf('=') + 1, added: false };
    }
    return { text, line: 0, character: 0, added: false };
  }

  let insertAt: number;
  let newLines: string[];
  if (table.length === 0) {
    // Root keys must come before the first table header.
    const firstHeader = lines.findIndex((line) => headerPath(line) !== undefined);
    insertAt = firstHeader < 0 ? lines.length : firstHeader;
    while (insertAt > 0 && lines[insertAt - 1]!.trim() === '' && firstHeader < 0) insertAt--;
    newLines = [keyLine];
    if (firstHeader >= 0) newLines.push('');
  } else {
    const headerIndex = lines.findIndex((line) => sameTable(headerPath(line)));
    if (headerIndex >= 0) {
      let end = lines.length;
      for (let i = headerIndex + 1; i < lines.length; i++) {
        if (/^\s*\[/.test(lines[i]!)) {
          end = i;
          break;
        }
      }
      insertAt = end;
      while (insertAt > headerIndex + 1 && lines[insertAt - 1]!.trim() === '') insertAt--;
      newLines = [keyLine];
    } else {
      insertAt = lines.length;
      while (insertAt > 0 && lines[insertAt - 1]!.trim() === '') insertAt--;
      newLines = [...(insertAt > 0 ? [''] : []), `[${table.map(tomlKey).join('.')}]`, keyLine];
    }
  }
  const next = [...lines.slice(0, insertAt), ...newLines, ...lines.slice(insertAt)];
  let joined = next.join(eol);
  if (!joined.endsWith(eol)) joined += eol;
  try {
    parse(joined.replace(/^\ufeff/, ''));
  } catch {
    return undefined;
  }
  const line = insertAt + newLines.indexOf(keyLine);
  return { text: joined, line, character: keyLine.length - 1, added: true };
}

/**
 * `addSecretKey` for several paths, in order (a whole `[auth]` section). The position is the
 * first path's; `added` when any was added. Undefined when the text does not parse.
 */
export function addSecretKeys(text: string, keyPaths: readonly (readonly string[])[]): AddSecretKeyResult | undefined {
  if (keyPaths.length === 0) return undefined;
  let current = text;
  let added = false;
  for (const keyPath of keyPaths) {
    const result = addSecretKey(current, keyPath);
    if (result === undefined) return undefined;
    current = result.text;
    added ||= result.added;
  }
  // Where the first key ended up once the others were added; inside its quotes when it is empty.
  const first = addSecretKey(current, keyPaths[0]!);
  if (first === undefined) return undefined;
  const lineText = current.split(/\r?\n/)[first.line] ?? '';
  const character = /=\s*""\s*$/.test(lineText) ? lineText.lastIndexOf('""') + 1 : first.character;
  return { text: current, line: first.line, character, added };
}

/**
 * `addSecretKeys` on a file on disk: read as a regular file (size-capped), written back only if a
 * key was added, through a link only to a file inside `workspaceFolder`, in place for hard links,
 * mode and owner kept, a read-only file refused; a change meanwhile is read again (three tries).
 * Undefined when the text does not parse; `SecretsFileError` when the file cannot be changed.
 */
export async function addSecretKeysToFile(file: string, keyPaths: readonly (readonly string[])[], workspaceFolder: string | undefined): Promise<AddSecretKeyResult | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let bytes: Buffer;
    try {
      bytes = (await readRegularFile(file)).bytes;
    } catch (error) {
      throw asSecretsFileError(error, (reason) => `Cannot read ${file}: ${reason}. Nothing was changed.`);
    }
    const result = addSecretKeys(bytes.toString('utf8'), keyPaths);
    if (!result?.added) return result;
    try {
      await replaceFileContent(file, bytes, result.text, workspaceFolder);
      return result;
    } catch (error) {
      if (error instanceof SecretsFileError && error.code === 'ECHANGED') continue;
      throw asSecretsFileError(error, (reason) => `Cannot write ${file}: ${reason}. The file was left as it was.`);
    }
  }
  throw new SecretsFileError(`${file} kept changing while the key was being added. Nothing was changed.`, 'EAGAIN');
}
