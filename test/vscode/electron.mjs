// The same extension-host suite as run.mjs, through @vscode/test-electron (desktop VS Code, Electron),
// for machines that can download VS Code from Microsoft's update server, or with a local build:
//
//   node test/vscode/electron.mjs [--vscode=min|newest|VERSION] [--executable PATH] [--grep=PATTERN] [--no-compile]
//
// min = 1.100.3 (engines.vscode), newest = 1.139.1: the versions the code-server runtimes carry.
// On a Linux machine without a display run it under `xvfb-run -a`. Not run in CI here (offline).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSuite } from './build.mjs';
import { repoRoot } from './runtime.mjs';

const VERSIONS = { min: '1.100.3', newest: '1.139.1' };

function parseArgs(argv) {
  const options = { versions: ['min', 'newest'], executable: undefined, grep: undefined, compile: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg.startsWith('--vscode=')) options.versions = arg.slice('--vscode='.length).split(',');
    else if (arg === '--executable') options.executable = argv[++i];
    else if (arg.startsWith('--executable=')) options.executable = arg.slice('--executable='.length);
    else if (arg.startsWith('--grep=')) options.grep = arg.slice('--grep='.length);
    else if (arg === '--no-compile') options.compile = false;
  }
  if (options.executable) options.versions = ['executable'];
  return options;
}

async function runOnce(label, options, indexJs, runTests) {
  const tmp = mkdtempSync(join(tmpdir(), 'streamlit-secrets-electron-'));
  const home = join(tmp, 'home');
  const workspace = join(tmp, 'workspace');
  cpSync(join(repoRoot, 'test/vscode/fixtures/home'), home, { recursive: true });
  cpSync(join(repoRoot, 'test/vscode/fixtures/workspace'), workspace, { recursive: true });
  const resultsFile = join(tmp, 'results.jsonl');
  writeFileSync(resultsFile, '');
  mkdirSync(join(tmp, 'user-data'));
  mkdirSync(join(tmp, 'extensions'));
  let exitCode;
  try {
    exitCode = await runTests({
      ...(options.executable ? { vscodeExecutablePath: options.executable } : { version: VERSIONS[label] ?? label }),
      cachePath: join(repoRoot, '.vscode-test/electron'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: indexJs,
      extensionTestsEnv: {
        HOME: home,
        STREAMLIT_SECRETS_TEST_RESULTS: resultsFile,
        ...(options.grep ? { STREAMLIT_SECRETS_TEST_GREP: options.grep } : {}),
      },
      launchArgs: [
        workspace,
        '--user-data-dir', join(tmp, 'user-data'),
        '--extensions-dir', join(tmp, 'extensions'),
        '--disable-workspace-trust',
        '--disable-telemetry',
        '--disable-gpu',
        '--no-sandbox',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } catch (error) {
    console.log(`  FAIL [${label}] ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  }
  const counts = { passed: 0, failed: 0, pending: 0 };
  for (const raw of readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean)) {
    const line = JSON.parse(raw);
    if (line.kind !== 'test') continue;
    counts[line.state] += 1;
    const mark = line.state === 'passed' ? 'ok  ' : line.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`  ${mark} [${label}] ${line.title}${line.error ? `\n         ${line.error.split('\n').slice(0, 6).join('\n         ')}` : ''}`);
  }
  if (exitCode !== 0 && counts.failed === 0) counts.failed += 1;
  rmSync(tmp, { recursive: true, force: true });
  return counts;
}

const options = parseArgs(process.argv.slice(2));
if (options.executable && !existsSync(options.executable)) {
  console.error(`no VS Code executable at ${options.executable}`);
  process.exit(1);
}
if (options.compile && spawnSync('npm', ['run', 'compile'], { cwd: repoRoot, stdio: 'inherit' }).status !== 0) {
  console.error('npm run compile failed');
  process.exit(1);
}
const { index } = await buildSuite();
const { runTests } = await import('@vscode/test-electron');
const total = { passed: 0, failed: 0 };
for (const label of options.versions) {
  console.log(`\n== vscode (electron) tests on ${label === 'executable' ? options.executable : `VS Code ${VERSIONS[label] ?? label}`}`);
  const counts = await runOnce(label, options, index, runTests);
  total.passed += counts.passed;
  total.failed += counts.failed;
}
console.log(`vscode-electron: ${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 ? 0 : 1);
