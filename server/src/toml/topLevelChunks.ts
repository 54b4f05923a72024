// Re-parsing a large secrets file after a one-character edit, without re-parsing all of it.
//
// A TOML document splits into runs of lines that each define their own top-level keys: the lines
// before the first table header (root keys), then one run per first key of the headers (`[db]`,
// `[db.replica]` → one run for `db`; `[auth]` → the next). Each header sets its context absolutely,
// so a run means the same thing parsed alone as inside the document. Parsing the runs separately
// and putting their top-level keys side by side gives the document's table — as long as no
// top-level key is defined in two runs (then TOML's rules across runs apply: not composed). An edit
// changes one run; the others are found again by their text and their parse is reused.
//
// The split is a cheap line scan, and it can be fooled: a line starting with `[` inside a multi-line
// string or array is not a header. Such a split leaves the string or array unterminated in the run
// before it, so that run fails to parse, and the whole text is parsed at once instead. Whatever
// the split, a composed result is only returned when every run loads (warnings allowed: they are
// local to the lines they describe, and their ranges are shifted to the run's place) — otherwise
// the caller parses the whole text as before. Tests check the composed result equals the whole parse on the toml-test corpus,
// the fixtures and random edits of them.
import type { ParsedSecretsToml, SecretNode, TomlProblem } from './types';

/** A run of lines: `[start, end)` in the text; `firstKey` of its headers (undefined: root lines). */
export interface TopLevelChunk {
  start: number;
  end: number;
  firstKey: string | undefined;
}

/** Parses of recent runs by their text: the memory one re-parse hands to the next. */
export type ChunkMemo = Map<string, ParsedSecretsToml>;

/** Texts shorter than this are parsed whole: one parse of a small file costs less than the split. */
export const minChunkedLength = 16 * 1024;

/** Splits `text` at table headers whose first key differs from the current run's. */
export function splitTopLevelChunks(text: string): TopLevelChunk[] {
  const chunks: TopLevelChunk[] = [];
  let current: TopLevelChunk = { start: 0, end: text.length, firstKey: undefined };
  let lineStart = 0;
  while (lineStart < text.length) {
    let i = lineStart;
    while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (text.charCodeAt(i) === 91 /* [ */) {
      const key = headerFirstKey(text, i);
      if (key !== undefined && key !== current.firstKey && !(current.firstKey === undefined && lineStart === 0)) {
        current.end = lineStart;
        chunks.push(current);
        current = { start: lineStart, end: text.length, firstKey: key };
      } else if (key !== undefined && lineStart === 0) {
        current.firstKey = key;
      }
    }
    const newline = text.indexOf('\n', i);
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  chunks.push(current);
  return chunks;
}

/** First key of a header at `at` (`[`): bare, or quoted without escapes; undefined when unsure. */
function headerFirstKey(text: string, at: number): string | undefined {
  let i = at + 1;
  if (text.charCodeAt(i) === 91) i++;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  const quote = text[i];
  if (quote === '"' || quote === "'") {
    const close = text.indexOf(quote, i + 1);
    if (close < 0) return undefined;
    const key = text.slice(i + 1, close);
    if (/[\\\n\r]/.test(key)) return undefined;
    return `${quote}${key}`; // quoted and bare spellings never compare equal: only a hint for the split
  }
  let end = i;
  while (end < text.length && isBareKeyCode(text.charCodeAt(end))) end++;
  return end > i ? text.slice(i, end) : undefined;
}

function isBareKeyCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** `1`, `42`: keys a JavaScript object lists first, whatever their place in the file. */
function isArrayIndexLike(key: string): boolean {
  return /^(?:0|[1-9]\d{0,8})$/.test(key);
}

/**
 * The document's parse composed from its runs' parses, reusing what `known` gives (runs of an
 * earlier version), or undefined when the runs cannot be composed exactly (the caller then parses the
 * whole text). `next` receives every run's parse, for the next version.
 */
export function parseByTopLevelChunks(
  text: string,
  parseWhole: (text: string) => ParsedSecretsToml,
  known: (chunkText: string) => ParsedSecretsToml | undefined,
  next: ChunkMemo,
): ParsedSecretsToml | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined; // the BOM belongs to the first key: parse whole
  const chunks = splitTopLevelChunks(text);
  if (chunks.length < 2) return undefined;
  const children = new Map<string, SecretNode>();
  const problems: TomlProblem[] = [];
  for (const chunk of chunks) {
    const chunkText = text.slice(chunk.start, chunk.end);
    const parsed = next.get(chunkText) ?? known(chunkText) ?? parseWhole(chunkText);
    next.set(chunkText, parsed);
    const root = parsed.root;
    if (parsed.streamlitError !== undefined || root?.kind !== 'table' || root.children === undefined) return undefined;
    if (parsed.problems.some((p) => p.severity === 'error')) return undefined;
    for (const p of parsed.problems) problems.push({ ...p, range: { start: p.range.start + chunk.start, end: p.range.end + chunk.start } });
    for (const [key, node] of root.children) {
      if (children.has(key) || isArrayIndexLike(key)) return undefined;
      children.set(key, node);
    }
  }
  return { root: { kind: 'table', children }, problems: orderProblems(problems) };
}

/** Where a problem of each code comes in a parse's list: the order in which the parser finds them. */
const problemRank: Record<string, number> = { 'streamlit-bom-key': 0, 'toml10-non-ascii-key': 1, 'streamlit-unclosed-array': 2, 'toml10-table-extension': 3 };

/**
 * A parse's problems in one canonical order (by the stage that finds them, then by place, errors
 * last), so that a parse composed from runs lists them as the whole-text parse does.
 */
export function orderProblems(problems: TomlProblem[]): TomlProblem[] {
  const rank = (p: TomlProblem): number => (p.severity === 'error' ? 9 : (problemRank[p.code] ?? 4));
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(a.p) - rank(b.p) || a.p.range.start - b.p.range.start || a.i - b.i)
    .map(({ p }) => p);
}
