// Tests that drop root (a child as user `nobody`) cannot assume that user can read the checkout: a
// clone may live in a private folder (mode 0700, like /root or many home folders). What the child
// runs is therefore copied, or bundled, into a fresh folder every user can read.
import { buildSync } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system temp folder that every user can read and traverse. */
export function worldReadableFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), prefix));
  fs.chmodSync(dir, 0o755);
  made.push(dir);
  return dir;
}

const copies = new Map<string, string>();

/** A copy of `folder`'s files (one level: bundles and their maps) that every user can read. */
export function readableCopyOf(folder: string): string {
  let copy = copies.get(folder);
  if (copy === undefined) {
    copy = worldReadableFolder('readable-copy-');
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      fs.copyFileSync(path.join(folder, entry.name), path.join(copy, entry.name));
      fs.chmodSync(path.join(copy, entry.name), 0o644);
    }
    copies.set(folder, copy);
  }
  return copy;
}

const bundles = new Map<string, string>();

/** `modulePath` bundled with its dependencies into one CommonJS file every user can read. */
export function readableBundleOf(modulePath: string): string {
  let bundle = bundles.get(modulePath);
  if (bundle === undefined) {
    bundle = path.join(worldReadableFolder('readable-bundle-'), 'module.cjs');
    buildSync({ entryPoints: [modulePath], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], logLevel: 'silent' });
    fs.chmodSync(bundle, 0o644);
    bundles.set(modulePath, bundle);
  }
  return bundle;
}
