/**
 * Writing a file so that readers (git, Streamlit's 0.2 s poller, the editor) only ever see the old
 * or the complete new content: a temporary file in the same folder, flushed, then renamed over the
 * target. On any error the temporary file is removed and the target is untouched.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the new file (e.g. 0o600); applied explicitly, so the umask cannot widen or narrow them. */
  mode?: number;
  /** Owner to restore (best effort: only root may give a file away). */
  owner?: { uid: number; gid: number };
  /**
   * Never replace an existing file: fail with an `EEXIST` error instead. The complete file appears at
   * once through a hard link; where the file system has no hard links, an exclusive create is used.
   */
  exclusive?: boolean;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export async function atomicWriteFile(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const folder = path.dirname(target);
  const temporary = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  // Created with the final mode (a secrets file is never readable by others, even half-written);
  // without a mode, the usual 0o666 minus the umask.
  const handle = await fsp.open(temporary, 'wx', options.mode ?? 0o666);
  let renamed = false;
  try {
    try {
      await handle.writeFile(data);
      if (options.owner) {
        try {
          await handle.chown(options.owner.uid, options.owner.gid);
        } catch {
          // not permitted: keep the current user as owner
        }
      }
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      await linkExclusively(temporary, target, data, options.mode);
    } else {
      await fsp.rename(temporary, target);
      renamed = true;
    }
    await syncFolder(folder);
  } finally {
    if (!renamed) await fsp.rm(temporary, { force: true }).catch(() => undefined);
  }
}

async function linkExclusively(temporary: string, target: string, data: string | Uint8Array, mode: number | undefined): Promise<void> {
  try {
    await fsp.link(temporary, target); // atomic, and fails with EEXIST if anything is there
    return;
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
  }
  // No hard links here (FAT, some network shares): an exclusive create still never overwrites.
  const handle = await fsp.open(target, 'wx', mode ?? 0o666);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fsp.rm(target, { force: true }).catch(() => undefined); // ours, and incomplete
    throw error;
  }
  await handle.close();
}

async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const handle = await fsp.open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort: some file systems refuse to fsync a folder
  }
}

/** A short, user-facing reason for a file-system error (no file contents). */
export function describeFileError(error: unknown): string {
  const code = errorCode(error);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EEXIST':
      return 'it already exists';
    case 'ENOENT':
      return 'not found';
    case 'ENOTDIR':
      return 'a path component is not a folder';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}

/** Errors of this module's operations: the message is meant for the user. */
export class SecretsFileError extends Error {
  constructor(message: string, readonly code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretsFileError';
  }
}
