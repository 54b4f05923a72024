// Reads a secrets file the way Streamlit does. Streamlit parses with the PyPI `toml` 0.10.2
// package (TOML 0.5 plus its own quirks). Two readers work together (docs/streamlit-model.md §5):
//  - streamlitTomlLoad.ts models `toml` 0.10.2 itself: it decides whether Streamlit loads the
//    file and the value it loads (`root`, `streamlitError`);
//  - smol-toml (TOML 1.0), with corrections for the measured differences, gives the TOML 1.0
//    diagnostics, their locations and the named warnings about what Streamlit reads differently
//    (repairs are text edits mapped back to the original offsets, or a split-and-merge parse).
// Where the two verdicts differ, Streamlit's wins and the diagnostics say what Streamlit does.
// Messages never quote the file: secrets files hold secrets.
import { parse as parseToml, TomlDate, TomlError } from 'smol-toml';
import { rememberRecentByText } from './recentByText';
import { findNonAsciiBareKeys, isBareKeyChar, type KeySpan } from './nonAsciiBareKeys';
import { minChunkedLength, orderProblems, parseByTopLevelChunks, type ChunkMemo } from './topLevelChunks';
import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import type { TextRange } from '../textRange';
import type { ParsedSecretsToml, SecretNode, SecretValueKind, TomlProblem } from './types';
import { loadLikeStreamlit, type StreamlitLoad } from './streamlitTomlLoad';

type TomlObject = Record<string, unknown>;

const STREAMLIT_PREFIX = 'Streamlit cannot load this file: ';

/** Descriptions smol-toml may put before its code block; anything else is replaced (never echoed). */
const SAFE_PARSER_MESSAGES = new Set([
  'document contains excessively nested structures. aborting.',
  'invalid value',
  'illegal leading zero',
  'illegal underscore',
  'illegal character in numeric literal',
  'unfinished numeric value',
  'integer value cannot be represented losslessly',
  'invalid date-time: date part is malformed',
  'invalid date-time: time part is malformed',
  'invalid date',
  'trying to redefine an already defined table or value',
  'trying to redefine an already defined value',
  'expected end of table array declaration',
  'each key-value declaration must be followed by an end-of-line',
  'control characters are not allowed in strings',
  'invalid non-hex character in unicode escape',
  'invalid unicode escape',
  'unrecognised escape sequence',
  'invalid escape: only line-ending whitespace may be escaped',
  'unfinished string',
  'unexpected end of key',
  'illegal empty bare key',
  'illegal quoted key: multiline strings are not allowed',
  'illegal character in key',
  'incomplete key-value: cannot find end of key',
  'document contains an unsafe property',
  'expected comma or end of structure',
  'unfinished table',
  'unfinished array',
  'control characters are not allowed in comments',
]);

/** Text handed to the TOML parsers after Streamlit-compatibility repairs, with a map back. */
export interface PreparedToml {
  /** The repaired text (equal to the input when nothing needed repair). */
  text: string;
  /** Offsets (in the ORIGINAL text) where one character was inserted, ascending. */
  insertions: number[];
}

/** Maps an offset in the repaired text back to the original text (binary search: ranges of every key are mapped). */
export function toOriginalOffset(prepared: PreparedToml, offset: number): number {
  // The k-th insertion (at original offset `at`) sits at `at + k` in the repaired text; count
  // those strictly before `offset`.
  const list = prepared.insertions;
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (list[mid] + mid < offset) low = mid + 1;
    else high = mid;
  }
  return offset - low;
}

/** Where the repaired text was split to emulate Streamlit's lenient table merging. */
export interface MergeSplit {
  /** Offset (repaired text) of the first line parsed separately. */
  start: number;
  /** Table the separately parsed lines belong to ([] for a header line, which names its own). */
  context: string[];
  /** The line that TOML 1.0 rejects (repaired text). */
  range: TextRange;
}

interface Analysis {
  prepared: PreparedToml;
  splits: MergeSplit[];
  problems: TomlProblem[];
  root: SecretNode | undefined;
  streamlitError?: string;
}

class StreamlitRejects extends Error {
  constructor(
    readonly reason: string,
    readonly code: string,
    readonly range: TextRange | undefined,
  ) {
    super(reason);
  }
}

/** Parses a secrets file as Streamlit would. Never throws. */
export function parseSecretsToml(text: string): ParsedSecretsToml {
  return parseRecent(text);
}

/**
 * The same text is parsed once, however many parts ask (the merge reads an open secrets file's
 * buffer, its diagnostics read it too). Results are shared: callers only read them.
 */
const parseRecent = rememberRecentByText((text) => parseReusingChunks(text), { size: 4, maxLength: 4 * 1024 * 1024 });

/** Parses of the runs of the last two large texts parsed (say, the project and the global file). */
let olderChunks: ChunkMemo = new Map();
let newerChunks: ChunkMemo = new Map();

/**
 * A large text after an edit: only the runs of top-level tables that changed are parsed again
 * (topLevelChunks.ts); the result equals `computeParsedSecretsToml(text)`.
 */
function parseReusingChunks(text: string): ParsedSecretsToml {
  if (text.length < minChunkedLength) return computeParsedSecretsToml(text);
  const next: ChunkMemo = new Map();
  const known = (chunkText: string): ParsedSecretsToml | undefined => newerChunks.get(chunkText) ?? olderChunks.get(chunkText);
  const composed = parseByTopLevelChunks(text, computeParsedSecretsToml, known, next);
  olderChunks = newerChunks;
  newerChunks = next;
  return composed ?? computeParsedSecretsToml(text);
}

/** `parseSecretsToml` without the memory of recent texts (tests and the benchmark's breakdown). */
export function computeParsedSecretsToml(text: string): ParsedSecretsToml {
  const a = analyzeSecretsToml(text);
  const { root, problems, streamlitError } = reconcileWithStreamlit(text, a, loadLikeStreamlit(text));
  const result: ParsedSecretsToml = { root, problems: orderProblems(problems) };
  if (streamlitError !== undefined) result.streamlitError = streamlitError;
  return result;
}

/**
 * Streamlit's verdict and value (`toml` 0.10.2) over the TOML 1.0 analysis: its diagnostics are
 * kept where they agree, and say what Streamlit really does where they do not.
 */
function reconcileWithStreamlit(text: string, a: Analysis, streamlit: StreamlitLoad): { root: SecretNode | undefined; problems: TomlProblem[]; streamlitError?: string } {
  if (!streamlit.ok) {
    if (a.root === undefined) return { root: undefined, problems: a.problems, streamlitError: a.streamlitError };
    const range = lineRangeAt(text, streamlit.offset);
    const { line, column } = lineColumn(text, range.start);
    const problem: TomlProblem = { range, message: `${STREAMLIT_PREFIX}${streamlit.reason}.`, severity: 'error', code: 'streamlit-toml-parser' };
    return { root: undefined, problems: [...a.problems, problem], streamlitError: `${streamlit.reason} (line ${line}, column ${column})` };
  }
  if (a.root === undefined) {
    // Not TOML 1.0 (or a rejection we predicted wrongly), yet Streamlit loads it: say so, never "no secrets".
    const problems = a.problems.map((p): TomlProblem => {
      if (p.severity !== 'error') return p;
      const what = p.code === 'toml-syntax' ? `This is not valid TOML (${p.message.replace(/^Invalid TOML: /, '').replace(/\.$/, '')}), but Streamlit` : 'Streamlit';
      return {
        range: p.range,
        message: `${what}'s TOML parser loads the file anyway and reads this part its own way: a value here may be cut short, changed or dropped. Other TOML tools reject it.`,
        severity: 'warning',
        code: 'streamlit-loads-malformed',
      };
    });
    return { root: streamlit.root, problems };
  }
  const differs = firstDifference(a.root, streamlit.root, []);
  if (differs === undefined || a.problems.some((p) => p.severity === 'warning' && p.code.startsWith('streamlit-'))) return { root: streamlit.root, problems: a.problems };
  // Valid TOML that `toml` 0.10.2 reads differently (a fraction of a second, a quoted key name…).
  const problem: TomlProblem = {
    range: keyNameRange(text, differs),
    message: 'Streamlit\'s TOML parser reads this value or key name differently than TOML 1.0 does (its own rules for quoted key names, comments and fractions of seconds); the app sees Streamlit\'s reading.',
    severity: 'warning',
    code: 'streamlit-reads-differently',
  };
  return { root: streamlit.root, problems: [...a.problems, problem] };
}

/** The path of the first place two trees differ (datetimes compared as instants), or undefined. */
function firstDifference(ours: SecretNode, theirs: SecretNode, path: string[]): string[] | undefined {
  if (ours.kind !== theirs.kind) return path;
  if (ours.kind === 'table') {
    const o = ours.children!;
    const t = theirs.children!;
    for (const [k, child] of o) {
      const other = t.get(k);
      if (other === undefined) return [...path, k];
      const d = firstDifference(child, other, [...path, k]);
      if (d) return d;
    }
    for (const k of t.keys()) if (!o.has(k)) return [...path, k];
    return undefined;
  }
  if (ours.kind === 'array') {
    if (ours.items!.length !== theirs.items!.length) return path;
    for (let i = 0; i < ours.items!.length; i++) {
      const d = firstDifference(ours.items![i], theirs.items![i], path);
      if (d) return d;
    }
    return undefined;
  }
  if (ours.kind.endsWith('time') || ours.kind === 'local-date') return canonicalDateText(String(ours.value)) === canonicalDateText(String(theirs.value)) ? undefined : path;
  return Object.is(ours.value, theirs.value) || ours.value === theirs.value ? undefined : path;
}

/** A date/time text with its fraction in microseconds, so that `.500` and `.5` compare equal. */
function canonicalDateText(text: string): string {
  return text.replace(/(\d\d:\d\d:\d\d)(?:\.(\d+))?/, (_, hms: string, f: string | undefined) => `${hms}.${(f ?? '').padEnd(6, '0').slice(0, 6)}`).replace(/Z$/i, '+00:00');
}

/** Where the last name of `path` is first written (best effort), else the first line. */
function keyNameRange(text: string, path: string[]): TextRange {
  for (let i = path.length - 1; i >= 0; i--) {
    const name = path[i];
    const at = name === '' ? -1 : text.indexOf(name);
    if (at >= 0) return { start: at, end: at + name.length };
  }
  return lineRangeAt(text, 0);
}

/** The line holding `offset`, without its blanks (at least one character). */
function lineRangeAt(text: string, offset: number): TextRange {
  const at = Math.max(0, Math.min(offset, text.length));
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let end = lineEnd(text, at);
  let s = start;
  while (s < end && /\s/.test(text[s])) s++;
  while (end > s && /\s/.test(text[end - 1])) end--;
  return clampRange(text, s < end ? { start: s, end } : { start: at, end: at + 1 });
}

/** @internal Shared with locateSecretKeys: the repaired text and split points. */
export function analyzeSecretsToml(text: string): Analysis {
  const problems: TomlProblem[] = [];
  const prepared: PreparedToml = { text, insertions: [] };
  const splits: MergeSplit[] = [];
  const fail = (reason: string, code: string, range: TextRange | undefined, syntax: boolean): Analysis => {
    const r = clampRange(text, range ?? { start: 0, end: 1 });
    const { line, column } = lineColumn(text, r.start);
    problems.push({
      range: r,
      message: syntax ? `Invalid TOML: ${reason}.` : `${STREAMLIT_PREFIX}${reason}.`,
      severity: 'error',
      code,
    });
    const streamlitError = syntax
      ? `invalid TOML at line ${line}, column ${column}: ${reason}`
      : `${reason} (line ${line}, column ${column})`;
    return { prepared, splits, problems, root: undefined, streamlitError };
  };

  try {
    // A BOM is kept by Python's utf-8 codec and becomes part of the first bare key's name.
    if (text.charCodeAt(0) === 0xfeff) {
      let end = 1;
      while (end < text.length && isBareKeyChar(text, end)) end++;
      if (end === 1) {
        return fail(
          'the file starts with a UTF-8 byte-order mark (BOM) that is not followed by a plain key name',
          'streamlit-bom',
          { start: 0, end: 1 },
          false,
        );
      }
      prepared.text = '"' + text.slice(0, end) + '"' + text.slice(end);
      prepared.insertions.push(0, end);
      problems.push({
        range: { start: 0, end },
        message:
          'The file starts with a UTF-8 byte-order mark (BOM). TOML 1.0 skips it; Streamlit accepts it but makes it part of the first key\'s name (an invisible U+FEFF before it), so that key will not be found under its visible name.',
        severity: 'warning',
        code: 'streamlit-bom-key',
      });
    }

    // Every non-ASCII bare key the scan finds is quoted at once (one parse, not one per key);
    // the parser's own errors repair whatever the scan missed.
    quoteBareKeys(prepared, findNonAsciiBareKeys(prepared.text), problems);
    closeArrayOpenAtEnd(prepared, problems);
    let table: TomlObject | undefined;
    for (let attempt = 0; table === undefined; attempt++) {
      try {
        splits.length = 0;
        table = parseWithMerges(prepared.text, splits);
      } catch (e) {
        if (!(e instanceof TomlSyntax) || attempt > 2000) throw e;
        if (e.description === 'illegal character in key' && repairNonAsciiKey(prepared, e.ptr, problems)) continue;
        throw e;
      }
    }

    for (const split of splits) {
      problems.push({
        range: clampRange(text, {
          start: toOriginalOffset(prepared, split.range.start),
          end: toOriginalOffset(prepared, split.range.end),
        }),
        message:
          'TOML 1.0 rejects adding keys to a table that is already complete (an inline table, a table inside an array, or one closed earlier); Streamlit accepts it and merges the keys, but other TOML tools will not.',
        severity: 'warning',
        code: 'toml10-table-extension',
      });
    }
    const flags: TreeFlags = { mixedArray: false, negativeZero: false, emptyKey: false, droppedValues: false };
    const root = toNode(table, flags);
    // Streamlit reads the file in text mode (universal newlines): CRLF inside strings becomes LF.
    if (text.includes('\r')) normaliseLineEndings(root);
    checkWithSyntaxTree(text, prepared, splits, flags, problems);
    return { prepared, splits, problems, root };
  } catch (e) {
    if (e instanceof StreamlitRejects) return fail(e.reason, e.code, e.range, false);
    if (e instanceof TomlSyntax) {
      const start = toOriginalOffset(prepared, e.ptr);
      return fail(e.description, 'toml-syntax', tokenRangeAt(text, start), true);
    }
    if (e instanceof RangeError) {
      // Stack overflow on pathological nesting: no text in the message either way.
      return fail('the document is nested too deeply', 'toml-syntax', { start: 0, end: 1 }, true);
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing with Streamlit's lenient table merging

const REDEFINE = /^trying to redefine an already defined (table or )?value$/;

/** A smol-toml error: its whitelisted description and its offset in the (repaired) text. */
class TomlSyntax extends Error {
  constructor(
    readonly description: string,
    readonly ptr: number,
  ) {
    super(description);
  }
}

/** The first window parsed when looking for a parse error; each next one is four times larger. */
const firstWindow = 256;

/**
 * smol-toml's parse of `prefix + text.slice(from)`, or its first error, at a cost proportional
 * to where that error is rather than to the length of the text: windows of whole lines, each four
 * times the last, are parsed until one parses to the end of the text or fails before its last line
 * in a way a cut cannot cause (a redefinition, an illegal key character: the parser decides those
 * from the text before them). Any other error is confirmed on the whole rest. A smol-toml error
 * costs a split of its whole input into lines, so an error found in a window costs the window,
 * not the file. Error offsets are in `text`.
 */
function parseFirst(prefix: string, text: string, from: number): TomlObject | TomlSyntax {
  for (let size = firstWindow; ; size *= 4) {
    const newline = from + size >= text.length ? -1 : text.indexOf('\n', from + size);
    const cut = newline < 0 ? text.length : newline + 1;
    const window = prefix + text.slice(from, cut);
    try {
      const table = parseToml(window, { integersAsBigInt: true }) as TomlObject;
      if (cut === text.length) return table;
    } catch (e) {
      if (!(e instanceof TomlError)) throw e;
      const description = describe(e);
      const ptr = from + Math.max(0, offsetOfLineColumn(window, e.line, e.column) - prefix.length);
      const lastLineStart = text.lastIndexOf('\n', cut - 2) + 1;
      const decidedBefore = REDEFINE.test(description) || description === 'illegal character in key';
      if (cut === text.length || (decidedBefore && ptr < lastLineStart)) return new TomlSyntax(description, ptr);
    }
  }
}

/** A header naming the table key-value lines parsed apart belong to (empty for the root). */
function contextHeader(context: string[]): string {
  return context.length === 0 ? '' : `[${context.map((k) => JSON.stringify(k)).join('.')}]\n`;
}

/**
 * smol-toml parse; when TOML 1.0 forbids extending an already defined table (an inline table, a
 * table inside a static array, a table closed by dotted keys) but `toml` 0.10.2 merges it, parse
 * the rest separately and merge as Streamlit does, in document order (Streamlit reads the file
 * line by line, and stops at the first key defined twice). Each piece is parsed once (parseFirst
 * costs the piece, not the rest of the file) and merged into what came before at a cost of its
 * own size, so a file of many such lines stays linear.
 */
function parseWithMerges(text: string, splits: MergeSplit[]): TomlObject {
  let merged: TomlObject | undefined;
  let from = 0;
  let injected = '';
  let split: MergeSplit | undefined;
  const add = (piece: TomlObject): void => {
    if (merged === undefined) merged = piece;
    else {
      mergeLikeStreamlit(merged, piece, split!.range);
      splits.push(split!);
    }
  };
  for (;;) {
    const parsed = parseFirst(injected, text, from);
    if (!(parsed instanceof TomlSyntax)) {
      add(parsed);
      return merged!;
    }
    if (!REDEFINE.test(parsed.description)) throw parsed;
    const lineStart = text.lastIndexOf('\n', parsed.ptr - 1) + 1;
    if (lineStart <= from) throw parsed;
    // The piece before the line that TOML 1.0 rejects.
    const headText = injected + text.slice(from, lineStart);
    let head: TomlObject;
    try {
      head = parseToml(headText, { integersAsBigInt: true }) as TomlObject;
    } catch (e) {
      if (!(e instanceof TomlError)) throw e;
      throw new TomlSyntax(describe(e), from + Math.max(0, offsetOfLineColumn(headText, e.line, e.column) - injected.length));
    }
    const line = text.slice(lineStart, lineEnd(text, lineStart));
    const isHeader = /^[ \t]*\[/.test(line);
    const context = isHeader ? [] : currentTablePath(headText);
    if (context === undefined) throw parsed;
    if (isHeader && !/^[ \t]*\[\[/.test(line)) {
      // `toml` 0.10.2: re-opening a table that exists ("What? x already exists?") is an error.
      const path = headerPath(line);
      if (path === undefined || lookup(head, path) !== undefined) throw parsed;
    }
    add(head);
    const range = { start: lineStart, end: lineStart + Math.max(1, line.trimEnd().length) };
    // `toml` 0.10.2 merges a line into a table defined before, but not a key assigned twice
    // ("Duplicate keys!"), not even an empty array or table.
    const keys = isHeader ? undefined : assignedKey(line);
    if (keys !== undefined && lookup(merged!, [...context, ...keys]) !== undefined) throw new StreamlitRejects('a key is defined twice', 'streamlit-duplicate-key', range);
    split = { start: lineStart, context, range };
    // Key-value lines are re-parsed under a synthetic header naming the table they belong to.
    injected = contextHeader(context);
    from = lineStart;
  }
}

/** Path of the last `[table]` / `[[array]]` header before `prefix`'s end (lexical, best effort). */
function currentTablePath(prefix: string): string[] | undefined {
  const headers = [...prefix.matchAll(/^[ \t]*\[\[?([^\n]*?)\]\]?[ \t]*(#[^\n]*)?$/gm)];
  const last = headers[headers.length - 1];
  if (last === undefined) return [];
  return headerPath(last[0]);
}

function headerPath(line: string): string[] | undefined {
  const m = /^[ \t]*\[\[?(.*?)\]\]?[ \t]*(#.*)?$/.exec(line.trimEnd());
  if (!m) return undefined;
  try {
    const probe = parseToml(`[${m[1]}]`) as TomlObject;
    const path: string[] = [];
    let t: unknown = probe;
    while (isTable(t)) {
      const keys = Object.keys(t);
      if (keys.length !== 1) break;
      path.push(keys[0]);
      t = t[keys[0]];
    }
    return path;
  } catch {
    return undefined;
  }
}

/** The key a `key = value` line assigns (its dotted parts), or undefined when that is unclear. */
function assignedKey(line: string): string[] | undefined {
  // The key ends at the first `=` outside quotes.
  let quote = '';
  let equals = -1;
  for (let i = 0; i < line.length && equals < 0; i++) {
    const c = line[i];
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '=') equals = i;
  }
  if (equals < 0) return undefined;
  const probe = parseLine(`${line.slice(0, equals)}= 0`);
  if (probe === undefined) return undefined;
  const path: string[] = [];
  let t: unknown = probe;
  while (isTable(t)) {
    const keys = Object.keys(t);
    if (keys.length !== 1) return undefined;
    path.push(keys[0]);
    t = t[keys[0]];
  }
  return path;
}

/** One line parsed alone, or undefined. */
function parseLine(text: string): TomlObject | undefined {
  try {
    return parseToml(text, { integersAsBigInt: true }) as TomlObject;
  } catch {
    return undefined;
  }
}

function lookup(table: TomlObject, path: string[]): unknown {
  let t: unknown = table;
  for (const k of path) {
    if (Array.isArray(t)) t = t[t.length - 1];
    if (!isTable(t) || !Object.prototype.hasOwnProperty.call(t, k)) return undefined;
    t = t[k];
  }
  return t;
}

function mergeLikeStreamlit(dst: TomlObject, src: TomlObject, range: TextRange): void {
  for (const key of Object.keys(src)) {
    const s = src[key];
    if (!Object.prototype.hasOwnProperty.call(dst, key)) {
      dst[key] = s;
      continue;
    }
    const d = dst[key];
    if (isTable(d) && isTable(s)) mergeLikeStreamlit(d, s, range);
    else if (Array.isArray(d) && isTable(s) && isTable(d[d.length - 1])) mergeLikeStreamlit(d[d.length - 1] as TomlObject, s, range);
    else if (Array.isArray(d) && Array.isArray(s) && s.every(isTable) && d.every(isTable)) for (const item of s) d.push(item);
    else throw new StreamlitRejects('a key is defined twice', 'streamlit-duplicate-key', range);
  }
}

function isTable(v: unknown): v is TomlObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

// ---------------------------------------------------------------------------------------------
// Non-ASCII bare keys

/**
 * Quotes the bare key around `ptr` if it holds non-ASCII letters (Streamlit accepts those), and
 * every further one the scan finds from its line on.
 */
function repairNonAsciiKey(prepared: PreparedToml, ptr: number, problems: TomlProblem[]): boolean {
  const t = prepared.text;
  if (ptr >= t.length || t.charCodeAt(ptr) < 0x80 || !isBareKeyChar(t, ptr)) return false;
  const lineStart = t.lastIndexOf('\n', ptr - 1) + 1;
  // `toml` 0.10.2 rejects non-ASCII names in table headers ("Invalid group name").
  if (/^[ \t]*\[/.test(t.slice(lineStart, ptr))) return false;
  let start = ptr;
  while (start > lineStart && isBareKeyChar(t, start - 1)) start--;
  let end = ptr;
  while (end < t.length && isBareKeyChar(t, end)) end++;
  quoteBareKeys(prepared, [[start, end]], problems);
  if (/^[ \t]*$/.test(t.slice(lineStart, start))) quoteBareKeys(prepared, findNonAsciiBareKeys(prepared.text, lineStart), problems);
  return true;
}

/**
 * `key = [` with nothing but blanks and comments after it to the end of the file: `toml` 0.10.2
 * loads an empty list (say, `[secrets] files = [` in config.toml: no secrets file is read). The
 * repaired text closes the array.
 */
function closeArrayOpenAtEnd(prepared: PreparedToml, problems: TomlProblem[]): void {
  const t = prepared.text;
  for (let end = t.length; end > 0; ) {
    const lineStart = t.lastIndexOf('\n', end - 1) + 1;
    const line = t.slice(lineStart, end);
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      end = lineStart - 1;
      continue;
    }
    const hash = line.indexOf('#');
    const code = (hash < 0 ? line : line.slice(0, hash)).trimEnd();
    if (!/^[ \t]*[^\s#[=][^=]*=[ \t]*\[$/.test(code)) return;
    const bracket = lineStart + code.length - 1;
    const at = toOriginalOffset(prepared, bracket);
    prepared.text = t + ']';
    prepared.insertions = mergeSorted(prepared.insertions, [toOriginalOffset(prepared, t.length)]);
    problems.push({
      range: { start: at, end: at + 1 },
      message: 'This list is never closed (the file ends first). Streamlit\'s TOML parser reads it as an empty list; other TOML tools reject the file. Close it with "]".',
      severity: 'warning',
      code: 'streamlit-unclosed-array',
    });
    return;
  }
}

/** Quotes bare keys (ascending, disjoint spans of the repaired text) in one pass, with a warning each. */
function quoteBareKeys(prepared: PreparedToml, spans: KeySpan[], problems: TomlProblem[]): void {
  if (spans.length === 0) return;
  const t = prepared.text;
  const parts: string[] = [];
  const added: number[] = [];
  let last = 0;
  for (const [start, end] of spans) {
    parts.push(t.slice(last, start), '"', t.slice(start, end), '"');
    last = end;
    const originalStart = toOriginalOffset(prepared, start);
    const originalEnd = toOriginalOffset(prepared, end);
    added.push(originalStart, originalEnd);
    problems.push({
      range: { start: originalStart, end: originalEnd },
      message:
        'TOML 1.0 rejects non-ASCII characters in a bare key; Streamlit accepts it, but other TOML tools will not. Quote the key to be safe.',
      severity: 'warning',
      code: 'toml10-non-ascii-key',
    });
  }
  parts.push(t.slice(last));
  prepared.text = parts.join('');
  prepared.insertions = mergeSorted(prepared.insertions, added);
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Value tree

interface TreeFlags {
  mixedArray: boolean;
  negativeZero: boolean;
  emptyKey: boolean;
  /** An array starting with an inline table held other values, which Streamlit drops. */
  droppedValues: boolean;
}

/** The type as `toml` 0.10.2 compares it for its "homogeneous array" rule (its own type names). */
function pythonTypeClass(node: SecretNode): string {
  // toml 0.10.2 compares its own type names: dates and date-times are all "date".
  if (node.kind === 'offset-datetime' || node.kind === 'local-datetime' || node.kind === 'local-date') return 'datetime';
  return node.kind;
}

function toNode(value: unknown, flags: TreeFlags): SecretNode {
  switch (typeof value) {
    case 'string':
      return { kind: 'string', value };
    case 'bigint':
      return { kind: 'integer', value };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'number':
      if (Object.is(value, -0)) {
        flags.negativeZero = true;
        return { kind: 'float', value: 0 };
      }
      return { kind: 'float', value };
    default:
      break;
  }
  if (value instanceof TomlDate) return { kind: dateKind(value), value: value.toISOString() };
  if (Array.isArray(value)) {
    let kept: unknown[] = value;
    if (isTable(value[0]) && value.some((v) => !isTable(v))) {
      // `toml` 0.10.2 reads an array that starts with an inline table as its inline tables only
      // (also those inside nested arrays): every other value is dropped without an error.
      kept = inlineTablesOf(value);
      flags.droppedValues = true;
    }
    const items = kept.map((v) => toNode(v, flags));
    if (items.length > 1) {
      const first = pythonTypeClass(items[0]);
      if (items.some((i) => pythonTypeClass(i) !== first)) flags.mixedArray = true;
    }
    return { kind: 'array', items };
  }
  const children = new Map<string, SecretNode>();
  const table = value as TomlObject;
  for (const k in table) {
    if (k === '') flags.emptyKey = true;
    children.set(k, toNode(table[k], flags));
  }
  return { kind: 'table', children };
}

/** The tables of an array and of the arrays nested in it, in order. */
function inlineTablesOf(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) {
    if (isTable(v)) out.push(v);
    else if (Array.isArray(v)) out.push(...inlineTablesOf(v));
  }
  return out;
}

function normaliseLineEndings(node: SecretNode): void {
  if (node.kind === 'string' && typeof node.value === 'string') node.value = node.value.replace(/\r\n/g, '\n');
  node.items?.forEach(normaliseLineEndings);
  node.children?.forEach(normaliseLineEndings);
}

function dateKind(d: TomlDate): SecretValueKind {
  if (d.isDate()) return 'local-date';
  if (d.isTime()) return 'local-time';
  return d.isLocal() ? 'local-datetime' : 'offset-datetime';
}

// ---------------------------------------------------------------------------------------------
// Checks that need positions: run on toml-eslint-parser's tree, only when a cheap test says so.

const ZERO_EXPONENT_HINT = /(?:^|[=,[{\s])[+-]?0[eE]/;
const MULTILINE_HINT = /"""|'''/;
/** A value in an inline table that Streamlit's parser rejects: `+…`, `inf`, `nan`. */
const INLINE_VALUE_HINT = /\{[^}\n]*=[ \t]*(?:\+|inf|nan)/;

/** TOML 1.1 escapes, inline tables with a trailing comma or a line break, times without seconds. */
const TOML11_HINT = /\\[ex]|,[ \t]*(?:#[^\n]*)?\r?\n?[ \t]*\}|\{[^}\n]*\n|(?<![\d:])\d\d:\d\d(?![:\d])/;

/** Whether some line has a space before or after a dot ahead of its first `=` (one pass over the text). */
function hasDottedKeySpace(text: string): boolean {
  if (!(text.includes(' .') || text.includes('. ') || text.includes('\t.') || text.includes('.\t'))) return false;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const equals = text.indexOf('=', start);
    // A hint only (the tree decides): the part before the line's first `=` holds a spaced dot.
    if (equals >= 0 && equals < end) {
      const head = text.slice(start, equals);
      if (/^[ \t]*[^\s#[=]/.test(head) && /\.[ \t]|[ \t]\./.test(head)) return true;
    }
    start = end + 1;
  }
  return false;
}

function checkWithSyntaxTree(original: string, prepared: PreparedToml, splits: MergeSplit[], flags: TreeFlags, problems: TomlProblem[]): void {
  const whole = prepared.text;
  const needTree =
    flags.mixedArray ||
    flags.negativeZero ||
    flags.emptyKey ||
    flags.droppedValues ||
    ZERO_EXPONENT_HINT.test(whole) ||
    INLINE_VALUE_HINT.test(whole) ||
    MULTILINE_HINT.test(whole) ||
    TOML11_HINT.test(whole) ||
    hasDottedKeySpace(whole);
  if (!needTree) return;
  // A document repaired by split-and-merge is checked piece by piece, as it was parsed.
  const cuts = [0, ...splits.map((split) => split.start), whole.length];
  let unreadable = false;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const injected = i === 0 ? '' : contextHeader(splits[i - 1].context);
    const piece = injected + whole.slice(cuts[i], cuts[i + 1]);
    if (!checkPiece(original, prepared, piece, cuts[i] - injected.length, injected.length, problems)) unreadable = true;
  }
  if (unreadable) {
    // Pieces toml-eslint-parser cannot read: fall back to value-level findings.
    if (flags.mixedArray) throw new StreamlitRejects('an array mixes values of different types ("Not a homogeneous array")', 'streamlit-mixed-array', undefined);
    if (flags.negativeZero) problems.push(negativeZeroWarning({ start: 0, end: Math.min(1, original.length) }));
    if (flags.droppedValues) problems.push(droppedValuesWarning({ start: 0, end: Math.min(1, original.length) }));
  }
}

/** Why Streamlit rejects TOML 1.1 syntax, from toml-eslint-parser's TOML 1.0 error (its fixed wording, never the file's text). */
function toml11Reason(message: string): string {
  if (message.startsWith('Invalid character in escape sequence')) return 'a string uses an escape sequence that only TOML 1.1 has (\\e or \\xHH); Streamlit\'s TOML parser rejects it ("Reserved escape sequence used")';
  if (message.startsWith('Trailing comma')) return 'an inline table ends with a comma (TOML 1.1 syntax); Streamlit\'s TOML parser rejects it ("Invalid inline table")';
  if (message.startsWith('No newlines are allowed')) return 'an inline table spans several lines (TOML 1.1 syntax); Streamlit\'s TOML parser rejects it';
  return 'a time without seconds or other TOML 1.1 syntax; Streamlit\'s TOML parser rejects it';
}

/**
 * The syntax-tree checks of one piece of the repaired text (`shift`: where its offset 0 is in the
 * repaired text; its first `skip` characters are a synthetic header). False when the piece is
 * not TOML 1.0 or 1.1 that toml-eslint-parser reads.
 */
function checkPiece(original: string, prepared: PreparedToml, text: string, shift: number, skip: number, problems: TomlProblem[]): boolean {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text, { tomlVersion: '1.0' });
  } catch (error) {
    // smol-toml reads TOML 1.1; `toml` 0.10.2 does not: what only 1.1 allows fails the load.
    try {
      parseTOML(text, { tomlVersion: '1.1' });
    } catch {
      return false;
    }
    const index = (error as { index?: unknown }).index;
    const at = Math.max(skip, typeof index === 'number' ? index : skip) + shift;
    const start = toOriginalOffset(prepared, at);
    throw new StreamlitRejects(toml11Reason(error instanceof Error ? error.message : ''), 'streamlit-toml11-syntax', tokenRangeAt(original, start));
  }
  const map = (r: [number, number]): TextRange =>
    clampRange(original, { start: toOriginalOffset(prepared, r[0] + shift), end: toOriginalOffset(prepared, r[1] + shift) });

  for (const token of ast.tokens) {
    if (token.range[0] < skip) continue;
    if (token.type === 'Float' && /^[+-]?0[eE]/.test(token.value)) {
      throw new StreamlitRejects('a float with a zero before its exponent (like 0e0) is rejected by Streamlit\'s TOML parser ("Weirdness with leading zeroes")', 'streamlit-zero-exponent', map(token.range));
    }
    if (token.type === 'MultiLineBasicString' || token.type === 'MultiLineLiteralString') {
      const raw = text.slice(token.range[0], token.range[1]);
      const q = raw[0];
      let open = 0;
      while (raw[open] === q) open++;
      let close = 0;
      while (raw[raw.length - 1 - close] === q) close++;
      if (open !== close) {
        throw new StreamlitRejects('a multi-line string starts or ends with a quote character next to its delimiter, which Streamlit\'s TOML parser cannot read', 'streamlit-multiline-quotes', map(token.range));
      }
    }
  }

  let rejection: StreamlitRejects | undefined;
  const reject = (reason: string, code: string, r: [number, number]): void => {
    rejection ??= new StreamlitRejects(reason, code, map(r));
  };
  const visitValue = (node: AST.TOMLContentNode, inInline: boolean, inArray: boolean): void => {
    if (node.type === 'TOMLArray' && node.elements[0]?.type === 'TOMLInlineTable') {
      const kept = inlineTableNodesOf(node.elements);
      if (kept.length !== node.elements.length) problems.push(droppedValuesWarning(map(node.range)));
      for (const el of kept) visitValue(el, inInline, true);
    } else if (node.type === 'TOMLArray') {
      const classes = node.elements.map(astTypeClass);
      if (classes.some((c) => c !== classes[0])) {
        reject('an array mixes values of different types ("Not a homogeneous array")', 'streamlit-mixed-array', node.range);
      }
      for (const el of node.elements) visitValue(el, inInline, true);
    } else if (node.type === 'TOMLInlineTable') {
      for (const kv of node.body) visitKeyValue(kv, true, inArray);
    } else if (node.kind === 'string' && node.multiline) {
      const raw = text.slice(node.range[0], node.range[1]);
      if (inInline && raw.includes('\n')) {
        reject('a multi-line string spanning several lines inside an inline table', 'streamlit-multiline-in-inline-table', node.range);
      } else if (inArray && raw.includes('\n') && raw.includes(',')) {
        reject('a multi-line string with a comma and a line break inside an array', 'streamlit-multiline-in-array', node.range);
      }
    } else if (node.kind === 'float' && Object.is(node.value, -0)) {
      problems.push(negativeZeroWarning(map(node.range)));
    }
  };
  const visitKey = (key: AST.TOMLKey, isHeader: boolean): void => {
    key.keys.forEach((k, i) => {
      const name = k.type === 'TOMLBare' ? k.name : k.value;
      if (name === '' && (isHeader || i < key.keys.length - 1)) {
        reject(isHeader ? 'a table header with an empty name' : 'a dotted key with an empty part', 'streamlit-empty-key', k.range);
      }
      if (isHeader || i === key.keys.length - 1) return;
      const next = key.keys[i + 1];
      const gap = text.slice(k.range[1], next.range[0]);
      const dot = gap.indexOf('.');
      if ((k.type === 'TOMLQuoted' && dot > 0) || (next.type === 'TOMLBare' && dot < gap.length - 1)) {
        reject('a dotted key with spaces around a dot', 'streamlit-dotted-key-space', [k.range[0], next.range[1]]);
      } else if (k.type === 'TOMLBare' && dot > 0) {
        problems.push({
          range: map([k.range[0], next.range[1]]),
          message:
            'Streamlit keeps the spaces before the dot in this dotted key as part of the key name (TOML 1.0 ignores them). Remove the spaces.',
          severity: 'warning',
          code: 'streamlit-dotted-key-space',
        });
      }
    });
  };
  const visitKeyValue = (kv: AST.TOMLKeyValue, inInline: boolean, inArray: boolean): void => {
    visitKey(kv.key, false);
    if (inInline && kv.value.type === 'TOMLValue' && /^(?:\+|inf$|nan$)/.test(text.slice(kv.value.range[0], kv.value.range[1]))) {
      reject('an inline table holds a value written with a plus sign, inf or nan, which Streamlit\'s TOML parser rejects ("Invalid inline table value encountered")', 'streamlit-inline-table-value', kv.value.range);
    }
    visitValue(kv.value, inInline, inArray);
  };
  for (const item of ast.body[0].body) {
    if (item.type === 'TOMLTable') {
      if (item.range[0] >= skip) visitKey(item.key, true);
      for (const kv of item.body) visitKeyValue(kv, false, false);
    } else {
      visitKeyValue(item, false, false);
    }
  }
  if (rejection) throw rejection;
  return true;
}

/** The inline tables of an array and of the arrays nested in it, in order. */
function inlineTableNodesOf(elements: AST.TOMLContentNode[]): AST.TOMLInlineTable[] {
  const out: AST.TOMLInlineTable[] = [];
  for (const el of elements) {
    if (el.type === 'TOMLInlineTable') out.push(el);
    else if (el.type === 'TOMLArray') out.push(...inlineTableNodesOf(el.elements));
  }
  return out;
}

function droppedValuesWarning(range: TextRange): TomlProblem {
  const message = 'This array starts with an inline table: Streamlit\'s TOML parser keeps only its inline tables and silently drops every other value (TOML 1.0 reads them all).';
  return { range, message, severity: 'warning', code: 'streamlit-array-drops-values' };
}

function astTypeClass(node: AST.TOMLContentNode): string {
  if (node.type === 'TOMLArray') return 'array';
  if (node.type === 'TOMLInlineTable') return 'table';
  if (node.kind === 'offset-date-time' || node.kind === 'local-date-time' || node.kind === 'local-date') return 'datetime'; // one "date" type to toml 0.10.2
  return node.kind;
}

function negativeZeroWarning(range: TextRange): TomlProblem {
  const message = 'TOML 1.0 reads this as negative zero (-0.0); Streamlit accepts it but loads it as 0.0.';
  return { range, message, severity: 'warning', code: 'streamlit-negative-zero' };
}

// ---------------------------------------------------------------------------------------------
// Offsets and messages

/** The parser's description, whitelisted: smol-toml messages end with a code block quoting the file. */
function describe(e: TomlError): string {
  const first = e.message.split('\n')[0].replace(/^Invalid TOML document: /, '');
  return SAFE_PARSER_MESSAGES.has(first) ? first : 'invalid value';
}

/** smol-toml counts lines split on /\r?\n/ and columns in UTF-16 units, both 1-based. */
function offsetOfLineColumn(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    start = nl + 1;
  }
  return Math.min(start + column - 1, text.length);
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** 1-based line and column of an offset (lines end at LF, like Python's universal newlines for CRLF). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The token at `start`: up to the next separator, at least one character, never past the end. */
function tokenRangeAt(text: string, start: number): TextRange {
  if (text.length === 0) return { start: 0, end: 0 };
  if (start >= text.length) return { start: text.length - 1, end: text.length };
  let end = start;
  while (end < text.length && !/[\s=,[\]{}#]/.test(text[end])) end++;
  if (end === start) end = start + 1;
  return { start, end };
}

function clampRange(text: string, r: TextRange): TextRange {
  const start = Math.max(0, Math.min(r.start, text.length));
  const end = Math.max(start, Math.min(r.end, text.length));
  if (end === start && text.length > 0) {
    return start < text.length ? { start, end: start + 1 } : { start: text.length - 1, end: text.length };
  }
  return { start, end };
}

// ---------------------------------------------------------------------------------------------
// Bytes → text

/**
 * Decodes a secrets file's bytes as Streamlit does (`open(path, encoding="utf-8")`). A BOM is kept
 * in the text (parseSecretsToml reports what Streamlit does with it). NUL bytes in valid UTF-8 are
 * text to Python and to `toml` 0.10.2 (a NUL in a comment loads fine): the parser decides; with
 * invalid UTF-8 as well, the file is binary and Streamlit's read fails.
 */
export function decodeSecretsFile(
  bytes: Uint8Array,
): { text: string; problems: TomlProblem[] } | { binary: true; problem: TomlProblem } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), problems: [] };
  } catch {
    if (bytes.includes(0)) {
      return {
        binary: true,
        problem: {
          range: { start: 0, end: 0 },
          message: 'This file contains NUL bytes and is not valid UTF-8, so it is not a text file. Streamlit cannot load it (UnicodeDecodeError).',
          severity: 'error',
          code: 'binary-file',
        },
      };
    }
    const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
    const bad = text.indexOf('\ufffd');
    const start = bad < 0 ? 0 : bad;
    return {
      text,
      problems: [
        {
          range: clampRange(text, { start, end: start + 1 }),
          message:
            'This file is not valid UTF-8. Streamlit reads secrets files as UTF-8 and will fail to load it (UnicodeDecodeError). Save the file as UTF-8.',
          severity: 'error',
          code: 'invalid-utf8',
        },
      ],
    };
  }
}
