import type { SyntaxNode } from '@lezer/common';
import type { TextRange } from '../textRange';
import { nameBindings } from './importBindings';
import type { PythonSource } from './pythonSource';
import { readGuards, type GuardCache, type ReadGuards } from './readGuards';
import { evaluateChain, isReservedAttribute } from './secretsChain';

/**
 * Attribute reads on `st.secrets` that the access analysis deliberately stops before, because
 * they do not read a key: `st.secrets.items` (a Mapping method, not the secret `items`) and
 * `st.secrets.servers[0].host` (array items are plain dicts, not AttrDicts). Diagnostics need
 * them to explain why such code fails although the key exists.
 */
export interface AttributeMisread {
  /** `index`: `<secrets path>[<int>]` (the name is the index as written, the ranges the brackets'). */
  kind: 'reserved' | 'array-element' | 'index';
  /** Keys of the table (`reserved`) or array (`array-element`) the attribute is read on. */
  containerPath: string[];
  /** `array-element`: the constant index between the array and the attribute. */
  index?: number;
  name: string;
  nameRange: TextRange;
  /** From the `.` through the name: what a rewrite to `["name"]` replaces. */
  accessorRange: TextRange;
  /** The attribute is called (`st.secrets.items()`): a legitimate method call. */
  called: boolean;
  /** What the code around the read proves. */
  guards: ReadGuards;
}

const cache = new WeakMap<PythonSource, AttributeMisread[]>();

export function findAttributeMisreads(source: PythonSource): AttributeMisread[] {
  let found = cache.get(source);
  if (found === undefined) {
    found = collect(source);
    cache.set(source, found);
  }
  return found;
}

function collect(source: PythonSource): AttributeMisread[] {
  const bindings = nameBindings(source);
  const result: AttributeMisread[] = [];
  if (bindings.candidateNames.size === 0) return result;
  const { text, tree } = source;
  const guardCache: GuardCache = new Map();
  tree.iterate({
    enter(ref) {
      if (ref.name === 'Comment' || ref.name === 'String' || ref.name === 'ImportStatement') return false;
      if (ref.name !== 'MemberExpression') return undefined;
      const node = ref.node;
      const object = node.firstChild;
      const dot = object?.nextSibling;
      const property = dot?.nextSibling;
      const index = dot?.name === '[' && property?.nextSibling?.name === ']' && object ? integerIndex(property, text) : undefined;
      if (object && index !== undefined) {
        const value = evaluateChain(object, bindings, text);
        if (value?.kind === 'path' && value.root === 'secrets') {
          const name = text.slice(property!.from, property!.to);
          result.push({
            kind: 'index',
            containerPath: value.segments.map((s) => s.key),
            index,
            name,
            nameRange: { start: property!.from, end: property!.to },
            accessorRange: { start: dot!.from, end: node.to },
            called: false,
            guards: readGuards(node, bindings, text, guardCache),
          });
        }
        return undefined;
      }
      if (!object || dot?.name !== '.' || property?.name !== 'PropertyName') return undefined;
      const name = text.slice(property.from, property.to);
      const misread = classify(object, name, bindings, text);
      if (misread !== undefined) {
        result.push({
          ...misread,
          name,
          nameRange: { start: property.from, end: property.to },
          accessorRange: { start: dot.from, end: property.to },
          called: isCallee(node),
          guards: readGuards(node, bindings, text, guardCache),
        });
      }
      return undefined;
    },
  });
  return result;
}

/** `0`, `12`, `-1`: a decimal integer literal, optionally negated. */
function integerIndex(node: SyntaxNode, text: string): number | undefined {
  let sign = 1;
  let literal = node;
  if (node.name === 'UnaryExpression' && node.firstChild?.name === 'ArithOp' && text.slice(node.firstChild.from, node.firstChild.to) === '-' && node.lastChild) {
    sign = -1;
    literal = node.lastChild;
  }
  if (literal.name !== 'Number') return undefined;
  const digits = text.slice(literal.from, literal.to);
  return /^\d+$/.test(digits) ? sign * Number(digits) : undefined;
}

function isCallee(node: SyntaxNode): boolean {
  const parent = node.parent;
  return parent?.name === 'CallExpression' && parent.firstChild?.from === node.from && parent.firstChild.to === node.to;
}

function classify(
  object: SyntaxNode,
  name: string,
  bindings: ReturnType<typeof nameBindings>,
  text: string,
): Pick<AttributeMisread, 'kind' | 'containerPath' | 'index'> | undefined {
  // `<secrets path>[<int>].name`
  if (object.name === 'MemberExpression') {
    const inner = object.firstChild;
    const open = inner?.nextSibling;
    const index = open?.nextSibling;
    if (inner && open?.name === '[' && index?.name === 'Number' && index.nextSibling?.name === ']') {
      const literal = text.slice(index.from, index.to);
      if (/^\d+$/.test(literal)) {
        const value = evaluateChain(inner, bindings, text);
        if (value?.kind === 'path' && value.root === 'secrets' && value.segments.length > 0) {
          return { kind: 'array-element', containerPath: value.segments.map((s) => s.key), index: Number(literal) };
        }
      }
      return undefined;
    }
  }
  // Cheap name test first: only reserved names need the chain evaluated.
  if (!isReservedAttribute(name, true) && !isReservedAttribute(name, false)) return undefined;
  const value = evaluateChain(object, bindings, text);
  if (value?.kind !== 'path' || value.root !== 'secrets') return undefined;
  if (!isReservedAttribute(name, value.segments.length === 0)) return undefined;
  return { kind: 'reserved', containerPath: value.segments.map((s) => s.key) };
}
