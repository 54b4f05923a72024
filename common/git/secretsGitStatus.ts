/**
 * Would git ignore a secrets file, and is it already tracked? Used by the language server (diagnostics)
 * and by the client (commands). Plain Node, no `vscode` import. Never throws: every failure becomes a
 * status with `limited` set.
 *
 * In a trusted workspace git itself answers (`git check-ignore`), so nested `.gitignore` files,
 * `.git/info/exclude`, the global excludes file and git's exact matching all count. In an untrusted
 * workspace git is NEVER run (a repository's config can make git execute commands): the `ignore`
 * library reads the ignore files instead (see libraryIgnoreCheck.ts). The same fallback is used when
 * git is missing, fails, or the folder is not a repository.
 */
import * as path from 'node:path';
import { DEFAULT_GIT_TIMEOUT_MS, findRepositoryWithGit, firstLine, isTrackedByGit, runGit } from './gitProcess';
import {
  checkIgnoredWithLibrary,
  findRepositoryByWalkingUp,
  type IgnoreRuleSource,
  type IgnoreSourceKind,
} from './libraryIgnoreCheck';

export type { IgnoreRuleSource, IgnoreSourceKind } from './libraryIgnoreCheck';

/** Why the answer did not come from git. */
export type GitStatusLimitation = 'git-missing' | 'not-a-repository' | 'untrusted-workspace' | 'git-disabled' | 'git-failed';

export interface SecretsGitStatusOptions {
  /** Workspace trust. When false, git is never run. */
  trusted: boolean;
  /** The user asked not to run git (`streamlit-secrets check --no-git`): the ignore files are read. */
  gitDisabled?: boolean;
  /** The git executable (absolute path, or a name looked up on PATH). Default `git`. */
  gitPath?: string;
  /** Per git command. Default 5000 ms. */
  timeoutMs?: number;
  /** Root for the `.gitignore` files when the file is in no repository; also bounds nothing else. */
  workspaceFolder?: string;
}

export interface SecretsGitStatus {
  /** The absolute path that was checked. */
  filePath: string;
  /**
   * Whether an ignore rule matches the file (even if the file is tracked: `git check-ignore --no-index`).
   * The file is only protected when `ignored && tracked === false`.
   * Outside a repository: whether the workspace's `.gitignore` files would ignore it once it is one.
   */
  ignored: boolean;
  /** The rule that ignores it (set when `ignored`). */
  ignoredBy?: IgnoreRuleSource;
  /** The `!` rule that re-includes it (set when a negation decided that it is NOT ignored). */
  reincludedBy?: IgnoreRuleSource;
  /**
   * Whether git's index holds the file. `undefined` = unknown: there is a repository but git was not
   * asked (untrusted, git missing or failing). `false` when there is no repository at all.
   */
  tracked: boolean | undefined;
  /** The work tree root, when the file is inside a repository. */
  repositoryRoot?: string;
  /** Who decided `ignored`. */
  method: 'git' | 'library';
  /** Set when git did not answer; the answer then comes from the library. */
  limited?: GitStatusLimitation;
  /** A human-readable reason for `limited` (never contains file contents). */
  detail?: string;
}

function kindOfGitSource(source: string, root: string): { file: string; kind: IgnoreSourceKind } {
  const file = path.resolve(root, source);
  const posix = source.split('\\').join('/');
  if (posix.endsWith('info/exclude')) return { file, kind: 'info-exclude' };
  // git prints in-tree .gitignore files relative to the work tree and the global file as an absolute path.
  if (!path.isAbsolute(source) && path.basename(source) === '.gitignore') return { file, kind: 'gitignore' };
  return { file, kind: 'global-excludes' };
}

/** Parses `git check-ignore -v -n -z --stdin` output: source NUL line NUL pattern NUL path NUL. */
function parseCheckIgnore(stdout: string, root: string): { ignored: boolean; rule?: IgnoreRuleSource } | undefined {
  const fields = stdout.split('\0');
  if (fields.length < 4) return undefined;
  const [source = '', line = '', pattern = ''] = fields;
  if (source === '') return { ignored: false };
  const rule: IgnoreRuleSource = { ...kindOfGitSource(source, root), line: Number.parseInt(line, 10) || 0, pattern };
  return { ignored: !pattern.startsWith('!'), rule };
}

function libraryStatus(
  filePath: string,
  options: SecretsGitStatusOptions,
  limited: GitStatusLimitation,
  detail: string,
  gitSaysNoRepository = false,
): SecretsGitStatus {
  try {
    const repository = gitSaysNoRepository ? undefined : findRepositoryByWalkingUp(path.dirname(filePath));
    let root = repository?.root;
    if (root === undefined) {
      const workspace = options.workspaceFolder ? path.resolve(options.workspaceFolder) : undefined;
      const inWorkspace = workspace !== undefined && !path.relative(workspace, filePath).startsWith('..') && !path.isAbsolute(path.relative(workspace, filePath));
      root = inWorkspace ? workspace! : defaultRootWithoutRepository(filePath);
    }
    const result = checkIgnoredWithLibrary(filePath, { root, repository });
    const status: SecretsGitStatus = {
      filePath,
      ignored: result.ignored,
      tracked: repository ? undefined : false,
      method: 'library',
      limited,
      detail,
    };
    if (result.ignoredBy) status.ignoredBy = result.ignoredBy;
    if (result.reincludedBy) status.reincludedBy = result.reincludedBy;
    if (repository) status.repositoryRoot = repository.root;
    return status;
  } catch (error) {
    return { filePath, ignored: false, tracked: undefined, method: 'library', limited, detail: `${detail}; ignore files could not be read (${(error as Error).message})` };
  }
}

/** Without repository or workspace folder: the folder holding `.streamlit/`, else the file's folder. */
export function defaultRootWithoutRepository(filePath: string): string {
  const folder = path.dirname(filePath);
  return path.basename(folder) === '.streamlit' ? path.dirname(folder) : folder;
}

export async function checkSecretsFileGitStatus(filePath: string, options: SecretsGitStatusOptions): Promise<SecretsGitStatus> {
  const absolute = path.resolve(filePath);
  try {
    if (options.gitDisabled === true) {
      return libraryStatus(absolute, options, 'git-disabled', 'git was not run (--no-git); ignore files were read directly.');
    }
    if (!options.trusted) {
      return libraryStatus(absolute, options, 'untrusted-workspace', 'Workspace is not trusted: git was not run; ignore files were read directly.');
    }
    const gitOptions = { gitPath: options.gitPath, timeoutMs: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS };
    const repository = await findRepositoryWithGit(absolute, gitOptions);
    if (repository.kind === 'git-missing') return libraryStatus(absolute, options, 'git-missing', repository.message);
    if (repository.kind === 'git-failed') return libraryStatus(absolute, options, 'git-failed', repository.message);
    if (repository.kind === 'not-a-repository') return libraryStatus(absolute, options, 'not-a-repository', 'The folder is not in a git repository.', true);

    const { root, cwd, relativePath } = repository;
    const checked = await runGit(['check-ignore', '--no-index', '--verbose', '--non-matching', '-z', '--stdin'], {
      cwd,
      ...gitOptions,
      input: `${relativePath}\0`,
    });
    if (checked.kind !== 'exited') return libraryStatus(absolute, options, checked.kind === 'missing' ? 'git-missing' : 'git-failed', checked.message);
    const parsed = checked.exitCode === 0 || checked.exitCode === 1 ? parseCheckIgnore(checked.stdout, root) : undefined;
    if (!parsed) {
      return libraryStatus(absolute, options, 'git-failed', firstLine(checked.stderr) || `git check-ignore exited with ${checked.exitCode}`);
    }
    const tracked = await isTrackedByGit(cwd, relativePath, gitOptions);
    const status: SecretsGitStatus = {
      filePath: absolute,
      ignored: parsed.ignored,
      tracked: tracked.kind === 'ok' ? tracked.tracked : undefined,
      repositoryRoot: root,
      method: 'git',
    };
    if (parsed.rule && parsed.ignored) status.ignoredBy = parsed.rule;
    if (parsed.rule && !parsed.ignored) status.reincludedBy = parsed.rule;
    if (tracked.kind === 'error') status.detail = `Could not tell whether the file is tracked: ${tracked.message}`;
    return status;
  } catch (error) {
    // Defensive: nothing above should throw, but a status is always better than a rejected promise.
    return { filePath: absolute, ignored: false, tracked: undefined, method: 'library', limited: 'git-failed', detail: (error as Error).message };
  }
}

interface CacheEntry {
  filePath: string;
  status: Promise<SecretsGitStatus>;
}

/**
 * Remembers statuses per file (and per trust/git settings) so callers do not spawn git on every
 * keystroke. Nothing expires by itself: call `invalidate(path)` when a `.gitignore`, the index or the
 * file changes (a folder path drops every entry under it) and `invalidate()` when trust or settings change.
 */
export class SecretsGitStatusCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly check: typeof checkSecretsFileGitStatus = checkSecretsFileGitStatus) {}

  get(filePath: string, options: SecretsGitStatusOptions): Promise<SecretsGitStatus> {
    const absolute = path.resolve(filePath);
    const key = JSON.stringify([absolute, options.trusted, options.gitDisabled === true, options.gitPath ?? '', options.workspaceFolder ?? '', options.timeoutMs ?? 0]);
    const cached = this.entries.get(key);
    if (cached) return cached.status;
    const status = this.check(absolute, options);
    this.entries.set(key, { filePath: absolute, status });
    return status;
  }

  /**
   * Drops the entry of `changedPath` and of every file under it (when a folder; a `.gitignore` path
   * counts as its folder), or everything when no path is given.
   */
  invalidate(changedPath?: string): void {
    if (changedPath === undefined) {
      this.entries.clear();
      return;
    }
    let changed = path.resolve(changedPath);
    // A changed .gitignore affects everything in (and under) its folder.
    if (path.basename(changed) === '.gitignore') changed = path.dirname(changed);
    for (const [key, entry] of this.entries) {
      const relative = path.relative(changed, entry.filePath);
      if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
