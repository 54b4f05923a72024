// The commands' file operations respect what is on disk: links are written through (only into the
// workspace) and never replaced, hard links are never broken, read-only files are refused, a change
// between read and write is detected, and only regular files are read (a FIFO returns at once).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addSecretKeysToFile } from '../../../client/src/commands/addSecretKey';
import { createProjectSecretsFile } from '../../../client/src/files/createProjectSecretsFile';
import { ensureSecretsFileIgnored } from '../../../client/src/files/ensureSecretsFileIgnored';
import { replaceFileContent } from '../../../client/src/files/linkSafeFile';
import { writeSecretsExample } from '../../../client/src/files/writeSecretsExample';
import { makeTempDir, removeTempDirs } from '../git/gitFixtures';

const posix = process.platform !== 'win32';
after(() => removeTempDirs());

/** A workspace folder and, beside it, a folder outside it. */
function layout(): { workspace: string; outside: string } {
  const base = makeTempDir('st-secrets-links-');
  const workspace = path.join(base, 'workspace');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(workspace);
  fs.mkdirSync(outside);
  return { workspace, outside };
}

/** Rejects when `work` takes longer than `ms` (a FIFO read that never returns). */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('writes that respect links, modes and concurrent changes', { skip: posix ? false : 'POSIX links and modes' }, () => {
  test('adding a key to a symlinked secrets file inside the workspace writes through: the link stays, its target gets the key', async () => {
    const { workspace } = layout();
    fs.mkdirSync(path.join(workspace, 'team'));
    fs.writeFileSync(path.join(workspace, 'team', 'secrets.toml'), 'shared_key = "s"\n', { mode: 0o640 });
    fs.mkdirSync(path.join(workspace, '.streamlit'));
    const link = path.join(workspace, '.streamlit', 'secrets.toml');
    fs.symlinkSync('../team/secrets.toml', link);
    const created = await createProjectSecretsFile(workspace);
    assert.equal(created.created, false);
    const result = await addSecretKeysToFile(link, [['api_key']], workspace);
    assert.equal(result?.added, true);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link was replaced by a file');
    assert.equal(fs.readFileSync(path.join(workspace, 'team', 'secrets.toml'), 'utf8'), 'shared_key = "s"\napi_key = ""\n');
    assert.equal(fs.statSync(path.join(workspace, 'team', 'secrets.toml')).mode & 0o777, 0o640);
  });

  test('a symlinked secrets file leading outside the workspace: refused with a clear message, nothing changed', async () => {
    const { workspace, outside } = layout();
    fs.writeFileSync(path.join(outside, 'secrets.toml'), 'shared = "s"\n');
    fs.mkdirSync(path.join(workspace, '.streamlit'));
    const link = path.join(workspace, '.streamlit', 'secrets.toml');
    fs.symlinkSync(path.join(outside, 'secrets.toml'), link);
    await assert.rejects(addSecretKeysToFile(link, [['api_key']], workspace), /leads outside the workspace folder .*Nothing was changed/);
    assert.ok(fs.lstatSync(link).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(outside, 'secrets.toml'), 'utf8'), 'shared = "s"\n');
    assert.deepEqual(fs.readdirSync(path.join(workspace, '.streamlit')), ['secrets.toml']);
  });

  test('.streamlit itself a link to a folder outside: no file (and no temporary file) is created there', async () => {
    const { workspace, outside } = layout();
    fs.symlinkSync(outside, path.join(workspace, '.streamlit'));
    await assert.rejects(createProjectSecretsFile(workspace), /leads outside the workspace folder/);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  test('"Write secrets.toml.example" through a linked folder leading outside: refused; a linked example inside is written through', async () => {
    const { workspace, outside } = layout();
    fs.writeFileSync(path.join(outside, 'secrets.toml'), 'a = "x"\n');
    fs.symlinkSync(outside, path.join(workspace, 'linked'));
    await assert.rejects(writeSecretsExample(path.join(workspace, 'linked', 'secrets.toml'), { workspaceFolder: workspace }), /leads outside the workspace folder/);
    assert.deepEqual(fs.readdirSync(outside), ['secrets.toml']);

    fs.mkdirSync(path.join(workspace, 'examples'));
    fs.writeFileSync(path.join(workspace, 'examples', 'real.example'), 'old\n');
    fs.writeFileSync(path.join(workspace, 'secrets.toml'), 'b = "y"\n');
    fs.symlinkSync('examples/real.example', path.join(workspace, 'secrets.toml.example'));
    const written = await writeSecretsExample(path.join(workspace, 'secrets.toml'), { overwrite: true, workspaceFolder: workspace });
    assert.equal(written.created, true);
    assert.ok(fs.lstatSync(path.join(workspace, 'secrets.toml.example')).isSymbolicLink());
    assert.match(fs.readFileSync(path.join(workspace, 'examples', 'real.example'), 'utf8'), /^b = ""$/m);
  });

  test('"Add to .gitignore": a read-only .gitignore is refused and stays as it was', async () => {
    const { workspace } = layout();
    const gitignore = path.join(workspace, '.gitignore');
    fs.writeFileSync(gitignore, 'node_modules/\n', { mode: 0o444 });
    await assert.rejects(ensureSecretsFileIgnored(path.join(workspace, '.streamlit', 'secrets.toml'), { workspaceFolder: workspace, trusted: false }), /read-only/);
    assert.equal(fs.readFileSync(gitignore, 'utf8'), 'node_modules/\n');
    assert.equal(fs.statSync(gitignore).mode & 0o777, 0o444);
  });

  test('"Add to .gitignore": a hard-linked .gitignore is edited in place, every name sees the line, mode kept', async () => {
    const { workspace, outside } = layout();
    const gitignore = path.join(workspace, '.gitignore');
    fs.writeFileSync(gitignore, 'node_modules/\n', { mode: 0o664 });
    fs.chmodSync(gitignore, 0o664);
    const other = path.join(outside, 'shared-gitignore');
    fs.linkSync(gitignore, other);
    const inode = fs.statSync(gitignore).ino;
    const result = await ensureSecretsFileIgnored(path.join(workspace, '.streamlit', 'secrets.toml'), { workspaceFolder: workspace, trusted: false });
    assert.equal(result.changed, true);
    assert.equal(fs.statSync(gitignore).ino, inode, 'the hard link was broken');
    assert.equal(fs.statSync(gitignore).nlink, 2);
    assert.equal(fs.readFileSync(other, 'utf8'), 'node_modules/\n.streamlit/secrets.toml\n');
    assert.equal(fs.statSync(gitignore).mode & 0o777, 0o664);
  });

  test('a change between read and write is detected: nothing is overwritten (in place and by rename)', async () => {
    const { workspace } = layout();
    const plain = path.join(workspace, 'plain.toml');
    fs.writeFileSync(plain, 'a = 1\n');
    const linked = path.join(workspace, 'linked.toml');
    fs.writeFileSync(linked, 'a = 1\n');
    fs.linkSync(linked, path.join(workspace, 'twin.toml'));
    for (const file of [plain, linked]) {
      const read = fs.readFileSync(file);
      fs.writeFileSync(file, 'a = 2 # edited meanwhile\n');
      await assert.rejects(replaceFileContent(file, read, 'a = 1\nb = 1\n', workspace), (error: NodeJS.ErrnoException) => error.code === 'ECHANGED');
      assert.equal(fs.readFileSync(file, 'utf8'), 'a = 2 # edited meanwhile\n');
    }
  });

  test('"Write secrets.toml.example" reading a FIFO returns with a message; so does a FIFO example target', async () => {
    const { workspace } = layout();
    const fifo = path.join(workspace, 'secrets.toml');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(within(5000, writeSecretsExample(fifo, { workspaceFolder: workspace })), /not a regular file \(a pipe, device or socket\)/);
    fs.rmSync(fifo);
    fs.writeFileSync(fifo, 'a = "x"\n');
    execFileSync('mkfifo', [`${fifo}.example`]);
    await assert.rejects(within(5000, writeSecretsExample(fifo, { overwrite: true, workspaceFolder: workspace })), /not a regular file/);
    assert.ok(fs.lstatSync(`${fifo}.example`).isFIFO(), 'the FIFO was replaced');
  });

  test('a secrets file over the size cap is not read', async () => {
    const { workspace } = layout();
    const big = path.join(workspace, 'secrets.toml');
    fs.writeFileSync(big, Buffer.alloc(6 * 1024 * 1024, '#'));
    await assert.rejects(writeSecretsExample(big, { workspaceFolder: workspace }), /too large .*it was not read/);
    assert.equal(fs.existsSync(`${big}.example`), false);
  });
});
