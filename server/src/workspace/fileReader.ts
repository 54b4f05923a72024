import * as fs from 'node:fs';
import * as path from 'node:path';

/** Files larger than this are not analysed (Streamlit still reads them; we say so). */
export const maxAnalysedFileBytes = 5 * 1024 * 1024;

export type FileReadResult =
  | { type: 'missing' }
  | { type: 'directory' }
  | { type: 'file'; bytes: Uint8Array; stamp: string }
  | { type: 'too-large'; size: number; stamp: string }
  | { type: 'unreadable'; reason: string };

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOTDIR':
      return 'a parent of the path is not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return code ? `error ${code}` : 'unknown error';
  }
}

/** A cheap identity of a file's content on disk: changes whenever the file is rewritten. */
export function statStamp(stat: fs.Stats): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}

/** Reads a file for analysis. Never throws: every failure is a result the caller reports. */
export function readFileForAnalysis(filePath: string): FileReadResult {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { type: 'missing' };
    return { type: 'unreadable', reason: describeError(error) };
  }
  if (stat.isDirectory()) return { type: 'directory' };
  if (!stat.isFile()) return { type: 'unreadable', reason: 'it is not a regular file' };
  const stamp = statStamp(stat);
  if (stat.size > maxAnalysedFileBytes) return { type: 'too-large', size: stat.size, stamp };
  try {
    return { type: 'file', bytes: fs.readFileSync(filePath), stamp };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { type: 'missing' };
    return { type: 'unreadable', reason: describeError(error) };
  }
}

/** What is at a path, from a stat alone (no read): for checks that need no content. */
export function pathKind(filePath: string): 'missing' | 'directory' | 'other' {
  try {
    return fs.statSync(filePath).isDirectory() ? 'directory' : 'other';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'other';
  }
}

export function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Lists a Kubernetes-style secret directory the way Streamlit walks it (docs/streamlit-model.md §1):
 * every entry must be a subfolder (a plain file fails the load), folders inside a subfolder are
 * skipped, every other file is read. Bounded.
 */
export function readSecretDirectory(folder: string, shownAs = folder): { subfolders: { name: string; files: { name: string; text: string }[] }[] } | { error: string } {
  try {
    const subfolders: { name: string; files: { name: string; text: string }[] }[] = [];
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).slice(0, 1000)) {
      const sub = `${folder}/${entry.name}`;
      if (!isDirectory(sub)) {
        return { error: `${path.join(shownAs, entry.name)} is not a folder. To use directory based secrets, mount every secret in a subfolder under the secret directory` };
      }
      const files: { name: string; text: string }[] = [];
      for (const fileName of fs.readdirSync(sub).slice(0, 1000)) {
        const read = readFileForAnalysis(`${sub}/${fileName}`);
        if (read.type === 'file') files.push({ name: fileName, text: Buffer.from(read.bytes).toString('utf8') });
        else if (read.type === 'unreadable' || read.type === 'too-large') {
          return { error: `cannot read ${entry.name}/${fileName} in the secret directory (${read.type === 'unreadable' ? read.reason : read.type})` };
        }
      }
      subfolders.push({ name: entry.name, files });
    }
    return { subfolders };
  } catch (error) {
    return { error: `cannot list the secret directory (${describeError(error)})` };
  }
}
