import type { SyntaxNode } from '@lezer/common';
import type { NameBindings } from './importBindings';
import { evaluateChain, firstStringArgument } from './secretsChain';
import { constantString, isStringNode } from './stringLiteral';

/**
 * What the code around one read proves, judged the way Python runs it (issue: guarded reads must not
 * get an error). Only the innermost function is looked at: a guard in a caller is beyond reach.
 */
export interface ReadGuards {
  /** Secrets key paths known to exist where the read runs (a path proves its prefixes too). */
  known: string[][];
  /** Exception names caught by enclosing `try` blocks (last name of a dotted one); `*` = bare `except`. */
  caught: string[];
  /** The read is in a function or lambda body: it runs when called, and a caller may guard it. */
  inFunction: boolean;
  /**
   * Whether the read runs depends on the process environment (`os.getenv("K") or st.secrets["K"]`,
   * `if os.environ.get("K") is None:`), which the analysis cannot know: it may never run.
   */
  envDependent: boolean;
  /**
   * A condition proves a secrets file exists where the read runs (`if os.path.exists(".streamlit/
   * secrets.toml"):`, or `if not Path(…secrets.toml).is_file(): st.stop()` before it): with none, it never runs.
   */
  secretsFileChecked: boolean;
}

/** Built-in exception classes and the names that catch them (the class, its bases). */
const catchers = {
  KeyError: ['KeyError', 'LookupError'],
  IndexError: ['IndexError', 'LookupError'],
  AttributeError: ['AttributeError'],
  TypeError: ['TypeError'],
  // "No secrets found" / a load that fails: FileNotFoundError, since 1.44 its subclass
  // StreamlitSecretNotFoundError; before 1.44 a parse error is toml's TomlDecodeError (a ValueError).
  // Every name that may catch one of them counts: when unsure, say less.
  SecretsNotLoaded: ['FileNotFoundError', 'OSError', 'IOError', 'EnvironmentError', 'StreamlitSecretNotFoundError', 'ValueError', 'TomlDecodeError'],
  // What st.connection raises for a bad section (streamlit.errors: StreamlitAPIException →
  // MarkdownFormattedException → Error → Exception), and st.login (StreamlitAuthError, a subclass).
  StreamlitAPIException: ['StreamlitAPIException', 'MarkdownFormattedException', 'Error'],
  StreamlitAuthError: ['StreamlitAuthError', 'StreamlitAPIException', 'MarkdownFormattedException', 'Error'],
} as const;

export type RaisedError = keyof typeof catchers;

/** Whether an enclosing `try` catches `error`. */
export function catches(guards: ReadGuards, error: RaisedError | readonly RaisedError[]): boolean {
  const errors: readonly RaisedError[] = typeof error === 'string' ? [error] : error;
  return guards.caught.some(
    (name) => name === '*' || name === 'Exception' || name === 'BaseException' || errors.some((e) => (catchers[e] as readonly string[]).includes(name)),
  );
}

/** Whether `path` is proven to exist (it is, or is a prefix of, a known path). */
export function isKnown(guards: ReadGuards, path: readonly string[]): boolean {
  return path.length > 0 && guards.known.some((known) => known.length >= path.length && path.every((key, i) => known[i] === key));
}

/** The guards in force at `node` (a read's outermost expression). */
export function readGuards(node: SyntaxNode, bindings: NameBindings, text: string, cache: GuardCache = new Map()): ReadGuards {
  const guards: ReadGuards = { known: [], caught: [], inFunction: false, envDependent: false, secretsFileChecked: false };
  const facts = (condition: SyntaxNode | null, truth: boolean): void => {
    if (condition) guards.known.push(...conditionFacts(condition, truth, bindings, text));
  };
  let child = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    switch (parent.name) {
      case 'FunctionDefinition':
      case 'LambdaExpression':
        // The parameters' defaults run where the def is; the body runs when called.
        if (child.name === 'Body' || (parent.name === 'LambdaExpression' && child.name !== 'ParamList')) {
          guards.inFunction = true;
          return withFileCheck(guards);
        }
        break;
      case 'IfStatement':
      case 'WhileStatement':
        branchFacts(parent, child, facts);
        if (!guards.envDependent) guards.envDependent = conditionsBefore(parent, child).some((condition) => readsEnvironment(condition, bindings, text));
        break;
      case 'ConditionalExpression': {
        // `a if cond else b`
        const condition = parent.getChild('if')?.nextSibling ?? null;
        if (condition && child.from < condition.from) facts(condition, true);
        else if (condition && child.from > condition.to) facts(condition, false);
        if (condition && child.from !== condition.from && readsEnvironment(condition, bindings, text)) guards.envDependent = true;
        break;
      }
      case 'BinaryExpression': {
        const operator = parent.firstChild?.nextSibling;
        if (parent.lastChild?.from === child.from && parent.firstChild !== null && parent.firstChild.from !== child.from) {
          if (operator?.name === 'and') facts(parent.firstChild, true);
          else if (operator?.name === 'or') facts(parent.firstChild, false);
          if ((operator?.name === 'and' || operator?.name === 'or') && readsEnvironment(parent.firstChild, bindings, text)) guards.envDependent = true;
        }
        break;
      }
      case 'TryStatement':
        if (child.name === 'Body' && child.prevSibling?.name === 'try') guards.caught.push(...handlerNames(parent, text));
        break;
      case 'WithStatement':
        if (child.name === 'Body') guards.caught.push(...suppressedNames(parent, text));
        break;
      case 'Body':
      case 'Script':
        guards.known.push(...earlierStatementFacts(parent, child, bindings, text, cache));
        break;
      default:
        break;
    }
  }
  return withFileCheck(guards);
}

/** Stands in `known` for "a secrets file exists" (no key path has an empty-named first key and this text). */
const secretsFileFact = '\u0000secrets-file';

function withFileCheck(guards: ReadGuards): ReadGuards {
  const known = guards.known.filter((path) => path[0] !== secretsFileFact);
  return known.length === guards.known.length ? guards : { ...guards, known, secretsFileChecked: true };
}

const fileTests = new Set(['exists', 'isfile', 'is_file']);

/** `os.path.exists("….streamlit/secrets.toml")`, `Path(…secrets.toml).is_file()` and the like, true. */
function checksSecretsFile(condition: SyntaxNode, text: string): boolean {
  if (condition.name !== 'CallExpression') return false;
  const callee = condition.firstChild;
  const name = callee?.name === 'MemberExpression' ? callee.lastChild : callee;
  if (!name || !fileTests.has(text.slice(name.from, name.to))) return false;
  return /secrets\.toml/.test(text.slice(condition.from, condition.to));
}

/** The `if`/`elif`/`while` conditions Python evaluates before it reaches `child` (its own included when `child` is its body). */
function conditionsBefore(statement: SyntaxNode, child: SyntaxNode): SyntaxNode[] {
  const conditions: SyntaxNode[] = [];
  for (let part = statement.firstChild; part; part = part.nextSibling) {
    if (part.name !== 'if' && part.name !== 'elif' && part.name !== 'while') continue;
    const condition = part.nextSibling;
    if (!condition || condition.from >= child.from) break;
    conditions.push(condition);
  }
  return conditions;
}

/**
 * Whether evaluating `node` reads the process environment (`os.environ…`, `os.getenv(…)`), directly
 * or through a name last assigned from such a read earlier in an enclosing block (`key =
 * os.getenv("K")`, then `if key is None:`; a name assigned twice has no single binding).
 */
function readsEnvironment(node: SyntaxNode, bindings: NameBindings, text: string, depth = 0): boolean {
  if (depth > 3) return false;
  if (node.name === 'VariableName' || node.name === 'MemberExpression' || node.name === 'CallExpression') {
    const value = evaluateChain(node, bindings, text);
    if (value !== undefined && 'root' in value && value.root === 'environ') return true;
  }
  if (node.name === 'VariableName') {
    const assigned = lastAssignmentBefore(node, text);
    return assigned !== undefined && readsEnvironment(assigned, bindings, text, depth + 1);
  }
  for (let child = node.firstChild; child; child = child.nextSibling) if (readsEnvironment(child, bindings, text, depth)) return true;
  return false;
}

/** The value of the last plain `name = <value>` before `name` in the blocks that enclose it. */
function lastAssignmentBefore(name: SyntaxNode, text: string): SyntaxNode | undefined {
  const wanted = text.slice(name.from, name.to);
  let child: SyntaxNode = name;
  for (let parent = name.parent; parent; child = parent, parent = parent.parent) {
    if (parent.name === 'FunctionDefinition' || parent.name === 'ClassDefinition') return undefined;
    if (parent.name !== 'Body' && parent.name !== 'Script') continue;
    for (let statement = child.prevSibling; statement; statement = statement.prevSibling) {
      const target = statement.firstChild;
      if (statement.name !== 'AssignStatement' || target?.name !== 'VariableName' || target.nextSibling?.name !== 'AssignOp') continue;
      if (text.slice(target.from, target.to) === wanted) return statement.lastChild ?? undefined;
    }
  }
  return undefined;
}

/** In an `if`/`elif`/`else` (or `while`) body or condition: its condition holds, earlier ones did not. */
function branchFacts(statement: SyntaxNode, child: SyntaxNode, facts: (condition: SyntaxNode | null, truth: boolean) => void): void {
  for (let part = statement.firstChild; part; part = part.nextSibling) {
    if (part.name !== 'if' && part.name !== 'elif' && part.name !== 'while') continue;
    const condition = part.nextSibling;
    const body = condition?.nextSibling;
    if (!condition) return;
    if (condition.from === child.from && condition.to === child.to) return; // the condition itself: earlier ones were false
    if (body && body.from === child.from) {
      facts(condition, true);
      return;
    }
    if (body && child.from < body.from) return;
    facts(condition, false);
  }
}

/**
 * What earlier statements of each block prove, computed once per block (a module with thousands of
 * reads would otherwise rescan its statements for each): `if <c>: <exit>` means not-c holds after
 * it, `assert c` means c. Keyed by the block's start offset; `facts` are cumulative.
 */
export type GuardCache = Map<number, { from: number; facts: string[][] }[]>;

function earlierStatementFacts(block: SyntaxNode, statement: SyntaxNode, bindings: NameBindings, text: string, cache: GuardCache): string[][] {
  let list = cache.get(block.from);
  if (list === undefined) {
    // Cumulative and without repeats: each entry holds every fact from the block's start through it.
    list = [];
    let cumulative: string[][] = [];
    const seen = new Set<string>();
    for (let child = block.firstChild; child; child = child.nextSibling) {
      const fresh = statementFacts(child, bindings, text).filter((path) => {
        const id = JSON.stringify(path);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      if (fresh.length === 0) continue;
      cumulative = [...cumulative, ...fresh];
      list.push({ from: child.from, facts: cumulative });
    }
    cache.set(block.from, list);
  }
  // The last entry before the statement (binary search: entries are in source order).
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle]!.from < statement.from) low = middle + 1;
    else high = middle;
  }
  return low === 0 ? [] : list[low - 1]!.facts;
}

/** What holds after `statement` (for the statements after it in its block). */
function statementFacts(statement: SyntaxNode, bindings: NameBindings, text: string): string[][] {
  if (statement.name === 'AssertStatement') {
    const condition = statement.getChild('assert')?.nextSibling;
    return condition ? conditionFacts(condition, true, bindings, text) : [];
  }
  if (statement.name !== 'IfStatement' || statement.getChild('else') !== null) return [];
  // Every branch leaves the block: after the statement, no condition held.
  const conditions: SyntaxNode[] = [];
  for (let part = statement.firstChild; part; part = part.nextSibling) {
    if (part.name !== 'if' && part.name !== 'elif') continue;
    const condition = part.nextSibling;
    const body = condition?.nextSibling;
    if (!condition || body?.name !== 'Body' || !alwaysExits(body, bindings, text)) return [];
    conditions.push(condition);
  }
  return conditions.flatMap((condition) => conditionFacts(condition, false, bindings, text));
}

const exitCalls = new Set(['sys.exit', 'exit', 'quit', 'os._exit']);

/** A block that always leaves: one of its own statements returns, raises, continues, breaks or stops the app. */
function alwaysExits(body: SyntaxNode, bindings: NameBindings, text: string): boolean {
  for (let statement = body.firstChild; statement; statement = statement.nextSibling) {
    switch (statement.name) {
      case 'ReturnStatement':
      case 'RaiseStatement':
      case 'ContinueStatement':
      case 'BreakStatement':
        return true;
      case 'ExpressionStatement': {
        const call = statement.firstChild;
        const callee = call?.name === 'CallExpression' ? call.firstChild : null;
        if (callee && (exitCalls.has(calleeText(callee, text)) || isStreamlitStop(callee, bindings, text))) return true;
        break;
      }
      default:
        break;
    }
  }
  return false;
}

/** `st.stop` under any import of streamlit (`import streamlit as stl` → `stl.stop()`). */
function isStreamlitStop(callee: SyntaxNode, bindings: NameBindings, text: string): boolean {
  const object = callee.firstChild;
  if (callee.name !== 'MemberExpression' || object?.name !== 'VariableName' || callee.lastChild?.name !== 'PropertyName') return false;
  if (text.slice(callee.lastChild.from, callee.lastChild.to) !== 'stop') return false;
  return bindings.resolve(object, text.slice(object.from, object.to)) === 'streamlit';
}

function calleeText(node: SyntaxNode, text: string): string {
  // Only plain names and one-level member accesses are exit calls.
  if (node.name === 'VariableName') return text.slice(node.from, node.to);
  if (node.name === 'MemberExpression' && node.firstChild?.name === 'VariableName' && node.lastChild?.name === 'PropertyName') {
    return `${text.slice(node.firstChild.from, node.firstChild.to)}.${text.slice(node.lastChild.from, node.lastChild.to)}`;
  }
  return '';
}

/** Adds the exception class names `node` names (`KeyError`, `x.Error`, a tuple of them) to `names`. */
function addExceptionNames(node: SyntaxNode | null, text: string, names: string[]): void {
  if (!node) return;
  if (node.name === 'VariableName') names.push(text.slice(node.from, node.to));
  else if (node.name === 'MemberExpression' && node.lastChild?.name === 'PropertyName') names.push(text.slice(node.lastChild.from, node.lastChild.to));
  else if (node.name === 'TupleExpression' || node.name === 'ParenthesizedExpression') for (let c = node.firstChild; c; c = c.nextSibling) addExceptionNames(c, text, names);
}

/** The exception names a `try` statement's handlers catch. */
function handlerNames(statement: SyntaxNode, text: string): string[] {
  const names: string[] = [];
  for (let part = statement.firstChild; part; part = part.nextSibling) {
    if (part.name !== 'except') continue;
    const next = part.nextSibling;
    if (!next || next.name === 'Body') names.push('*');
    else addExceptionNames(next, text, names);
  }
  return names;
}

/**
 * The exception names a `with` statement's `suppress(...)` items swallow (`contextlib.suppress`,
 * also imported as `suppress`; any callee of that name counts: when unsure, say less).
 */
function suppressedNames(statement: SyntaxNode, text: string): string[] {
  const names: string[] = [];
  for (let item = statement.firstChild; item; item = item.nextSibling) {
    if (item.name !== 'CallExpression') continue;
    const callee = item.firstChild;
    const name = callee?.name === 'MemberExpression' ? callee.lastChild : callee;
    if (!name || (name.name !== 'VariableName' && name.name !== 'PropertyName') || text.slice(name.from, name.to) !== 'suppress') continue;
    const args = item.getChild('ArgList');
    for (let arg = args?.firstChild ?? null; arg; arg = arg.nextSibling) addExceptionNames(arg, text, names);
  }
  return names;
}

/** Key paths a condition proves to exist when it is `truth`. */
function conditionFacts(condition: SyntaxNode, truth: boolean, bindings: NameBindings, text: string): string[][] {
  switch (condition.name) {
    case 'ParenthesizedExpression': {
      const inner = condition.firstChild?.nextSibling;
      return inner ? conditionFacts(inner, truth, bindings, text) : [];
    }
    case 'UnaryExpression':
      if (condition.firstChild?.name === 'not' && condition.lastChild) return conditionFacts(condition.lastChild, !truth, bindings, text);
      return [];
    case 'BinaryExpression': {
      const left = condition.firstChild;
      const operator = left?.nextSibling;
      const right = condition.lastChild;
      if (!left || !operator || !right) return [];
      if (operator.name === 'and') return truth ? [...conditionFacts(left, true, bindings, text), ...conditionFacts(right, true, bindings, text)] : [];
      if (operator.name === 'or') return truth ? [] : [...conditionFacts(left, false, bindings, text), ...conditionFacts(right, false, bindings, text)];
      // `"k" in <path>` / `"k" not in <path>`
      if (right.prevSibling?.name === 'in') {
        const negated = operator.name === 'not';
        if (truth === negated || !isStringNode(left)) return [];
        const key = constantString(left, text)?.value;
        const container = membershipContainer(right, bindings, text);
        return key !== undefined && container !== undefined ? [[...container, key]] : [];
      }
      // `<x> is not None`, `<x> != None`
      const isNotNone = (operator.name === 'is' && operator.nextSibling?.name === 'not') || (operator.name === 'CompareOp' && text.slice(operator.from, operator.to) === '!=');
      const isNone = (operator.name === 'is' && operator.nextSibling?.name !== 'not') || (operator.name === 'CompareOp' && text.slice(operator.from, operator.to) === '==');
      if (right.name === 'None' && ((isNotNone && truth) || (isNone && !truth))) return truthyFacts(left, bindings, text);
      return [];
    }
    default:
      if (truth && checksSecretsFile(condition, text)) return [[secretsFileFact]];
      return truth ? truthyFacts(condition, bindings, text) : [];
  }
}

/** A value that is truthy (or not None) only when a key exists: `st.secrets.get("k")`, `hasattr(st.secrets, "k")`, `getattr(…, "k", None)`, or a name assigned once from one. */
function truthyFacts(node: SyntaxNode, bindings: NameBindings, text: string): string[][] {
  if (node.name === 'VariableName') {
    // A name assigned once from such a call (`token = st.secrets.get("k")`, then `if token:`) holds its result.
    const binding = bindings.resolve(node, text.slice(node.from, node.to));
    return typeof binding === 'object' && binding.value.name === 'CallExpression' ? truthyFacts(binding.value, bindings, text) : [];
  }
  if (node.name !== 'CallExpression') return [];
  const callee = node.firstChild;
  const args = callee?.nextSibling;
  if (!callee || args?.name !== 'ArgList') return [];
  if (callee.name === 'VariableName') {
    const name = text.slice(callee.from, callee.to);
    if (name !== 'hasattr' && name !== 'getattr') return [];
    const [object, key, fallback, extra] = argumentNodes(args);
    if (!object || !key || extra || !isStringNode(key)) return [];
    if (name === 'getattr' && (fallback === undefined || !isFalsyLiteral(fallback, text))) return [];
    const constant = constantString(key, text)?.value;
    const container = secretsPath(object, bindings, text);
    return constant !== undefined && container !== undefined ? [[...container, constant]] : [];
  }
  // `<path>.get("k")` or `.get("k", <falsy literal>)`
  const value = evaluateChain(node, bindings, text);
  if (value?.kind !== 'path' || value.root !== 'secrets' || !value.tolerant) return [];
  const [, fallback, extra] = argumentNodes(args);
  if (extra || (fallback !== undefined && !isFalsyLiteral(fallback, text)) || firstStringArgument(args, text) === undefined) return [];
  return [value.segments.map((segment) => segment.key)];
}

function isFalsyLiteral(node: SyntaxNode, text: string): boolean {
  const source = text.slice(node.from, node.to).replace(/\s+/g, '');
  return ['None', 'False', '0', '""', "''", '{}', '[]', '()', 'dict()'].includes(source);
}

function argumentNodes(args: SyntaxNode): (SyntaxNode | undefined)[] {
  const result: SyntaxNode[] = [];
  for (let child = args.firstChild; child; child = child.nextSibling) {
    if (child.name === '(' || child.name === ')' || child.name === ',') continue;
    // Keyword or star arguments: not the simple form these guards know.
    if (child.name === '*' || child.name === '**' || child.name === 'AssignOp' || child.type.isError) return [];
    result.push(child);
  }
  return result;
}

/** Methods whose result holds exactly the keys of the mapping they are called on. */
const keyViews = new Set(['keys', 'to_dict']);
/** Builtins that copy the keys of the mapping they are given (`list(st.secrets)`). */
const keyCopies = new Set(['list', 'dict', 'set', 'frozenset', 'tuple', 'sorted']);

/**
 * The secrets key path whose keys `"k" in <node>` tests: the path itself, or a copy of its keys
 * (`st.secrets.keys()`, `st.secrets.db.to_dict()`, `list(st.secrets)`), which has the same keys.
 */
function membershipContainer(node: SyntaxNode, bindings: NameBindings, text: string): string[] | undefined {
  if (node.name === 'CallExpression') {
    const callee = node.firstChild;
    const args = callee?.nextSibling;
    if (args?.name !== 'ArgList' || !callee) return undefined;
    const [first, extra] = argumentNodes(args);
    if (callee.name === 'MemberExpression' && callee.lastChild?.name === 'PropertyName' && first === undefined && callee.firstChild) {
      const method = text.slice(callee.lastChild.from, callee.lastChild.to);
      return keyViews.has(method) ? membershipContainer(callee.firstChild, bindings, text) : undefined;
    }
    if (callee.name === 'VariableName' && first !== undefined && extra === undefined && keyCopies.has(text.slice(callee.from, callee.to))) {
      return membershipContainer(first, bindings, text);
    }
    return undefined;
  }
  return secretsPath(node, bindings, text);
}

/** The secrets key path an expression stands for (`st.secrets` → [], `st.secrets.db` → ["db"]). */
function secretsPath(node: SyntaxNode, bindings: NameBindings, text: string): string[] | undefined {
  const value = evaluateChain(node, bindings, text);
  if (value?.kind !== 'path' || value.root !== 'secrets' || value.tolerant) return undefined;
  return value.segments.map((segment) => segment.key);
}
