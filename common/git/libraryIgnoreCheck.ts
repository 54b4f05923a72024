/**
 * Deciding whether git would ignore a path WITHOUT running git (untrusted workspace, git missing,
 * not a repository), with the `ignore` library for pattern matching. Only files are read: nothing is
 * executed, so a hostile repository cannot do anything here.
 *
 * Modelled on git's dir.c:
 * - sources by precedence: `.gitignore` files (deepest folder first), then `$GIT_COMMON_DIR/info/exclude`,
 *   then `core.excludesFile` (default `$XDG_CONFIG_HOME/git/ignore`); within one file the LAST matching
 *   line wins, and the first source with a matching line decides;
 * - each `.gitignore` applies relative to its own folder;
 * - folders are decided top-down: once a folder is excluded, nothing below it can be re-included and
 *   the `.gitignore` files inside it are not read.
 *
 * Known limits: the system git config, `include`/`includeIf` and `core.excludesFile` values that use
 * other variables are not followed; sparse checkouts and `.gitignore` files git would skip as
 * symbolic links are not modelled beyond skipping symbolic links.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ignore from 'ignore';

export type IgnoreSourceKind = 'gitignore' | 'info-exclude' | 'global-excludes';

export interface IgnoreRuleSource {
  /** Absolute path of the file holding the rule. */
  file: string;
  kind: IgnoreSourceKind;
  /** 1-based line number in that file. */
  line: number;
  /** The line as written (a negation keeps its `!`). */
  pattern: string;
}

export interface LibraryRepository {
  /** The work tree root (the folder holding `.git`). */
  root: string;
  /** The folder holding `info/exclude` (the common git dir for linked work trees). */
  commonGitDir: string;
}

interface Rule {
  line: number;
  pattern: string;
  negative: boolean;
  matches: (relativePath: string) => boolean;
}

interface RuleFile {
  file: string;
  kind: IgnoreSourceKind;
  /** Folder the patterns are relative to (for info/exclude and global excludes: the work tree root). */
  base: string;
  rules: Rule[];
}

export interface LibraryIgnoreResult {
  ignored: boolean;
  ignoredBy?: IgnoreRuleSource;
  /** When a negation (`!…`) decided that the path is NOT ignored. */
  reincludedBy?: IgnoreRuleSource;
}

function readTextIfFile(file: string): string | undefined {
  try {
    // git does not follow a symbolic link for an in-tree .gitignore; global files may be links.
    if (!fs.statSync(file).isFile()) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * One matcher per line, so that (a) we know which line decided and (b) a path is tested by itself:
 * `ignore`'s public `test()` also applies the file's rules to every parent folder, which is wrong
 * when a higher-precedence source has re-included that folder. `ignore` 7 keeps a single-path test on
 * its rule list; when a future version lacks it we fall back to the public (parent-checking) test.
 */
function makeMatcher(pattern: string, ignoreCase: boolean): (relativePath: string) => boolean {
  const matcher = ignore({ ignorecase: ignoreCase, allowRelativePaths: true }).add(pattern);
  const rules = (matcher as unknown as { _rules?: { test?: (p: string, checkUnignored: boolean, mode: string) => { ignored: boolean } } })._rules;
  const singlePathTest = rules?.test;
  if (rules && typeof singlePathTest === 'function') {
    return (relativePath) => singlePathTest.call(rules, relativePath, false, 'regex').ignored === true;
  }
  return (relativePath) => matcher.ignores(relativePath);
}

/** git drops trailing spaces unless the last one is escaped (`foo\\ ` keeps one space). */
function trimTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ') {
    if (end >= 2 && line[end - 2] === '\\') break;
    end--;
  }
  return line.slice(0, end);
}

export function parseIgnoreFile(text: string, ignoreCase: boolean): Rule[] {
  const rules: Rule[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // git skips a UTF-8 BOM
  const lines = body.split('\n');
  lines.forEach((raw, index) => {
    const lineText = trimTrailingSpaces(raw.endsWith('\r') ? raw.slice(0, -1) : raw); // git drops the CR of CRLF
    if (lineText.trim() === '' || lineText.startsWith('#')) return;
    const negative = lineText.startsWith('!');
    const positive = negative ? lineText.slice(1) : lineText;
    if (positive.trim() === '') return;
    rules.push({ line: index + 1, pattern: lineText, negative, matches: makeMatcher(positive, ignoreCase) });
  });
  return rules;
}

/** Walks up from `start` to the first folder holding `.git` (a folder, or a file `gitdir: …`). */
export function findRepositoryByWalkingUp(start: string): LibraryRepository | undefined {
  let current = path.resolve(start);
  for (;;) {
    const dotGit = path.join(current, '.git');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dotGit);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      return { root: current, commonGitDir: commonDirOf(dotGit) };
    }
    if (stat?.isFile()) {
      const text = readTextIfFile(dotGit) ?? '';
      const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
      if (match?.[1]) {
        const gitDir = path.resolve(current, match[1]);
        return { root: current, commonGitDir: commonDirOf(gitDir) };
      }
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function commonDirOf(gitDir: string): string {
  const commonDir = readTextIfFile(path.join(gitDir, 'commondir'))?.trim();
  return commonDir ? path.resolve(gitDir, commonDir) : gitDir;
}

interface GitConfigValues {
  excludesFile?: string;
  ignoreCase?: boolean;
}

/** The few `[core]` values we need from a git config file (no includes, no conditionals). */
export function readCoreConfig(file: string): GitConfigValues {
  const text = readTextIfFile(file);
  const values: GitConfigValues = {};
  if (text === undefined) return values;
  let inCore = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*([A-Za-z0-9.-]+)\s*(?:"[^"]*")?\s*\]\s*(.*)$/.exec(line);
    let rest = line;
    if (section) {
      inCore = section[1]!.toLowerCase() === 'core' && !/"/.test(line.slice(0, line.indexOf(']')));
      rest = section[2] ?? '';
      if (rest === '') continue;
    }
    if (!inCore) continue;
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(rest);
    if (!entry) continue;
    const key = entry[1]!.toLowerCase();
    const value = entry[2] === undefined ? 'true' : unquoteConfigValue(entry[2]);
    if (key === 'excludesfile') values.excludesFile = value;
    if (key === 'ignorecase') values.ignoreCase = /^(true|yes|on|1)$/i.test(value);
  }
  return values;
}

function unquoteConfigValue(raw: string): string {
  let result = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && i + 1 < raw.length) {
      const next = raw[++i]!;
      result += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if ((ch === '#' || ch === ';') && !quoted) break;
    else result += ch;
  }
  return result.trim();
}

function expandHome(value: string): string {
  if (value === '~') return os.homedir();
  if (value.startsWith('~/') || value.startsWith('~\\')) return path.join(os.homedir(), value.slice(2));
  return value;
}

/** The global excludes file git would use, read from the user's (and the repository's) config. */
export function globalExcludesFile(repository: LibraryRepository | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  const xdg = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  const configFiles = env.GIT_CONFIG_GLOBAL !== undefined
    ? [env.GIT_CONFIG_GLOBAL]
    : [path.join(xdg, 'git', 'config'), path.join(home, '.gitconfig')];
  if (repository) configFiles.push(path.join(repository.commonGitDir, 'config'));
  let excludesFile: string | undefined;
  for (const file of configFiles) {
    if (file === '') continue;
    const value = readCoreConfig(file).excludesFile;
    if (value !== undefined) excludesFile = value; // later files win
  }
  if (excludesFile !== undefined && excludesFile !== '') {
    const expanded = expandHome(excludesFile);
    return path.resolve(repository?.root ?? home, expanded);
  }
  return path.join(xdg, 'git', 'ignore');
}

function repositoryIgnoreCase(repository: LibraryRepository | undefined): boolean {
  // git's default is case-sensitive; `git init` on a case-insensitive disk writes core.ignorecase=true.
  if (!repository) return process.platform === 'win32' || process.platform === 'darwin';
  return readCoreConfig(path.join(repository.commonGitDir, 'config')).ignoreCase ?? false;
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}

export interface LibraryIgnoreOptions {
  /** Folder that plays the work tree root (where the outermost .gitignore lives). */
  root: string;
  repository?: LibraryRepository;
  env?: NodeJS.ProcessEnv;
}

/**
 * Whether git would ignore `filePath` (a file, which need not exist) under `options.root`.
 * `filePath` must be inside `root`; a path outside is reported as not ignored.
 */
export function checkIgnoredWithLibrary(filePath: string, options: LibraryIgnoreOptions): LibraryIgnoreResult {
  const root = path.resolve(options.root);
  const relative = path.relative(root, path.resolve(filePath));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { ignored: false };
  const segments = toPosix(relative).split('/');
  const ignoreCase = repositoryIgnoreCase(options.repository);

  const loaded = new Map<string, RuleFile | undefined>();
  const gitignoreIn = (folderSegments: string[]): RuleFile | undefined => {
    const folder = path.join(root, ...folderSegments);
    if (!loaded.has(folder)) {
      const file = path.join(folder, '.gitignore');
      let text: string | undefined;
      try {
        text = fs.lstatSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
      } catch {
        text = undefined;
      }
      loaded.set(folder, text === undefined ? undefined : { file, kind: 'gitignore', base: folder, rules: parseIgnoreFile(text, ignoreCase) });
    }
    return loaded.get(folder);
  };

  const lowPrecedence: RuleFile[] = [];
  if (options.repository) {
    const infoExclude = path.join(options.repository.commonGitDir, 'info', 'exclude');
    const text = readTextIfFile(infoExclude);
    if (text !== undefined) lowPrecedence.push({ file: infoExclude, kind: 'info-exclude', base: root, rules: parseIgnoreFile(text, ignoreCase) });
  }
  const globalFile = globalExcludesFile(options.repository, options.env ?? process.env);
  const globalText = readTextIfFile(globalFile);
  if (globalText !== undefined) lowPrecedence.push({ file: globalFile, kind: 'global-excludes', base: root, rules: parseIgnoreFile(globalText, ignoreCase) });

  // Decide `segments[0..count)` (a folder when isDirectory) from the .gitignore files of its ancestors.
  const decide = (count: number, isDirectory: boolean): LibraryIgnoreResult | undefined => {
    const sources: RuleFile[] = [];
    for (let depth = count - 1; depth >= 0; depth--) {
      const gitignore = gitignoreIn(segments.slice(0, depth));
      if (gitignore) sources.push(gitignore);
    }
    sources.push(...lowPrecedence);
    for (const source of sources) {
      const baseSegments = toPosix(path.relative(root, source.base)).split('/').filter(Boolean);
      const local = segments.slice(source.kind === 'gitignore' ? baseSegments.length : 0, count).join('/') + (isDirectory ? '/' : '');
      let decisive: Rule | undefined;
      for (const rule of source.rules) {
        if (rule.matches(local)) decisive = rule; // the last matching line of a file wins
      }
      if (decisive) {
        const ruleSource: IgnoreRuleSource = { file: source.file, kind: source.kind, line: decisive.line, pattern: decisive.pattern };
        return decisive.negative ? { ignored: false, reincludedBy: ruleSource } : { ignored: true, ignoredBy: ruleSource };
      }
    }
    return undefined;
  };

  for (let count = 1; count < segments.length; count++) {
    const folder = decide(count, true);
    if (folder?.ignored) return folder; // an excluded folder cannot have anything re-included
  }
  return decide(segments.length, false) ?? { ignored: false };
}
