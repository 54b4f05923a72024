// Hostile and broken files as real files in a temporary project or HOME, each against a freshly
// spawned server: the server must answer every request within a bound, stay alive, tell the user
// what is wrong in words (a diagnostic on the Python read and the merged view's file error), never
// quote the file, and never write to the user's files.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { MergedSecretsDetailResult } from '../../common/protocol';
import { LspTestClient, fileUri, type StartOptions } from '../helpers/lspClient';
import { TempTree } from '../helpers/tempProject';
import { diagnosticsFor, timedRequest } from './featureProbe';

const CANARY = 'HOSTILECANARY-5e6f7a8b9c';
const appPy = 'import streamlit as st\nkey = st.secrets.api_key\nother = st.secrets["db"]["password"]\n';
const goodSecrets = `api_key = "${CANARY}"\n[db]\npassword = "${CANARY}"\n`;
const trees: TempTree[] = [];
const nobody = 65534;

after(() => {
  for (const tree of trees) {
    try {
      spawnSync('umount', [tree.path('ro')], { stdio: 'ignore' });
    } catch {
      // not mounted
    }
    fs.chmodSync(tree.root, 0o755);
    tree.dispose();
  }
});

function tree(files: Record<string, string> = {}): TempTree {
  const created = new TempTree(files);
  trees.push(created);
  return created;
}

interface Outcome {
  client: LspTestClient;
  diagnostics: Diagnostic[];
  detail: MergedSecretsDetailResult;
  appUri: string;
}

/** Starts a server on `project`, opens app.py, waits for its diagnostics and the merged detail. */
async function run(project: TempTree, home: string, options: Partial<StartOptions> = {}, work?: (outcome: Outcome) => Promise<void>): Promise<Outcome> {
  const client = await LspTestClient.start({ folders: [project.root], home, ...options });
  try {
    const appUri = await client.open(project.path('app.py'), appPy);
    const diagnostics = await diagnosticsFor(client, appUri, 1, 20_000);
    const detail = (await timedRequest(client, 'streamlitSecrets/mergedSecretsDetail', { uri: appUri }, 20_000)).result as MergedSecretsDetailResult;
    await timedRequest(client, 'textDocument/completion', { textDocument: { uri: appUri }, position: { line: 1, character: 17 } }, 20_000);
    await timedRequest(client, 'textDocument/hover', { textDocument: { uri: appUri }, position: { line: 1, character: 20 } }, 20_000);
    const outcome = { client, diagnostics, detail, appUri };
    if (work) await work(outcome);
    assert.equal(client.process.exitCode, null, 'the server died');
    assert.ok(!client.output().includes(CANARY), 'the server quoted a value of the hostile file');
    assert.ok(!/"message":"[^"]* failed: /.test(client.output()), `a handler threw: ${/"message":"[^"]* failed: [^"]*"/.exec(client.output())?.[0]}`);
    return outcome;
  } finally {
    await client.stop();
  }
}

function projectFileError(detail: MergedSecretsDetailResult, project: TempTree): string | undefined {
  return detail.files.find((file) => file.path === project.path('.streamlit/secrets.toml'))?.error;
}

function messages(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => d.message).join('\n');
}

/** A secrets file Streamlit cannot load: the merged view names the reason, the Python reads say so. */
async function expectLoadFailure(project: TempTree, reason: RegExp, home = tree().root, options: Partial<StartOptions> = {}): Promise<Outcome> {
  const outcome = await run(project, home, options);
  const error = projectFileError(outcome.detail, project);
  assert.match(error ?? '', reason, `file error: ${error}`);
  assert.match(outcome.detail.loadError ?? '', reason);
  // One cause, one diagnostic: on the first read, counting the other read.
  assert.equal(outcome.diagnostics.length, 1, `one diagnostic for the load failure: ${messages(outcome.diagnostics)}`);
  assert.match(outcome.diagnostics[0]!.message, /this read raises, and so does 1 other read in this file/);
  for (const diagnostic of outcome.diagnostics) assert.match(diagnostic.message, reason);
  return outcome;
}

function bytesOf(filePath: string): Buffer {
  return fs.readFileSync(filePath);
}

describe('hostile and broken files', () => {
  test('a 20 MB secrets file: not analysed, said so (no false error), and no hang', { timeout: 60_000 }, async () => {
    const big = `api_key = "${CANARY}"\n` + `filler = "${'x'.repeat(1000)}"\n`.repeat(20_000);
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': big });
    assert.ok(fs.statSync(project.path('.streamlit/secrets.toml')).size > 20_000_000);
    const { detail, diagnostics } = await run(project, tree().root);
    // Streamlit reads it: skipped and said so, never reported as a failing load.
    assert.equal(projectFileError(detail, project), undefined);
    assert.match(detail.files.find((file) => file.path === project.path('.streamlit/secrets.toml'))?.note ?? '', /too large/);
    assert.equal(detail.loadError, undefined);
    assert.deepEqual(diagnostics, [], messages(diagnostics));
  });

  test('a 20 MB secrets file opened in the editor: diagnostics come, no hang', { timeout: 120_000 }, async () => {
    const big = `api_key = "${CANARY}"\n` + `filler = "${'x'.repeat(1000)}"\n`.repeat(20_000);
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': 'api_key = "a"\n' });
    await run(project, tree().root, {}, async ({ client }) => {
      const uri = await client.open(project.path('.streamlit/secrets.toml'), big);
      const started = Date.now();
      const diagnostics = await diagnosticsFor(client, uri, 1, 60_000);
      assert.ok(diagnostics.some((d) => /too large/.test(d.message)), `no "too large" diagnostic: ${messages(diagnostics)}`);
      await timedRequest(client, 'textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 2 } }, 30_000);
      console.log(`20 MB buffer: diagnostics and a hover in ${Date.now() - started} ms`);
    });
  });

  test('a binary file (NUL bytes)', { timeout: 30_000 }, async () => {
    const project = tree({ 'app.py': appPy });
    fs.mkdirSync(project.path('.streamlit'));
    fs.writeFileSync(project.path('.streamlit/secrets.toml'), Buffer.concat([Buffer.from(`api_key = "${CANARY}"\n`), Buffer.from([0, 1, 2, 0xff, 0xfe, 0])]));
    await expectLoadFailure(project, /NUL bytes|not a text file/);
  });

  test('invalid UTF-8', { timeout: 30_000 }, async () => {
    const project = tree({ 'app.py': appPy });
    fs.mkdirSync(project.path('.streamlit'));
    fs.writeFileSync(project.path('.streamlit/secrets.toml'), Buffer.concat([Buffer.from(`api_key = "${CANARY}`), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('"\n')]));
    await expectLoadFailure(project, /UTF-8/);
  });

  test('a UTF-8 BOM: Streamlit keeps it in the first key, so that key is missing', { timeout: 30_000 }, async () => {
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': `\ufeff${goodSecrets}` });
    const { detail, diagnostics } = await run(project, tree().root);
    const keys = detail.entries.map((entry) => entry.key);
    assert.ok(keys.includes('\ufeffapi_key') && keys.includes('db'), JSON.stringify(keys));
    const onApiKey = diagnostics.filter((d) => d.range.start.line === 1);
    assert.ok(onApiKey.length > 0, `no diagnostic for st.secrets.api_key: ${messages(diagnostics)}`);
  });

  test('CRLF line endings: keys found, locations on the right lines', { timeout: 30_000 }, async () => {
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': goodSecrets.replace(/\n/g, '\r\n') });
    const { detail, diagnostics } = await run(project, tree().root);
    assert.deepEqual(detail.entries.map((e) => e.key), ['api_key', 'db']);
    assert.equal(detail.loadError, undefined);
    assert.deepEqual(diagnostics, [], messages(diagnostics));
    const db = detail.entries.find((e) => e.key === 'db');
    if (db?.location) assert.equal(db.location.line, 1);
  });

  test('10,000-deep nesting', { timeout: 30_000 }, async () => {
    const deep = `[${Array.from({ length: 10_000 }, (_, i) => `k${i}`).join('.')}]\nx = "${CANARY}"\n` + `a = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': deep });
    await expectLoadFailure(project, /nested/);
  });

  test('a directory named secrets.toml', { timeout: 30_000 }, async () => {
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml/inner.txt': CANARY });
    await expectLoadFailure(project, /folder/);
  });

  test('a symlink loop', { timeout: 30_000 }, async () => {
    const project = tree({ 'app.py': appPy });
    fs.mkdirSync(project.path('.streamlit'));
    fs.symlinkSync('loop-b', project.path('.streamlit/secrets.toml'));
    fs.symlinkSync('secrets.toml', project.path('.streamlit/loop-b'));
    await expectLoadFailure(project, /symbolic link loop/);
  });

  test('a file without read permission (server runs as nobody: root reads anything)', { timeout: 30_000 }, async () => {
    assert.ok(process.getuid?.() === 0 ? fs.existsSync('/usr/bin/setpriv') : true, 'running as root needs setpriv to drop privileges');
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': goodSecrets });
    const home = tree();
    fs.chmodSync(project.path('.streamlit/secrets.toml'), 0o000);
    for (const dir of [project.root, project.path('.streamlit'), home.root]) fs.chmodSync(dir, 0o755);
    const wrapper = process.getuid?.() === 0 ? ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--'] : undefined;
    // Prove the premise: the server's user cannot read the file.
    const probe = spawnSync(wrapper?.[0] ?? process.execPath, [...(wrapper?.slice(1) ?? []), ...(wrapper ? [process.execPath] : []), '-e', `require('fs').readFileSync(${JSON.stringify(project.path('.streamlit/secrets.toml'))})`]);
    assert.notEqual(probe.status, 0, 'the server user can read a 0o000 file: the test would prove nothing');
    await expectLoadFailure(project, /permission denied/, home.root, wrapper ? { wrapper } : {});
  });

  test('a file deleted, then replaced while its app is open', { timeout: 60_000 }, async () => {
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': goodSecrets });
    const secretsPath = project.path('.streamlit/secrets.toml');
    await run(project, tree().root, {}, async ({ client, appUri, diagnostics }) => {
      assert.deepEqual(diagnostics, []);
      // Deleted: the server notices (polling or a watched-files event) and every read now raises.
      fs.rmSync(secretsPath);
      await client.filesChanged([{ uri: fileUri(secretsPath), type: 3 }]);
      const gone = await client.poll(async () => {
        const detail = (await timedRequest(client, 'streamlitSecrets/mergedSecretsDetail', { uri: appUri })).result as MergedSecretsDetailResult;
        return detail.noSecretsFound ? detail : undefined;
      }, 10_000, 'the deletion to be noticed');
      assert.deepEqual(gone.entries, []);
      await client.waitFor(() => (client.diagnostics.get(appUri) ?? []).some((d) => /No secrets found/.test(d.message)), 10_000, 'a no-secrets diagnostic');
      // Replaced atomically (write elsewhere, rename over) without any event: polling picks it up.
      fs.writeFileSync(`${secretsPath}.tmp`, 'extra = 1\napi_key = "new"\n[db]\npassword = "new"\n');
      fs.renameSync(`${secretsPath}.tmp`, secretsPath);
      const back = await client.poll(async () => {
        const detail = (await timedRequest(client, 'streamlitSecrets/mergedSecretsDetail', { uri: appUri })).result as MergedSecretsDetailResult;
        return detail.entries.some((e) => e.key === 'extra') ? detail : undefined;
      }, 10_000, 'the replacement to be noticed');
      assert.equal(back.noSecretsFound, false);
      await client.waitFor(() => (client.diagnostics.get(appUri) ?? []).length === 0 && client.diagnostics.get(appUri), 10_000, 'diagnostics to clear');
    });
  });

  test('HOME unset, and HOME pointing nowhere: the project file still works', { timeout: 60_000 }, async () => {
    for (const home of [undefined, '/nonexistent/home/of/nobody', '']) {
      const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': goodSecrets });
      const { detail, diagnostics } = await run(project, '/unused', { env: { HOME: home } });
      assert.deepEqual(detail.entries.map((e) => e.key), ['api_key', 'db'], `HOME=${home}`);
      assert.deepEqual(diagnostics, [], `HOME=${home}: ${messages(diagnostics)}`);
      const project2 = tree({ 'app.py': appPy });
      const empty = await run(project2, '/unused', { env: { HOME: home } });
      assert.equal(empty.detail.noSecretsFound, true);
      assert.ok(empty.diagnostics.some((d) => /No secrets found/.test(d.message)), `HOME=${home}: ${messages(empty.diagnostics)}`);
    }
  });

  test('a workspace on a read-only disk: everything works and nothing is written', { timeout: 60_000 }, async () => {
    const source = tree({ 'app.py': appPy, '.streamlit/secrets.toml': goodSecrets, '.gitignore': '' });
    const holder = tree();
    const mountPoint = holder.path('ro');
    fs.mkdirSync(mountPoint);
    let how: string;
    let options: Partial<StartOptions> = {};
    const bind = spawnSync('mount', ['--bind', '-o', 'ro', source.root, mountPoint]);
    const remount = bind.status === 0 ? spawnSync('mount', ['-o', 'remount,bind,ro', mountPoint]) : bind;
    if (bind.status === 0 && remount.status === 0) {
      how = 'read-only bind mount';
    } else {
      // No mount in this sandbox: make the tree read-only for an unprivileged server instead.
      if (bind.status === 0) spawnSync('umount', [mountPoint]);
      assert.equal(process.getuid?.(), 0, 'neither mount nor an unprivileged server is available');
      fs.cpSync(source.root, mountPoint, { recursive: true });
      for (const dir of [holder.root, mountPoint, path.join(mountPoint, '.streamlit')]) fs.chmodSync(dir, 0o555);
      options = { wrapper: ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--'] };
      how = 'chmod 0555 with the server as nobody';
    }
    // The premise holds: the server's user cannot write there.
    const writer = options.wrapper ?? [];
    const attempt = spawnSync(writer[0] ?? process.execPath, [...writer.slice(1), ...(writer.length ? [process.execPath] : []), '-e', `require('fs').writeFileSync(${JSON.stringify(path.join(mountPoint, 'probe'))}, 'x')`]);
    assert.notEqual(attempt.status, 0, `${how}: the workspace is writable`);
    const ro = Object.assign(Object.create(TempTree.prototype) as TempTree, { root: mountPoint });
    const before = snapshot(mountPoint);
    const { detail, diagnostics } = await run(ro, tree().root, options);
    assert.deepEqual(detail.entries.map((e) => e.key), ['api_key', 'db'], how);
    assert.deepEqual(diagnostics.filter((d) => d.severity === 1), [], `${how}: ${messages(diagnostics)}`);
    assert.deepEqual(snapshot(mountPoint), before, `${how}: the server changed the workspace`);
    console.log(`read-only workspace via ${how}`);
  });

  test('no git on PATH: the merged view still answers, git state from the fallback', { timeout: 30_000 }, async () => {
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': goodSecrets });
    execFileSync('git', ['init', '-q', project.root]);
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'nogit-'));
    try {
      const noGit = spawnSync('sh', ['-c', 'command -v git'], { env: { PATH: bin } });
      assert.notEqual(noGit.status, 0, 'git is still found');
      const { detail } = await run(project, tree().root, { env: { PATH: bin } });
      assert.deepEqual(detail.entries.map((e) => e.key), ['api_key', 'db']);
      const file = detail.files.find((f) => f.path === project.path('.streamlit/secrets.toml'));
      assert.ok(file?.exists);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});

/** Every path under `root` with its bytes and mode: to prove nothing was written. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(root, full)] = `${fs.statSync(full).mode}:${bytesOf(full).toString('base64')}`;
    }
  };
  walk(root);
  return out;
}
