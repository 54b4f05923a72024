/**
 * Running an operation against a folder the process cannot write. Permission bits do not stop root,
 * so as root the operation runs in a child process as user `nobody` (65534) on a root-owned folder;
 * otherwise the folder is made read-only (0555) and the operation runs in this process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readableBundleOf } from '../../helpers/otherUser';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

export type OperationOutcome = { ok: true; value: unknown } | { ok: false; name: string; code: string | undefined; message: string };

export function canTestReadOnlyFolders(): string | false {
  if (process.platform === 'win32') return 'POSIX permissions';
  return false;
}

/**
 * Calls `exportName(...args)` from `modulePath` (relative to the repository) while `folder` is not
 * writable for the caller. `folder` and its ancestors must be readable by others.
 */
export async function runWithReadOnlyFolder(folder: string, modulePath: string, exportName: string, args: unknown[]): Promise<OperationOutcome> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    const previous = fs.statSync(folder).mode & 0o7777;
    fs.chmodSync(folder, 0o555);
    try {
      const loaded = (await import(path.join(repoRoot, modulePath))) as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return { ok: true, value: await loaded[exportName]!(...args) };
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      return { ok: false, name: e.name, code: e.code, message: e.message };
    } finally {
      fs.chmodSync(folder, previous);
    }
  }
  // Root: every folder on the way must be traversable by `nobody`.
  const tmp = fs.realpathSync(os.tmpdir());
  for (let dir = folder; dir.startsWith(tmp + path.sep); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o005) !== 0o005) fs.chmodSync(dir, (mode & 0o7777) | 0o055);
  }
  // The child cannot be assumed to read the checkout (a clone in a 0700 folder): it runs a bundle.
  const bundle = readableBundleOf(path.join(repoRoot, modulePath));
  const script = `
    const loaded = require(${JSON.stringify(bundle)});
    loaded[${JSON.stringify(exportName)}](...${JSON.stringify(args)}).then(
      (value) => process.stdout.write(JSON.stringify({ ok: true, value })),
      (e) => process.stdout.write(JSON.stringify({ ok: false, name: e.name, code: e.code, message: e.message })),
    );`;
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: path.dirname(bundle),
    uid: 65534,
    gid: 65534,
    encoding: 'utf8',
    env: { ...process.env, HOME: '/tmp' },
  });
  if (child.status !== 0 || child.stdout === '') {
    throw new Error(`child failed (${child.status}): ${child.stderr}`);
  }
  return JSON.parse(child.stdout) as OperationOutcome;
}
