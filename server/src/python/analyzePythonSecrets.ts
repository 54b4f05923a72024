import type { SyntaxNode } from '@lezer/common';
import { nameBindings, type NameBindings } from './importBindings';
import { readGuards, type GuardCache } from './readGuards';
import type { PythonSource } from './pythonSource';
import { firstStringArgument, nameValue, step, type ChainValue } from './secretsChain';
import { constantString, isStringNode } from './stringLiteral';
import type { ConnectionCall, LoginCall, PythonSecretsAnalysis, SecretAccess } from './types';

const cache = new WeakMap<PythonSource, PythonSecretsAnalysis>();

/**
 * Every read of `st.secrets` / `os.environ` and every `st.connection(...)` / `st.login(...)` call
 * in one document version, in source order. Pure; cached per source object, so callers may ask
 * repeatedly for the same version.
 */
export function analyzePythonSecrets(source: PythonSource): PythonSecretsAnalysis {
  let analysis = cache.get(source);
  if (!analysis) {
    analysis = analyze(source);
    cache.set(source, analysis);
  }
  return analysis;
}

function analyze(source: PythonSource): PythonSecretsAnalysis {
  const { text, tree } = source;
  const bindings = nameBindings(source);
  const analysis: PythonSecretsAnalysis = {
    importsStreamlit: bindings.importsStreamlit,
    accesses: [],
    wholeUses: [],
    connections: [],
    logins: [],
  };
  if (bindings.candidateNames.size === 0) return analysis;
  const guardCache: GuardCache = new Map();

  tree.iterate({
    enter(ref) {
      switch (ref.name) {
        case 'ImportStatement':
        case 'Comment':
        case 'String':
          return false;
        case 'VariableName': {
          const name = text.slice(ref.from, ref.to);
          if (!bindings.candidateNames.has(name)) return false;
          const node = ref.node;
          // A possible alias read bare (`return db`, `{"k": db}`, `db = …`) reads no key of its own:
          // not worth resolving. Only `db.x`, `db["x"]`, `db.get(…)` and `"x" in db` are.
          if (bindings.aliasOnlyNames.has(name) && !continuesChain(node, text)) return false;
          const binding = bindings.resolve(node, name);
          const value = binding === undefined ? undefined : nameValue(node, binding, bindings, text);
          if (value) followChain(node, value, text, analysis, bindings, guardCache);
          return false;
        }
        default:
          return undefined;
      }
    },
  });
  return analysis;
}

/** Climb from a bound name through the member accesses and calls that continue its chain. */
function followChain(name: SyntaxNode, start: ChainValue, text: string, analysis: PythonSecretsAnalysis, bindings: NameBindings, guardCache: GuardCache): void {
  let value = start;
  let node = name;
  for (;;) {
    const parent = node.parent;
    if (!parent) break;
    const next = step(value, parent, node, text);
    if (!next) break;
    value = next;
    node = parent;
  }

  if (value.kind === 'module') return;
  if (value.kind === 'function') {
    const call = node.parent;
    const args = node.nextSibling;
    if (value.fn === 'login' && call?.name === 'ArgList') {
      // `st.button("Log in", on_click=st.login)`: the button calls it, with no provider unless `args=` gives one.
      const given = argumentsOf(call, text).some((a) => a.keyword === 'args' || a.keyword === '*' || a.keyword === '**');
      analysis.logins.push({ range: { start: node.from, end: node.to }, guards: readGuards(node, bindings, text, guardCache), ...(given ? { providerUnknown: true as const } : {}) });
      return;
    }
    if (!call || call.name !== 'CallExpression' || call.firstChild?.from !== node.from || args?.name !== 'ArgList') return;
    // A guarded call (`if "auth" in st.secrets:`, `try: … except Exception:`) raises nothing there.
    const guards = readGuards(call, bindings, text, guardCache);
    if (value.fn === 'connection') analysis.connections.push({ ...connectionCall(call, args, text), guards });
    else analysis.logins.push({ ...loginCall(call, args, text), guards });
    return;
  }
  if (isWriteTarget(node)) return;

  const access: SecretAccess = {
    kind: value.root === 'secrets' ? 'secrets' : 'environ',
    segments: value.segments,
    range: { start: value.rootRange.start, end: value.end },
    tolerant: value.kind === 'path' && value.tolerant,
    rootRange: value.rootRange,
    guards: readGuards(node, bindings, text, guardCache),
  };
  if (value.kind === 'path') {
    const membership = membershipTest(node, text);
    if (membership) {
      if (membership.key !== undefined) {
        access.tolerant = true;
        access.membershipKey = membership.key;
        analysis.accesses.push(access);
        return;
      }
    }
  }
  if (value.kind === 'path' && value.root === 'secrets' && value.segments.length === 0 && loadsWhole(node, text)) {
    analysis.wholeUses.push({ range: { start: node.from, end: node.to }, guards: access.guards! });
    return;
  }
  // A bare root (`st.write(st.secrets)`, `st.secrets.to_dict()`) reads no particular key; neither
  // does a bare alias (`st.write(db)`), whose keys were read where it was assigned.
  if (access.segments.some((segment) => segment.inherited !== true)) analysis.accesses.push(access);
}

/** Built-ins that iterate, measure or copy their argument (each loads the secrets). */
const loadingBuiltins = new Set(['len', 'dict', 'list', 'tuple', 'set', 'frozenset', 'sorted', 'iter', 'enumerate']);

/**
 * `st.secrets` used as a whole in a way that loads it: a loading built-in's only argument,
 * `for … in st.secrets` (also in comprehensions), `**st.secrets` / `*st.secrets`.
 * (`st.secrets.keys()` and the like are Mapping methods, found as attribute misreads.)
 */
function loadsWhole(node: SyntaxNode, text: string): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const before = node.prevSibling;
  if (parent.name === 'ArgList' || parent.name === 'DictionaryExpression' || parent.name === 'ArrayExpression' || parent.name === 'TupleExpression') {
    if (before?.name === '**' || before?.name === '*') return true;
  }
  if (parent.name === 'ArgList') {
    const callee = parent.parent?.firstChild;
    const only = before?.name === '(' && node.nextSibling?.name === ')';
    return only && callee?.name === 'VariableName' && loadingBuiltins.has(text.slice(callee.from, callee.to));
  }
  if (before?.name === 'in') {
    // `for k in st.secrets:` and `[k for k in st.secrets]` (not the `in` operator).
    return parent.name === 'ForStatement' || /Comprehension/.test(parent.name);
  }
  return false;
}

/** `node` is the object of a member access or call, or the right operand of `in`. */
function continuesChain(node: SyntaxNode, text: string): boolean {
  const parent = node.parent;
  if (parent === null) return false;
  if ((parent.name === 'MemberExpression' || parent.name === 'CallExpression') && parent.firstChild?.from === node.from) return true;
  return membershipTest(node, text) !== undefined;
}

/** `node` is the right operand of `in` / `not in`; `key` is set when the left operand is a constant str. */
function membershipTest(node: SyntaxNode, text: string): { key?: { key: string; range: { start: number; end: number } } } | undefined {
  const parent = node.parent;
  if (!parent || parent.name !== 'BinaryExpression' || parent.lastChild?.from !== node.from) return undefined;
  if (node.prevSibling?.name !== 'in') return undefined;
  const left = parent.firstChild;
  if (!left || !isStringNode(left)) return {};
  const constant = constantString(left, text);
  return constant ? { key: { key: constant.value, range: constant.literal.contentRange } } : {};
}

/** `st.secrets["k"] = v`, `del os.environ["K"]`: writes, not reads. */
function isWriteTarget(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.name === 'DeleteStatement') return true;
  if (parent.name !== 'AssignStatement') return false;
  for (let sibling = node.nextSibling; sibling; sibling = sibling.nextSibling) {
    if (sibling.name === 'AssignOp') return true;
  }
  return false;
}

interface Argument {
  keyword?: string;
  value: SyntaxNode;
}

function argumentsOf(args: SyntaxNode, text: string): Argument[] {
  const result: Argument[] = [];
  for (let child = args.firstChild; child; child = child.nextSibling) {
    if (child.name === '(' || child.name === ')' || child.name === ',' || child.type.isError) continue;
    if (child.name === 'VariableName' && child.nextSibling?.name === 'AssignOp' && child.nextSibling.nextSibling) {
      result.push({ keyword: text.slice(child.from, child.to), value: child.nextSibling.nextSibling });
      child = child.nextSibling.nextSibling;
      continue;
    }
    if (child.name === '*' || child.name === '**') {
      // `*args` / `**kwargs` could hold anything, including `type=`: count them as giving a type.
      result.push({ keyword: child.name, value: child.nextSibling ?? child });
      child = child.nextSibling ?? child;
      continue;
    }
    result.push({ value: child });
  }
  return result;
}

function stringArgument(node: SyntaxNode, text: string): { value: string; range: { start: number; end: number } } | undefined {
  if (!isStringNode(node)) return undefined;
  const constant = constantString(node, text);
  return constant ? { value: constant.value, range: constant.literal.contentRange } : undefined;
}

/** `st.connection`'s own parameters; any other keyword (and `*` / `**`) goes to the connection. */
const connectionFactoryKeywords = new Set(['name', 'type', 'max_entries', 'ttl']);

function connectionCall(call: SyntaxNode, args: SyntaxNode, text: string): ConnectionCall {
  const list = argumentsOf(args, text);
  const positional = list.filter((a) => a.keyword === undefined);
  const nameArg = positional[0]?.value ?? list.find((a) => a.keyword === 'name')?.value;
  const name = nameArg ? stringArgument(nameArg, text) : undefined;
  const hasType = positional.length >= 2 || list.some((a) => a.keyword === 'type' || a.keyword === '*' || a.keyword === '**');
  const result: ConnectionCall = { hasType, range: { start: call.from, end: call.to } };
  if (list.some((a) => a.keyword !== undefined && !connectionFactoryKeywords.has(a.keyword))) result.settingsInCall = true;
  if (name) {
    result.name = name.value;
    result.nameRange = name.range;
  }
  const typeArg = positional[1]?.value ?? list.find((a) => a.keyword === 'type')?.value;
  const typeName = typeArg ? stringArgument(typeArg, text) : undefined;
  if (typeName) result.typeName = typeName.value;
  return result;
}

function loginCall(call: SyntaxNode, args: SyntaxNode, text: string): LoginCall {
  const result: LoginCall = { range: { start: call.from, end: call.to } };
  const first = firstStringArgument(args, text);
  const list = argumentsOf(args, text);
  const providerArg = first ? undefined : list.find((a) => a.keyword === 'provider')?.value;
  const provider = first ? { value: first.value, range: first.contentRange } : providerArg ? stringArgument(providerArg, text) : undefined;
  if (provider) {
    result.provider = provider.value;
    result.providerRange = provider.range;
  } else if (list.length > 0) {
    result.providerUnknown = true;
  }
  return result;
}
