import type { SyntaxNode } from '@lezer/common';
import type { TextRange } from '../textRange';
import type { AliasBinding, ImportedSymbol, NameBinding, NameBindings } from './importBindings';
import { nestedReservedNames, rootReservedNames } from './reservedNames';
import { constantString, isStringNode } from './stringLiteral';
import type { AccessSegment, GetFallback } from './types';

/**
 * The meaning of one expression along a `st.secrets…` / `os.environ…` chain.
 *
 * Analysis and completion share this: analysis starts at a bound name and climbs to the parent
 * expressions with `step`; completion evaluates the receiver left of the cursor with
 * `evaluateChain`, which walks down to the name and back up through the same `step`.
 */
export type ChainValue =
  | { kind: 'module'; module: 'streamlit' | 'os' }
  /** `st.connection` / `st.login` (the function, not yet called). */
  | { kind: 'function'; fn: 'connection' | 'login'; calleeRange: TextRange }
  /** A secrets table / value or `os.environ` (or one of its values) reached through `segments`. */
  | PathValue
  /** The bound `.get` of a secrets table or of `os.environ`, or `os.getenv` (root `environ`, no segments). */
  | (Omit<PathValue, 'kind' | 'tolerant'> & { kind: 'get' });

export interface PathValue {
  kind: 'path';
  root: 'secrets' | 'environ';
  segments: AccessSegment[];
  rootRange: TextRange;
  /** End offset of the expression that produced the last segment (or of the root). */
  end: number;
  /** The last segment came from `.get(...)`. */
  tolerant: boolean;
}

/** Whether `st.secrets….name` reads a real attribute rather than the key `name`. */
export function isReservedAttribute(name: string, atRoot: boolean): boolean {
  if (atRoot) return rootReservedNames.has(name) || name.startsWith('_');
  return nestedReservedNames.has(name) || (name.startsWith('__') && name.endsWith('__'));
}

export function rootValue(name: SyntaxNode, symbol: ImportedSymbol): ChainValue {
  const range = { start: name.from, end: name.to };
  switch (symbol) {
    case 'streamlit':
      return { kind: 'module', module: 'streamlit' };
    case 'os':
      return { kind: 'module', module: 'os' };
    case 'streamlit.secrets':
      return { kind: 'path', root: 'secrets', segments: [], rootRange: range, end: name.to, tolerant: false };
    case 'os.environ':
      return { kind: 'path', root: 'environ', segments: [], rootRange: range, end: name.to, tolerant: false };
    case 'os.getenv':
      return { kind: 'get', root: 'environ', segments: [], rootRange: range, end: name.to };
    case 'streamlit.connection':
      return { kind: 'function', fn: 'connection', calleeRange: range };
    case 'streamlit.login':
      return { kind: 'function', fn: 'login', calleeRange: range };
  }
}

/** The first argument of an `ArgList` when it is positional and a constant `str`. */
export function firstStringArgument(
  argList: SyntaxNode,
  text: string,
): { value: string; contentRange: TextRange; literalRange: TextRange } | undefined {
  const open = argList.firstChild;
  const first = open?.nextSibling;
  if (!open || open.name !== '(' || !first || !isStringNode(first)) return undefined;
  const after = first.nextSibling;
  if (after && after.name !== ',' && after.name !== ')') return undefined;
  const constant = constantString(first, text);
  if (!constant) return undefined;
  return { value: constant.value, contentRange: constant.literal.contentRange, literalRange: constant.literal.literalRange };
}

/** Member and call steps on secrets / environ values (modules are handled in `step`). */
function extendChain(value: ChainValue, parent: SyntaxNode, child: SyntaxNode, text: string): ChainValue | undefined {
  if (parent.firstChild?.from !== child.from || parent.firstChild.to !== child.to) return undefined;
  if (parent.name === 'MemberExpression') {
    const accessor = child.nextSibling;
    if (!accessor) return undefined;
    if (accessor.name === '.') {
      const property = accessor.nextSibling;
      if (!property || property.name !== 'PropertyName') return undefined;
      const name = text.slice(property.from, property.to);
      return attribute(value, name, { start: property.from, end: property.to }, accessor.from);
    }
    if (accessor.name === '[') {
      const key = accessor.nextSibling;
      if (!key || !isStringNode(key) || key.nextSibling?.name !== ']') return undefined;
      const constant = constantString(key, text);
      if (!constant || value.kind !== 'path') return undefined;
      if (value.root === 'environ' && value.segments.length > 0) return undefined;
      return {
        ...value,
        segments: [
          ...value.segments,
          { key: constant.value, style: 'subscript', range: constant.literal.contentRange, literalRange: constant.literal.literalRange },
        ],
        end: parent.to,
        tolerant: false,
      };
    }
    return undefined;
  }
  if (parent.name === 'CallExpression' && value.kind === 'get') {
    const args = child.nextSibling;
    if (!args || args.name !== 'ArgList') return undefined;
    const key = firstStringArgument(args, text);
    if (!key) return undefined;
    return {
      kind: 'path',
      root: value.root,
      segments: [...value.segments, { key: key.value, style: 'get', range: key.contentRange, literalRange: key.literalRange, fallback: getFallback(args, text) }],
      rootRange: value.rootRange,
      end: parent.to,
      tolerant: true,
    };
  }
  return undefined;
}

/** What `.get(key, default)` returns for an absent key, from its second argument. */
function getFallback(args: SyntaxNode, text: string): GetFallback {
  const values: SyntaxNode[] = [];
  for (let child = args.firstChild; child; child = child.nextSibling) {
    if (child.name === '(' || child.name === ')' || child.name === ',') continue;
    if (child.name === '*' || child.name === '**' || child.name === 'AssignOp' || child.type.isError) return 'unknown';
    values.push(child);
  }
  const fallback = values[1];
  if (values.length > 2) return 'unknown';
  if (fallback === undefined || fallback.name === 'None') return 'none';
  if (isStringNode(fallback)) return constantString(fallback, text) === undefined ? 'unknown' : 'str';
  const source = text.slice(fallback.from, fallback.to).replace(/\s+/g, '');
  return source === '{}' || source === 'dict()' ? 'table' : 'unknown';
}

function attribute(value: ChainValue, name: string, range: TextRange, dotOffset: number): ChainValue | undefined {
  switch (value.kind) {
    case 'path':
      if (value.root === 'environ') {
        if (value.segments.length === 0 && name === 'get') return { ...withoutTolerant(value), kind: 'get' };
        return undefined;
      }
      if (name === 'get') return { ...withoutTolerant(value), kind: 'get' };
      if (isReservedAttribute(name, value.segments.length === 0)) return undefined;
      return {
        ...value,
        segments: [...value.segments, { key: name, style: 'attribute', range, accessorRange: { start: dotOffset, end: range.end } }],
        end: range.end,
        tolerant: false,
      };
    default:
      return undefined;
  }
}

function withoutTolerant(value: PathValue): Omit<PathValue, 'kind' | 'tolerant'> {
  return { root: value.root, segments: value.segments, rootRange: value.rootRange, end: value.end };
}

/** Aliases of aliases are followed this deep (`a = st.secrets; b = a["x"]; c = b.y`), no further. */
const maxAliasDepth = 8;

/**
 * The chain value a bound name starts with: an import's symbol, or — for a name assigned once from
 * a secrets path (`db = st.secrets["db"]`, `env = os.environ`) — that path, whose segments are
 * marked `inherited` (they are read, and checked, where the name was assigned).
 */
export function nameValue(name: SyntaxNode, binding: NameBinding, bindings: NameBindings, text: string, depth = 0): ChainValue | undefined {
  if (typeof binding === 'string') return rootValue(name, binding);
  const value = aliasValue(binding, bindings, text, depth);
  return value === undefined ? undefined : { ...value, rootRange: { start: name.from, end: name.to }, end: name.to };
}

/** What an alias stands for, evaluated once per binding (every use of the name shares it; read-only). */
const aliasValues = new WeakMap<AliasBinding, PathValue | null>();

function aliasValue(binding: AliasBinding, bindings: NameBindings, text: string, depth: number): PathValue | undefined {
  // Only evaluations from a use (depth 0) are remembered: one cut short by the depth limit inside a
  // longer chain of aliases is not the alias's own value.
  const cached = depth === 0 ? aliasValues.get(binding) : undefined;
  if (cached !== undefined) return cached ?? undefined;
  if (depth >= maxAliasDepth) return undefined;
  const value = evaluateChain(binding.value, bindings, text, depth + 1);
  // A tolerant value (`cfg = st.secrets.get("db", {})`) is followed too: its inherited segments are
  // never reported, so a missing `db` stays unreported, and `cfg["host"]` is checked when `db` exists.
  const result: PathValue | undefined =
    value?.kind === 'path' ? { ...value, tolerant: false, segments: value.segments.map((segment) => ({ ...segment, inherited: true })) } : undefined;
  if (depth === 0) aliasValues.set(binding, result ?? null);
  return result;
}

/** Evaluate an expression (a name, member access or call) to its chain value, if it has one. */
export function evaluateChain(node: SyntaxNode, bindings: NameBindings, text: string, depth = 0): ChainValue | undefined {
  if (node.name === 'VariableName') {
    const binding = bindings.resolve(node, text.slice(node.from, node.to));
    return binding ? nameValue(node, binding, bindings, text, depth) : undefined;
  }
  if (node.name === 'MemberExpression' || node.name === 'CallExpression') {
    const first = node.firstChild;
    if (!first) return undefined;
    const inner = evaluateChain(first, bindings, text, depth);
    return inner ? step(inner, node, first, text) : undefined;
  }
  return undefined;
}

/**
 * The value of `parent` when `child` (with value `value`) is its object or callee; undefined
 * when `parent` does not continue the chain (a dynamic key, a method that is not a key, …).
 */
export function step(value: ChainValue, parent: SyntaxNode, child: SyntaxNode, text: string): ChainValue | undefined {
  if (value.kind === 'module') {
    if (parent.name !== 'MemberExpression' || parent.firstChild?.from !== child.from) return undefined;
    const dot = child.nextSibling;
    const property = dot?.name === '.' ? dot.nextSibling : null;
    if (!property || property.name !== 'PropertyName') return undefined;
    const name = text.slice(property.from, property.to);
    const range = { start: parent.from, end: parent.to };
    if (value.module === 'streamlit') {
      if (name === 'secrets') return { kind: 'path', root: 'secrets', segments: [], rootRange: range, end: parent.to, tolerant: false };
      if (name === 'connection' || name === 'login') return { kind: 'function', fn: name, calleeRange: range };
      return undefined;
    }
    if (name === 'environ') return { kind: 'path', root: 'environ', segments: [], rootRange: range, end: parent.to, tolerant: false };
    if (name === 'getenv') return { kind: 'get', root: 'environ', segments: [], rootRange: range, end: parent.to };
    return undefined;
  }
  return extendChain(value, parent, child, text);
}
