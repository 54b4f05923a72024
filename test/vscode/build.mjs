// Bundles the extension-host suite: test/vscode/index.ts (the mocha entry VS Code calls) and every
// test/vscode/suite/**/*.test.ts, one CommonJS file each, into test/vscode/out/. `vscode` is provided
// by the extension host; mocha is loaded from the repository's node_modules at run time.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const outDir = join(here, 'out');

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

export async function buildSuite() {
  rmSync(outDir, { recursive: true, force: true });
  const tests = findTests(join(here, 'suite'));
  if (tests.length === 0) throw new Error('no test/vscode/suite/**/*.test.ts found');
  await esbuild.build({
    entryPoints: [join(here, 'index.ts'), ...tests],
    outbase: here,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    // Tests that import the server's code (the export's reader): jsonc-parser's UMD build would
    // require files esbuild cannot see; its ES module bundles (as scripts/build.mjs does).
    mainFields: ['module', 'main'],
    logLevel: 'warning',
  });
  return { index: join(outDir, 'index.js'), tests: tests.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { index, tests } = await buildSuite();
  console.log(`built ${tests} test file(s) and ${index}`);
}
