// Mocha entry loaded by VS Code's extension host as `extensionTestsPath` (bundled to
// test/vscode/out/index.js by test/vscode/build.mjs). VS Code calls `run()`; a rejected promise makes the
// extension host exit non-zero, which the runner receives through `codeAutomationExit`.
//
// Each result is also appended as one JSON line to $STREAMLIT_SECRETS_TEST_RESULTS (the runner sets
// it in the environment of the VS Code server, which the extension host inherits), so the runner can
// print results live without scraping the browser console.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith('.test.js')) found.push(path);
  }
  return found.sort();
}

type ResultLine =
  | { kind: 'test'; state: 'passed' | 'failed' | 'pending'; title: string; durationMs?: number; error?: string }
  | { kind: 'end'; passed: number; failed: number; pending: number };

function record(line: ResultLine): void {
  const file = process.env.STREAMLIT_SECRETS_TEST_RESULTS;
  if (file) appendFileSync(file, JSON.stringify(line) + '\n');
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // Generous: the first request waits for the language server to start and index the workspace.
    timeout: Number(process.env.STREAMLIT_SECRETS_TEST_TIMEOUT ?? 30_000),
    reporter: 'spec',
    ...(process.env.STREAMLIT_SECRETS_TEST_GREP ? { grep: process.env.STREAMLIT_SECRETS_TEST_GREP } : {}),
  });
  for (const file of findTests(join(__dirname, 'suite'))) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        record({ kind: 'end', passed: runner.stats?.passes ?? 0, failed: failures, pending: runner.stats?.pending ?? 0 });
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => record({ kind: 'test', state: 'passed', title: test.fullTitle(), durationMs: test.duration ?? 0 }));
      runner.on('fail', (test, error: unknown) =>
        record({
          kind: 'test',
          state: 'failed',
          title: test.fullTitle(),
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      );
      runner.on('pending', (test) => record({ kind: 'test', state: 'pending', title: test.fullTitle() }));
    } catch (error) {
      record({ kind: 'test', state: 'failed', title: 'loading the suite', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
