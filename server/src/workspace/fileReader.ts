import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatBytes, maxAnalysedFileBytes, maxChainBytes, maxSecretDirectoryBytes, maxSecretDirectoryEntries, ReadBudget } from '../service/readBudget';

export { maxAnalysedFileBytes } from '../service/readBudget';

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

/**
 * Reads a regular file for analysis, at most `maxBytes`. Never throws: every failure is a result
 * the caller reports. Opened without blocking and checked on the open handle, so a FIFO, a device
 * or a file swapped for one between a check and the read can never stall the server.
 */
export function readFileForAnalysis(filePath: string, maxBytes = maxAnalysedFileBytes): FileReadResult {
  let fd: number;
  try {
    fd = fs.openSync(filePath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { type: 'missing' };
    if (code === 'EISDIR') return { type: 'directory' };
    return { type: 'unreadable', reason: describeError(error) };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { type: 'directory' };
    if (!stat.isFile()) return { type: 'unreadable', reason: 'it is not a regular file' };
    const stamp = statStamp(stat);
    if (stat.size > maxBytes) return { type: 'too-large', size: stat.size, stamp };
    // Read what the handle holds, never more than the cap (the file may grow meanwhile).
    const buffer = Buffer.alloc(stat.size);
    let filled = 0;
    while (filled < buffer.length) {
      const read = fs.readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return { type: 'file', bytes: buffer.subarray(0, filled), stamp };
  } catch (error) {
    return { type: 'unreadable', reason: describeError(error) };
  } finally {
    fs.closeSync(fd);
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

export interface SecretDirectoryRead {
  subfolders: { name: string; files: { name: string; text: string }[] }[];
  /** Set when a budget stopped the reading: what was read is shown, the rest is unknown. */
  incomplete?: string;
}

/** Up to `limit` names of a folder, without listing a huge folder in full; undefined past the limit. */
function listNames(folder: string, limit: number): { names: string[]; more: boolean } {
  const dir = fs.opendirSync(folder);
  const names: string[] = [];
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (names.length >= limit) return { names, more: true };
      names.push(entry.name);
    }
    return { names, more: false };
  } finally {
    dir.closeSync();
  }
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lists a Kubernetes-style secret directory the way Streamlit walks it (docs/streamlit-model.md §1):
 * every entry must be a subfolder (a plain file fails the load, named as `shownAs` spells the
 * directory), folders inside a subfolder are skipped, every other file is read. Links are followed,
 * as Streamlit follows them, and everything read counts against the directory's budget and the
 * chain's (`chain`): past either, reading stops and `incomplete` says so (never an error, since
 * Streamlit itself reads it all).
 */
export function readSecretDirectory(folder: string, chain: ReadBudget = new ReadBudget(Number.POSITIVE_INFINITY), shownAs = folder): SecretDirectoryRead | { error: string } {
  const own = new ReadBudget(maxSecretDirectoryBytes, maxSecretDirectoryEntries);
  const subfolders: SecretDirectoryRead['subfolders'] = [];
  const stop = (reason: string): SecretDirectoryRead => ({ subfolders, incomplete: reason });
  const entriesLimit = `more than ${maxSecretDirectoryEntries.toLocaleString('en-US')} entries`;
  try {
    const top = listNames(folder, maxSecretDirectoryEntries);
    for (const name of top.names.sort(byName)) {
      if (!own.takeEntry()) return stop(`the secret directory has ${entriesLimit}`);
      const sub = path.join(folder, name);
      if (!isDirectory(sub)) {
        return { error: `${path.join(shownAs, name)} is not a folder. To use directory based secrets, mount every secret in a subfolder under the secret directory` };
      }
      const listed = listNames(sub, maxSecretDirectoryEntries);
      const files: { name: string; text: string }[] = [];
      for (const fileName of listed.names.sort(byName)) {
        if (!own.takeEntry()) return stop(`the secret directory has ${entriesLimit}`);
        // The size decides before any byte is read: a link to a large file costs its full size.
        const read = readFileForAnalysis(path.join(sub, fileName), Math.min(maxAnalysedFileBytes, own.remainingBytes, chain.remainingBytes));
        if (read.type === 'too-large') {
          if (read.size > maxAnalysedFileBytes) return stop(`${name}/${fileName} is larger than ${formatBytes(maxAnalysedFileBytes)}`);
          if (read.size > own.remainingBytes) return stop(`its files together are larger than ${formatBytes(maxSecretDirectoryBytes)}`);
          return stop(`the app's secrets sources together are larger than ${formatBytes(maxChainBytes)}`);
        }
        if (read.type === 'file') {
          own.takeBytes(read.bytes.length);
          chain.takeBytes(read.bytes.length);
          files.push({ name: fileName, text: Buffer.from(read.bytes).toString('utf8') });
        } else if (read.type === 'unreadable') {
          return { error: `cannot read ${name}/${fileName} in the secret directory (${read.reason})` };
        }
        // A folder inside a subfolder is skipped, as Streamlit skips it.
      }
      if (listed.more) return stop(`${name} has ${entriesLimit}`);
      subfolders.push({ name, files });
    }
    if (top.more) return stop(`the secret directory has ${entriesLimit}`);
    return { subfolders };
  } catch (error) {
    return { error: `cannot list the secret directory (${describeError(error)})` };
  }
}
