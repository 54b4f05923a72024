// Runs the extension-host suite (test/vscode/suite) inside a real VS Code, headless, offline:
//
//   node test/vscode/run.mjs [--vscode=min|newest|all] [--grep=PATTERN] [--install] [--no-compile] [--keep]
//
// For each runtime (code-server from npm, see runtime.mjs): VS Code's own server (server-main.js) is
// started in its own process group with fresh user-data/server-data/extensions dirs, a temporary HOME
// holding the global secrets fixture and a fresh copy of the fixture workspace; headless Chromium
// (playwright-core) opens the workbench with extensionDevelopmentPath = this repository and
// extensionTestsPath = the bundled suite. The extension host runs mocha; its exit code comes back
// through `codeAutomationExit`, each result through a JSON-lines file (see index.ts).
//
// Prints one line per test and finally `vscode: N passed, M failed`; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSuite } from './build.mjs';
import { cleanupAll, findChromium, freePort, isExiting, launchChromium, onCleanup, startGroup, stopGroup, waitForHttp, poll } from './lib/processes.mjs';
import { RUNTIME_NAMES, ensureRuntime, isInstalled, repoRoot, runtimePaths } from './runtime.mjs';

const fixtures = join(repoRoot, 'test/vscode/fixtures');
const SUITE_TIMEOUT_MS = Number(process.env.VSCODE_SUITE_TIMEOUT_MS ?? 300_000);

function parseArgs(argv) {
  const options = { runtimes: RUNTIME_NAMES, grep: undefined, install: false, compile: true, keep: false };
  for (const arg of argv) {
    if (arg.startsWith('--vscode=')) {
      const value = arg.slice('--vscode='.length);
      options.runtimes = value === 'all' ? RUNTIME_NAMES : value.split(',');
    } else if (arg.startsWith('--grep=')) options.grep = arg.slice('--grep='.length);
    else if (arg === '--install') options.install = true;
    else if (arg === '--no-compile') options.compile = false;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node test/vscode/run.mjs [--vscode=min|newest|all] [--grep=PATTERN] [--install] [--no-compile] [--keep]');
      process.exit(0);
    }
    // Other flags (from test/run.mjs) are ignored.
  }
  for (const name of options.runtimes) if (!RUNTIME_NAMES.includes(name)) throw new Error(`unknown --vscode=${name} (known: ${RUNTIME_NAMES.join(', ')}, all)`);
  return options;
}

function vscodeRemote(port, path) {
  return `vscode-remote://127.0.0.1:${port}${path}`;
}

function formatResult(prefix, line) {
  const mark = line.state === 'passed' ? 'ok  ' : line.state === 'failed' ? 'FAIL' : 'skip';
  const time = line.durationMs !== undefined ? ` (${line.durationMs} ms)` : '';
  let text = `  ${mark} [${prefix}] ${line.title}${time}`;
  if (line.error) text += '\n' + line.error.split('\n').slice(0, 8).map((l) => `         ${l}`).join('\n');
  return text;
}

/** Runs the suite on one runtime; returns { passed, failed, pending }. */
async function runOn(runtime, options, indexJs) {
  const started = Date.now();
  const tmp = mkdtempSync(join(tmpdir(), `streamlit-secrets-vscode-${runtime.name}-`));
  const dirs = Object.fromEntries(['user-data', 'server-data', 'extensions', 'home', 'workspace'].map((name) => [name, join(tmp, name)]));
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  cpSync(join(fixtures, 'home'), dirs.home, { recursive: true });
  cpSync(join(fixtures, 'workspace'), dirs.workspace, { recursive: true });
  const resultsFile = join(tmp, 'results.jsonl');
  writeFileSync(resultsFile, '');
  const serverLog = join(tmp, 'server.log');
  const browserLog = join(tmp, 'browser-console.log');
  const prefix = `${runtime.name} ${runtime.vscodeVersion}`;
  // Ctrl+C or a crash: the temporary dirs go too (after the servers are stopped).
  onCleanup(() => (options.keep ? undefined : rmSync(tmp, { recursive: true, force: true })), { afterServers: true });

  const port = await freePort();
  const env = {
    ...process.env,
    HOME: dirs.home,
    STREAMLIT_SECRETS_TEST_RESULTS: resultsFile,
    ...(options.grep ? { STREAMLIT_SECRETS_TEST_GREP: options.grep } : {}),
    // The server must not pick up settings meant for another Node or VS Code.
    NODE_OPTIONS: '',
    VSCODE_CLI: '',
    ELECTRON_RUN_AS_NODE: '',
  };
  const server = startGroup(`VS Code server (${runtime.name})`, runtime.node, [
    runtime.serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    '--disable-workspace-trust',
    '--user-data-dir', dirs['user-data'],
    '--server-data-dir', dirs['server-data'],
    '--extensions-dir', dirs.extensions,
  ], { env, cwd: tmp, logFile: serverLog });

  let browser;
  const printed = { count: 0 };
  const counts = { passed: 0, failed: 0, pending: 0 };
  let ended = false;
  const drainResults = () => {
    const lines = readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean);
    for (const raw of lines.slice(printed.count)) {
      printed.count += 1;
      const line = JSON.parse(raw);
      if (line.kind === 'end') {
        ended = true;
        continue;
      }
      counts[line.state] += 1;
      console.log(formatResult(prefix, line));
    }
  };

  try {
    await waitForHttp(`http://127.0.0.1:${port}/version`, server, 60_000);
    browser = await launchChromium();
    const page = await browser.newPage();
    const consoleLines = [];
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    onCleanup(async () => writeFileSync(browserLog, consoleLines.join('\n')));

    let exitCode;
    await page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = Number(code);
    });
    const payload = [
      ['extensionDevelopmentPath', vscodeRemote(port, repoRoot)],
      ['extensionTestsPath', vscodeRemote(port, indexJs)],
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);

    await poll(`the suite to finish on ${prefix}`, () => {
      drainResults();
      return exitCode !== undefined;
    }, { timeoutMs: SUITE_TIMEOUT_MS, intervalMs: 200 });
    // The end record is written before the extension host exits, so it is already in the file.
    drainResults();
    writeFileSync(browserLog, consoleLines.join('\n'));
    if (exitCode !== 0 && counts.failed === 0) {
      counts.failed += 1;
      console.log(formatResult(prefix, { state: 'failed', title: `extension host exited with ${exitCode}${ended ? '' : ' before the suite ended'}`, error: `see ${serverLog} and ${browserLog}` }));
    }
  } catch (error) {
    if (isExiting()) return new Promise(() => {}); // Ctrl+C: the signal handler cleans up and exits
    drainResults();
    counts.failed += 1;
    console.log(formatResult(prefix, { state: 'failed', title: 'running the suite', error: `${error instanceof Error ? error.message : String(error)}\nsee ${serverLog} and ${browserLog}` }));
    options.keep = true;
  } finally {
    await browser?.close().catch(() => {});
    await stopGroup(server);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`vscode (${prefix}): ${counts.passed} passed, ${counts.failed} failed${counts.pending ? `, ${counts.pending} skipped` : ''} in ${seconds} s`);
  if (options.keep) console.log(`  kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
  return counts;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  findChromium();
  const runtimes = [];
  for (const name of options.runtimes) {
    if (!isInstalled(name)) {
      if (!options.install) {
        throw new Error(`VS Code runtime "${name}" is not installed (or does not match its lock): run \`node test/vscode/runtime.mjs ${name}\` (or pass --install)`);
      }
      ensureRuntime(name);
    }
    runtimes.push(runtimePaths(name));
  }
  if (options.compile) {
    const compile = spawnSync('npm', ['run', 'compile'], { cwd: repoRoot, stdio: 'inherit' });
    if (compile.status !== 0) throw new Error('npm run compile failed');
  }
  if (!existsSync(join(repoRoot, 'client/out/extension.js'))) throw new Error('client/out/extension.js is missing: the extension is not built');
  const { index } = await buildSuite();

  const total = { passed: 0, failed: 0 };
  for (const runtime of runtimes) {
    console.log(`\n== vscode tests on ${runtime.name} (VS Code ${runtime.vscodeVersion}, Node ${runtime.node})`);
    const counts = await runOn(runtime, options, index);
    total.passed += counts.passed;
    total.failed += counts.failed;
  }
  console.log(`vscode: ${total.passed} passed, ${total.failed} failed`);
  return total.failed === 0 ? 0 : 1;
}

main().then(
  async (code) => {
    await cleanupAll();
    process.exit(code);
  },
  async (error) => {
    console.error(`vscode tests: ${error instanceof Error ? error.message : String(error)}`);
    await cleanupAll();
    console.log('vscode: 0 passed, 1 failed');
    process.exit(1);
  },
);
