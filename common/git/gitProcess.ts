/**
 * Running git safely. Plain Node (no `vscode` import): used by the language server and the client.
 *
 * A repository can make git execute commands through its own config (`core.fsmonitor`, filters,
 * `core.sshCommand`, …), so callers must only run git in TRUSTED workspaces; this module adds the
 * hardening that still applies there: no shell, an absolute executable found on PATH (never in the
 * workspace), a timeout, a bounded output buffer, config overrides that switch off the command-running
 * features these read-only commands could reach, and an environment without inherited variables that
 * redirect git to another repository or inject config.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_GIT_TIMEOUT_MS = 5000;

/** Global options put before every git subcommand. */
export const GIT_HARDENING_ARGS: readonly string[] = [
  '--no-pager',
  // core.fsmonitor can name a command (hook) that git runs when it reads the index.
  '-c', 'core.fsmonitor=false',
  // No transport may run (a lazy fetch in a partial clone would spawn ssh / a remote helper).
  '-c', 'protocol.allow=never',
  // A bare repository planted inside the workspace must not be discovered implicitly.
  '-c', 'safe.bareRepository=explicit',
  // No command here needs hooks; point them at nothing in case a future subcommand would run one.
  '-c', `core.hooksPath=${process.platform === 'win32' ? 'NUL' : '/dev/null'}`,
];

/** Inherited variables kept: they express the user's own choice of config, not a repository's. */
const KEPT_GIT_VARIABLES = new Set([
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
]);

/** The environment git runs with: inherited, minus GIT_* redirections, plus safe settings. */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    // GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT, GIT_EXEC_PATH,
    // GIT_EXTERNAL_DIFF, GIT_SSH_COMMAND, GIT_TRACE*… would point git elsewhere or add config.
    if (key.toUpperCase().startsWith('GIT_') && !KEPT_GIT_VARIABLES.has(key.toUpperCase())) continue;
    env[key] = value;
  }
  env.GIT_OPTIONAL_LOCKS = '0'; // never take index.lock for a read-only query
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_PAGER = 'cat';
  env.GIT_NO_LAZY_FETCH = '1';
  env.GIT_ASKPASS = '';
  env.SSH_ASKPASS = '';
  // Messages are matched in English ("not a git repository").
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  return env;
}

export type GitRunResult =
  | { kind: 'exited'; exitCode: number; stdout: string; stderr: string }
  /** The executable could not be found or started. */
  | { kind: 'missing'; message: string }
  /** Timed out, killed, too much output, or another spawn failure. */
  | { kind: 'failed'; message: string };

export interface RunGitOptions {
  cwd: string;
  gitPath?: string;
  timeoutMs?: number;
  /** Written to git's stdin, which is then closed. */
  input?: string;
}

function isExecutableFile(candidate: string): boolean {
  try {
    const stat = fs.statSync(candidate);
    if (!stat.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(candidate, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The absolute path of the git executable, or undefined. A bare name is looked up in the absolute
 * entries of PATH only: never the current or the workspace folder (on Windows a process searches its
 * working folder first, so a `git.exe` planted in a repository would otherwise run).
 * A relative path with a separator is refused for the same reason.
 */
export function resolveGitExecutable(gitPath?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const wanted = gitPath && gitPath.trim() !== '' ? gitPath : 'git';
  if (path.isAbsolute(wanted)) return wanted; // existence is reported by the spawn itself
  if (wanted.includes('/') || wanted.includes('\\')) return undefined;
  const pathValue = env.PATH ?? env.Path ?? '';
  const extensions =
    process.platform === 'win32' && path.extname(wanted) === ''
      ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean)
      : [''];
  for (const dir of pathValue.split(path.delimiter)) {
    if (dir === '' || !path.isAbsolute(dir)) continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, wanted + extension);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Runs `git <hardening> <args>`; never throws, never uses a shell. */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitRunResult> {
  const executable = resolveGitExecutable(options.gitPath);
  if (executable === undefined) {
    const shown = options.gitPath && options.gitPath.trim() !== '' ? options.gitPath : 'git';
    return Promise.resolve({ kind: 'missing', message: `git executable not found (${shown})` });
  }
  return new Promise<GitRunResult>((resolve) => {
    let settled = false;
    const finish = (result: GitRunResult): void => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    try {
      const child = execFile(
        executable,
        [...GIT_HARDENING_ARGS, ...args],
        {
          cwd: options.cwd,
          env: gitEnvironment(),
          timeout: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS,
          killSignal: 'SIGKILL',
          maxBuffer: 1024 * 1024,
          windowsHide: true,
          shell: false,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          if (!error) {
            finish({ kind: 'exited', exitCode: 0, stdout, stderr });
            return;
          }
          const code = (error as NodeJS.ErrnoException).code as unknown;
          if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR') {
            finish({ kind: 'missing', message: `git executable could not be started (${String(code)})` });
          } else if (typeof code === 'number') {
            finish({ kind: 'exited', exitCode: code, stdout, stderr });
          } else if ((error as { killed?: boolean }).killed) {
            finish({ kind: 'failed', message: `git did not answer within ${options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS} ms` });
          } else {
            finish({ kind: 'failed', message: `git failed: ${code === undefined ? error.message : String(code)}` });
          }
        },
      );
      child.stdin?.on('error', () => undefined); // git may exit before reading its input
      child.stdin?.end(options.input ?? '');
    } catch (error) {
      finish({ kind: 'failed', message: `git could not be started: ${(error as Error).message}` });
    }
  });
}

/** First line of git's error output, for a status detail (git's messages name paths, never contents). */
export function firstLine(text: string): string {
  return text.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? '';
}

/** The nearest folder that exists, starting at `dir` and walking up (git needs an existing cwd). */
export function nearestExistingDirectory(dir: string): string {
  let current = path.resolve(dir);
  for (;;) {
    try {
      if (fs.statSync(current).isDirectory()) return current;
    } catch {
      // keep walking up
    }
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

export type GitRepositoryLookup =
  | { kind: 'repository'; root: string; cwd: string; relativePath: string }
  | { kind: 'not-a-repository'; message: string }
  | { kind: 'git-missing'; message: string }
  | { kind: 'git-failed'; message: string };

/**
 * Asks git for the work tree holding `filePath` (which need not exist yet). `cwd` is the folder to
 * run further commands in and `relativePath` the file's path from there.
 */
export async function findRepositoryWithGit(
  filePath: string,
  options: { gitPath?: string; timeoutMs?: number },
): Promise<GitRepositoryLookup> {
  const absolute = path.resolve(filePath);
  const cwd = nearestExistingDirectory(path.dirname(absolute));
  const relativePath = path.relative(cwd, absolute);
  const result = await runGit(['rev-parse', '--show-toplevel'], { cwd, gitPath: options.gitPath, timeoutMs: options.timeoutMs });
  if (result.kind === 'missing') return { kind: 'git-missing', message: result.message };
  if (result.kind === 'failed') return { kind: 'git-failed', message: result.message };
  if (result.exitCode !== 0) {
    const message = firstLine(result.stderr) || `git rev-parse exited with ${result.exitCode}`;
    if (/not a git repository/i.test(result.stderr)) return { kind: 'not-a-repository', message };
    return { kind: 'git-failed', message };
  }
  const root = result.stdout.replace(/\r?\n$/, '');
  if (root === '') return { kind: 'git-failed', message: 'git did not report a work tree' };
  return { kind: 'repository', root: path.resolve(root), cwd, relativePath };
}

/**
 * A pathspec that matches exactly this path: `secrets[1].toml` must not match `secrets1.toml`.
 * (The global `--literal-pathspecs` would do the same but `git check-ignore` rejects it.)
 */
export function literalPathspec(relativePath: string): string {
  return `:(literal)${relativePath}`;
}

/** Whether git's index holds `relativePath` (relative to `cwd`). */
export async function isTrackedByGit(
  cwd: string,
  relativePath: string,
  options: { gitPath?: string; timeoutMs?: number },
): Promise<{ kind: 'ok'; tracked: boolean } | { kind: 'error'; message: string }> {
  const result = await runGit(['ls-files', '-z', '--cached', '--', literalPathspec(relativePath)], {
    cwd,
    gitPath: options.gitPath,
    timeoutMs: options.timeoutMs,
  });
  if (result.kind !== 'exited') return { kind: 'error', message: result.message };
  if (result.exitCode !== 0) return { kind: 'error', message: firstLine(result.stderr) || `git ls-files exited with ${result.exitCode}` };
  const target = relativePath.split(path.sep).join('/');
  // A directory pathspec lists its contents: only an exact entry means the file itself is tracked.
  const entries = result.stdout.split('\0').filter(Boolean);
  return { kind: 'ok', tracked: entries.some((entry) => entry === target || path.normalize(entry) === path.normalize(relativePath)) };
}
