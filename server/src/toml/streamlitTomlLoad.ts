// What Streamlit's TOML parser — the PyPI `toml` package, version 0.10.2 — makes of a secrets
// file: whether it loads, and the value it loads. That parser is not a TOML parser in the usual
// sense: it masks comments and line breaks inside arrays in one pass over the characters, then
// reads the file line by line, cutting lines at `=`, `,`, `.` and quotes. Many malformed files load
// as a truncated or mangled value, and some valid ones load differently than TOML says. This
// module models that behaviour (docs/streamlit-model.md §5) so that our verdict and value are
// Streamlit's on every input; smol-toml stays the reader for TOML 1.0 diagnostics and locations.
//
// Every step is linear in the text (the original's repeated re-splitting is replaced by scans
// that remember where they stopped). Failure reasons are fixed sentences, never text of the file.
import { keyPathId, type SecretKeyLocations, type SecretNode, type SecretValueKind } from './types';

/** A value as Python holds it after `toml.loads`. */
type PyValue = PyTable | PyValue[] | PyScalar;
type PyTable = Map<string, PyValue>;
interface PyScalar {
  kind: Exclude<SecretValueKind, 'array' | 'table'>;
  value: string | bigint | number | boolean;
  /** The Python type name `toml` 0.10.2 compares for its "homogeneous array" rule. */
  type: string;
}

export type StreamlitLoad =
  | { ok: true; root: SecretNode }
  | { ok: false; reason: string; /** UTF-16 offset in the original text. */ offset: number };

class LoadFails extends Error {
  constructor(
    readonly reason: string,
    readonly at: number,
  ) {
    super(reason);
  }
}

/** Where keys are written, when asked (normalised-text offsets): `[start, end]` of the key and of its value. */
type Recorder = (path: string[], key: [number, number], value: [number, number]) => void;
let record: Recorder | undefined;

/** Blanks at the start and the end of `text` (Python's strip). */
function blanks(text: string): { lead: number; trail: number } {
  let lead = 0;
  while (lead < text.length && isPySpace(text[lead])) lead++;
  let trail = 0;
  while (trail < text.length - lead && isPySpace(text[text.length - 1 - trail])) trail++;
  return { lead, trail };
}

/**
 * Python's recursion limit (1000 frames): `toml` 0.10.2 reads nested arrays and inline tables by
 * recursion (two frames per array, three per inline table), so deep nesting raises RecursionError.
 * Counted as the shallowest caller would have it (the module and `loads`, plus one leaf call at
 * the deepest point): where it fails, Streamlit — deeper in its own stack — fails too.
 */
const RECURSION_LIMIT = 1000;
const FRAMES_AROUND = 3;
let frames = 0;
function nested<T>(read: () => T): T {
  if (++frames + FRAMES_AROUND > RECURSION_LIMIT) fail('values are nested too deeply for Streamlit\'s TOML parser (Python\'s recursion limit)');
  try {
    return read();
  } finally {
    frames--;
  }
}

/** Where in the normalised text a failure is reported when nothing more precise is known. */
let failAt = 0;
function fail(reason: string, at = failAt): never {
  throw new LoadFails(reason, at);
}

/** Python's `str.isspace()` characters (what `strip()` removes). */
const PY_SPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const isPySpace = (c: string | undefined): boolean => c !== undefined && c.length > 0 && PY_SPACE.test(c);
const PY_ALNUM = /^[\p{L}\p{N}]$/u;

function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isPySpace(s[a])) a++;
  while (b > a && isPySpace(s[b - 1])) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** `list[i]` with Python's negative indexes; undefined where Python raises IndexError. */
function pyAt<T>(list: ArrayLike<T>, i: number): T | undefined {
  const j = i < 0 ? i + list.length : i;
  return j >= 0 && j < list.length ? list[j] : undefined;
}

/** The value of a Unicode decimal digit (Python's int() and float() accept them all), or -1. */
function digitValue(c: string): number {
  const code = c.codePointAt(0)!;
  if (code >= 48 && code <= 57) return code - 48;
  if (code < 128 || !/^\p{Nd}$/u.test(c)) return -1;
  let zero = code;
  while (zero > 0 && /^\p{Nd}$/u.test(String.fromCodePoint(zero - 1))) zero--;
  return (code - zero) % 10;
}

/** `s` with every Unicode decimal digit written as its ASCII digit (Python's int() and float() read them all). */
function asciiDigits(s: string): string {
  let out = '';
  for (const c of s) {
    const d = c.length === 1 && c.charCodeAt(0) < 128 ? -1 : digitValue(c);
    out += d >= 0 ? String(d) : c;
  }
  return out;
}

/**
 * Python's `int(s)` (base 10), or undefined where it raises ValueError. A scan that stops at the
 * first character int() rejects (callers try many long suffixes of one line).
 */
function pyInt(s: string): bigint | undefined {
  let a = 0;
  let b = s.length;
  while (a < b && isPySpace(s[a])) a++;
  while (b > a && isPySpace(s[b - 1])) b--;
  let i = a;
  if (s[i] === '+' || s[i] === '-') i++;
  let digits = '';
  let underscore = true; // no underscore before the first digit
  for (; i < b; i++) {
    const c = s[i];
    if (c === '_') {
      if (underscore) return undefined;
      underscore = true;
      continue;
    }
    const d = digitValue(c);
    // Python refuses to convert more than 4300 decimal digits (sys.get_int_max_str_digits()).
    if (d < 0 || digits.length >= MAX_INT_DIGITS) return undefined;
    digits += String(d);
    underscore = false;
  }
  if (digits === '' || underscore) return undefined;
  const value = BigInt(digits);
  return s[a] === '-' ? -value : value;
}

/** Python's default limit of decimal digits int() converts (3.11 and the security releases before it). */
const MAX_INT_DIGITS = 4300;

/** Python's `int(s, 0)` on text without underscores, or undefined where it raises ValueError. */
function pyIntAnyBase(s: string): bigint | undefined {
  const t = asciiDigits(pyStrip(s));
  const m = /^([+-]?)(?:0([xob])([0-9a-f]+)|(\d+))$/i.exec(t);
  if (!m) return undefined;
  let value: bigint;
  if (m[2] !== undefined) {
    const base = m[2].toLowerCase();
    const digits = m[3];
    const valid = base === 'x' ? /^[0-9a-f]+$/i : base === 'o' ? /^[0-7]+$/ : /^[01]+$/;
    if (!valid.test(digits)) return undefined;
    value = BigInt(`0${base}${digits}`);
  } else {
    if (m[4].length > 1 && m[4][0] === '0' && /[1-9]/.test(m[4])) return undefined;
    if (m[4].length > MAX_INT_DIGITS) return undefined;
    value = BigInt(m[4]);
  }
  return m[1] === '-' ? -value : value;
}

/** Python's `float(s)`, or undefined where it raises ValueError. */
function pyFloat(s: string): number | undefined {
  const t = asciiDigits(pyStrip(s));
  const m = /^([+-]?)(?:(inf|infinity|nan)|((?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?)((?:e[+-]?\d(?:_?\d)*)?))$/i.exec(t);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2] !== undefined) return m[2].toLowerCase() === 'nan' ? NaN : sign * Infinity;
  const mantissa = m[3].replace(/_/g, '');
  if (!/\d/.test(mantissa)) return undefined;
  return sign * Number(mantissa + m[4].replace(/_/g, ''));
}

/** `toml` 0.10.2's "strictly valid number" test (leading zeros and misplaced underscores). */
function strictlyValidNumber(raw: string, lastAt: (pattern: string) => number = (pattern) => raw.lastIndexOf(pattern)): boolean {
  // `lastAt` answers "where is the last occurrence in raw" in O(1) for suffixes of one line.
  let a = 0;
  let b = raw.length;
  while (a < b && isPySpace(raw[a])) a++;
  while (b > a && isPySpace(raw[b - 1])) b--;
  if (a === b || raw[a] === '_' || raw[b - 1] === '_') return false;
  if (lastAt('_.') >= a || lastAt('._') >= a) return false;
  if (b - a === 1) return true;
  if (raw[a] === '0' && !'.obx'.includes(raw[a + 1])) return false;
  if (raw[a] === '+' || raw[a] === '-') {
    a++;
    if (b - a > 1 && raw[a] === '0' && raw[a + 1] !== '.') return false;
  }
  return lastAt('__') < a;
}

// ---------------------------------------------------------------------------------------------
// Dates and times

const TIME_PREFIX = /^(\d\d):(\d\d):(\d\d)(\.(\d{3,6}))?/;

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0');

function isoTime(h: number, m: number, s: number, micro: number): string {
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${micro === 0 ? '' : '.' + pad(micro, 6)}`;
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** An offset as `TomlTz` reads it (sign, then hours and minutes at fixed places), in minutes. */
function tomlTzMinutes(raw: string): number | undefined {
  const r = raw === 'Z' ? '+00:00' : raw;
  if (r.length === 0) fail('a date-time has an empty offset');
  const hours = pyInt(r.slice(1, 3));
  const minutes = pyInt(r.slice(4, 6));
  if (hours === undefined || minutes === undefined) return undefined;
  return (r[0] === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
}

/**
 * A date or date-time as `toml` 0.10.2 reads it from the start of `val` (fixed places: the rest
 * of the text is often ignored), or undefined. `plusFrom`/`minusFrom` find a sign at or after a
 * place (callers trying many suffixes of one line remember their searches).
 */
function readDate(val: string, find: (sign: string, from: number) => number = (sign, from) => val.indexOf(sign, from)): PyScalar | undefined {
  let micro = 0;
  let offset: number | undefined;
  if (val.length > 19) {
    if (val[19] === '.') {
      let fraction: string;
      let tz: string | undefined;
      if (val[val.length - 1].toUpperCase() === 'Z') {
        fraction = val.slice(20, -1);
        tz = 'Z';
      } else {
        const plus = find('+', 20);
        const minus = plus < 0 ? find('-', 20) : -1;
        const cut = plus >= 0 ? plus : minus;
        fraction = cut >= 0 ? val.slice(20, cut) : val.slice(20);
        tz = cut >= 0 ? val.slice(cut) : undefined;
      }
      // A ValueError anywhere here drops the offset (and keeps no fraction).
      const minutes = tz === undefined ? undefined : tomlTzMinutes(tz);
      const digits = pyInt(fraction);
      if ((tz !== undefined && minutes === undefined) || digits === undefined) offset = undefined;
      else {
        offset = minutes;
        micro = Math.trunc(Number(digits) * 10 ** (6 - fraction.length));
      }
    } else {
      offset = tomlTzMinutes(val.slice(19));
    }
  }
  if (find('-', 1) < 0) return undefined;
  const year = pyInt(val.slice(0, 4));
  const month = pyInt(val.slice(5, 7));
  const day = pyInt(val.slice(8, 10));
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const [y, mo, d] = [Number(year), Number(month), Number(day)];
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return undefined;
  const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
  if (val.length === 10) return { kind: 'local-date', value: date, type: 'date' };
  const parts = [val.slice(11, 13), val.slice(14, 16), val.slice(17, 19)].map(pyInt);
  if (parts.some((p) => p === undefined)) return undefined;
  const [h, mi, s] = parts.map(Number);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || micro < 0 || micro > 999999) return undefined;
  const text = `${date}T${isoTime(h, mi, s, micro)}`;
  if (offset === undefined) return { kind: 'local-datetime', value: text, type: 'date' };
  const abs = Math.abs(offset);
  return { kind: 'offset-datetime', value: `${text}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`, type: 'date' };
}

// ---------------------------------------------------------------------------------------------
// Strings

const SIMPLE_ESCAPES: Record<string, string> = { '0': '\0', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '"': '"' };

/** Whether `s` ends in an odd number of backslashes (before position `end`). */
function oddBackslashesBefore(s: ArrayLike<string>, end: number, stop = 0): boolean {
  let odd = false;
  for (let i = end - 1; i >= stop && s[i] === '\\'; i--) odd = !odd;
  return odd;
}

/** `\u`/`\U` escapes (4 or 8 hex digits) replaced, the way 0.10.2 pairs them with backslashes before. */
function replaceUnicodeEscapes(v: string, prefix: '\\u' | '\\U'): string {
  if (!v.includes(prefix)) return v;
  const pieces = v.split(prefix);
  const width = prefix === '\\U' ? 8 : 4;
  let out = pieces[0];
  let escaped = oddBackslashesBefore(pieces[0], pieces[0].length);
  for (let p = 1; p < pieces.length; p++) {
    const piece = pieces[p];
    if (escaped) {
      escaped = oddBackslashesBefore(piece, piece.length);
      out += prefix + piece;
      continue;
    }
    const hex = piece.slice(0, width).toLowerCase();
    if (/[^0-9a-f]/.test(hex)) fail('a string holds an invalid unicode escape');
    if (hex.length === 0 || (hex[0] === 'd' && (hex.length < 2 || !'01234567'.includes(hex[1])))) fail('a string holds an invalid unicode escape');
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) fail('a string holds an invalid unicode escape');
    out += String.fromCodePoint(code) + piece.slice(hex.length);
  }
  return out;
}

/** Backslash escapes replaced (`\u` kept as written: it was handled before, or skipped). */
function unescape(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = v[i + 1];
    if (next === undefined) {
      out += c;
    } else if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i++;
    } else if (next === '\\') {
      // The second backslash is kept and then read as plain text.
      out += '\\';
      i++;
    } else if (next === 'u' || next === 'U') {
      out += c + next;
      i++;
    } else {
      fail('a string uses an escape sequence Streamlit\'s TOML parser does not know ("Reserved escape sequence used")');
    }
  }
  return out;
}

function readString(v: string): PyScalar {
  const quote = v[0];
  let parts = v.slice(1).split(quote);
  let triple = false;
  if (parts.length > 1 && parts[0] === '' && parts[1] === '') {
    parts = parts.slice(2);
    triple = true;
  }
  let closed = false;
  let tripleCount = 0;
  for (const part of parts) {
    if (part === '') {
      if (triple) tripleCount++;
      else closed = true;
    } else if (!oddBackslashesBefore(part, part.length)) {
      if (closed) fail('a string is followed by more text on its line ("Found tokens after a closed string")');
      if (!triple || tripleCount > 1) closed = true;
      else tripleCount = 0;
    }
  }
  if (quote === '"') {
    let pendingBackslash = false;
    const escapes = v.split('\\');
    for (let e = 1; e < escapes.length; e++) {
      const piece = escapes[e];
      if (piece === '') pendingBackslash = !pendingBackslash;
      else {
        if (!(piece[0] in SIMPLE_ESCAPES) && piece[0] !== 'u' && piece[0] !== 'U' && !pendingBackslash) {
          fail('a string uses an escape sequence Streamlit\'s TOML parser does not know ("Reserved escape sequence used")');
        }
        pendingBackslash = false;
      }
    }
    v = unescape(replaceUnicodeEscapes(replaceUnicodeEscapes(v, '\\u'), '\\U'));
  }
  if (v.length > 1 && v[1] === quote && (v.length < 3 || v[1] === v[2])) v = v.slice(2, -2);
  return { kind: 'string', value: v.slice(1, -1), type: 'str' };
}

// ---------------------------------------------------------------------------------------------
// Values

function readValue(v: string, strictlyValid = true, path?: string[], at = 0): { value: PyValue; type: string } {
  return nested(() => readValueUnnested(v, strictlyValid, path, at));
}

function readValueUnnested(v: string, strictlyValid: boolean, path: string[] | undefined, at: number): { value: PyValue; type: string } {
  if (v === '') fail('a key has no value');
  if (v === 'true' || v === 'false') return { value: { kind: 'boolean', value: v === 'true', type: 'bool' }, type: 'bool' };
  const lower = v.toLowerCase();
  if (lower === 'true' || lower === 'false') fail('a boolean is not written in lower case');
  if (v[0] === '"' || v[0] === "'") return { value: readString(v), type: 'str' };
  if (v[0] === '[') return { value: readArray(v), type: 'array' };
  if (v[0] === '{') {
    const table: PyTable = new Map();
    readInlineTable(v, table, path, at);
    return { value: table, type: 'inline_object' };
  }
  const time = TIME_PREFIX.exec(v);
  if (time) {
    const [h, m, s] = [time[1], time[2], time[3]].map(Number);
    // The fraction's digits are read as a count of microseconds.
    const micro = time[5] === undefined ? 0 : Number(time[5]);
    if (h > 23 || m > 59 || s > 59) fail('a time is out of range');
    return { value: { kind: 'local-time', value: isoTime(h, m, s, micro), type: 'time' }, type: 'time' };
  }
  const date = readDate(v);
  if (date !== undefined) return { value: date, type: 'date' };
  if (!strictlyValid) fail('a number has leading zeros or misplaced underscores');
  let negative = false;
  if (v[0] === '-' || v[0] === '+') {
    negative = v[0] === '-';
    v = v.slice(1);
  }
  v = v.replace(/_/g, '');
  if (v.includes('.') || (!v.includes('x') && /[eE]/.test(v))) {
    if (v.includes('.') && v.slice(v.indexOf('.') + 1) === '') fail('a float has no digits after its point');
    if (v === '' || !'0123456789'.includes(v[0])) fail('a float has no leading digit');
    const f = pyFloat(v);
    if (f === undefined) fail('a value is not a valid number, date or string');
    return { value: { kind: 'float', value: negative ? 0 - f : f, type: 'float' }, type: 'float' };
  }
  if (v.length === 3 && (v.toLowerCase() === 'inf' || v.toLowerCase() === 'nan')) {
    const f = pyFloat(v)!;
    return { value: { kind: 'float', value: negative ? 0 - f : f, type: 'float' }, type: 'float' };
  }
  const n = pyIntAnyBase(v);
  if (n === undefined) fail('a value is not a valid number, date or string');
  return { value: { kind: 'integer', value: negative ? 0n - n : n, type: 'int' }, type: 'int' };
}

/** Whether the text inside an array's brackets starts with a string. */
function startsWithString(a: string): boolean {
  const inner = pyStrip(a.slice(1, -1));
  return inner !== '' && (inner[0] === '"' || inner[0] === "'");
}

/** A string element whose closing quote is not escaped (empty text counts as closed). */
function isClosedString(s: string): boolean {
  if (s.length === 0) return true;
  if (s[s.length - 1] !== s[0]) return false;
  return !oddBackslashesBefore(s, s.length - 1, 1);
}

function readArray(raw: string): PyValue[] {
  return nested(() => readArrayUnnested(raw));
}

function readArrayUnnested(raw: string): PyValue[] {
  const a = pyStrip(raw);
  const inner = a.slice(1, -1);
  let elements: string[];
  const firstBracket = inner.indexOf('[');
  if (firstBracket < 0 || pyStrip(inner.slice(0, firstBracket)) !== '') {
    const strings = startsWithString(a);
    if (!pyStrip(inner).startsWith('{')) elements = inner.split(',');
    else elements = inlineTableElements(a);
    if (strings) elements = rejoinStrings(inner, elements);
  } else {
    elements = [];
    let depth = 0;
    let from = 0;
    for (let i = 0; i < inner.length; i++) {
      if (inner[i] === '[') depth++;
      else if (inner[i] === ']') depth--;
      else if (inner[i] === ',' && depth === 0) {
        elements.push(inner.slice(from, i));
        from = i + 1;
      }
    }
    elements.push(inner.slice(from));
  }
  const out: PyValue[] = [];
  let type: string | undefined;
  for (const element of elements) {
    const e = pyStrip(element);
    if (e === '') continue;
    const read = readValue(e);
    if (type !== undefined && read.type !== type) fail('an array mixes values of different types ("Not a homogeneous array")');
    type ??= read.type;
    out.push(read.value);
  }
  return out;
}

/**
 * The inline tables of an array that starts with one, cut at braces (quotes of either kind open
 * and close "strings" alike; text between the tables is dropped).
 */
function inlineTableElements(a: string): string[] {
  const out: string[] = [];
  const limit = a.length - 1;
  let start = 1;
  let end = 2;
  let depth = a[start] === '{' ? 1 : 0;
  let inString = false;
  while (end < limit) {
    const c = a[end];
    if (c === '"' || c === "'") {
      if (inString && oddBackslashesBefore(a, end)) inString = !inString;
      inString = !inString;
    }
    if (!inString && c === '{') depth++;
    if (inString || c !== '}') {
      end++;
      continue;
    }
    if (depth > 1) {
      depth--;
      end++;
      continue;
    }
    end++;
    out.push(a.slice(start, end));
    start = end + 1;
    while (start < limit && a[start] !== '{') start++;
    end = start + 1;
  }
  return out;
}

/**
 * Pieces of an array of strings split at commas, glued back while a piece is not a closed string
 * (or opens a multi-line string it does not close). Pieces are contiguous in the text, so a glued
 * piece is a range; its stripped ends are found by short scans.
 */
function rejoinStrings(inner: string, pieces: string[]): string[] {
  const out: string[] = [];
  let p = 0;
  let start = 0;
  while (p < pieces.length) {
    if (p === pieces.length - 1) {
      out.push(pieces[p]);
      break;
    }
    let end = start + pieces[p].length;
    let next = p + 1;
    for (;;) {
      // A slice of the whole text, not a concatenation: reading its ends stays cheap.
      const s = pyStrip(inner.slice(start, end));
      const opensTriple = s.length > 2 && s[0] === s[1] && s[1] === s[2] && s[s.length - 2] !== s[0] && s[s.length - 3] !== s[0];
      if (isClosedString(s) && !opensTriple) break;
      if (next >= pieces.length) fail('an array holds a string that is never closed');
      end += 1 + pieces[next++].length;
    }
    out.push(inner.slice(start, end));
    start = end + 1;
    p = next;
  }
  return out;
}

function readInlineTable(text: string, into: PyValue, path?: string[], at = 0): void {
  nested(() => readInlineTableUnnested(text, into, path, at));
}

function readInlineTableUnnested(text: string, into: PyValue, path: string[] | undefined, at: number): void {
  const inner = text.slice(1, -1);
  const candidates = inner.split(',');
  if (candidates.length === 1 && pyStrip(candidates[0]) === '') candidates.pop();
  const groups: [string, number][] = [];
  let start = 0;
  for (let c = 0; c < candidates.length; c++) {
    // Candidates glued back together are a range of the text (slices stay cheap to read).
    let end = start + candidates[c].length;
    const eq = candidates[c].indexOf('=');
    if (eq < 0) fail('an inline table holds an entry without "=" ("Invalid inline table encountered")');
    for (;;) {
      const value = pyStrip(inner.slice(start + eq + 1, end));
      if (value === '') fail('an inline table holds an entry without a value');
      const first = value[0];
      const last = value[value.length - 1];
      const complete =
        (first === last && (first === '"' || first === "'")) ||
        '-0123456789'.includes(first) ||
        value === 'true' ||
        value === 'false' ||
        (first === '[' && last === ']') ||
        (first === '{' && last === '}');
      if (complete) break;
      if (c + 1 >= candidates.length) fail('an inline table holds a value Streamlit\'s TOML parser cannot read ("Invalid inline table value encountered")');
      end += 1 + candidates[++c].length;
    }
    groups.push([inner.slice(start, end), start]);
    start = end + 1;
  }
  for (const [group, offset] of groups) {
    if (readKeyValue(group, into, path, at + 1 + offset) !== undefined) break;
  }
}

// ---------------------------------------------------------------------------------------------
// Lines

/**
 * `toml` 0.10.2's split of a line at quotes: the first piece outside double quotes is split at
 * single quotes too (with a fix-up when it holds a single quote), later pieces are kept whole.
 */
function splitOnQuotes(line: string): string[] {
  let doubles = line.split('"');
  const out: string[] = [];
  if (doubles.length > 1 && doubles[0].includes("'")) {
    const singles = doubles[0].split("'");
    let d = 1;
    while (singles.length % 2 === 0 && d < doubles.length) {
      // The last piece holds no single quote: only the appended piece can split it again.
      const [head, ...more] = doubles[d++].split("'");
      singles[singles.length - 1] += '"' + head;
      for (const piece of more) singles.push(piece);
    }
    out.push(...singles);
    doubles = doubles.slice(d);
  }
  doubles.forEach((piece, i) => {
    if (i === 0) out.push(...piece.split("'"));
    else out.push(piece);
  });
  return out;
}

/** Position of the `n`-th `=` of `line` (1-based), or -1 when there are fewer. */
function nthEquals(line: string, n: number, from = 0, seen = 0): number {
  let at = from - 1;
  for (let k = seen; k < n; k++) {
    at = line.indexOf('=', at + 1);
    if (at < 0) return -1;
  }
  return at;
}

interface OpenMultiline {
  key: string;
  text: string;
  backslash: boolean;
}

/** A multi-line string being read, line by line: its pieces, joined once at its end. */
class MultilineText {
  private readonly parts: string[];
  readonly first: string;
  hasNewline: boolean;
  constructor(text: string) {
    this.parts = [text];
    this.first = text[0];
    this.hasNewline = text.includes('\n');
  }
  add(piece: string): void {
    if (piece !== '') this.parts.push(piece);
    if (piece.includes('\n')) this.hasNewline = true;
  }
  /** Whether the text ends in an odd number of backslashes. */
  endsInOddBackslashes(): boolean {
    let odd = false;
    for (let p = this.parts.length - 1; p >= 0; p--) {
      const part = this.parts[p];
      let i = part.length - 1;
      while (i >= 0 && part[i] === '\\') {
        odd = !odd;
        i--;
      }
      if (i >= 0) break;
    }
    return odd;
  }
  dropLast(): void {
    const last = this.parts.length - 1;
    this.parts[last] = this.parts[last].slice(0, -1);
  }
  toString(): string {
    return this.parts.join('');
  }
}

/** A `key = value` line into `table`; a multi-line string left open is returned to be continued. */
function readKeyValue(line: string, table: PyValue, path?: string[], at = 0): OpenMultiline | undefined {
  return nested(() => readKeyValueUnnested(line, table, path, at));
}

function readKeyValueUnnested(line: string, table: PyValue, path: string[] | undefined, at: number): OpenMultiline | undefined {
  // The key ends at the first `=` outside what the quote split calls quoted.
  let n = 1;
  let quoted = false;
  for (const piece of splitOnQuotes(line)) {
    if (!quoted && piece.includes('=')) break;
    for (let i = piece.indexOf('='); i >= 0; i = piece.indexOf('=', i + 1)) n++;
    quoted = !quoted;
  }
  let cut = nthEquals(line, n);
  if (cut < 0) cut = line.lastIndexOf('=');
  let rest = line.slice(cut + 1);
  // Suffixes of one line are tried left to right: searches are remembered, so that a line of many
  // `=` costs its length, not its length squared.
  const lastOf = new Map<string, number>();
  const lastAt = (pattern: string): number => {
    if (!lastOf.has(pattern)) lastOf.set(pattern, line.lastIndexOf(pattern));
    return lastOf.get(pattern)! - (cut + 1);
  };
  const found = new Map<string, number>();
  const find = (sign: string, from: number): number => {
    const base = cut + 1;
    const key = sign + from;
    let at = found.get(key);
    if (at === undefined || (at >= 0 && at < base + from)) {
      at = line.indexOf(sign, base + from);
      found.set(key, at);
    }
    return at < 0 ? -1 : at - base;
  };
  let strictly = strictlyValidNumber(rest, lastAt);
  if (/^[0-9]/.test(rest)) rest = rest.replace(/_/g, '');
  // A value that does not look like one (`a = b = 1`, `x=y`) moves the cut to the next `=`.
  const lastEquals = line.lastIndexOf('=');
  for (;;) {
    if (rest.length === 0 || ' \t\'"[{'.includes(rest[0])) break;
    const isLast = cut === lastEquals;
    if (isLast && (pyStrip(rest) === 'true' || pyStrip(rest) === 'false')) break;
    if (isLast && pyFloat(rest) !== undefined) break;
    if (readDate(rest, rest.length === line.length - cut - 1 ? find : undefined) !== undefined) break;
    if (TIME_PREFIX.test(rest)) break;
    if (isLast) fail('a value is not a valid number, date or string ("Invalid date or number")');
    cut = line.indexOf('=', cut + 1);
    rest = line.slice(cut + 1);
    if (strictly) strictly = strictlyValidNumber(rest, lastAt);
  }
  let key = pyStrip(line.slice(0, cut));
  const valueText = pyStrip(rest);
  const keyBlanks = blanks(line.slice(0, cut));
  const keyRange: [number, number] = [at + keyBlanks.lead, at + cut - keyBlanks.trail];
  const valueStart = at + cut + 1 + blanks(line.slice(cut + 1)).lead;
  const valueRange: [number, number] = [valueStart, valueStart + valueText.length];
  const keyPath = path === undefined ? undefined : [...path];
  let target = table;
  if (key.includes('.')) {
    let levels: string[] = [];
    if (key.includes('"') || key.includes("'")) {
      let inQuotes = false;
      for (const piece of splitOnQuotes(key)) {
        if (inQuotes) levels.push(piece);
        else levels.push(...piece.split('.').map(pyStrip));
        inQuotes = !inQuotes;
      }
    } else {
      levels = key.split('.');
    }
    while (levels.length > 0 && levels[levels.length - 1] === '') levels.pop();
    if (levels.length === 0) fail('a dotted key has no name');
    for (const level of levels.slice(0, -1)) {
      if (level === '') continue;
      if (!(target instanceof Map)) fail('a dotted key goes through a value that is not a table');
      if (!target.has(level)) target.set(level, new Map());
      target = target.get(level)!;
      if (keyPath !== undefined) {
        keyPath.push(level);
        record?.([...keyPath], keyRange, valueRange);
      }
    }
    key = pyStrip(levels[levels.length - 1]);
  } else if (key === '') {
    fail('a key has an empty name');
  } else if ((key[0] === '"' || key[0] === "'") && key[key.length - 1] === key[0]) {
    key = unescape(key.slice(1, -1));
  }
  keyPath?.push(key);
  if (keyPath !== undefined) record?.(keyPath, keyRange, valueRange);
  const open = openingMultiline(valueText);
  let value: PyValue | undefined;
  if (open === undefined) value = readValue(valueText, strictly, keyPath, valueStart).value;
  if (!(target instanceof Map) || target.has(key)) fail('a key is defined twice ("Duplicate keys!")');
  if (open === undefined) {
    target.set(key, value!);
    return undefined;
  }
  if (key === '') fail('a multi-line string is assigned to an empty key name');
  return { key, ...open };
}

/** When `p` (a value) opens a multi-line string it does not close on its line: the text so far. */
function openingMultiline(p: string): { text: string; backslash: boolean } | undefined {
  if (p.length < 3) return undefined;
  let s = p;
  if (p[0] === '[' && p[p.length - 1] !== ']' && startsWithString(p)) {
    // The last element of an array of strings left open: from the last comma followed by a
    // quote (pieces after a comma are glued to the one before until one starts with a quote).
    const inner = pyStrip(p.slice(1));
    let start = inner.lastIndexOf(',') + 1;
    if (start > 0 && start === inner.length) fail('an array of strings ends with an empty element');
    while (start > 0 && inner[start] !== '"' && inner[start] !== "'") start = start < 2 ? 0 : inner.lastIndexOf(',', start - 2) + 1;
    s = inner.slice(start);
  }
  if (s[0] !== '"' && s[0] !== "'") return undefined;
  if (s.length < 2) fail('a value is cut short');
  if (s[1] !== s[0]) return undefined;
  if (s.length < 3) fail('a value is cut short');
  if (s[2] !== s[0]) return undefined;
  if (s.length > 5 && s.endsWith(s[0].repeat(3))) return undefined;
  const backslash = oddBackslashesBefore(p, p.length, p.length - s.length);
  return { text: backslash ? p.slice(0, -1) : p + '\n', backslash };
}

// ---------------------------------------------------------------------------------------------
// Table headers

function readHeader(line: string, root: PyTable, implicit: string[], names: string[] = []): PyValue {
  if (line.length === 1) fail('a table header bracket stands alone on its line');
  const arrayOfTables = line[1] === '[';
  const body = line.slice(arrayOfTables ? 2 : 1);
  const close = arrayOfTables ? ']]' : ']';
  let count = 1;
  let quoted = false;
  for (const piece of splitOnQuotes(body)) {
    if (!quoted && piece.includes(close)) break;
    count += piece.split(close).length - 1;
    quoted = !quoted;
  }
  // split(close, count): the name is what precedes the count-th closing bracket.
  let at = -close.length;
  for (let k = 0; k < count; k++) {
    at = body.indexOf(close, at + close.length);
    if (at < 0) fail('a table header is not alone on its line ("Key group not on a line by itself")');
  }
  if (pyStrip(body.slice(at + close.length)) !== '') fail('a table header is not alone on its line ("Key group not on a line by itself")');
  const groups = body.slice(0, at).split('.');
  for (let g = 0; g < groups.length; g++) {
    const part = pyStrip(groups[g]);
    groups[g] = part;
    if (part.length > 0 && (part[0] === '"' || part[0] === "'")) {
      let joined = part;
      let j = g + 1;
      while (joined[0] !== joined[joined.length - 1] || joined.length === 1) {
        j++;
        if (j > groups.length + 2) fail('a table header has an unclosed quoted name');
        joined = pyStrip(groups.slice(g, j).join('.'));
      }
      names.push(joined.slice(1, -1));
      g = Math.max(g, Math.min(j, groups.length) - 1);
    } else {
      if (!/^[A-Za-z0-9_-]+$/.test(part)) fail('a table header has a name Streamlit\'s TOML parser rejects ("Invalid group name")');
      names.push(part);
    }
  }
  let level: PyValue = root;
  names.forEach((name, i) => {
    const isLast = i === names.length - 1;
    if (name === '') fail('a table header has an empty name');
    if (level instanceof Map) {
      if (level.has(name)) {
        if (isLast) {
          const seen = implicit.indexOf(name);
          if (seen >= 0) {
            implicit.splice(seen, 1);
            if (arrayOfTables) fail('an array of tables reuses the name of a table defined before');
          } else if (arrayOfTables) {
            const existing = level.get(name);
            if (!Array.isArray(existing)) fail('an array of tables reuses the name of a value defined before');
            existing.push(new Map());
          } else {
            fail('a table is defined twice');
          }
        }
      } else {
        if (!isLast) implicit.push(name);
        level.set(name, isLast && arrayOfTables ? [new Map()] : new Map());
      }
    } else {
      // A name under an array continues in its last table.
      const last = Array.isArray(level) ? level[level.length - 1] : undefined;
      if (!(last instanceof Map)) fail('a table header goes through a value that is not a table');
      level = last;
      if (!level.has(name)) level.set(name, isLast && arrayOfTables ? [new Map()] : new Map());
    }
    level = (level as PyTable).get(name)!;
    if (arrayOfTables) {
      if (Array.isArray(level)) {
        if (level.length === 0) fail('an array of tables is empty');
        level = level[level.length - 1];
      } else if (!(level instanceof Map)) {
        if (level.kind !== 'string' || level.value === '') fail('a table header goes through a value that is not a table');
        level = { kind: 'string', value: '', type: 'str' };
      }
    }
  });
  return level;
}

// ---------------------------------------------------------------------------------------------
// The character pass

/**
 * The first pass over the characters: comments are blanked, line breaks inside arrays become
 * spaces, keys are checked up to their `=`, quotes are tracked (with 0.10.2's own idea of where a
 * string ends). Returns the masked text.
 */
function maskText(t: string): string {
  const sl = t.split('');
  let keyState = 0; // 0: not in a key; 1: in a bare part; 2: after a part
  let dotted = false;
  let inString = false;
  let quoteChar = '';
  let multiline = false;
  let header = false;
  let aotHeader = false;
  let openArrays = 0;
  let lineStart = true;
  for (let i = 0; i < sl.length; i++) {
    const c = sl[i];
    failAt = i;
    if (keyState !== 0) {
      if (c === '\n') fail('a key name has no value: the line ends first');
      if (inString) {
        if (c === quoteChar && !oddBackslashesBefore(sl, i)) {
          keyState = 2;
          inString = false;
          quoteChar = '';
        }
        continue;
      }
      if (keyState === 1) {
        if (isPySpace(c)) {
          keyState = 2;
          continue;
        }
        if (c === '.') {
          dotted = true;
          continue;
        }
        const code = c.charCodeAt(0);
        if (code >= 0xd800 && code <= 0xdbff && i + 1 < sl.length) {
          if (PY_ALNUM.test(c + sl[i + 1])) {
            i++;
            continue;
          }
        } else if (PY_ALNUM.test(c) || c === '_' || c === '-') continue;
        if (dotted && sl[i - 1] === '.' && (c === '"' || c === "'")) {
          inString = true;
          quoteChar = c;
          continue;
        }
      } else {
        if (isPySpace(c) || c === '.') {
          if (c === '.') dotted = true;
          if (dotted || c === '.') {
            const next = sl[i + 1];
            if (next === undefined) fail('a key name has no value: the file ends first');
            if (!isPySpace(next) && next !== '.') keyState = 1;
          }
          continue;
        }
      }
      if (c !== '=') fail('a key name holds a character Streamlit\'s TOML parser rejects ("Found invalid character in key name")');
      keyState = 0;
      dotted = false;
    }
    if (c === "'" && quoteChar !== '"') {
      let k = 1;
      while (k < 3 && pyAt(sl, i - k) === "'") k++;
      if (k === 3) {
        multiline = !multiline;
        inString = multiline;
      } else inString = !inString;
      quoteChar = inString ? "'" : '';
    }
    if (c === '"' && quoteChar !== "'") {
      let k = 1;
      let triple = false;
      let escaped = false;
      while (pyAt(sl, i - k) === '"') {
        k++;
        if (k === 3) {
          triple = true;
          break;
        }
      }
      if (k === 1 || triple) {
        while (pyAt(sl, i - k) === '\\') {
          escaped = !escaped;
          k++;
        }
      }
      if (!escaped) {
        if (triple) {
          multiline = !multiline;
          inString = multiline;
        } else inString = !inString;
      }
      quoteChar = inString ? '"' : '';
    }
    if (c === '#' && !inString && !header && !aotHeader) {
      const newline = t.indexOf('\n', i);
      const end = newline < 0 ? sl.length : newline;
      for (let j = i; j < end; j++) sl[j] = ' ';
      if (newline < 0) break;
    }
    if (c === '[' && !inString && !header && !aotHeader) {
      if (lineStart) {
        if (sl[i + 1] === '[') aotHeader = true;
        else header = true;
      } else openArrays++;
    }
    if (c === ']' && !inString) {
      if (header) header = false;
      else if (aotHeader) {
        if (pyAt(sl, i - 1) === ']') aotHeader = false;
      } else openArrays--;
    }
    if (c === '\n') {
      if (inString || multiline) {
        if (!multiline) fail('a string is not closed on its line ("Unbalanced quotes")');
        const before = pyAt(sl, i - 1);
        if ((before === "'" || before === '"') && pyAt(sl, i - 2) === before) {
          sl[i] = before;
          if (pyAt(sl, i - 3) === before) sl[i + (i - 3 < 0 ? sl.length : 0) - 3] = ' ';
        }
      } else if (openArrays) sl[i] = ' ';
      else lineStart = true;
    } else if (lineStart && sl[i] !== ' ' && sl[i] !== '\t') {
      lineStart = false;
      if (!header && !aotHeader) {
        if (sl[i] === '=') fail('a line starts with "=": the key name is empty');
        keyState = 1;
        // Python reads a character outside the BMP as one: its second half is part of it.
        if (/[\ud800-\udbff]/.test(c) && /[\udc00-\udfff]/.test(sl[i + 1] ?? '')) i++;
      }
    }
  }
  failAt = t.length;
  if (keyState !== 0) fail('a key name has no value: the file ends first');
  if (inString) fail('a string is not closed before the end of the file');
  return sl.join('');
}

// ---------------------------------------------------------------------------------------------
// The line pass

function loadNormalised(t: string): PyTable {
  frames = 0;
  const masked = maskText(t);
  const root: PyTable = new Map();
  const implicit: string[] = [];
  let current: PyValue = root;
  let currentPath: string[] = [];
  let open: { key: string; text: MultilineText; backslash: boolean } | undefined;
  let pos = 0;
  for (const rawLine of masked.split('\n')) {
    const lineAt = pos;
    pos += rawLine.length + 1;
    failAt = lineAt;
    const line = !open || open.backslash || !open.text.hasNewline ? pyStrip(rawLine) : rawLine;
    if (line === '' && (!open || open.backslash)) continue;
    if (open) {
      open.text.add(line);
      open.backslash = false;
      let closed = false;
      if (open.text.first === '[') {
        if (line === '') fail('a multi-line string in an array is cut short');
        closed = line[line.length - 1] === ']';
      } else if (line.length > 2) {
        const q = open.text.first;
        closed = line.endsWith(q + q + q);
      }
      if (closed) {
        const { value } = readValue(open.text.toString());
        if (!(current instanceof Map)) fail('a key is defined twice ("Duplicate keys!")');
        current.set(open.key, value);
        open = undefined;
      } else if (open.text.endsInOddBackslashes()) {
        open.backslash = true;
        open.text.dropLast();
      } else {
        open.text.add('\n');
      }
      continue;
    }
    const lineStart = lineAt + blanks(rawLine).lead;
    if (line[0] === '[') {
      const names: string[] = [];
      current = readHeader(line, root, implicit, names);
      currentPath = names;
      const range: [number, number] = [lineStart, lineStart + line.length];
      names.forEach((_, i) => record?.(names.slice(0, i + 1), range, range));
    } else if (line[0] === '{') {
      if (line[line.length - 1] !== '}') fail('an inline table spans several lines ("Line breaks are not allowed in inline objects")');
      readInlineTable(line, current, currentPath, lineStart);
    } else if (line.includes('=')) {
      const opened = readKeyValue(line, current, currentPath, lineStart);
      if (opened !== undefined) open = { key: opened.key, text: new MultilineText(opened.text), backslash: opened.backslash };
    }
  }
  return root;
}

function toNode(v: PyValue): SecretNode {
  if (v instanceof Map) {
    const children = new Map<string, SecretNode>();
    for (const [k, child] of v) children.set(k, toNode(child));
    return { kind: 'table', children };
  }
  if (Array.isArray(v)) return { kind: 'array', items: v.map(toNode) };
  return { kind: v.kind, value: v.value };
}

/** Whether Streamlit (`toml` 0.10.2) loads `text`, and what. Never throws. */
export function loadLikeStreamlit(text: string): StreamlitLoad {
  const { normalised, toOriginal } = universalNewlines(text);
  try {
    return { ok: true, root: toNode(loadNormalised(normalised)) };
  } catch (e) {
    if (e instanceof LoadFails) return { ok: false, reason: e.reason, offset: Math.min(toOriginal(e.at), text.length) };
    if (e instanceof RangeError) return { ok: false, reason: 'the document is nested too deeply', offset: 0 };
    throw e;
  }
}

/**
 * Where `toml` 0.10.2 reads each key (the lines it assigns them on; best effort up to a failure):
 * for the keys only Streamlit's reading has (a malformed file it loads, a key name kept verbatim).
 */
export function locateLikeStreamlit(text: string): SecretKeyLocations {
  const { normalised, toOriginal } = universalNewlines(text);
  const locations: SecretKeyLocations = new Map();
  const range = (r: [number, number]): { start: number; end: number } => ({ start: toOriginal(r[0]), end: Math.max(toOriginal(r[0]), toOriginal(r[1])) });
  record = (path, key, value) => {
    const id = keyPathId(path);
    const location = { keyRange: range(key), valueRange: range(value) };
    const list = locations.get(id);
    if (list === undefined) locations.set(id, [location]);
    else list.push(location);
  };
  try {
    loadNormalised(normalised);
  } catch (e) {
    if (!(e instanceof LoadFails) && !(e instanceof RangeError)) throw e;
  } finally {
    record = undefined;
  }
  return locations;
}

/** Streamlit opens the file in text mode: universal newlines turn CRLF and a lone CR into LF. */
function universalNewlines(text: string): { normalised: string; toOriginal: (at: number) => number } {
  const originalAt: number[] = [];
  let normalised = '';
  if (text.includes('\r')) {
    for (let i = 0; i < text.length; i++) {
      originalAt.push(i);
      if (text[i] === '\r') {
        normalised += '\n';
        if (text[i + 1] === '\n') i++;
      } else normalised += text[i];
    }
  } else normalised = text;
  const toOriginal = (at: number): number => (originalAt.length === 0 ? at : (originalAt[at] ?? text.length));
  return { normalised, toOriginal };
}
