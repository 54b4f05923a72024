import type { SyntaxNode } from '@lezer/common';
import type { TextRange } from '../textRange';
import { keyPathId, type KeyLocation, type SecretKeyLocations, type SecretNode } from '../toml/types';
import type { PythonSource } from './pythonSource';
import { constantString, isStringNode } from './stringLiteral';

/**
 * One `st.App("script.py", secrets={…})` call (Streamlit 1.57+, docs/streamlit-model.md §8):
 * the script it serves and the secrets it passes, when they can be read without running Python.
 */
export interface StreamlitAppCall {
  /** The script as written (relative to the App file's folder, or absolute). */
  script: string;
  /** The whole call. */
  range: TextRange;
  /**
   * `literal`: a dict of constants (nested dicts, lists) — its values and where each key is written.
   * `dynamic`: `secrets=` is given but its keys cannot be known (`load()`, `{**os.environ}`, a value
   * that is not a constant). Absent: no `secrets=`.
   */
  secrets?:
    | { kind: 'literal'; root: SecretNode; keys: SecretKeyLocations }
    /** `topKeys`: a dict with constant top-level keys whose values are not all constants. */
    | { kind: 'dynamic'; range: TextRange; topKeys?: string[] };
}

/** Modules `App` is imported from: `st.App`, `streamlit.starlette.App`, the server module. */
const appModules = new Set(['streamlit', 'streamlit.starlette', 'streamlit.web.server.starlette']);

/** Names that mean the App class in this file: `st` (+ `.App`) for modules, `App` for direct imports. */
function appNames(text: string): { modules: Set<string>; classes: Set<string> } {
  const modules = new Set<string>();
  const classes = new Set<string>();
  for (const match of text.matchAll(/^[ \t]*import[ \t]+([\w. \t,]+)$/gm)) {
    for (const part of match[1]!.split(',')) {
      const [module, alias] = part.trim().split(/\s+as\s+/);
      if (module !== undefined && appModules.has(module)) modules.add(alias ?? module);
    }
  }
  for (const match of text.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([^)\n]+)\)?/gm)) {
    if (!appModules.has(match[1]!)) continue;
    for (const part of match[2]!.split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (name === 'App') classes.add(alias ?? name);
      if (name === 'starlette' && match[1] === 'streamlit') modules.add(alias ?? name);
    }
  }
  return { modules, classes };
}

function isAppCallee(node: SyntaxNode, text: string, names: ReturnType<typeof appNames>): boolean {
  if (node.name === 'VariableName') return names.classes.has(text.slice(node.from, node.to));
  if (node.name !== 'MemberExpression') return false;
  const property = node.lastChild;
  if (property?.name !== 'PropertyName' || text.slice(property.from, property.to) !== 'App') return false;
  const object = node.firstChild;
  if (!object) return false;
  // `st.App`, `streamlit.starlette.App`: the dotted object text names an App module.
  const dotted = text.slice(object.from, object.to).replace(/\s+/g, '');
  return names.modules.has(dotted) || appModules.has(dotted);
}

/** A constant Python value as a secrets value; undefined when it is not a constant. */
function literalValue(node: SyntaxNode, text: string, keys: SecretKeyLocations, path: string[]): SecretNode | undefined {
  if (isStringNode(node)) {
    const constant = constantString(node, text);
    return constant ? { kind: 'string', value: constant.value } : undefined;
  }
  switch (node.name) {
    case 'Number': {
      const raw = text.slice(node.from, node.to).replace(/_/g, '');
      if (/^\d+$/.test(raw)) return { kind: 'integer', value: BigInt(raw) };
      const float = Number(raw);
      return Number.isFinite(float) && /^[\d.eE+-]+$/.test(raw) ? { kind: 'float', value: float } : undefined;
    }
    case 'Boolean':
      return { kind: 'boolean', value: text.slice(node.from, node.to) === 'True' };
    case 'UnaryExpression': {
      const operator = node.firstChild;
      const operand = operator?.nextSibling;
      if (operator?.name !== 'ArithOp' || !operand || operand.name !== 'Number') return undefined;
      const inner = literalValue(operand, text, keys, path);
      const sign = text.slice(operator.from, operator.to);
      if (inner === undefined || (sign !== '-' && sign !== '+')) return undefined;
      if (sign === '+') return inner;
      return inner.kind === 'integer' ? { kind: 'integer', value: -(inner.value as bigint) } : { kind: 'float', value: -(inner.value as number) };
    }
    case 'ArrayExpression':
    case 'TupleExpression': {
      const items: SecretNode[] = [];
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (['[', ']', '(', ')', ','].includes(child.name)) continue;
        const item = literalValue(child, text, keys, path);
        if (item === undefined) return undefined;
        items.push(item);
      }
      return { kind: 'array', items };
    }
    case 'DictionaryExpression':
      return literalDict(node, text, keys, path);
    default:
      return undefined;
  }
}

/** `{"k": v, …}` with constant string keys and constant values; a spread or computed key: undefined. */
function literalDict(node: SyntaxNode, text: string, keys: SecretKeyLocations, path: string[]): SecretNode | undefined {
  const children = new Map<string, SecretNode>();
  let child = node.firstChild?.nextSibling ?? null;
  while (child && child.name !== '}') {
    if (child.name === ',') {
      child = child.nextSibling;
      continue;
    }
    if (!isStringNode(child)) return undefined;
    const key = constantString(child, text);
    const colon = child.nextSibling;
    const value = colon?.name === ':' ? colon.nextSibling : null;
    if (!key || !value) return undefined;
    const keyPath = [...path, key.value];
    const node = literalValue(value, text, keys, keyPath);
    if (node === undefined) return undefined;
    children.set(key.value, node);
    const location: KeyLocation = { keyRange: key.literal.contentRange, valueRange: { start: value.from, end: value.to } };
    const id = keyPathId(keyPath);
    // A repeated key: Python keeps the last value; the definition is where that one is written.
    keys.set(id, [location]);
    child = value.nextSibling;
  }
  return { kind: 'table', children };
}

/** Secrets given in code: a literal dict of constants, or `dynamic` when its keys cannot be known. */
export type ProgrammaticSecrets = NonNullable<StreamlitAppCall['secrets']>;

/**
 * One `….merge_programmatic_secrets(secrets)` call (`st.secrets.merge_programmatic_secrets`, the
 * method `st.App(secrets=…)` uses, also called by apps themselves; docs/streamlit-model.md §8).
 */
export interface SecretsMergeCall {
  range: TextRange;
  secrets: ProgrammaticSecrets;
}

const mergeMethod = 'merge_programmatic_secrets';

/** A cheap test before parsing: a file without these words holds no `st.App(…)` call. */
export function mayCallStreamlitApp(text: string): boolean {
  return /\bApp\b/.test(text) && text.includes('streamlit');
}

/** A cheap test before parsing: a file without the method's name merges no secrets. */
export function mayMergeSecrets(text: string): boolean {
  return text.includes(mergeMethod);
}

/** The secrets an argument gives: a literal dict, else dynamic (`None` gives none). */
function programmaticSecrets(value: SyntaxNode, text: string): ProgrammaticSecrets | undefined {
  if (value.name === 'None') return undefined;
  const keys: SecretKeyLocations = new Map();
  const root = value.name === 'DictionaryExpression' ? literalDict(value, text, keys, []) : undefined;
  if (root !== undefined) return { kind: 'literal', root, keys };
  const range = { start: value.from, end: value.to };
  const topKeys = value.name === 'DictionaryExpression' ? constantKeys(value, text) : undefined;
  return topKeys === undefined ? { kind: 'dynamic', range } : { kind: 'dynamic', range, topKeys };
}

/** The keys of `{"k": <anything>, …}` when every key is a constant string (no `**spread`). */
function constantKeys(dict: SyntaxNode, text: string): string[] | undefined {
  const keys: string[] = [];
  let child = dict.firstChild?.nextSibling ?? null;
  while (child && child.name !== '}') {
    if (child.name === ',') {
      child = child.nextSibling;
      continue;
    }
    const key = isStringNode(child) ? constantString(child, text) : undefined;
    const value = child.nextSibling?.name === ':' ? child.nextSibling.nextSibling : null;
    if (key === undefined || !value) return undefined;
    keys.push(key.value);
    child = value.nextSibling;
  }
  return keys;
}

/** The argument given as `name=` in an argument list, or undefined. */
function keywordArgument(args: SyntaxNode, text: string, name: string): SyntaxNode | undefined {
  for (let arg = args.firstChild; arg; arg = arg.nextSibling) {
    if (arg.name === 'VariableName' && text.slice(arg.from, arg.to) === name && arg.nextSibling?.name === 'AssignOp') return arg.nextSibling.nextSibling ?? undefined;
  }
  return undefined;
}

/**
 * Every `<object>.merge_programmatic_secrets(…)` call of a file. Any object: the method's name is
 * Streamlit's own and unlikely elsewhere, and a call found only makes missing keys less certain.
 */
export function findSecretsMerges(source: PythonSource): SecretsMergeCall[] {
  const { text } = source;
  if (!mayMergeSecrets(text)) return [];
  const calls: SecretsMergeCall[] = [];
  forEachCall(source, (call, callee, args) => {
    const property = callee.name === 'MemberExpression' ? callee.lastChild : null;
    if (property?.name !== 'PropertyName' || text.slice(property.from, property.to) !== mergeMethod) return;
    const first = args.firstChild?.nextSibling;
    const positional = first && first.name !== ')' && first.nextSibling?.name !== 'AssignOp' ? first : undefined;
    const value = positional ?? keywordArgument(args, text, 'programmatic_secrets') ?? keywordArgument(args, text, 'secrets');
    // `merge(**kwargs)` or no argument: nothing certain, so treat it as any keys.
    const secrets = value === undefined ? { kind: 'dynamic' as const, range: { start: args.from, end: args.to } } : programmaticSecrets(value, text);
    if (secrets !== undefined) calls.push({ range: { start: call.from, end: call.to }, secrets });
  });
  return calls;
}

/** Every call `callee(args)` of a file, in document order. */
function forEachCall(source: PythonSource, visit: (call: SyntaxNode, callee: SyntaxNode, args: SyntaxNode) => void): void {
  const cursor = source.tree.cursor();
  do {
    if (cursor.name !== 'CallExpression') continue;
    const call = cursor.node;
    const callee = call.firstChild;
    const args = callee?.nextSibling;
    if (callee && args?.name === 'ArgList') visit(call, callee, args);
  } while (cursor.next());
}

/** Every `App(…)` call of a file whose first argument is a constant script path. */
export function findStreamlitApps(source: PythonSource): StreamlitAppCall[] {
  const { text } = source;
  if (!mayCallStreamlitApp(text)) return [];
  const names = appNames(text);
  const calls: StreamlitAppCall[] = [];
  forEachCall(source, (call, callee, args) => {
    if (!isAppCallee(callee, text, names)) return;
    const first = args.firstChild?.nextSibling;
    const script = first && isStringNode(first) ? constantString(first, text) : undefined;
    if (script === undefined) return;
    const found: StreamlitAppCall = { script: script.value, range: { start: call.from, end: call.to } };
    const value = keywordArgument(args, text, 'secrets');
    const secrets = value === undefined ? undefined : programmaticSecrets(value, text);
    if (secrets !== undefined) found.secrets = secrets;
    calls.push(found);
  });
  return calls;
}
