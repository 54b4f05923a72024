import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  checkSecretsFileGitStatus,
  SecretsGitStatusCache,
  type SecretsGitStatus,
  type SecretsGitStatusOptions,
} from '../../../common/git/secretsGitStatus';
import { gitEnvironment, GIT_HARDENING_ARGS, resolveGitExecutable } from '../../../common/git/gitProcess';
import { git, isolateGitEnvironment, makeRecordingGit, makeRepo, makeTempDir, removeTempDirs, writeFiles, type IsolatedGitEnvironment } from './gitFixtures';

const posixOnly = process.platform === 'win32' ? 'POSIX shell script' : false;
const SECRETS = '.streamlit/secrets.toml';
let env: IsolatedGitEnvironment;

before(() => {
  env = isolateGitEnvironment();
});
after(() => removeTempDirs());

function secretsIn(root: string, relative = SECRETS): string {
  return path.join(root, ...relative.split('/'));
}

describe('checkSecretsFileGitStatus, trusted (git decides)', () => {
  test('untracked, not ignored', async () => {
    const root = makeRepo({ [SECRETS]: 'a = "x"\n' });
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.method, 'git');
    assert.equal(status.limited, undefined);
    assert.equal(status.ignored, false);
    assert.equal(status.tracked, false);
    assert.equal(status.repositoryRoot, root);
    assert.equal(status.ignoredBy, undefined);
  });

  test('tracked file', async () => {
    const root = makeRepo({ [SECRETS]: 'a = "x"\n' });
    git(root, 'add', SECRETS);
    git(root, 'commit', '-q', '-m', 'oops');
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.tracked, true);
    assert.equal(status.ignored, false);
  });

  test('tracked AND matched by a rule added later: ignored is reported, tracked stays true', async () => {
    const root = makeRepo({ [SECRETS]: 'a = "x"\n' });
    git(root, 'add', SECRETS);
    git(root, 'commit', '-q', '-m', 'oops');
    writeFiles(root, { '.gitignore': 'secrets.toml\n' });
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.ignored, true);
    assert.equal(status.tracked, true);
  });

  test('ignored by a root .gitignore rule, with the rule reported', async () => {
    const root = makeRepo({ '.gitignore': '# local\n.streamlit/secrets.toml\n', [SECRETS]: '' });
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.ignored, true);
    assert.deepEqual(status.ignoredBy, { file: path.join(root, '.gitignore'), kind: 'gitignore', line: 2, pattern: '.streamlit/secrets.toml' });
  });

  test('ignored by a nested .gitignore (file asked from a nested app folder)', async () => {
    const root = makeRepo({ 'apps/one/.gitignore': 'secrets.toml\n', 'apps/one/.streamlit/secrets.toml': '' });
    const status = await checkSecretsFileGitStatus(path.join(root, 'apps/one/.streamlit/secrets.toml'), { trusted: true });
    assert.equal(status.ignored, true);
    assert.equal(status.ignoredBy?.file, path.join(root, 'apps', 'one', '.gitignore'));
    assert.equal(status.ignoredBy?.kind, 'gitignore');
    assert.equal(status.repositoryRoot, root);
  });

  test('ignored by .git/info/exclude', async () => {
    const root = makeRepo({ [SECRETS]: '' });
    fs.appendFileSync(path.join(root, '.git', 'info', 'exclude'), '\nsecrets.toml\n');
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.ignored, true);
    assert.equal(status.ignoredBy?.kind, 'info-exclude');
    assert.equal(status.ignoredBy?.file, path.join(root, '.git', 'info', 'exclude'));
  });

  test('ignored by the global excludes file (core.excludesFile in the global config)', async () => {
    const root = makeRepo({ [SECRETS]: '' });
    const excludes = path.join(env.home, 'global-ignore');
    fs.writeFileSync(excludes, '*.toml\n');
    fs.writeFileSync(env.globalConfig, '[core]\n\texcludesFile = ~/global-ignore\n');
    try {
      for (const trusted of [true, false]) {
        const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted });
        assert.equal(status.ignored, true, `trusted=${trusted}`);
        assert.equal(status.ignoredBy?.kind, 'global-excludes');
        assert.equal(status.ignoredBy?.file, excludes);
      }
    } finally {
      fs.writeFileSync(env.globalConfig, '');
    }
  });

  test('ignored by the default global excludes file $XDG_CONFIG_HOME/git/ignore', async () => {
    const root = makeRepo({ [SECRETS]: '' });
    const excludes = path.join(env.xdgConfigHome, 'git', 'ignore');
    writeFiles(env.xdgConfigHome, { 'git/ignore': 'secrets.toml\n' });
    try {
      for (const trusted of [true, false]) {
        const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted });
        assert.equal(status.ignored, true, `trusted=${trusted}`);
        assert.equal(status.ignoredBy?.file, excludes);
      }
    } finally {
      fs.rmSync(excludes);
    }
  });

  test('re-included by a later negation: not ignored, the negation is reported', async () => {
    const root = makeRepo({ '.gitignore': '*.toml\n!secrets.toml\n', [SECRETS]: '' });
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.ignored, false);
    assert.equal(status.ignoredBy, undefined);
    assert.deepEqual(status.reincludedBy, { file: path.join(root, '.gitignore'), kind: 'gitignore', line: 2, pattern: '!secrets.toml' });
  });

  test('a file that does not exist yet (nor its .streamlit folder) is checked too', async () => {
    const root = makeRepo({ '.gitignore': '.streamlit/\n' });
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.method, 'git');
    assert.equal(status.ignored, true);
    assert.equal(status.tracked, false);
  });

  test('file names are literal paths, not globs', async () => {
    const root = makeRepo({ '.streamlit/secrets[1].toml': '', '.streamlit/secrets1.toml': '' });
    git(root, 'add', '.streamlit/secrets1.toml');
    const status = await checkSecretsFileGitStatus(secretsIn(root, '.streamlit/secrets[1].toml'), { trusted: true });
    assert.equal(status.tracked, false);
  });

  test('not a repository: library answer from the workspace folder, tracked false', async () => {
    const folder = makeTempDir();
    writeFiles(folder, { '.gitignore': '.streamlit/secrets.toml\n', [SECRETS]: '' });
    const status = await checkSecretsFileGitStatus(secretsIn(folder), { trusted: true, workspaceFolder: folder });
    assert.equal(status.method, 'library');
    assert.equal(status.limited, 'not-a-repository');
    assert.equal(status.ignored, true);
    assert.equal(status.tracked, false);
    assert.equal(status.repositoryRoot, undefined);
    assert.equal(status.ignoredBy?.file, path.join(folder, '.gitignore'));
  });

  test('not a repository and no workspace folder: the folder above .streamlit is the root', async () => {
    const folder = makeTempDir();
    writeFiles(folder, { '.gitignore': 'secrets.toml\n' });
    const status = await checkSecretsFileGitStatus(secretsIn(folder), { trusted: true });
    assert.equal(status.limited, 'not-a-repository');
    assert.equal(status.ignored, true);
  });

  test('git missing (gitPath points nowhere): library answer, tracked unknown', async () => {
    const root = makeRepo({ '.gitignore': 'secrets.toml\n', [SECRETS]: '' });
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true, gitPath: path.join(root, 'no', 'such', 'git') });
    assert.equal(status.method, 'library');
    assert.equal(status.limited, 'git-missing');
    assert.equal(status.ignored, true);
    assert.equal(status.tracked, undefined);
    assert.equal(status.repositoryRoot, root);
  });

  test('git missing (PATH without git)', async () => {
    const root = makeRepo({ [SECRETS]: '' });
    const savedPath = process.env.PATH;
    process.env.PATH = makeTempDir();
    try {
      const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
      assert.equal(status.limited, 'git-missing');
      assert.equal(status.method, 'library');
      assert.equal(status.ignored, false);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  test('a relative gitPath is refused (never run a git from the workspace)', async () => {
    const root = makeRepo({ [SECRETS]: '' });
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true, gitPath: './git' });
    assert.equal(status.limited, 'git-missing');
    assert.equal(resolveGitExecutable('bin/git'), undefined);
  });

  test('git failing or hanging: git-failed, never a rejection', { skip: posixOnly }, async () => {
    const root = makeRepo({ '.gitignore': 'secrets.toml\n', [SECRETS]: '' });
    const failing = path.join(makeTempDir(), 'failing-git');
    fs.writeFileSync(failing, '#!/bin/sh\necho "boom" >&2\nexit 3\n', { mode: 0o755 });
    const failed = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true, gitPath: failing });
    assert.equal(failed.limited, 'git-failed');
    assert.equal(failed.ignored, true); // the library still answers
    assert.match(failed.detail ?? '', /boom/);

    const hanging = path.join(makeTempDir(), 'hanging-git');
    fs.writeFileSync(hanging, '#!/bin/sh\nexec sleep 10\n', { mode: 0o755 });
    const started = Date.now();
    const timedOut = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true, gitPath: hanging, timeoutMs: 200 });
    assert.equal(timedOut.limited, 'git-failed');
    // The hanging git sleeps 10 s: returning well before proves the 200 ms timeout fired (slack for a loaded machine).
    assert.ok(Date.now() - started < 9000);
  });

  test('a repository whose core.fsmonitor runs a command cannot make our check run it', { skip: posixOnly }, async () => {
    const root = makeRepo({ [SECRETS]: '', 'README.md': 'x\n' });
    git(root, 'add', 'README.md');
    const marker = path.join(makeTempDir(), 'pwned');
    const hook = path.join(root, 'hook.sh');
    fs.writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    git(root, 'config', 'core.fsmonitor', hook);
    // Sanity: plain git does run it, so the test can fail.
    git(root, 'ls-files');
    assert.ok(fs.existsSync(marker), 'fsmonitor hook should run without hardening');
    fs.rmSync(marker);
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
    assert.equal(status.method, 'git');
    assert.equal(fs.existsSync(marker), false);
  });

  test('inherited GIT_DIR / GIT_WORK_TREE cannot redirect git to another repository', async () => {
    const other = makeRepo({ '.gitignore': '*\n' });
    const root = makeRepo({ [SECRETS]: '' });
    process.env.GIT_DIR = path.join(other, '.git');
    process.env.GIT_WORK_TREE = other;
    try {
      const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true });
      assert.equal(status.repositoryRoot, root);
      assert.equal(status.ignored, false);
    } finally {
      delete process.env.GIT_DIR;
      delete process.env.GIT_WORK_TREE;
    }
    const cleaned = gitEnvironment({ GIT_DIR: 'x', GIT_CONFIG_PARAMETERS: "'core.fsmonitor'='x'", GIT_CONFIG_GLOBAL: 'g', PATH: '/bin' });
    assert.equal(cleaned.GIT_DIR, undefined);
    assert.equal(cleaned.GIT_CONFIG_PARAMETERS, undefined);
    assert.equal(cleaned.GIT_CONFIG_GLOBAL, 'g');
    assert.equal(cleaned.GIT_OPTIONAL_LOCKS, '0');
  });
});

describe('checkSecretsFileGitStatus, untrusted (git never runs)', () => {
  test('git is not run; the library answers and says the check is limited', { skip: posixOnly }, async () => {
    const root = makeRepo({ '.gitignore': '.streamlit/\n', [SECRETS]: '' });
    git(root, 'add', '-f', SECRETS);
    const recorder = makeRecordingGit(makeTempDir());
    const status = await checkSecretsFileGitStatus(secretsIn(root), { trusted: false, gitPath: recorder.gitPath });
    assert.deepEqual(recorder.calls(), []);
    assert.equal(status.method, 'library');
    assert.equal(status.limited, 'untrusted-workspace');
    assert.equal(status.ignored, true);
    assert.equal(status.tracked, undefined, 'tracked-ness is unknown without git');
    assert.equal(status.repositoryRoot, root);
    assert.deepEqual(status.ignoredBy, { file: path.join(root, '.gitignore'), kind: 'gitignore', line: 1, pattern: '.streamlit/' });

    // The recorder works: trusted, it is called, with the hardening flags.
    const trustedStatus = await checkSecretsFileGitStatus(secretsIn(root), { trusted: true, gitPath: recorder.gitPath });
    assert.equal(trustedStatus.method, 'git');
    assert.equal(trustedStatus.tracked, true);
    const calls = recorder.calls();
    assert.ok(calls.length >= 3);
    for (const call of calls) assert.ok(call.startsWith(GIT_HARDENING_ARGS.join(' ')), call);
    assert.ok(calls.some((call) => call.includes('-c core.fsmonitor=false')));
  });
});

interface AgreementCase {
  name: string;
  files: Record<string, string>;
  exclude?: string;
  target?: string;
}

// Each case: git's answer (trusted) and the library's (untrusted) must be the same.
const AGREEMENT_CASES: AgreementCase[] = [
  { name: 'no rules', files: {} },
  { name: 'extension glob', files: { '.gitignore': '*.toml\n' } },
  { name: 'folder rule', files: { '.gitignore': '.streamlit/\n' } },
  { name: 'anchored at root only', files: { '.gitignore': '/secrets.toml\n' } },
  { name: 'unanchored name, nested file', files: { '.gitignore': 'secrets.toml\n' }, target: 'app/.streamlit/secrets.toml' },
  { name: 'anchored path does not match nested app', files: { '.gitignore': '.streamlit/secrets.toml\n' }, target: 'app/.streamlit/secrets.toml' },
  { name: 'double star', files: { '.gitignore': '**/.streamlit/secrets.toml\n' }, target: 'app/.streamlit/secrets.toml' },
  { name: 'negation later in file', files: { '.gitignore': '*.toml\n!secrets.toml\n' } },
  { name: 'negation then re-ignore', files: { '.gitignore': '*.toml\n!secrets.toml\n.streamlit/secrets.toml\n' } },
  { name: 'parent folder excluded: negation cannot re-include', files: { '.gitignore': '.streamlit/\n!.streamlit/secrets.toml\n' } },
  { name: 'folder contents excluded: negation re-includes', files: { '.gitignore': '.streamlit/*\n!.streamlit/secrets.toml\n' } },
  { name: 'deeper .gitignore negation wins over root rule', files: { '.gitignore': '*.toml\n', 'app/.gitignore': '!secrets.toml\n' }, target: 'app/.streamlit/secrets.toml' },
  { name: 'deeper .gitignore rule wins over root negation', files: { '.gitignore': '!secrets.toml\n', 'app/.gitignore': 'secrets.toml\n' }, target: 'app/.streamlit/secrets.toml' },
  { name: 'root excludes app/: app/.gitignore is never read', files: { '.gitignore': 'app/\n', 'app/.gitignore': '!*\n' }, target: 'app/.streamlit/secrets.toml' },
  { name: 'folder re-included by a deeper negation is not excluded by the lower rule', files: { '.gitignore': '.streamlit/\n', 'app/.gitignore': '!.streamlit/\n' }, target: 'app/.streamlit/secrets.toml' },
  { name: '.gitignore inside .streamlit', files: { '.streamlit/.gitignore': 'secrets.toml\n' } },
  { name: '.gitignore inside .streamlit with a slash pattern', files: { '.streamlit/.gitignore': '/secrets.toml\n' } },
  { name: 'info/exclude rule', files: {}, exclude: 'secrets.toml\n' },
  { name: '.gitignore negation beats info/exclude', files: { '.gitignore': '!secrets.toml\n' }, exclude: 'secrets.toml\n' },
  { name: 'info/exclude folder rule beats a deeper negation', files: { '.streamlit/.gitignore': '!secrets.toml\n' }, exclude: '.streamlit/\n' },
  { name: 'directory-only rule does not match a file', files: { '.gitignore': 'secrets.toml/\n' } },
  { name: 'case matters (core.ignorecase false)', files: { '.gitignore': 'Secrets.toml\n' } },
  { name: 'CRLF .gitignore', files: { '.gitignore': '# c\r\n*.toml\r\n' } },
  { name: 'BOM .gitignore', files: { '.gitignore': '\ufeffsecrets.toml\n' } },
  { name: 'trailing spaces are trimmed', files: { '.gitignore': 'secrets.toml   \n' } },
  { name: 'escaped trailing space is kept', files: { '.gitignore': 'secrets.toml\\ \n' } },
  { name: 'comment and escaped hash', files: { '.gitignore': '# secrets.toml\n\\#x\n' } },
  { name: 'character class', files: { '.gitignore': '.streamlit/secret[s].toml\n' } },
  { name: 'question mark', files: { '.gitignore': 'secrets.tom?\n' } },
  { name: 'star matches no slash', files: { '.gitignore': '/*/secrets.toml\n' } },
  { name: 'middle double star', files: { '.gitignore': 'apps/**/secrets.toml\n' }, target: 'apps/a/b/.streamlit/secrets.toml' },
  { name: 'everything then un-ignore folders', files: { '.gitignore': '*\n!*/\n!*.py\n' } },
  { name: 'everything then un-ignore folders and toml', files: { '.gitignore': '*\n!*/\n!*.toml\n' } },
];

function comparable(status: SecretsGitStatus): unknown {
  return { ignored: status.ignored, ignoredBy: status.ignoredBy, reincludedBy: status.reincludedBy, repositoryRoot: status.repositoryRoot };
}

describe('library fallback agrees with git', () => {
  for (const testCase of AGREEMENT_CASES) {
    test(testCase.name, async () => {
      const target = testCase.target ?? SECRETS;
      const root = makeRepo({ ...testCase.files, [target]: 'k = "v"\n' });
      if (testCase.exclude !== undefined) fs.writeFileSync(path.join(root, '.git', 'info', 'exclude'), testCase.exclude);
      const file = secretsIn(root, target);
      const options: SecretsGitStatusOptions = { trusted: true };
      const byGit = await checkSecretsFileGitStatus(file, options);
      const byLibrary = await checkSecretsFileGitStatus(file, { ...options, trusted: false });
      assert.equal(byGit.method, 'git');
      assert.equal(byLibrary.method, 'library');
      assert.deepEqual(comparable(byLibrary), comparable(byGit));
    });
  }

  test('a linked work tree (.git file) finds info/exclude in the common git dir', async () => {
    const main = makeRepo({ 'README.md': 'x\n' });
    git(main, 'add', '.');
    git(main, 'commit', '-q', '-m', 'init');
    fs.writeFileSync(path.join(main, '.git', 'info', 'exclude'), 'secrets.toml\n');
    const worktree = path.join(makeTempDir(), 'wt');
    git(main, 'worktree', 'add', '-q', worktree);
    const file = secretsIn(worktree);
    const byGit = await checkSecretsFileGitStatus(file, { trusted: true });
    const byLibrary = await checkSecretsFileGitStatus(file, { trusted: false });
    assert.equal(byGit.ignored, true);
    assert.deepEqual(comparable(byLibrary), comparable(byGit));
  });
});

describe('SecretsGitStatusCache', () => {
  function countingCache(): { cache: SecretsGitStatusCache; calls: string[] } {
    const calls: string[] = [];
    const cache = new SecretsGitStatusCache(async (filePath) => {
      calls.push(filePath);
      return { filePath, ignored: false, tracked: false, method: 'git' };
    });
    return { cache, calls };
  }

  test('answers repeated requests from the cache', async () => {
    const { cache, calls } = countingCache();
    const file = path.resolve('/w/app/.streamlit/secrets.toml');
    await cache.get(file, { trusted: true });
    await cache.get(file, { trusted: true });
    await Promise.all([cache.get(file, { trusted: true }), cache.get(file, { trusted: true })]);
    assert.equal(calls.length, 1);
    await cache.get(file, { trusted: false }); // other options: other entry
    assert.equal(calls.length, 2);
  });

  test('invalidate(file), invalidate(folder), invalidate(.gitignore), invalidate()', async () => {
    const { cache, calls } = countingCache();
    const a = path.resolve('/w/a/.streamlit/secrets.toml');
    const b = path.resolve('/w/b/.streamlit/secrets.toml');
    const fill = async (): Promise<void> => {
      await cache.get(a, { trusted: true });
      await cache.get(b, { trusted: true });
    };
    await fill();
    assert.equal(cache.size, 2);
    cache.invalidate(a);
    assert.equal(cache.size, 1);
    await fill();
    cache.invalidate(path.resolve('/w/b'));
    assert.equal(cache.size, 1);
    await fill();
    cache.invalidate(path.resolve('/w/.gitignore'));
    assert.equal(cache.size, 0);
    await fill();
    cache.invalidate(path.resolve('/w/ab'));
    assert.equal(cache.size, 2, 'a sibling folder with a common prefix is not affected');
    cache.invalidate();
    assert.equal(cache.size, 0);
    assert.equal(calls.length, 6);
  });

  test('works with the real check', async () => {
    const root = makeRepo({ [SECRETS]: '' });
    const cache = new SecretsGitStatusCache();
    const first = await cache.get(secretsIn(root), { trusted: true });
    assert.equal(first.ignored, false);
    writeFiles(root, { '.gitignore': 'secrets.toml\n' });
    assert.equal((await cache.get(secretsIn(root), { trusted: true })).ignored, false, 'cached until invalidated');
    cache.invalidate(path.join(root, '.gitignore'));
    assert.equal((await cache.get(secretsIn(root), { trusted: true })).ignored, true);
  });
});
