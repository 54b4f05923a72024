/**
 * Reading and changing a user's file so that what is on disk is respected: only regular files are
 * read (a FIFO, a device or a socket would block or never end), with a size cap; a symbolic link is
 * written through, never replaced, and only when its target lies inside the workspace; a file with
 * other hard links, or reached through a link, is edited in place (a rename would give the name a
 * new file and leave the others with the old content); mode and owner are kept; a read-only file
 * is refused; a change between our read and our write is detected, and nothing is overwritten.
 */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { atomicWriteFile, describeFileError, SecretsFileError } from './atomicWriteFile';

/** Files the commands read or edit are small text files; anything larger is refused, not read. */
export const maxEditedFileBytes = 5 * 1024 * 1024;

export interface RegularFileRead {
  bytes: Buffer;
  stat: fs.Stats;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Reads a regular file (following links), at most `maxBytes`. Opened without blocking and checked on
 * the open handle, so a FIFO answers at once with a `SecretsFileError`. A missing file rejects with
 * the plain `ENOENT` error (callers often treat it as "create").
 */
export async function readRegularFile(file: string, maxBytes = maxEditedFileBytes): Promise<RegularFileRead> {
  const handle = await fsp.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new SecretsFileError(`${file} is a folder, not a file; it was not read.`, 'EISDIR');
    if (!stat.isFile()) throw new SecretsFileError(`${file} is not a regular file (a pipe, device or socket); it was not read.`, 'EINVAL');
    if (stat.size > maxBytes) {
      throw new SecretsFileError(`${file} is too large (${(stat.size / 1024 / 1024).toFixed(1)} MB; at most ${maxBytes / 1024 / 1024} MB); it was not read.`, 'EFBIG');
    }
    const bytes = Buffer.alloc(stat.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: bytes.subarray(0, filled), stat };
  } finally {
    await handle.close();
  }
}

/** The real path of `target`, or of its nearest existing ancestor plus the rest. */
function realPathOf(target: string): string {
  let existing = path.resolve(target);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(target);
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

function isWithin(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * The folder writes must stay in: the workspace folder, or (no workspace) the file's own folder.
 * Compared by real paths, so a workspace opened through a link still counts as itself.
 */
function boundaryOf(file: string, workspaceFolder: string | undefined): string {
  return realPathOf(workspaceFolder ?? path.dirname(path.resolve(file)));
}

/** Throws unless `file`'s real location (links and linked folders resolved) is inside the boundary. */
function assertInside(file: string, workspaceFolder: string | undefined, action: string): string {
  const real = realPathOf(file);
  const boundary = boundaryOf(file, workspaceFolder);
  if (!isWithin(boundary, real)) {
    throw new SecretsFileError(
      `${file} leads outside ${workspaceFolder ? 'the workspace folder' : 'its folder'} (to ${real}) through a symbolic link; it was not ${action}. Nothing was changed.`,
      'EXDEV',
    );
  }
  return real;
}

export interface WritableFile {
  /** Where the bytes really go (links resolved). */
  real: string;
  stat: fs.Stats;
  /** Edit the file itself rather than renaming a new one over it (a link, or other hard links). */
  inPlace: boolean;
}

/** Checks that an existing `file` may be rewritten, and how. */
export async function writableFile(file: string, workspaceFolder: string | undefined): Promise<WritableFile> {
  const own = await fsp.lstat(file);
  const real = assertInside(file, workspaceFolder, 'changed');
  const stat = own.isSymbolicLink() ? await fsp.stat(real) : own;
  if (!stat.isFile()) throw new SecretsFileError(`${file} is not a regular file; it was left as it was.`, 'EINVAL');
  if ((stat.mode & 0o222) === 0) throw new SecretsFileError(`${file} is read-only; it was left as it was. Make it writable to change it.`, 'EACCES');
  return { real, stat, inPlace: own.isSymbolicLink() || stat.nlink > 1 };
}

/**
 * Replaces the content of an existing file that held `expected` when the caller read it. Throws a
 * `SecretsFileError` with code `ECHANGED` (nothing written) when it holds something else now, so
 * the caller can read again and retry; other refusals as in `writableFile`.
 */
export async function replaceFileContent(file: string, expected: Buffer, next: string | Uint8Array, workspaceFolder: string | undefined): Promise<void> {
  const target = await writableFile(file, workspaceFolder);
  const changed = (): SecretsFileError => new SecretsFileError(`${file} changed while it was being updated. Nothing was changed.`, 'ECHANGED');
  const data = typeof next === 'string' ? Buffer.from(next, 'utf8') : Buffer.from(next);
  if (!target.inPlace) {
    const now = await readRegularFile(target.real);
    if (!now.bytes.equals(expected)) throw changed();
    await atomicWriteFile(target.real, data, { mode: target.stat.mode & 0o7777, owner: { uid: target.stat.uid, gid: target.stat.gid } });
    return;
  }
  // Same inode: mode, owner and every other name of the file stay as they are.
  const handle = await fsp.open(target.real, 'r+');
  try {
    const stat = await handle.stat();
    if (stat.size !== expected.length) throw changed();
    const current = Buffer.alloc(stat.size);
    if (stat.size > 0) await handle.read(current, 0, stat.size, 0);
    if (!current.equals(expected)) throw changed();
    await handle.write(data, 0, data.length, 0);
    await handle.truncate(data.length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Creates `file` with `data`, never replacing anything, and never through a linked folder that
 * leads outside the workspace (or, without one, outside the file's folder).
 */
export async function createNewFile(file: string, data: string | Uint8Array, options: { workspaceFolder: string | undefined; mode?: number }): Promise<void> {
  assertInside(file, options.workspaceFolder, 'created');
  await atomicWriteFile(file, data, { exclusive: true, ...(options.mode !== undefined ? { mode: options.mode } : {}) });
}

/** `SecretsFileError` as it is; any other error as one with a user-facing reason. */
export function asSecretsFileError(error: unknown, message: (reason: string) => string): SecretsFileError {
  if (error instanceof SecretsFileError) return error;
  return new SecretsFileError(message(describeFileError(error)), errorCode(error) ?? 'EIO', { cause: error });
}
