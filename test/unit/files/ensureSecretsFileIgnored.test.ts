import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureSecretsFileIgnored, gitignoreLineFor, detectLineEnding } from '../../../client/src/files/ensureSecretsFileIgnored';
import { checkSecretsFileGitStatus } from '../../../common/git/secretsGitStatus';
import { git, isolateGitEnvironment, makeRecordingGit, makeRepo, makeTempDir, removeTempDirs, writeFiles } from '../git/gitFixtures';
import { canTestReadOnlyFolders, runWithReadOnlyFolder } from './readOnlyFolder';

const SECRETS = '.streamlit/secrets.toml';
const posix = process.platform !== 'win32';

before(() => {
  isolateGitEnvironment();
});
after(() => removeTempDirs());

function secretsIn(root: string, relative = SECRETS): string {
  return path.join(root, ...relative.split('/'));
}

/** git's own verdict, independent of the module under test. */
function gitIgnores(root: string, relative: string): boolean {
  try {
    git(root, 'check-ignore', '-q', '--no-index', relative);
    return true;
  } catch {
    return false;
  }
}

function read(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

describe('ensureSecretsFileIgnored', () => {
  test('creates the root .gitignore with one anchored line', async () => {
    const root = makeRepo({ [SECRETS]: 'k = "v"\n' });
    const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(result.changed, true);
    assert.equal(result.createdGitignore, true);
    assert.equal(result.gitignorePath, path.join(root, '.gitignore'));
    assert.equal(result.line, '.streamlit/secrets.toml');
    assert.equal(result.verified, true);
    assert.equal(result.tracked, false);
    assert.equal(read(path.join(root, '.gitignore')), '.streamlit/secrets.toml\n');
    assert.ok(gitIgnores(root, SECRETS));
  });

  test('works before the secrets file exists', async () => {
    const root = makeRepo();
    const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(result.verified, true);
    assert.ok(gitIgnores(root, SECRETS));
  });

  test('appends to an LF file, keeping it; a second call changes nothing', async () => {
    const root = makeRepo({ '.gitignore': 'node_modules/\n__pycache__/\n' });
    await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(read(path.join(root, '.gitignore')), 'node_modules/\n__pycache__/\n.streamlit/secrets.toml\n');
    const again = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(again.changed, false);
    assert.equal(again.alreadyCoveredBy, `${path.join(root, '.gitignore')}:3: .streamlit/secrets.toml`);
    assert.equal(read(path.join(root, '.gitignore')), 'node_modules/\n__pycache__/\n.streamlit/secrets.toml\n');
  });

  test('a file without a final newline gets one before the new line (no blank line)', async () => {
    const root = makeRepo({ '.gitignore': 'node_modules/' });
    await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(read(path.join(root, '.gitignore')), 'node_modules/\n.streamlit/secrets.toml\n');
  });

  test('trailing blank lines are not multiplied', async () => {
    const root = makeRepo({ '.gitignore': 'a\n\n' });
    await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(read(path.join(root, '.gitignore')), 'a\n\n.streamlit/secrets.toml\n');
  });

  test('CRLF stays CRLF (with and without a final newline)', async () => {
    const withNewline = makeRepo({ '.gitignore': 'a\r\nb\r\n' });
    await ensureSecretsFileIgnored(secretsIn(withNewline), { trusted: true });
    assert.equal(read(path.join(withNewline, '.gitignore')), 'a\r\nb\r\n.streamlit/secrets.toml\r\n');
    assert.ok(gitIgnores(withNewline, SECRETS));

    const withoutNewline = makeRepo({ '.gitignore': 'a\r\nb' });
    await ensureSecretsFileIgnored(secretsIn(withoutNewline), { trusted: true });
    assert.equal(read(path.join(withoutNewline, '.gitignore')), 'a\r\nb\r\n.streamlit/secrets.toml\r\n');
  });

  test('a UTF-8 byte-order mark and the existing bytes are kept', async () => {
    const original = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('# Ünïcödé\nbuild/', 'utf8')]);
    const root = makeRepo({ '.gitignore': original });
    const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    const bytes = fs.readFileSync(path.join(root, '.gitignore'));
    assert.deepEqual(bytes.subarray(0, original.length), original);
    assert.equal(bytes.subarray(original.length).toString('utf8'), '\n.streamlit/secrets.toml\n');
    assert.equal(result.verified, true);
  });

  test('the file mode of .gitignore is kept', { skip: posix ? false : 'POSIX modes' }, async () => {
    const root = makeRepo({ '.gitignore': 'a\n' });
    fs.chmodSync(path.join(root, '.gitignore'), 0o640);
    await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(fs.statSync(path.join(root, '.gitignore')).mode & 0o777, 0o640);
  });

  test('an existing covering rule: no duplicate, file untouched', async () => {
    for (const rule of ['*.toml', '.streamlit/', 'secrets.toml', '/.streamlit/secrets.toml']) {
      const content = `# mine\n${rule}\n`;
      const root = makeRepo({ '.gitignore': content });
      const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
      assert.equal(result.changed, false, rule);
      assert.equal(result.alreadyCoveredBy, `${path.join(root, '.gitignore')}:2: ${rule}`);
      assert.equal(read(path.join(root, '.gitignore')), content);
    }
  });

  test('a covering rule in a nested .gitignore counts', async () => {
    const root = makeRepo({ 'app/.gitignore': 'secrets.toml\n' });
    const result = await ensureSecretsFileIgnored(secretsIn(root, 'app/.streamlit/secrets.toml'), { trusted: true });
    assert.equal(result.changed, false);
    assert.equal(result.gitignorePath, path.join(root, 'app', '.gitignore'));
    assert.equal(fs.existsSync(path.join(root, '.gitignore')), false);
  });

  test('a later negation in the same file: the line goes after it and the result is ignored', async () => {
    const root = makeRepo({ '.gitignore': '*.toml\n!secrets.toml\nbuild/\n' });
    const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(result.verified, true);
    assert.equal(read(path.join(root, '.gitignore')), '*.toml\n!secrets.toml\nbuild/\n.streamlit/secrets.toml\n');
    assert.ok(gitIgnores(root, SECRETS));
  });

  test('a negation in a nested .gitignore: the line goes after it, in that file', async () => {
    const root = makeRepo({ '.gitignore': '*.toml\n', 'app/.gitignore': '!secrets.toml\n' });
    const file = secretsIn(root, 'app/.streamlit/secrets.toml');
    const result = await ensureSecretsFileIgnored(file, { trusted: true });
    assert.equal(result.gitignorePath, path.join(root, 'app', '.gitignore'));
    assert.equal(result.line, '.streamlit/secrets.toml');
    assert.equal(result.verified, true);
    assert.equal(read(path.join(root, 'app', '.gitignore')), '!secrets.toml\n.streamlit/secrets.toml\n');
    assert.equal(read(path.join(root, '.gitignore')), '*.toml\n');
    assert.ok(gitIgnores(root, 'app/.streamlit/secrets.toml'));
  });

  test('only .git/info/exclude covers it: the shared .gitignore still gets the line', async () => {
    const root = makeRepo();
    fs.writeFileSync(path.join(root, '.git', 'info', 'exclude'), 'secrets.toml\n');
    const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(result.changed, true);
    assert.equal(result.status.ignoredBy?.kind, 'gitignore');
  });

  test('an app in a subfolder of the repository: the root .gitignore gets its path', async () => {
    const root = makeRepo({ 'apps/one/app.py': '' });
    const result = await ensureSecretsFileIgnored(secretsIn(root, 'apps/one/.streamlit/secrets.toml'), { trusted: true, workspaceFolder: path.join(root, 'apps') });
    assert.equal(result.gitignorePath, path.join(root, '.gitignore'));
    assert.equal(result.line, 'apps/one/.streamlit/secrets.toml');
    assert.ok(gitIgnores(root, 'apps/one/.streamlit/secrets.toml'));
    assert.ok(!gitIgnores(root, 'apps/two/.streamlit/secrets.toml'), 'covers exactly this file');
  });

  test('special characters in the path are escaped', async () => {
    const relative = 'my app[1]/#x/.streamlit/secrets.toml';
    const root = makeRepo({ [relative]: '' });
    const result = await ensureSecretsFileIgnored(secretsIn(root, relative), { trusted: true });
    assert.equal(result.line, 'my app\\[1\\]/#x/.streamlit/secrets.toml');
    assert.equal(result.verified, true);
    assert.ok(gitIgnores(root, relative));
    assert.ok(!gitIgnores(root, 'my app1/#x/.streamlit/secrets.toml'));
    assert.equal(gitignoreLineFor('secrets.toml'), '/secrets.toml');
    assert.equal(gitignoreLineFor('#a/secrets.toml'), '/#a/secrets.toml');
    assert.equal(gitignoreLineFor('!a/b'), '/!a/b');
    assert.equal(gitignoreLineFor('a/b '), 'a/b\\ ');
  });

  test('not a repository: the workspace folder .gitignore', async () => {
    const folder = makeTempDir();
    const result = await ensureSecretsFileIgnored(secretsIn(folder, 'app/.streamlit/secrets.toml'), { trusted: true, workspaceFolder: folder });
    assert.equal(result.gitignorePath, path.join(folder, '.gitignore'));
    assert.equal(result.line, 'app/.streamlit/secrets.toml');
    assert.equal(result.verified, true);
    assert.equal(result.status.limited, 'not-a-repository');
  });

  test('tracked file: the rule is added and tracked is reported', async () => {
    const root = makeRepo({ [SECRETS]: 'k = "v"\n' });
    git(root, 'add', SECRETS);
    const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    assert.equal(result.changed, true);
    assert.equal(result.tracked, true);
    assert.equal(result.verified, true);
  });

  test('untrusted: same edit, decided without running git', { skip: posix ? false : 'POSIX shell script' }, async () => {
    const root = makeRepo({ '.gitignore': '*.toml\n!secrets.toml\n' });
    const recorder = makeRecordingGit(makeTempDir());
    const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: false, gitPath: recorder.gitPath });
    assert.deepEqual(recorder.calls(), []);
    assert.equal(result.verified, true);
    assert.equal(result.status.method, 'library');
    assert.equal(read(path.join(root, '.gitignore')), '*.toml\n!secrets.toml\n.streamlit/secrets.toml\n');
    assert.ok(gitIgnores(root, SECRETS));
  });

  test('a symbolic-link .gitignore is refused, untouched', { skip: posix ? false : 'symlinks' }, async () => {
    const root = makeRepo();
    const real = path.join(makeTempDir(), 'shared-ignore');
    fs.writeFileSync(real, 'x\n');
    fs.symlinkSync(real, path.join(root, '.gitignore'));
    await assert.rejects(ensureSecretsFileIgnored(secretsIn(root), { trusted: true }), /symbolic link/);
    assert.equal(read(real), 'x\n');
  });

  test('read-only folder: clear error, the .gitignore is intact and no temp file remains', { skip: canTestReadOnlyFolders() }, async () => {
    const root = makeRepo({ '.gitignore': 'keep-me\n' });
    fs.chmodSync(root, 0o755);
    fs.chmodSync(path.join(root, '.gitignore'), 0o644);
    const outcome = await runWithReadOnlyFolder(root, 'client/src/files/ensureSecretsFileIgnored.ts', 'ensureSecretsFileIgnored', [secretsIn(root), { trusted: false }]);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) {
      assert.equal(outcome.name, 'SecretsFileError');
      assert.match(outcome.message, /permission denied/);
      assert.match(outcome.message, /left as it was/);
    }
    assert.equal(read(path.join(root, '.gitignore')), 'keep-me\n');
    assert.deepEqual(fs.readdirSync(root).filter((name) => name.endsWith('.tmp')), []);
  });

  test('a repository reached through a symbolic link: the line is relative to the real folder', { skip: posix ? false : 'symlinks' }, async () => {
    const root = makeRepo({ 'app/app.py': '' });
    const link = path.join(makeTempDir(), 'linked');
    fs.symlinkSync(root, link);
    const result = await ensureSecretsFileIgnored(path.join(link, 'app', '.streamlit', 'secrets.toml'), { trusted: true });
    assert.equal(result.line, 'app/.streamlit/secrets.toml');
    assert.equal(result.verified, true);
    assert.ok(gitIgnores(root, 'app/.streamlit/secrets.toml'));
  });

  test('a UTF-16 .gitignore keeps its encoding (git cannot read it: verified is false)', async () => {
    const original = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('build/\r\n', 'utf16le')]);
    const root = makeRepo({ '.gitignore': original });
    const result = await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    const bytes = fs.readFileSync(path.join(root, '.gitignore'));
    assert.deepEqual(bytes.subarray(0, original.length), original);
    assert.equal(bytes.subarray(original.length).toString('utf16le'), '.streamlit/secrets.toml\r\n');
    assert.equal(result.changed, true);
    assert.equal(result.verified, false, 'an honest answer: git does not decode UTF-16 ignore files');
  });

  test('line ending detection', () => {
    assert.equal(detectLineEnding(''), '\n');
    assert.equal(detectLineEnding('a\r\nb\r\nc\n'), '\r\n');
    assert.equal(detectLineEnding('a\nb\nc\r\n'), '\n');
  });

  test('the status module agrees after the edit (cache users re-check)', async () => {
    const root = makeRepo();
    writeFiles(root, { [SECRETS]: '' });
    await ensureSecretsFileIgnored(secretsIn(root), { trusted: true });
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.ignored, true);
    assert.equal(status.ignoredBy?.line, 1);
  });
});
