// `streamlit-secrets check` as installed from the packed tarball: every check, each format (SARIF
// validated against the SARIF 2.1.0 schema), each exit code, and every byte of every run scanned
// for the fixture's secret values.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { installPackage, type InstalledPackage } from '../helpers/installedPackage';
import { TempTree } from '../helpers/tempProject';
import { parseSecretsToml } from '../../server/src/toml/parseSecretsToml';

const canary = {
  global: 'CLICANARY-global-only-3f9a1c',
  clean: 'CLICANARY-clean-apikey-8d2e4b',
  warn: 'CLICANARY-warn-apikey-6e3b0a',
  broken: 'CLICANARY-broken-unterminated-5c7e1a',
  tracked: 'CLICANARY-tracked-token-0b6d3f',
  trackedDb: 'CLICANARY-tracked-dbpass-9e4a2c',
  untracked: 'CLICANARY-untracked-key-2a8f5d',
  reads: 'CLICANARY-reads-present-7c1b9e',
  number: '48151623420815',
};

const project: Record<string, string> = {
  '.gitignore': 'clean/.streamlit/secrets.toml\nbroken/.streamlit/secrets.toml\nreads/.streamlit/secrets.toml\n',
  // Nothing wrong: an ignored secrets file and a read of a key it has.
  'clean/.streamlit/secrets.toml': `api_key = "${canary.clean}"\n`,
  'clean/app.py': 'import streamlit as st\nst.write(st.secrets["api_key"])\n',
  // Only a warning: a good read, from a secrets file nothing ignores.
  'warn/.streamlit/secrets.toml': `api_key = "${canary.warn}"\n`,
  'warn/app.py': 'import streamlit as st\nst.write(st.secrets["api_key"])\n',
  // A secrets file Streamlit cannot load (the broken line holds a value).
  'broken/.streamlit/secrets.toml': `ok = 1\npassword = "${canary.broken}\n`,
  'broken/app.py': 'import streamlit as st\nst.write(st.secrets["ok"])\n',
  // Git: a tracked secrets file (committed below) with example drift both ways.
  'leaky/.streamlit/secrets.toml': `token = "${canary.tracked}"\nport = ${canary.number}\n[db]\npassword = "${canary.trackedDb}"\n`,
  'leaky/secrets.toml.example': 'token = ""\nport = 0\nwebhook = ""\n',
  'leaky/app.py': 'import streamlit as st\nst.write(st.secrets.token)\n',
  // Git: a secrets file nothing ignores.
  'open/.streamlit/secrets.toml': `key = "${canary.untracked}"\n`,
  // Reads that raise (a missing key, a connection and a login without config) and the lint of a key only reachable with ["…"].
  'reads/.streamlit/secrets.toml': `present = "${canary.reads}"\n[section]\nitems = "x"\n`,
  'reads/app.py': [
    'import streamlit as st',
    'st.write(st.secrets["present"])',
    'st.write(st.secrets["absent"])',
    'st.write(st.secrets.section.items)',
    'conn = st.connection("warehouse")',
    'st.login()',
    '',
  ].join('\n'),
  // CI: only the example exists; the code reads one declared and one undeclared key.
  'ci/secrets.toml.example': 'declared = ""\n',
  'ci/app.py': 'import streamlit as st\nst.write(st.secrets["declared"])\nst.write(st.secrets["undeclared"])\n',
  'ci-ok/.streamlit/secrets.toml.example': 'declared = ""\n',
  'ci-ok/app.py': 'import streamlit as st\nst.write(st.secrets["declared"])\n',
};

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface JsonOutput {
  formatVersion: number;
  tool: { name: string; version: string };
  findings: { path: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code: string; message: string }[];
  summary: { errors: number; warnings: number; information: number; hints: number; filesChecked: number };
  exitCode: number;
}

let installed: InstalledPackage;
let home: TempTree;
let tree: TempTree;
const everyOutput: string[] = [];

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: tree.root, stdio: 'ignore', env: { ...process.env, HOME: home.root, GIT_CONFIG_NOSYSTEM: '1' } });
}

function check(...args: string[]): Run {
  const result = spawnSync(installed.cli, ['check', ...args], {
    cwd: tree.root,
    encoding: 'utf8',
    env: { ...process.env, HOME: home.root, GIT_CONFIG_NOSYSTEM: '1', XDG_CONFIG_HOME: home.path('.config') },
  });
  const run = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  everyOutput.push(run.stdout, run.stderr);
  return run;
}

function json(...args: string[]): { run: Run; output: JsonOutput } {
  const run = check(...args, '--format', 'json');
  return { run, output: JSON.parse(run.stdout) as JsonOutput };
}

function codesIn(output: JsonOutput, pathPrefix: string): string[] {
  return output.findings.filter((item) => item.path.startsWith(pathPrefix)).map((item) => item.code);
}

describe('streamlit-secrets check (installed package)', () => {
  before(() => {
    installed = installPackage();
    home = new TempTree({ '.streamlit/secrets.toml': `global_only = "${canary.global}"\n`, '.config/.keep': '' });
    tree = new TempTree(project);
    git('init', '-q');
    git('add', '.gitignore', 'leaky/.streamlit/secrets.toml');
    git('commit', '-q', '-m', 'fixture');
  });

  after(() => {
    installed?.dispose();
    home?.dispose();
    tree?.dispose();
  });

  test('the tarball holds the two bundles (and the formatter the server loads) and nothing to download', () => {
    const listing = execFileSync('tar', ['-tzf', installed.tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(listing, ['package/LICENSE', 'package/README.md', 'package/cli/out/cli.js', 'package/docs/cli.md', 'package/package.json', 'package/scripts/postinstall.js', 'package/server/out/server.js', 'package/server/out/toml-formatter.wasm']);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', installed.tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.equal(manifest.name, 'streamlit-secrets');
    assert.equal(manifest.dependencies, undefined, 'bundled: an install downloads nothing');
    assert.deepEqual(Object.keys(manifest.bin as object).sort(), ['streamlit-secrets', 'streamlit-secrets-language-server']);
  });

  test('a clean app: exit 0, no findings, a summary', () => {
    const run = check('clean');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '0 errors, 0 warnings, 0 other notes in 2 files checked\n');
    assert.equal(run.stderr, '', 'no progress line when stderr is not a terminal');
  });

  test('warnings alone pass, and fail with --strict', () => {
    const plain = check('warn');
    assert.equal(plain.status, 0);
    assert.match(plain.stdout, /^warn\/\.streamlit\/secrets\.toml:1:1: warning git-not-ignored /m);
    assert.match(plain.stdout, /^0 errors, 1 warning, 0 other notes in 2 files checked$/m);
    assert.equal(check('warn', '--strict').status, 1);
  });

  test('text lines are path:line:col: severity code message', () => {
    const run = check('reads');
    assert.equal(run.status, 1);
    const lines = run.stdout.trimEnd().split('\n');
    const summary = lines.pop()!;
    assert.match(summary, /^\d+ errors?, \d+ warnings?, \d+ other notes? in 2 files checked$/);
    assert.ok(lines.length >= 4);
    for (const line of lines) assert.match(line, /^reads\/app\.py:\d+:\d+: (error|warning|information|hint) [a-z0-9-]+ \S.*$/);
    assert.match(run.stdout, /^reads\/app\.py:3:22: error missing-key .*"absent"/m);
  });

  test('every check: reads that raise, files Streamlit cannot load, git safety, example drift', () => {
    const { run, output } = json();
    assert.equal(run.status, 1);
    assert.equal(output.exitCode, 1);
    assert.equal(output.formatVersion, 1);
    assert.equal(output.tool.name, 'streamlit-secrets');
    const reads = codesIn(output, 'reads/app.py');
    for (const code of ['missing-key', 'method-not-key', 'connection-missing-type', 'login-missing-auth']) assert.ok(reads.includes(code), `${code} in ${reads.join(', ')}`);
    assert.ok(codesIn(output, 'broken/.streamlit/secrets.toml').some((code) => code.startsWith('toml')), 'the syntax error of the broken file');
    assert.ok(codesIn(output, 'broken/app.py').includes('secrets-load-error'));
    assert.ok(codesIn(output, 'leaky/.streamlit/secrets.toml').includes('git-tracked'));
    assert.ok(codesIn(output, 'open/.streamlit/secrets.toml').includes('git-not-ignored'));
    assert.deepEqual(codesIn(output, 'clean/'), []);
    const drift = output.findings.filter((item) => item.code.startsWith('example-'));
    assert.deepEqual(
      drift.map((item) => `${item.path}:${item.line} ${item.code}`),
      ['leaky/.streamlit/secrets.toml:3 example-missing-key', 'leaky/secrets.toml.example:3 example-key-not-in-secrets'],
    );
    assert.ok(drift[0]!.message.includes('"db"') && drift[1]!.message.includes('"webhook"'));
    const severities = new Map(output.findings.map((item) => [item.code, item.severity]));
    assert.equal(severities.get('missing-key'), 'error');
    assert.equal(severities.get('git-tracked'), 'error');
    assert.equal(severities.get('git-not-ignored'), 'warning');
    assert.equal(output.summary.errors, output.findings.filter((item) => item.severity === 'error').length);
  });

  test('--no-git reads .gitignore files: the not-ignored file is still found, tracking cannot be known', () => {
    const { output } = json('--no-git');
    assert.ok(codesIn(output, 'open/.streamlit/secrets.toml').includes('git-not-ignored'));
    assert.ok(!codesIn(output, 'leaky/').includes('git-tracked'));
    assert.ok(output.findings.some((item) => item.message.includes('--no-git')));
  });

  test('--example checks the code against secrets.toml.example', () => {
    const ci = json('ci', '--example');
    assert.equal(ci.run.status, 1);
    assert.deepEqual(
      ci.output.findings.map((item) => `${item.path}:${item.line} ${item.code}`),
      ['ci/app.py:3 missing-key'],
    );
    assert.match(ci.output.findings[0]!.message, /secrets\.toml\.example/);
    assert.equal(check('ci-ok', '--example').status, 0);
    // Without --example, the CI app has only the global file, which lacks both keys.
    assert.deepEqual(codesIn(json('ci').output, 'ci/app.py'), ['missing-key', 'missing-key']);
  });

  test('sarif is valid SARIF 2.1.0 with one result per finding', () => {
    const run = check('--format', 'sarif');
    assert.equal(run.status, 1);
    const log = JSON.parse(run.stdout) as Sarif.Log;
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'sarif', 'sarif-schema-2.1.0-rtm.5.json'), 'utf8')) as object;
    // The schema's language-tag pattern is not a valid `u`-flag regular expression.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const { output } = json();
    const results = log.runs[0]!.results!;
    assert.equal(results.length, output.findings.length);
    const rules = log.runs[0]!.tool.driver.rules!;
    for (const [index, result] of results.entries()) {
      const finding = output.findings[index]!;
      assert.equal(result.ruleId, finding.code);
      assert.equal(rules[result.ruleIndex!]!.id, finding.code);
      assert.equal(result.level, finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'note');
      const location = result.locations![0]!.physicalLocation!;
      assert.equal(location.artifactLocation!.uri, finding.path);
      assert.equal(location.artifactLocation!.uriBaseId, '%SRCROOT%');
      assert.equal(location.region!.startLine, finding.line);
    }
  });

  test('usage errors exit 2 with a message on stderr and nothing on stdout', () => {
    for (const args of [['--format', 'xml'], ['--frobnicate'], ['no-such-folder'], ['warn', '--example']]) {
      const run = check(...args);
      assert.equal(run.status, 2, args.join(' '));
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^streamlit-secrets check: .+\nRun `streamlit-secrets check --help` for usage\.\n$/);
    }
    const unknown = spawnSync(installed.cli, ['frobnicate'], { encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    everyOutput.push(unknown.stdout, unknown.stderr);
  });

  test('a single file checks that file within its folder (as pre-commit passes files)', () => {
    const { output } = json('reads/app.py');
    assert.ok(output.findings.length > 0);
    assert.ok(output.findings.every((item) => item.path === 'reads/app.py'));
  });

  test('export --for community-cloud: the merged secrets on stdout only, warnings without values on stderr', () => {
    const result = spawnSync(installed.cli, ['export', '--for', 'community-cloud', 'leaky'], { cwd: tree.root, encoding: 'utf8', env: { ...process.env, HOME: home.root } });
    // stdout is the one explicit export of values: kept out of the scan below; stderr is scanned.
    everyOutput.push(result.stderr);
    assert.equal(result.status, 0, result.stderr);
    const back = parseSecretsToml(result.stdout);
    assert.equal(back.streamlitError, undefined);
    assert.deepEqual([...back.root!.children!.keys()], ['global_only', 'token', 'port', 'db']);
    assert.ok(result.stdout.includes(canary.tracked) && result.stdout.includes(canary.global));
    assert.match(result.stderr, /^warning: global_only comes only from the global file/m);
    const usage = spawnSync(installed.cli, ['export', 'leaky'], { cwd: tree.root, encoding: 'utf8' });
    assert.equal(usage.status, 2);
    assert.equal(usage.stdout, '');
    const broken = spawnSync(installed.cli, ['export', '--for', 'community-cloud', 'broken'], { cwd: tree.root, encoding: 'utf8', env: { ...process.env, HOME: home.root } });
    everyOutput.push(broken.stdout, broken.stderr);
    assert.equal(broken.status, 1);
    assert.equal(broken.stdout, '');
  });

  test('no output of any run holds a secret value', () => {
    assert.ok(everyOutput.length >= 30);
    const all = everyOutput.join('\n');
    for (const value of Object.values(canary)) assert.ok(!all.includes(value), `a secret value reached the output: ${value.slice(0, 12)}…`);
  });
});
