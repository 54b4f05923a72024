/**
 * Real temporary git repositories for the git and files tests. `isolateGitEnvironment()` must run
 * before any git command: it points HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL at a temporary folder
 * so the machine's own global config and excludes file cannot change the results.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];

export function makeTempDir(prefix = 'st-secrets-git-'): string {
  // realpath: macOS's /tmp is a link and git reports resolved paths.
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) {
    try {
      fs.chmodSync(dir, 0o755);
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface IsolatedGitEnvironment {
  home: string;
  globalConfig: string;
  xdgConfigHome: string;
}

export function isolateGitEnvironment(): IsolatedGitEnvironment {
  const home = makeTempDir('st-secrets-home-');
  const xdgConfigHome = path.join(home, '.config');
  fs.mkdirSync(xdgConfigHome, { recursive: true });
  const globalConfig = path.join(home, 'gitconfig');
  fs.writeFileSync(globalConfig, '');
  process.env.HOME = home;
  process.env.USERPROFILE = home;
  process.env.XDG_CONFIG_HOME = xdgConfigHome;
  process.env.GIT_CONFIG_GLOBAL = globalConfig;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  return { home, globalConfig, xdgConfigHome };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** `git init` in a new temporary folder, with local user name/email, and the given files written. */
export function makeRepo(files: Record<string, string | Buffer> = {}): string {
  const root = makeTempDir();
  git(root, 'init', '-q');
  git(root, 'config', 'user.name', 'Test');
  git(root, 'config', 'user.email', 'test@example.com');
  git(root, 'config', 'commit.gpgsign', 'false');
  writeFiles(root, files);
  return root;
}

export function gitAvailable(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A fake `git` that appends its arguments to `log` and then runs the real git (POSIX only):
 * proves whether and how git was run.
 */
export function makeRecordingGit(dir: string): { gitPath: string; log: string; calls: () => string[] } {
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const gitPath = path.join(dir, 'recording-git');
  const log = path.join(dir, 'git-calls.log');
  fs.writeFileSync(gitPath, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  return {
    gitPath,
    log,
    calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
