import type { SyntaxNode, Tree } from '@lezer/common';
import { nameBindings } from './importBindings';
import type { PythonSource } from './pythonSource';
import { evaluateChain } from './secretsChain';
import { isStringNode, readStringLiteral } from './stringLiteral';
import type { CompletionContext } from './types';

/**
 * What secrets completion applies at `offset`, if any.
 *
 * Works on the tree of incomplete code: lezer recovers from `st.secrets.` or an unterminated
 * `st.secrets["` with error nodes, and may attach the following lines to the broken expression in
 * odd ways, but everything LEFT of the cursor is parsed as typed. So the cursor's own token is
 * found first (a string, an identifier after `.`, or the `.` itself), then the receiver is the
 * largest expression ending just before the `[`, `(` or `.`, evaluated with the same chain rules as
 * the analysis (imports, aliases, shadowing).
 *
 * Ranges: `replaceRange` of a closed string is its whole content (so accepting a completion
 * replaces the key); of an unterminated string, from the opening quote to the cursor (the
 * "string" runs to the end of the line and would swallow the rest of it). For attributes, it is the
 * whole identifier at the cursor, or empty at the cursor.
 */
export function completionContextAt(source: PythonSource, offset: number): CompletionContext | undefined {
  const { tree, text } = source;
  if (offset < 0 || offset > text.length) return undefined;
  const atCursor = tree.resolveInner(offset, -1);
  let stringNode: SyntaxNode | undefined;
  // Inside an f-string's `{…}` the cursor is in code again.
  let inReplacement = false;
  for (let node: SyntaxNode | null = atCursor; node; node = node.parent) {
    if (node.name === 'Comment') return undefined;
    if (node.name === 'FormatReplacement' && node.from < offset) inReplacement = true;
    if (!stringNode && !inReplacement && isStringNode(node) && node.from < offset) stringNode = node;
  }
  if (stringNode) return stringContext(source, stringNode, offset);
  return attributeContext(source, offset);
}

function stringContext(source: PythonSource, node: SyntaxNode, offset: number): CompletionContext | undefined {
  const { tree, text } = source;
  const literal = readStringLiteral(node, text);
  if (!literal || literal.isBytes) return undefined;
  const content = literal.contentRange;
  if (offset < content.start || offset > content.end) return undefined;
  if (literal.isFormat && node.getChild('FormatReplacement')) return undefined;
  if (literal.long && !literal.terminated) return undefined;

  // Implicit concatenation (or lezer's recovery after an unterminated string) wraps the literal.
  let slot = node;
  if (slot.parent?.name === 'ContinuedString' && slot.parent.from === slot.from) slot = slot.parent;
  const opener = previousToken(tree, text, slot.from);
  if (!opener) return undefined;

  const replaceRange = literal.terminated ? { start: content.start, end: content.end } : { start: content.start, end: offset };
  const quoted = { replaceRange, quote: literal.quote, closed: literal.terminated };
  const bindings = nameBindings(source);

  if (opener.name === '[') {
    const receiver = expressionEndingAt(tree, text, opener.from);
    const value = receiver && evaluateChain(receiver, bindings, text);
    if (!value || value.kind !== 'path') return undefined;
    if (value.root === 'secrets') return { kind: 'secrets-key', parentPath: value.segments.map((s) => s.key), ...quoted };
    return value.segments.length === 0 ? { kind: 'environ-key', ...quoted } : undefined;
  }
  if (opener.name === '(' && opener.parent?.name === 'ArgList') {
    const callee = expressionEndingAt(tree, text, opener.from);
    const value = callee && evaluateChain(callee, bindings, text);
    if (!value) return undefined;
    if (value.kind === 'get') {
      if (value.root === 'secrets') return { kind: 'secrets-key', parentPath: value.segments.map((s) => s.key), ...quoted };
      return value.segments.length === 0 ? { kind: 'environ-key', ...quoted } : undefined;
    }
    if (value.kind === 'function' && value.fn === 'connection') return { kind: 'connection-name', ...quoted };
  }
  return undefined;
}

function attributeContext(source: PythonSource, offset: number): CompletionContext | undefined {
  const { tree, text } = source;
  let word: SyntaxNode | undefined;
  let dot: SyntaxNode | undefined;
  const before = previousToken(tree, text, offset);
  if (before?.name === 'PropertyName') {
    // The cursor is inside or at the end of the identifier being typed.
    word = before;
    const previous = previousToken(tree, text, before.from);
    if (previous?.name === '.') dot = previous;
  } else if (before?.name === '.') {
    dot = before;
    // `st.secrets.|db`: the cursor sits at the start of an identifier.
    const after = dot.nextSibling;
    if (after?.name === 'PropertyName' && after.from === offset) word = after;
  }
  if (!dot || dot.parent?.name !== 'MemberExpression') return undefined;
  const receiver = expressionEndingAt(tree, text, dot.from);
  const value = receiver && evaluateChain(receiver, nameBindings(source), text);
  if (!value || value.kind !== 'path' || value.root !== 'secrets') return undefined;
  return {
    kind: 'secrets-attribute',
    parentPath: value.segments.map((s) => s.key),
    replaceRange: word ? { start: word.from, end: word.to } : { start: offset, end: offset },
    dotOffset: dot.from,
  };
}

/**
 * The innermost node holding the last non-blank character before `pos` on the same logical
 * line (spaces, tabs and backslash continuations are skipped; a newline is not, so a `.` at the
 * end of the previous line does not count). A token node when the character belongs to one;
 * when `pos` is inside a token, that token.
 */
function previousToken(tree: Tree, text: string, pos: number): SyntaxNode | undefined {
  let p = pos;
  for (;;) {
    const ch = text.charCodeAt(p - 1);
    if (ch === 32 || ch === 9 || ch === 12) p--;
    else if (ch === 10 && text.charCodeAt(p - 2) === 92) p -= 2;
    else if (ch === 10 && text.charCodeAt(p - 2) === 13 && text.charCodeAt(p - 3) === 92) p -= 3;
    else break;
  }
  if (p <= 0) return undefined;
  const node = tree.resolveInner(p, -1);
  return node.from < p ? node : undefined;
}

/** The largest name / member access / call that ends right before `pos` (blanks skipped). */
function expressionEndingAt(tree: Tree, text: string, pos: number): SyntaxNode | undefined {
  let node = previousToken(tree, text, pos);
  if (!node) return undefined;
  const end = node.to;
  while (node.parent && node.parent.to === end && chainParents.has(node.parent.name)) node = node.parent;
  return chainExpressions.has(node.name) ? node : undefined;
}

const chainParents = new Set(['MemberExpression', 'CallExpression', 'ArgList']);
const chainExpressions = new Set(['VariableName', 'MemberExpression', 'CallExpression']);
