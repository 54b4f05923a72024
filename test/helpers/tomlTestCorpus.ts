// The TOML 1.0 conformance corpus the tests read: test/fixtures/toml-test (toml-lang/toml-test, MIT,
// see its README.md for the commit). It lives in the repository; a test that cannot find it fails
// loudly instead of running on less.
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');

/** The corpus folder, with `valid/` and `invalid/` (throws if either is missing or nearly empty). */
export function tomlTestCorpus(): string {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'toml-test');
  for (const part of ['valid', 'invalid']) {
    const sub = path.join(dir, part);
    if (!existsSync(sub) || readdirSync(sub).length < 5) {
      throw new Error(`toml-test corpus missing or incomplete at ${sub}: it is part of the repository (test/fixtures/toml-test)`);
    }
  }
  return dir;
}

/** Every `.toml` file below `dir`, in a stable order. */
export function listTomlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTomlFiles(p));
    else if (name.endsWith('.toml')) out.push(p);
  }
  return out;
}
