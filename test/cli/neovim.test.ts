// Neovim (Debian's `neovim`, headless) as the client of the language server from the installed npm
// package: proves the README's claim that completion and diagnostics work outside VS Code.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installPackage, type InstalledPackage } from '../helpers/installedPackage';
import { TempTree } from '../helpers/tempProject';

const value = 'NVIMCANARY-api-key-4c8e2a9f1b';
const app = 'import streamlit as st\nst.write(st.secrets["missing_key"])\nst.write(st.secrets["';

let installed: InstalledPackage;
let home: TempTree;
let project: TempTree;

before(() => {
  installed = installPackage();
  home = new TempTree();
  project = new TempTree({ '.streamlit/secrets.toml': `api_key = "${value}"\n[db]\nuser = "u"\n`, 'app.py': app });
});

after(() => {
  installed?.dispose();
  home?.dispose();
  project?.dispose();
});

test('Neovim gets diagnostics and completion from streamlit-secrets-language-server', () => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(nvim.status, 0, 'Neovim is missing: run scripts/install-test-deps.sh');
  const resultFile = project.path('nvim-result.json');
  const run = spawnSync('nvim', ['--headless', '--clean', '-i', 'NONE', '-c', `luafile ${path.join(__dirname, 'neovim', 'client.lua')}`], {
    encoding: 'utf8',
    timeout: 90_000,
    cwd: project.root,
    env: { ...process.env, HOME: home.root, SERVER: installed.languageServer, ROOT: project.root, PYFILE: project.path('app.py'), LINE: '2', CHARACTER: String('st.write(st.secrets["'.length), RESULT: resultFile },
  });
  assert.ok(fs.existsSync(resultFile), `Neovim wrote no result (status ${run.status}): ${run.stderr}`);
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as {
    diagnostics: { line: number; code: string; message: string }[];
    completion: { label: string }[];
    errors: string[];
  };
  assert.deepEqual(result.errors, []);
  const missing = result.diagnostics.find((d) => d.code === 'missing-key');
  assert.ok(missing, JSON.stringify(result.diagnostics));
  assert.equal(missing.line, 1);
  assert.match(missing.message, /"missing_key"/);
  const labels = result.completion.map((item) => item.label);
  assert.ok(labels.includes('api_key') && labels.includes('db'), labels.join(', '));
  assert.ok(!fs.readFileSync(resultFile, 'utf8').includes(value), 'no secret value reaches the client');
});
