import { nestedReservedNames, rootReservedNames } from '../python/reservedNames';

const pythonKeywords: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

// Python identifiers are XID_Start XID_Continue*; the Unicode letter/number classes approximate it.
const identifier = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

export type AttributeBlock = 'not-identifier' | 'keyword' | 'reserved' | 'private';

/**
 * Why `parent.<key>` cannot reach `key` (undefined when it can). `atRoot` is true for
 * `st.secrets.<key>`, false inside a table.
 */
export function attributeAccessBlock(key: string, atRoot: boolean): AttributeBlock | undefined {
  if (!identifier.test(key)) return 'not-identifier';
  if (pythonKeywords.has(key)) return 'keyword';
  if (atRoot ? rootReservedNames.has(key) : nestedReservedNames.has(key)) return 'reserved';
  if (atRoot ? key.startsWith('_') : key.startsWith('__')) return 'private';
  return undefined;
}

/** A sentence for a diagnostic or a completion item explaining why `["key"]` is needed. */
export function describeAttributeBlock(block: AttributeBlock, key: string, atRoot: boolean): string {
  const owner = atRoot ? 'st.secrets' : 'a secrets table';
  switch (block) {
    case 'not-identifier':
      return `"${key}" is not a Python identifier, so only ["${key}"] can read it`;
    case 'keyword':
      return `"${key}" is a Python keyword, so only ["${key}"] can read it`;
    case 'reserved':
      return `${owner}.${key} is the Mapping method ${key}(), not the secret: use ["${key}"]`;
    case 'private':
      return `${owner} does not look up names starting with "_" as secrets: use ["${key}"]`;
  }
}

/** A Python string literal holding `text`, quoted with `quote`. */
export function pythonStringContent(text: string, quote: '"' | "'"): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out;
}
