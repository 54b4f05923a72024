import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { untrackSecretsFile } from '../../../client/src/files/untrackSecretsFile';
import { checkSecretsFileGitStatus } from '../../../common/git/secretsGitStatus';
import { git, isolateGitEnvironment, makeRecordingGit, makeRepo, makeTempDir, removeTempDirs, writeFiles } from '../git/gitFixtures';

const SECRETS = '.streamlit/secrets.toml';
const CONTENT = 'password = "hunter2"\n';

before(() => {
  isolateGitEnvironment();
});
after(() => removeTempDirs());

function committedRepo(): { root: string; file: string } {
  const root = makeRepo({ [SECRETS]: CONTENT, 'app.py': 'import streamlit\n' });
  git(root, 'add', '.');
  git(root, 'commit', '-q', '-m', 'init');
  return { root, file: path.join(root, ...SECRETS.split('/')) };
}

describe('untrackSecretsFile', () => {
  test('git rm --cached: no longer tracked, the file stays on disk unchanged', async () => {
    const { root, file } = committedRepo();
    const result = await untrackSecretsFile(file, { trusted: true });
    assert.deepEqual(result, { ok: true, untracked: true, repositoryRoot: root, stillOnDisk: true });
    assert.equal(fs.readFileSync(file, 'utf8'), CONTENT);
    assert.equal(git(root, 'ls-files', '--', SECRETS), '');
    assert.equal(git(root, 'ls-files', '--', 'app.py'), 'app.py\n', 'other files stay tracked');
    assert.equal((await checkSecretsFileGitStatus(file, { trusted: true })).tracked, false);
  });

  test('a file that is not tracked: ok, nothing to do', async () => {
    const root = makeRepo({ [SECRETS]: CONTENT });
    const result = await untrackSecretsFile(path.join(root, SECRETS), { trusted: true });
    assert.deepEqual(result, { ok: true, untracked: false, repositoryRoot: root, stillOnDisk: true });
  });

  test('a name with glob characters only untracks that file', async () => {
    const root = makeRepo({ '.streamlit/secrets[1].toml': 'a', '.streamlit/secrets1.toml': 'b' });
    git(root, 'add', '.');
    const result = await untrackSecretsFile(path.join(root, '.streamlit', 'secrets[1].toml'), { trusted: true });
    assert.equal(result.ok && result.untracked, true);
    assert.equal(git(root, 'ls-files'), '.streamlit/secrets1.toml\n');
  });

  test('untrusted: refused, git never run', { skip: process.platform === 'win32' ? 'POSIX shell script' : false }, async () => {
    const { root, file } = committedRepo();
    const recorder = makeRecordingGit(makeTempDir());
    const result = await untrackSecretsFile(file, { trusted: false, gitPath: recorder.gitPath });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'untrusted-workspace');
    assert.deepEqual(recorder.calls(), []);
    assert.equal(git(root, 'ls-files', '--', SECRETS), `${SECRETS}\n`);
  });

  test('not a repository, git missing: a result, never a throw', async () => {
    const folder = makeTempDir();
    writeFiles(folder, { [SECRETS]: CONTENT });
    const notRepo = await untrackSecretsFile(path.join(folder, SECRETS), { trusted: true });
    assert.equal(!notRepo.ok && notRepo.reason, 'not-a-repository');
    const { file } = committedRepo();
    const missing = await untrackSecretsFile(file, { trusted: true, gitPath: path.join(folder, 'no-git') });
    assert.equal(!missing.ok && missing.reason, 'git-missing');
  });

  test('staged changes differing from HEAD and the file: git refuses, reported as git-failed', async () => {
    const { root, file } = committedRepo();
    fs.writeFileSync(file, 'password = "staged"\n');
    git(root, 'add', SECRETS);
    fs.writeFileSync(file, 'password = "working"\n');
    const result = await untrackSecretsFile(file, { trusted: true });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'git-failed');
    assert.ok(!result.ok && !result.message.includes('working'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'password = "working"\n');
  });
});
