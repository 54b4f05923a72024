/**
 * Making git ignore a secrets file by adding ONE line to the right `.gitignore`, keeping that file's
 * encoding, byte-order mark and line endings, and writing it atomically (in place where other hard
 * links share it; a read-only file is refused).
 */
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  checkSecretsFileGitStatus,
  defaultRootWithoutRepository,
  type IgnoreRuleSource,
  type SecretsGitStatus,
  type SecretsGitStatusOptions,
} from '../../../common/git/secretsGitStatus';
import { nearestExistingDirectory } from '../../../common/git/gitProcess';
import { describeFileError, SecretsFileError } from './atomicWriteFile';
import { asSecretsFileError, createNewFile, readRegularFile, replaceFileContent } from './linkSafeFile';

export type EnsureSecretsFileIgnoredOptions = SecretsGitStatusOptions;

export interface EnsureSecretsFileIgnoredResult {
  /** Whether a `.gitignore` was written. */
  changed: boolean;
  /** The `.gitignore` written (or, when already covered by one, the one holding the rule). */
  gitignorePath?: string;
  /** The line added. */
  line?: string;
  /** `"<file>:<line>: <pattern>"` of the `.gitignore` rule that already ignores the file. */
  alreadyCoveredBy?: string;
  /** Whether the `.gitignore` had to be created. */
  createdGitignore?: boolean;
  /** Whether a fresh check after the change says the file is ignored. */
  verified: boolean;
  /** Git still tracks the file: an ignore rule does not untrack it (see `untrackSecretsFile`). */
  tracked: boolean | undefined;
  /** The status after the operation. */
  status: SecretsGitStatus;
}

type TextEncodingKind = 'utf8' | 'utf16le' | 'utf16be';

interface DecodedFile {
  bytes: Buffer;
  text: string;
  encoding: TextEncodingKind;
}

function decode(bytes: Buffer): DecodedFile {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { bytes, text: bytes.subarray(2).toString('utf16le'), encoding: 'utf16le' };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { bytes, text: Buffer.from(bytes.subarray(2)).swap16().toString('utf16le'), encoding: 'utf16be' };
  }
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { bytes, text: bytes.subarray(hasBom ? 3 : 0).toString('utf8'), encoding: 'utf8' };
}

function encode(text: string, encoding: TextEncodingKind): Buffer {
  if (encoding === 'utf16le') return Buffer.from(text, 'utf16le');
  if (encoding === 'utf16be') return Buffer.from(text, 'utf16le').swap16();
  return Buffer.from(text, 'utf8');
}

/** The file's own line ending: CRLF when most of its line breaks are CRLF. */
export function detectLineEnding(text: string): '\n' | '\r\n' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

/**
 * A `.gitignore` line matching exactly `relativePath` (POSIX separators, relative to the `.gitignore`'s
 * folder): glob characters escaped, anchored (a middle slash anchors; otherwise a leading one).
 */
export function gitignoreLineFor(relativePath: string): string {
  let escaped = relativePath.replace(/[\\*?[\]]/g, (ch) => `\\${ch}`);
  if (escaped.endsWith(' ')) escaped = `${escaped.slice(0, -1)}\\ `;
  const hasMiddleSlash = escaped.slice(0, -1).includes('/');
  return hasMiddleSlash && !/^[#!]/.test(escaped) ? escaped : `/${escaped}`;
}

/** The real path of the nearest existing ancestor, plus the rest of `target` (which may not exist yet). */
function realLocation(target: string): string {
  const existing = nearestExistingDirectory(target);
  try {
    return path.join(fs.realpathSync(existing), path.relative(existing, target));
  } catch {
    return target;
  }
}

function describeRule(rule: IgnoreRuleSource): string {
  return `${rule.file}:${rule.line}: ${rule.pattern}`;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}

function chooseGitignore(file: string, status: SecretsGitStatus, options: EnsureSecretsFileIgnoredOptions): string {
  // A `!` rule that re-includes the file is in that .gitignore (or one below the root): only a rule
  // AFTER it in the same file can win, so the line goes at the end of that file.
  if (status.reincludedBy?.kind === 'gitignore') return status.reincludedBy.file;
  if (status.repositoryRoot) return path.join(status.repositoryRoot, '.gitignore');
  const workspace = options.workspaceFolder ? path.resolve(options.workspaceFolder) : undefined;
  const root = workspace && isInside(workspace, file) ? workspace : defaultRootWithoutRepository(file);
  return path.join(root, '.gitignore');
}

async function readExisting(gitignore: string): Promise<Buffer | undefined> {
  let stat: import('node:fs').Stats;
  try {
    stat = await fsp.lstat(gitignore);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretsFileError(`Cannot read ${gitignore}: ${describeFileError(error)}. Nothing was changed.`, (error as NodeJS.ErrnoException).code ?? 'EIO');
  }
  if (stat.isSymbolicLink()) {
    // git ignores an in-tree .gitignore that is a symbolic link, and replacing it would break the link.
    throw new SecretsFileError(`${gitignore} is a symbolic link; add the rule yourself. Nothing was changed.`, 'ELOOP');
  }
  if (!stat.isFile()) throw new SecretsFileError(`${gitignore} is not a file. Nothing was changed.`, 'EISDIR');
  try {
    return (await readRegularFile(gitignore)).bytes;
  } catch (error) {
    throw asSecretsFileError(error, (reason) => `Cannot read ${gitignore}: ${reason}. Nothing was changed.`);
  }
}

/**
 * Appends `line` to `gitignore`, keeping encoding, BOM, line endings, mode, owner and hard links;
 * a read-only file is refused. Returns whether it created the file.
 */
export async function appendLine(gitignore: string, line: string): Promise<boolean> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await readExisting(gitignore);
    if (existing === undefined) {
      try {
        // Its own folder bounds it: never created through a linked folder leading elsewhere.
        await createNewFile(gitignore, `${line}\n`, { workspaceFolder: undefined });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue; // created meanwhile
        throw asSecretsFileError(error, (reason) => `Cannot write ${gitignore}: ${reason}. Nothing was changed.`);
      }
    }
    const decoded = decode(existing);
    const eol = detectLineEnding(decoded.text);
    const separator = decoded.text === '' || decoded.text.endsWith('\n') ? '' : eol;
    const next = Buffer.concat([existing, encode(`${separator}${line}${eol}`, decoded.encoding)]);
    try {
      await replaceFileContent(gitignore, existing, next, undefined);
      return false;
    } catch (error) {
      // Someone (the user in the editor, another tool) changed it since we read it: start again.
      if (error instanceof SecretsFileError && error.code === 'ECHANGED') continue;
      throw asSecretsFileError(error, (reason) => `Cannot write ${gitignore}: ${reason}. The file was left as it was.`);
    }
  }
  throw new SecretsFileError(`${gitignore} kept changing while it was being updated. Nothing was changed.`, 'EAGAIN');
}

/**
 * Makes git ignore `secretsFile`. Adds one line to the repository root's `.gitignore` (outside a
 * repository: the workspace folder's), or to the `.gitignore` holding a `!` rule that re-includes the
 * file, after that rule. Nothing is written when a `.gitignore` rule already ignores the file. A rule
 * only in `.git/info/exclude` or the global excludes file does not count: it protects this clone
 * only, so the shared `.gitignore` still gets the line.
 * Throws `SecretsFileError` (with nothing changed) when the `.gitignore` cannot be read or written.
 */
export async function ensureSecretsFileIgnored(secretsFile: string, options: EnsureSecretsFileIgnoredOptions): Promise<EnsureSecretsFileIgnoredResult> {
  const file = path.resolve(secretsFile);
  const before = await checkSecretsFileGitStatus(file, options);
  if (before.ignored && before.ignoredBy?.kind === 'gitignore') {
    return {
      changed: false,
      gitignorePath: before.ignoredBy.file,
      alreadyCoveredBy: describeRule(before.ignoredBy),
      verified: true,
      tracked: before.tracked,
      status: before,
    };
  }
  const gitignore = chooseGitignore(file, before, options);
  // git reports resolved paths (macOS /tmp is /private/tmp; workspaces opened through a link):
  // compare real locations so the line is relative to where the .gitignore really is.
  const gitignoreFolder = realLocation(path.dirname(gitignore));
  const realFile = realLocation(file);
  const relative = path.relative(gitignoreFolder, realFile);
  if (!isInside(gitignoreFolder, realFile)) {
    throw new SecretsFileError(`${file} is outside ${path.dirname(gitignore)}; cannot ignore it from there. Nothing was changed.`, 'EINVAL');
  }
  const line = gitignoreLineFor(relative.split(path.sep).join('/'));
  const createdGitignore = await appendLine(gitignore, line);
  const after = await checkSecretsFileGitStatus(file, options);
  const result: EnsureSecretsFileIgnoredResult = {
    changed: true,
    gitignorePath: gitignore,
    line,
    createdGitignore,
    verified: after.ignored,
    tracked: after.tracked,
    status: after,
  };
  return result;
}
