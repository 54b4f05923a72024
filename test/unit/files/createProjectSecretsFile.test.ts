import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { createProjectSecretsFile, SECRETS_DOCS_URL } from '../../../client/src/files/createProjectSecretsFile';
import { SecretsFileError } from '../../../client/src/files/atomicWriteFile';
import { makeTempDir, removeTempDirs } from '../git/gitFixtures';
import { canTestReadOnlyFolders, runWithReadOnlyFolder } from './readOnlyFolder';

const posix = process.platform !== 'win32';

function leftovers(folder: string): string[] {
  return fs.readdirSync(folder).filter((name) => name.endsWith('.tmp'));
}

after(() => removeTempDirs());

describe('createProjectSecretsFile', () => {
  test('creates .streamlit/secrets.toml with a commented header and no values', async () => {
    const folder = makeTempDir();
    const result = await createProjectSecretsFile(folder);
    const file = path.join(folder, '.streamlit', 'secrets.toml');
    assert.deepEqual(result, { path: file, created: true });
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.split('\n').every((line) => line === '' || line.startsWith('#')), 'only comments');
    assert.deepEqual(Object.keys(parse(text)), [], 'no keys, no fake values');
    assert.match(text, /never commit/i);
    assert.match(text, /shallow/i);
    assert.ok(text.includes(SECRETS_DOCS_URL));
    assert.ok(text.endsWith('\n'));
    assert.deepEqual(leftovers(path.join(folder, '.streamlit')), []);
  });

  test('mode 0600', { skip: posix ? false : 'POSIX modes' }, async () => {
    const folder = makeTempDir();
    const previous = process.umask(0o000); // even a permissive umask must not widen it
    try {
      const { path: file } = await createProjectSecretsFile(folder);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    } finally {
      process.umask(previous);
    }
  });

  test('an existing file is left untouched, byte for byte and mtime', async () => {
    const folder = makeTempDir();
    const file = path.join(folder, '.streamlit', 'secrets.toml');
    fs.mkdirSync(path.dirname(file));
    const content = Buffer.from('password = "hunter2"\r\n# no final newline', 'utf8');
    fs.writeFileSync(file, content, { mode: 0o644 });
    const past = new Date('2020-01-02T03:04:05Z');
    fs.utimesSync(file, past, past);
    const before = fs.statSync(file);
    const result = await createProjectSecretsFile(folder);
    assert.deepEqual(result, { path: file, created: false });
    const afterStat = fs.statSync(file);
    assert.deepEqual(fs.readFileSync(file), content);
    assert.equal(afterStat.mtimeMs, before.mtimeMs);
    assert.equal(afterStat.mode, before.mode);
    assert.equal(afterStat.ino, before.ino);
  });

  test('an existing empty file is left untouched too', async () => {
    const folder = makeTempDir();
    const file = path.join(folder, '.streamlit', 'secrets.toml');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '');
    assert.equal((await createProjectSecretsFile(folder)).created, false);
    assert.equal(fs.readFileSync(file, 'utf8'), '');
  });

  test('a symbolic link at secrets.toml (even dangling) is not followed nor replaced', { skip: posix ? false : 'symlinks' }, async () => {
    const folder = makeTempDir();
    fs.mkdirSync(path.join(folder, '.streamlit'));
    const elsewhere = path.join(folder, 'elsewhere.toml');
    fs.symlinkSync(elsewhere, path.join(folder, '.streamlit', 'secrets.toml'));
    assert.equal((await createProjectSecretsFile(folder)).created, false);
    assert.equal(fs.existsSync(elsewhere), false);
    assert.equal(fs.readlinkSync(path.join(folder, '.streamlit', 'secrets.toml')), elsewhere);
  });

  test('a folder named secrets.toml: clear error, nothing changed', async () => {
    const folder = makeTempDir();
    const dir = path.join(folder, '.streamlit', 'secrets.toml');
    fs.mkdirSync(dir, { recursive: true });
    await assert.rejects(createProjectSecretsFile(folder), (error: unknown) => {
      assert.ok(error instanceof SecretsFileError);
      assert.equal(error.code, 'EISDIR');
      assert.match(error.message, /is a folder/);
      return true;
    });
    assert.deepEqual(fs.readdirSync(dir), []);
    assert.deepEqual(fs.readdirSync(path.join(folder, '.streamlit')), ['secrets.toml']);
  });

  test('.streamlit being a file: clear error, nothing changed', async () => {
    const folder = makeTempDir();
    fs.writeFileSync(path.join(folder, '.streamlit'), 'x');
    await assert.rejects(createProjectSecretsFile(folder), /is a file, not a folder/);
    assert.equal(fs.readFileSync(path.join(folder, '.streamlit'), 'utf8'), 'x');
  });

  test('a missing project folder is an error (it is not created)', async () => {
    const missing = path.join(makeTempDir(), 'nope');
    await assert.rejects(createProjectSecretsFile(missing), /does not exist/);
    assert.equal(fs.existsSync(missing), false);
  });

  test('two concurrent calls: exactly one creates, the other sees it', async () => {
    const folder = makeTempDir();
    const results = await Promise.all([createProjectSecretsFile(folder), createProjectSecretsFile(folder), createProjectSecretsFile(folder)]);
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.deepEqual(leftovers(path.join(folder, '.streamlit')), []);
  });

  test('read-only project folder: clear error, nothing created', { skip: canTestReadOnlyFolders() }, async () => {
    const folder = makeTempDir();
    fs.chmodSync(folder, 0o755);
    const outcome = await runWithReadOnlyFolder(folder, 'client/src/files/createProjectSecretsFile.ts', 'createProjectSecretsFile', [folder]);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) {
      assert.equal(outcome.name, 'SecretsFileError');
      assert.match(outcome.message, /permission denied/);
      assert.match(outcome.message, /Nothing was changed/);
    }
    assert.deepEqual(fs.readdirSync(folder), []);
  });

  test('read-only .streamlit folder: clear error, the folder is kept as it was', { skip: canTestReadOnlyFolders() }, async () => {
    const folder = makeTempDir();
    const streamlit = path.join(folder, '.streamlit');
    fs.mkdirSync(streamlit);
    fs.writeFileSync(path.join(streamlit, 'config.toml'), '[server]\n');
    fs.chmodSync(folder, 0o755);
    fs.chmodSync(streamlit, 0o755);
    const outcome = await runWithReadOnlyFolder(streamlit, 'client/src/files/createProjectSecretsFile.ts', 'createProjectSecretsFile', [folder]);
    assert.equal(outcome.ok, false);
    assert.deepEqual(fs.readdirSync(streamlit), ['config.toml']);
  });
});
