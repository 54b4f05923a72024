/**
 * Where the values of a secrets file are written, for masking them in the editor. Plain code (no
 * `vscode` import) so unit tests call it directly.
 *
 * A single forward scan, not a parse: masking must happen before the editor paints, and must
 * keep working on a file that is half-typed. It finds every scalar value (strings including
 * multi-line ones, numbers, booleans, dates) in value position — after `key =`, inside arrays and
 * inline tables — and leaves keys, table headers, punctuation and comments visible. Where the text
 * is broken it errs towards masking (an unterminated string is masked to its end).
 */

/** A half-open range of UTF-16 offsets: [start, end). */
export interface ValueRange {
  start: number;
  end: number;
}

/** Deeper nesting than this is masked to the end of the line (no recursion without bound). */
const MAX_DEPTH = 64;

export function findSecretValueRanges(text: string): ValueRange[] {
  const ranges: ValueRange[] = [];
  const length = text.length;
  let i = 0;

  const isNewline = (c: string | undefined): boolean => c === '\n' || c === '\r';
  const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
  const skipBlanks = (): void => {
    while (i < length && isBlank(text[i])) i++;
  };
  const skipToLineEnd = (): void => {
    while (i < length && !isNewline(text[i])) i++;
  };
  /** Blanks, newlines and comments (inside arrays and inline tables). */
  const skipSpaceAndComments = (): void => {
    for (;;) {
      while (i < length && (isBlank(text[i]) || isNewline(text[i]))) i++;
      if (text[i] === '#') skipToLineEnd();
      else return;
    }
  };
  const add = (start: number, end: number): void => {
    if (end > start) ranges.push({ start, end });
  };

  /** A quoted key or string on one line; returns the index after its closing quote (or the line end). */
  const skipSingleLineString = (quote: string): void => {
    i++;
    while (i < length && !isNewline(text[i])) {
      const c = text[i];
      if (quote === '"' && c === '\\') {
        i += isNewline(text[i + 1]) ? 1 : 2;
        continue;
      }
      i++;
      if (c === quote) return;
    }
  };

  /** A key (bare, quoted or dotted) up to its `=`: true when the `=` was found on the line. */
  const readKey = (): boolean => {
    while (i < length && !isNewline(text[i])) {
      const c = text[i];
      if (c === '=') {
        i++;
        return true;
      }
      if (c === '"' || c === "'") skipSingleLineString(c);
      else if (c === '#' || c === '}' || c === ',') return false;
      else i++;
    }
    return false;
  };

  const multiLineString = (quote: string): void => {
    const start = i;
    const delimiter = quote.repeat(3);
    i += 3;
    for (;;) {
      if (i >= length) {
        add(start, length);
        return;
      }
      if (quote === '"' && text[i] === '\\') {
        i += 2;
        continue;
      }
      if (text.startsWith(delimiter, i)) {
        i += 3;
        // Up to two more quotes belong to the content (`""""` ends with one quote inside).
        let extra = 0;
        while (extra < 2 && text[i] === quote) {
          i++;
          extra++;
        }
        add(start, i);
        return;
      }
      i++;
    }
  };

  /** One value at `i`. `inside` is the closing bracket of the enclosing array/inline table, if any. */
  const value = (depth: number, inside: ']' | '}' | undefined): void => {
    const c = text[i];
    if (c === undefined || isNewline(c)) return;
    if (depth > MAX_DEPTH && (c === '[' || c === '{')) {
      // Too deep to walk item by item: mask the whole bracketed value as one.
      const start = i;
      let open = 0;
      while (i < length) {
        const d = text[i]!;
        if (d === '"' || d === "'") {
          skipSingleLineString(d);
          continue;
        }
        i++;
        if (d === '[' || d === '{') open++;
        else if ((d === ']' || d === '}') && --open === 0) break;
      }
      add(start, i);
      return;
    }
    if (text.startsWith('"""', i)) return multiLineString('"');
    if (text.startsWith("'''", i)) return multiLineString("'");
    if (c === '"' || c === "'") {
      const start = i;
      skipSingleLineString(c);
      add(start, i);
      return;
    }
    if (c === '[') return array(depth + 1);
    if (c === '{') return inlineTable(depth + 1);
    // A bare scalar: number, boolean, date-time (which may hold one space), or a typo.
    const start = i;
    const stops = inside === undefined ? '#,' : '#,]}';
    while (i < length && !isNewline(text[i]) && !stops.includes(text[i]!)) i++;
    let end = i;
    while (end > start && isBlank(text[end - 1])) end--;
    add(start, end);
  };

  const array = (depth: number): void => {
    i++; // [
    for (;;) {
      skipSpaceAndComments();
      if (i >= length) return;
      const c = text[i];
      if (c === ']') {
        i++;
        return;
      }
      if (c === ',') {
        i++;
        continue;
      }
      if (c === '}') return; // broken: let the enclosing inline table close
      const before = i;
      value(depth, ']');
      if (i === before) i++; // never stall on unexpected text
    }
  };

  const inlineTable = (depth: number): void => {
    i++; // {
    for (;;) {
      skipSpaceAndComments();
      if (i >= length) return;
      const c = text[i];
      if (c === '}') {
        i++;
        return;
      }
      if (c === ',') {
        i++;
        continue;
      }
      if (c === ']') return; // broken: let the enclosing array close
      const before = i;
      if (readKey()) {
        skipBlanks();
        value(depth, '}');
      }
      if (i === before) i++;
    }
  };

  while (i < length) {
    // At the start of a line, outside any value.
    skipBlanks();
    const c = text[i];
    if (c === undefined) break;
    if (isNewline(c)) {
      i++;
      continue;
    }
    if (c === '#') {
      skipToLineEnd();
      continue;
    }
    if (c === '[') {
      // A table header: keys only (quoted keys may hold `]` or `#`).
      i++;
      while (i < length && !isNewline(text[i]) && text[i] !== ']') {
        if (text[i] === '"' || text[i] === "'") skipSingleLineString(text[i]!);
        else i++;
      }
      skipToLineEnd();
      continue;
    }
    if (readKey()) {
      skipBlanks();
      value(0, undefined);
    }
    // Whatever follows on the line is a comment or junk: leave it as it is.
    skipToLineEnd();
  }
  return ranges;
}

/**
 * The value ranges the editor masks: every value except an empty string, which stays `""` so that
 * an empty value (a placeholder, or what "Add key" wrote) never looks like a real secret.
 */
export function findMaskedValueRanges(text: string): ValueRange[] {
  return findSecretValueRanges(text).filter((range) => !/^(""|''|"{6}|'{6})$/.test(text.slice(range.start, range.end)));
}

/**
 * Splits ranges at line breaks into one range per line, dropping empty pieces and the lines in
 * `revealedLines` (0-based). `lineStarts` are the offsets where each line starts.
 */
export function splitByLines(ranges: readonly ValueRange[], text: string, revealedLines: ReadonlySet<number> = new Set()): { line: number; start: number; end: number }[] {
  const pieces: { line: number; start: number; end: number }[] = [];
  let line = 0;
  let lineStart = 0;
  let scanned = 0;
  const advanceTo = (offset: number): void => {
    for (; scanned < offset; scanned++) {
      const c = text.charCodeAt(scanned);
      if (c === 10 || (c === 13 && text.charCodeAt(scanned + 1) !== 10)) {
        line++;
        lineStart = scanned + 1;
      }
    }
  };
  for (const range of ranges) {
    advanceTo(range.start);
    let start = range.start;
    while (start < range.end) {
      // The end of this line's piece: the next line break or the range end.
      let end = start;
      while (end < range.end && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
      if (end > start && !revealedLines.has(line)) pieces.push({ line, start: start - lineStart, end: end - lineStart });
      if (end >= range.end) break;
      advanceTo(end + 1);
      // \r\n is one break.
      if (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10) advanceTo(end + 2);
      start = scanned;
      if (start > range.end) break;
    }
  }
  return pieces;
}
