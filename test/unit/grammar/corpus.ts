// What the grammar "sees" in a tokenised TOML document, rebuilt from scopes alone, and what the
// toml-test corpus says the document contains (its X.json), so the two can be compared.
import * as path from 'node:path';
import { tomlTestCorpus } from '../../helpers/tomlTestCorpus';
import { type Token, type TokenizedLine } from './tokenize';

/** The TOML 1.0 conformance corpus `valid/` directory (fails loudly if it is missing). */
export function corpusValidDir(): string {
  return path.join(tomlTestCorpus(), 'valid');
}

export type ValueKind = 'string' | 'integer' | 'float' | 'bool' | 'datetime' | 'datetime-local' | 'date-local' | 'time-local';

/** Scope prefixes that identify each kind of scalar value. */
const VALUE_SCOPES: [string, ValueKind][] = [
  ['constant.numeric.integer.', 'integer'],
  ['constant.numeric.float.', 'float'],
  ['constant.language.boolean.', 'bool'],
  ['constant.other.time.datetime.offset.', 'datetime'],
  ['constant.other.time.datetime.local.', 'datetime-local'],
  ['constant.other.time.date.', 'date-local'],
  ['constant.other.time.time.', 'time-local'],
];

export const isKeyScope = (s: string): boolean =>
  s.startsWith('support.type.property-name.') || s.startsWith('entity.name.table.');
export const isStringScope = (s: string): boolean => s.startsWith('string.');

export interface Extracted {
  /** Every key part (bare, quoted, table-header part), decoded. */
  keys: string[];
  /** Every string value, decoded as TOML would decode it. */
  strings: string[];
  /** How many scalar tokens of each non-string kind there are. */
  counts: Record<ValueKind, number>;
  /** Tokens scoped `invalid.*`. */
  invalid: Token[];
}

function decodeEscapes(s: string): string {
  return s.replace(/\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'b': return '\b';
      case 't': return '\t';
      case 'n': return '\n';
      case 'f': return '\f';
      case 'r': return '\r';
      case 'u':
      case 'U': return String.fromCodePoint(parseInt(e.slice(1), 16));
      default: return e; // \" and \\
    }
  });
}

/** Decodes a string's raw text (delimiters included, lines joined with \n) given its scope. */
export function decodeString(raw: string, scope: string): string {
  if (scope.startsWith('string.quoted.triple.basic')) {
    let body = raw.slice(3, -3).replace(/^\n/, '');
    // A line-ending backslash swallows the newline and all whitespace/newlines that follow.
    body = body.replace(/\\([ \t]*\n[ \t\n]*)|\\(\\|.)/g, (m, nl: string | undefined) => (nl !== undefined ? '' : m));
    return decodeEscapes(body);
  }
  if (scope.startsWith('string.quoted.triple.literal')) return raw.slice(3, -3).replace(/^\n/, '');
  if (scope.startsWith('string.quoted.double')) return decodeEscapes(raw.slice(1, -1));
  if (scope.startsWith('string.quoted.single')) return raw.slice(1, -1);
  throw new Error(`unknown string scope ${scope}`);
}

function decodeKey(raw: string): string {
  if (raw.startsWith('"')) return decodeEscapes(raw.slice(1, -1));
  if (raw.startsWith("'")) return raw.slice(1, -1);
  return raw;
}

/**
 * Rebuilds keys and values from the scopes only: a key part is a maximal run of tokens in one key
 * scope; a string is the tokens from a `punctuation.definition.string.begin` to the matching end
 * (across lines); every other scalar is one token.
 */
export function extract(lines: TokenizedLine[]): Extracted {
  const keys: string[] = [];
  const strings: string[] = [];
  const counts = Object.fromEntries(VALUE_SCOPES.map(([, k]) => [k, 0])) as Record<ValueKind, number>;
  const invalid: Token[] = [];
  let key: { raw: string; line: number; end: number; depth: number } | undefined;
  let str: { raw: string; scope: string; depth: number } | undefined;
  const flushKey = () => {
    if (key) keys.push(decodeKey(key.raw));
    key = undefined;
  };
  for (const line of lines) {
    if (str) str.raw += '\n';
    for (const t of line.tokens) {
      if (t.scopes.some((s) => s.startsWith('invalid.'))) invalid.push(t);
      const keyDepth = t.scopes.findIndex(isKeyScope);
      // A new key part starts where the previous one's run is broken or a new quoted part opens.
      const opensQuoted = t.scopes.some((s) => s.startsWith('punctuation.support.type.property-name.begin') || s.startsWith('punctuation.definition.table.name.begin'));
      if (keyDepth >= 0 && key && !opensQuoted && key.line === t.line && key.end === t.startIndex && key.depth === keyDepth) {
        key.raw += t.text;
        key.end = t.endIndex;
        continue;
      }
      flushKey();
      if (keyDepth >= 0) {
        key = { raw: t.text, line: t.line, end: t.endIndex, depth: keyDepth };
        continue;
      }
      const strDepth = t.scopes.findIndex(isStringScope);
      if (strDepth >= 0) {
        if (!str) str = { raw: '', scope: t.scopes[strDepth], depth: strDepth };
        str.raw += t.text;
        if (t.scopes.includes('punctuation.definition.string.end.toml') && strDepth === str.depth) {
          strings.push(decodeString(str.raw, str.scope));
          str = undefined;
        }
        continue;
      }
      for (const [prefix, kind] of VALUE_SCOPES) {
        if (t.scopes.some((s) => s.startsWith(prefix))) {
          counts[kind]++;
          break;
        }
      }
    }
  }
  flushKey();
  if (str) strings.push(`<unterminated ${str.raw}>`);
  return { keys, strings, counts, invalid };
}

/** What the corpus's X.json says: every key, every string value, and how many scalars of each kind. */
export function expected(json: unknown): { keys: string[]; strings: string[]; counts: Record<ValueKind, number> } {
  const keys: string[] = [];
  const strings: string[] = [];
  const counts = Object.fromEntries(VALUE_SCOPES.map(([, k]) => [k, 0])) as Record<ValueKind, number>;
  const isLeaf = (v: object): v is { type: string; value: string } =>
    Object.keys(v).length === 2 && typeof (v as { type?: unknown }).type === 'string' && typeof (v as { value?: unknown }).value === 'string';
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (isLeaf(v)) {
        if (v.type === 'string') strings.push(v.value);
        else counts[v.type as ValueKind]++;
        return;
      }
      for (const [k, child] of Object.entries(v)) {
        keys.push(k);
        walk(child);
      }
    }
  };
  walk(json);
  return { keys, strings, counts };
}
