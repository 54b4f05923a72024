import type { SyntaxNode } from '@lezer/common';
import type { TextRange } from '../textRange';

/** A Python string literal (`String` or `FormatString` node) read from its source text. */
export interface StringLiteral {
  /**
   * The `str` value when it is a compile-time constant; undefined for bytes, for f-strings with
   * `{…}` placeholders, for `\N{…}` escapes (no name table here) and for malformed escapes.
   */
  value: string | undefined;
  /** Prefix letters as written (`r`, `Rb`, `f`, …), possibly empty. */
  prefix: string;
  quote: '"' | "'";
  /** Triple-quoted. */
  long: boolean;
  /** The closing quote is present (lezer ends an unterminated short string at the line end). */
  terminated: boolean;
  isBytes: boolean;
  isFormat: boolean;
  /** Between the quotes; for an unterminated literal, from the opening quote to the node end. */
  contentRange: TextRange;
  /** The whole literal including prefix and quotes. */
  literalRange: TextRange;
}

export function isStringNode(node: SyntaxNode): boolean {
  return node.name === 'String' || node.name === 'FormatString';
}

export function readStringLiteral(node: SyntaxNode, text: string): StringLiteral | undefined {
  if (!isStringNode(node)) return undefined;
  const raw = text.slice(node.from, node.to);
  // A regular expression over this one token's text only.
  const prefix = /^[A-Za-z]*/.exec(raw)?.[0] ?? '';
  const quoteChar = raw.charAt(prefix.length);
  if (quoteChar !== '"' && quoteChar !== "'") return undefined;
  const long = raw.startsWith(quoteChar.repeat(3), prefix.length);
  const quoteLength = long ? 3 : 1;
  const contentStart = node.from + prefix.length + quoteLength;
  const body = raw.slice(prefix.length + quoteLength);
  const closing = quoteChar.repeat(quoteLength);
  let terminated = false;
  if (body.length >= quoteLength && body.endsWith(closing)) {
    // The closing quote is real unless an odd number of backslashes escapes it.
    let backslashes = 0;
    for (let i = body.length - quoteLength - 1; i >= 0 && body.charCodeAt(i) === 92; i--) backslashes++;
    terminated = backslashes % 2 === 0;
  }
  const contentEnd = terminated ? node.to - quoteLength : node.to;
  const lowerPrefix = prefix.toLowerCase();
  const isBytes = lowerPrefix.includes('b');
  const isFormat = lowerPrefix.includes('f');
  const isRaw = lowerPrefix.includes('r');
  let value: string | undefined;
  if (!isBytes && !(isFormat && node.getChild('FormatReplacement'))) {
    let content = text.slice(contentStart, contentEnd);
    if (isFormat) content = content.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    value = isRaw ? content : decodeEscapes(content);
  }
  return {
    value,
    prefix,
    quote: quoteChar,
    long,
    terminated,
    isBytes,
    isFormat,
    contentRange: { start: contentStart, end: contentEnd },
    literalRange: { start: node.from, end: node.to },
  };
}

/** The constant `str` value of a terminated literal, else undefined. */
export function constantString(node: SyntaxNode, text: string): { value: string; literal: StringLiteral } | undefined {
  const literal = readStringLiteral(node, text);
  if (!literal || !literal.terminated || literal.value === undefined) return undefined;
  return { value: literal.value, literal };
}

const simpleEscapes: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Python `str` escape processing; undefined when the result cannot be known here. */
export function decodeEscapes(content: string): string | undefined {
  if (!content.includes('\\')) return content;
  let out = '';
  let i = 0;
  while (i < content.length) {
    const ch = content[i]!;
    if (ch !== '\\' || i + 1 >= content.length) {
      out += ch;
      i++;
      continue;
    }
    const next = content[i + 1]!;
    if (next === '\n') {
      i += 2;
      continue;
    }
    if (next === '\r') {
      i += content[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (next >= '0' && next <= '7') {
      let digits = '';
      let j = i + 1;
      while (j < content.length && digits.length < 3 && content[j]! >= '0' && content[j]! <= '7') digits += content[j++];
      out += String.fromCodePoint(parseInt(digits, 8));
      i = j;
      continue;
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = content.slice(i + 2, i + 2 + hexLength);
      if (hex.length !== hexLength || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return undefined;
      out += String.fromCodePoint(code);
      i += 2 + hexLength;
      continue;
    }
    if (next === 'N') return undefined;
    // Unknown escapes keep their backslash.
    out += ch + next;
    i += 2;
  }
  return out;
}
