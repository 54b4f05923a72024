// Runs the test layers in order: `node test/run.mjs [unit] [lsp] [cli] [vscode] [ui]` (all when none is
// named). unit, lsp and cli (the installed npm package) run on Node's test runner (TypeScript through tsx); vscode runs the extension
// suite inside a real VS Code, ui drives the installed .vsix in a browser (see test/vscode/README.md).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const all = ['unit', 'lsp', 'cli', 'vscode', 'ui'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const layers = wanted.length > 0 ? wanted : all;

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

let failed = false;
const totals = { passed: 0, failed: 0 };
const scratch = mkdtempSync(join(tmpdir(), 'streamlit-secrets-run-'));
for (const layer of layers) {
  let result;
  if (layer === 'vscode' || layer === 'ui') {
    const flags = process.argv.slice(2).filter((a) => a.startsWith('-'));
    result = spawnSync(process.execPath, [`test/${layer}/run.mjs`, ...flags], { stdio: 'inherit' });
  } else {
    const files = findTests(join('test', layer));
    if (files.length === 0) {
      console.error(`no ${layer} tests found`);
      failed = true;
      continue;
    }
    console.log(`\n== ${layer} tests (${files.length} files)`);
    // spec for people, tap to a file for the totals of the closing line.
    const tap = join(scratch, `${layer}.tap`);
    result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
      { stdio: 'inherit' },
    );
    if (existsSync(tap)) {
      const text = readFileSync(tap, 'utf8');
      const count = (name) => Number([...text.matchAll(new RegExp(`^# ${name} (\\d+)$`, "gm"))].at(-1)?.[1] ?? 0);
      totals.passed += count('pass');
      totals.failed += count('fail');
    }
  }
  if (result.status !== 0) failed = true;
}
rmSync(scratch, { recursive: true, force: true });
// Node's test runner layers (the vscode and ui runners print their own closing lines).
console.log(`\nnode tests: ${totals.passed} passed, ${totals.failed} failed`);
process.exit(failed ? 1 : 0);
