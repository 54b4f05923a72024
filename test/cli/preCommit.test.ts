// The repository as a pre-commit hook (.pre-commit-hooks.yaml): `pre-commit try-repo` installs it as
// the framework does for users (npm install, npm pack, npm install -g of this checkout's HEAD) and
// runs it on a project. Without Debian's pre-commit, the hook's own command line runs instead, from
// the installed package.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installPackage, type InstalledPackage } from '../helpers/installedPackage';
import { TempTree } from '../helpers/tempProject';

const repository = path.resolve(__dirname, '..', '..');
const value = 'HOOKCANARY-token-7b3e9d1c5a';
const hooks = fs.readFileSync(path.join(repository, '.pre-commit-hooks.yaml'), 'utf8');

let project: TempTree;
let home: TempTree;
let scratch: TempTree;

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: project.root, stdio: 'ignore', env: { ...process.env, HOME: home.root } });
}

before(() => {
  home = new TempTree();
  scratch = new TempTree();
  project = new TempTree({
    '.gitignore': '.streamlit/secrets.toml\n',
    '.streamlit/secrets.toml': `token = "${value}"\n`,
    'app.py': 'import streamlit as st\nst.write(st.secrets["token"])\nst.write(st.secrets["missing"])\n',
  });
  git('init', '-q');
  git('add', '.gitignore', 'app.py');
});

after(() => {
  home?.dispose();
  scratch?.dispose();
  project?.dispose();
});

test('the hook file declares streamlit-secrets-check as a node hook running `streamlit-secrets check`', () => {
  assert.match(hooks, /^- id: streamlit-secrets-check$/m);
  assert.match(hooks, /^ {2}language: node$/m);
  assert.match(hooks, /^ {2}entry: streamlit-secrets check$/m);
});

test('the hook fails a commit whose app reads a missing key, and passes once fixed', { timeout: 20 * 60_000 }, () => {
  const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
  let installed: InstalledPackage | undefined;
  const run = (): { status: number | null; output: string } => {
    if (hasPreCommit) {
      const result = spawnSync('pre-commit', ['try-repo', repository, 'streamlit-secrets-check', '--all-files'], {
        cwd: project.root,
        encoding: 'utf8',
        // The framework's `npm install` of this repository: the npm cache answers what it can.
        env: { ...process.env, HOME: home.root, PRE_COMMIT_HOME: scratch.path('pre-commit'), npm_config_cache: path.join(process.env.HOME ?? home.root, '.npm'), npm_config_prefer_offline: 'true' },
      });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    }
    installed ??= installPackage();
    const entry = /^ {2}entry: (.+)$/m.exec(hooks)![1]!.split(' ');
    const result = spawnSync(path.join(path.dirname(installed.cli), entry[0]!), entry.slice(1), { cwd: project.root, encoding: 'utf8', env: { ...process.env, HOME: home.root } });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  try {
    const failing = run();
    assert.notEqual(failing.status, 0, failing.output);
    assert.match(failing.output, /app\.py:3:\d+: error missing-key /);
    project.write({ 'app.py': 'import streamlit as st\nst.write(st.secrets["token"])\n' });
    git('add', 'app.py');
    const passing = run();
    assert.equal(passing.status, 0, passing.output);
    for (const output of [failing.output, passing.output]) assert.ok(!output.includes(value));
  } finally {
    installed?.dispose();
  }
});
