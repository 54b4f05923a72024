import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWriteFile } from '../../../client/src/files/atomicWriteFile';
import { makeTempDir, removeTempDirs } from '../git/gitFixtures';

const posix = process.platform !== 'win32';
after(() => removeTempDirs());

function temporaries(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));
}

describe('atomicWriteFile', () => {
  test('creates and replaces a file, leaving no temporary file', async () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'a.txt');
    await atomicWriteFile(file, 'one');
    await atomicWriteFile(file, Buffer.from('two'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(temporaries(dir), []);
  });

  test('replacing swaps the inode (readers see old or new, never half)', { skip: posix ? false : 'inodes' }, async () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'old');
    const before = fs.statSync(file).ino;
    await atomicWriteFile(file, 'new');
    assert.notEqual(fs.statSync(file).ino, before);
  });

  test('applies the given mode regardless of the umask', { skip: posix ? false : 'POSIX modes' }, async () => {
    const dir = makeTempDir();
    const previous = process.umask(0o077);
    try {
      await atomicWriteFile(path.join(dir, 'a'), 'x', { mode: 0o644 });
      await atomicWriteFile(path.join(dir, 'b'), 'x', { mode: 0o600 });
    } finally {
      process.umask(previous);
    }
    assert.equal(fs.statSync(path.join(dir, 'a')).mode & 0o777, 0o644);
    assert.equal(fs.statSync(path.join(dir, 'b')).mode & 0o777, 0o600);
  });

  test('exclusive: never replaces an existing file', async () => {
    const dir = makeTempDir();
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'mine');
    await assert.rejects(atomicWriteFile(file, 'theirs', { exclusive: true }), { code: 'EEXIST' });
    assert.equal(fs.readFileSync(file, 'utf8'), 'mine');
    assert.deepEqual(temporaries(dir), []);
    await atomicWriteFile(path.join(dir, 'b.txt'), 'new', { exclusive: true });
    assert.equal(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'new');
    assert.equal(fs.statSync(path.join(dir, 'b.txt')).nlink, 1, 'the temporary link is gone');
  });

  test('a missing folder or a folder at the target: error, nothing left behind', async () => {
    const dir = makeTempDir();
    await assert.rejects(atomicWriteFile(path.join(dir, 'missing', 'a.txt'), 'x'), { code: 'ENOENT' });
    fs.mkdirSync(path.join(dir, 'target'));
    fs.writeFileSync(path.join(dir, 'target', 'inside'), 'keep');
    await assert.rejects(atomicWriteFile(path.join(dir, 'target'), 'x'));
    assert.equal(fs.readFileSync(path.join(dir, 'target', 'inside'), 'utf8'), 'keep');
    assert.deepEqual(temporaries(dir), []);
  });
});
