// Finds the bare keys that hold non-ASCII characters (`é1 = "x"`), in one pass over the text.
//
// Streamlit's parser accepts them, TOML 1.0 (smol-toml) stops at the first one with "illegal
// character in key". Repairing them one parser error at a time re-parses the whole text once per
// key (quadratic: 200 such keys in a 1.9 MB file took 44 s), so the parser quotes every one this
// scan finds first. The scan follows TOML's grammar only as far as it needs to know where keys
// are (statements, dotted keys, inline tables, strings, arrays); on anything it does not
// understand it stops, and the parser's own errors repair whatever is left (parseSecretsToml.ts).

/** A bare key spelled with a non-ASCII character: `[start, end)`. */
export type KeySpan = [number, number];

/** Same rule as the repair: ASCII letters, digits, `_`, `-`, and any non-space non-ASCII character but a BOM. */
export function isBareKeyChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
  return c !== 0xfeff && !/\s/.test(text[i]);
}

class Stop extends Error {}

/** Nested arrays and inline tables deeper than this end the scan (the parser handles the rest). */
const maxDepth = 64;

/**
 * Non-ASCII bare keys in key position from the statement starting at `from` (a line start) on,
 * in document order, until the end or the first thing the scan does not understand. Table
 * headers are skipped: Streamlit rejects non-ASCII names there.
 */
export function findNonAsciiBareKeys(text: string, from = 0): KeySpan[] {
  const found: KeySpan[] = [];
  const n = text.length;
  let pos = from;

  const stop = (): never => {
    throw new Stop();
  };
  const skipBlanks = (): void => {
    while (pos < n && (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9)) pos++;
  };
  const skipComment = (): void => {
    if (text.charCodeAt(pos) !== 35 /* # */) return;
    const nl = text.indexOf('\n', pos);
    pos = nl < 0 ? n : nl;
  };
  /** Blanks, newlines and comments (inside arrays and multi-line inline tables). */
  const skipSpace = (): void => {
    for (;;) {
      skipBlanks();
      const c = text.charCodeAt(pos);
      if (c === 10 || c === 13) pos++;
      else if (c === 35) skipComment();
      else return;
    }
  };
  const singleLineString = (quote: string): void => {
    pos++;
    while (pos < n) {
      const c = text[pos];
      if (c === '\n') stop();
      if (c === quote) {
        pos++;
        return;
      }
      pos += c === '\\' && quote === '"' ? 2 : 1;
    }
    stop();
  };
  const multiLineString = (quote: string): void => {
    const delimiter = quote.repeat(3);
    pos += 3;
    while (pos < n) {
      if (quote === '"' && text[pos] === '\\') {
        pos += 2;
        continue;
      }
      if (text.startsWith(delimiter, pos)) {
        pos += 3;
        // Up to two quotes may end the content right before the delimiter.
        for (let extra = 0; extra < 2 && text[pos] === quote; extra++) pos++;
        return;
      }
      pos++;
    }
    stop();
  };
  const keyPath = (): void => {
    for (;;) {
      skipBlanks();
      const c = text[pos];
      if (c === '"' || c === "'") {
        singleLineString(c);
      } else {
        const start = pos;
        let nonAscii = false;
        while (pos < n && isBareKeyChar(text, pos)) {
          if (text.charCodeAt(pos) >= 0x80) nonAscii = true;
          pos++;
        }
        if (pos === start) stop();
        if (nonAscii) found.push([start, pos]);
      }
      skipBlanks();
      if (text[pos] !== '.') return;
      pos++;
    }
  };
  const value = (depth: number): void => {
    if (depth > maxDepth) stop();
    skipBlanks();
    const c = text[pos];
    if (c === '"' || c === "'") {
      if (text.startsWith(c.repeat(3), pos)) multiLineString(c);
      else singleLineString(c);
    } else if (c === '[') {
      pos++;
      skipSpace();
      while (text[pos] !== ']') {
        value(depth + 1);
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          skipSpace();
        } else if (text[pos] !== ']') stop();
      }
      pos++;
    } else if (c === '{') {
      pos++;
      skipSpace();
      while (text[pos] !== '}') {
        keyPath();
        if (text[pos] !== '=') stop();
        pos++;
        value(depth + 1);
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          skipSpace();
        } else if (text[pos] !== '}') stop();
      }
      pos++;
    } else {
      const start = pos;
      while (pos < n && !/[ \t\r\n,\]}#]/.test(text[pos])) pos++;
      if (pos === start) stop();
      // A date and a time separated by one space are one value.
      if (/^\d{4}-\d\d-\d\d$/.test(text.slice(start, pos)) && text[pos] === ' ' && /\d/.test(text[pos + 1] ?? '')) {
        pos++;
        while (pos < n && !/[ \t\r\n,\]}#]/.test(text[pos])) pos++;
      }
    }
  };

  try {
    while (pos < n) {
      skipBlanks();
      const c = text[pos];
      if (c === '\n' || c === '\r') {
        pos++;
        continue;
      }
      if (c === '#') {
        skipComment();
        continue;
      }
      if (c === '[') {
        const nl = text.indexOf('\n', pos);
        pos = nl < 0 ? n : nl;
        continue;
      }
      keyPath();
      if (text[pos] !== '=') stop();
      pos++;
      value(0);
      skipBlanks();
      skipComment();
      if (pos < n && text[pos] !== '\n' && !text.startsWith('\r\n', pos)) stop();
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return found;
}
