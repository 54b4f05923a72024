import type { SyntaxNode } from '@lezer/common';
import type { PythonSource } from './pythonSource';

/** What a Python name is bound to, for the names this extension cares about. */
export type ImportedSymbol =
  | 'streamlit'
  | 'streamlit.secrets'
  | 'streamlit.connection'
  | 'streamlit.login'
  | 'os'
  | 'os.environ'
  | 'os.getenv';

const fromImports: Record<string, Record<string, ImportedSymbol>> = {
  streamlit: { secrets: 'streamlit.secrets', connection: 'streamlit.connection', login: 'streamlit.login' },
  os: { environ: 'os.environ', getenv: 'os.getenv' },
};

const moduleSymbols: Record<string, ImportedSymbol> = { streamlit: 'streamlit', os: 'os' };

type ScopeKind = 'module' | 'function' | 'class' | 'comprehension';

interface Scope {
  kind: ScopeKind;
  /** Names bound here by an import; `null` = imported, but not something we model. */
  imports: Map<string, ImportedSymbol | null>;
  /** Names bound here in any other way (assignment, parameter, loop target, def, …). */
  locals: Set<string>;
  /** How many times each name is bound here, imports included. */
  bindCounts: Map<string, number>;
  /** `name = <expression>` assignments (the last one per name; valid only when the name is bound once). */
  assignments: Map<string, AliasBinding>;
  /** `global` / `nonlocal` declarations: assignments to these do not make them local. */
  declaredOuter: Set<string>;
  /**
   * Where the scope begins inside its node: a def's parameters and body, a class's body (its
   * name, decorators and bases belong to the enclosing scope); the whole node otherwise.
   */
  innerFrom: number;
}

/**
 * Name resolution for the Streamlit / os imports of one document.
 *
 * Approximation of Python's scoping, flow-insensitive like a linter's:
 * - an import binds its name in the scope (module, function, class, comprehension) that holds it,
 *   wherever in that scope it appears (also after the use, or inside `try`/`if`);
 * - in the module scope an import wins over any other binding of the same name, so
 *   `try: import streamlit as st` / `except ImportError: st = None` still resolves;
 * - in a function, lambda or comprehension, a parameter, assignment, loop target, `with … as`,
 *   `except … as`, nested `def`/`class` of the same name (without `global`/`nonlocal`) shadows it
 *   for the whole function, as in Python; class bodies do not enclose their methods.
 */
export interface NameBindings {
  /** Streamlit is imported in any supported form (module, `secrets`, `connection`, `login`). */
  readonly importsStreamlit: boolean;
  /** Every name that some import binds to a modelled symbol; a cheap pre-filter. */
  readonly candidateNames: ReadonlySet<string>;
  /** The candidate names that only an assignment binds (possible aliases, never imports). */
  readonly aliasOnlyNames: ReadonlySet<string>;
  /** What the `VariableName` node `name` (whose text is `text`) refers to at its position. */
  resolve(name: SyntaxNode, text: string): NameBinding | undefined;
}

/**
 * A name assigned exactly once in its scope, `name = <expression>` (`db = st.secrets["db"]`): uses
 * of the name after the assignment (or in nested functions) stand for the expression. Whether the
 * expression is a secrets path is decided by the caller (`secretsChain.ts`).
 */
export interface AliasBinding {
  /** The assigned name (the target). */
  target: SyntaxNode;
  /** The assigned expression. */
  value: SyntaxNode;
  /** The name the expression starts from (`st` of `st.secrets["db"]`). */
  rootName: string;
}

export type NameBinding = ImportedSymbol | AliasBinding;

const cache = new WeakMap<PythonSource, NameBindings>();

export function nameBindings(source: PythonSource): NameBindings {
  let bindings = cache.get(source);
  if (!bindings) {
    bindings = collectBindings(source);
    cache.set(source, bindings);
  }
  return bindings;
}

function scopeKindOf(node: SyntaxNode | { name: string }): ScopeKind | undefined {
  switch (node.name) {
    case 'FunctionDefinition':
    case 'LambdaExpression':
      return 'function';
    case 'ClassDefinition':
      return 'class';
    case 'ComprehensionExpression':
    case 'ArrayComprehensionExpression':
    case 'SetComprehensionExpression':
    case 'DictionaryComprehensionExpression':
      return 'comprehension';
    default:
      return undefined;
  }
}

function newScope(kind: ScopeKind, innerFrom = 0): Scope {
  return { kind, imports: new Map(), locals: new Set(), bindCounts: new Map(), assignments: new Map(), declaredOuter: new Set(), innerFrom };
}

/**
 * Shared empty collections for the scopes that bind no candidate name once collection is done
 * (nothing is added to a scope after that).
 */
const emptyImports = new Map<string, ImportedSymbol | null>();
const emptyNames = new Set<string>();
const emptyCounts = new Map<string, number>();
const emptyAssignments = new Map<string, AliasBinding>();

/** Only the entries of `names` that `keep`; the shared `empty` when none is left. */
function keptOf<T extends Map<string, unknown> | Set<string>>(names: T, keep: ReadonlySet<string>, empty: T): T {
  for (const name of [...names.keys()]) if (!keep.has(name)) names.delete(name);
  return names.size === 0 ? empty : names;
}

/** Drops the bindings of names `resolve` never asks about (it answers only for candidate names). */
function compactScope(scope: Scope, candidateNames: ReadonlySet<string>): void {
  scope.imports = keptOf(scope.imports, candidateNames, emptyImports);
  scope.locals = keptOf(scope.locals, candidateNames, emptyNames);
  scope.declaredOuter = keptOf(scope.declaredOuter, candidateNames, emptyNames);
  scope.assignments = keptOf(scope.assignments, candidateNames, emptyAssignments);
  scope.bindCounts = emptyCounts;
}

function countBinding(scope: Scope, name: string): void {
  scope.bindCounts.set(name, (scope.bindCounts.get(name) ?? 0) + 1);
}

function bindLocal(scope: Scope, name: string): void {
  scope.locals.add(name);
  countBinding(scope, name);
}

function collectBindings(source: PythonSource): NameBindings {
  const text = source.text;
  const moduleScope = newScope('module');
  /** Scopes by the start offset of their node (`def`, `class`, `lambda`, a bracket: never shared). */
  const scopes = new Map<number, Scope>();
  const stack: Scope[] = [moduleScope];
  const candidateNames = new Set<string>();
  let importsStreamlit = false;
  const nameOf = (node: SyntaxNode): string => text.slice(node.from, node.to);

  /** Names some scope declares `global` / `nonlocal`: assigned from elsewhere, never aliases. */
  const declaredElsewhere = new Set<string>();

  const bindImport = (scope: Scope, name: string, symbol: ImportedSymbol | null): void => {
    countBinding(scope, name);
    if (symbol) {
      candidateNames.add(name);
      if (symbol.startsWith('streamlit')) importsStreamlit = true;
      scope.imports.set(name, symbol);
    } else if (!scope.imports.get(name)) {
      // A modelled import of the same name in the same scope wins (see the interface comment).
      scope.imports.set(name, null);
    }
  };

  const bindTargets = (scope: Scope, node: SyntaxNode | null): void => {
    if (!node) return;
    switch (node.name) {
      case 'VariableName':
        bindLocal(scope, nameOf(node));
        break;
      case 'TupleExpression':
      case 'ArrayExpression':
      case 'ParenthesizedExpression':
        for (let child = node.firstChild; child; child = child.nextSibling) bindTargets(scope, child);
        break;
      default:
        break;
    }
  };

  /** Names between each `for` and the following `in` among the children of `node`. */
  const bindLoopTargets = (scope: Scope, node: SyntaxNode): void => {
    let inTargets = false;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.name === 'for') inTargets = true;
      else if (child.name === 'in') inTargets = false;
      else if (inTargets) bindTargets(scope, child);
    }
  };

  const handleImport = (scope: Scope, node: SyntaxNode): void => {
    const children: SyntaxNode[] = [];
    for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);
    if (children[0]?.name === 'import') {
      // import a.b as c, d
      let i = 1;
      while (i < children.length) {
        const dotted: string[] = [];
        while (i < children.length && (children[i]!.name === 'VariableName' || children[i]!.name === '.')) {
          if (children[i]!.name === 'VariableName') dotted.push(nameOf(children[i]!));
          i++;
        }
        let alias: string | undefined;
        if (children[i]?.name === 'as' && children[i + 1]?.name === 'VariableName') {
          alias = nameOf(children[i + 1]!);
          i += 2;
        }
        if (dotted.length > 0) {
          if (alias !== undefined) {
            bindImport(scope, alias, dotted.length === 1 ? (moduleSymbols[dotted[0]!] ?? null) : null);
          } else {
            // `import streamlit.components.v1` binds `streamlit` itself.
            bindImport(scope, dotted[0]!, moduleSymbols[dotted[0]!] ?? null);
          }
        }
        while (i < children.length && children[i]!.name !== ',') i++;
        i++;
      }
      return;
    }
    if (children[0]?.name !== 'from') return;
    // from a.b import x as y, z   |   from . import x   |   from m import *
    let i = 1;
    const dotted: string[] = [];
    let relative = false;
    while (i < children.length && children[i]!.name !== 'import') {
      const child = children[i]!;
      if (child.name === 'VariableName') dotted.push(nameOf(child));
      else if ((child.name === '.' || child.name === 'Ellipsis') && dotted.length === 0) relative = true;
      i++;
    }
    const moduleName = relative ? undefined : dotted.join('.');
    const exported = moduleName !== undefined ? fromImports[moduleName] : undefined;
    i++;
    while (i < children.length) {
      const child = children[i]!;
      if (child.name === '*') {
        if (exported) for (const [name, symbol] of Object.entries(exported)) bindImport(scope, name, symbol);
        i++;
      } else if (child.name === 'VariableName') {
        const imported = nameOf(child);
        let bound = imported;
        if (children[i + 1]?.name === 'as' && children[i + 2]?.name === 'VariableName') {
          bound = nameOf(children[i + 2]!);
          i += 3;
        } else {
          i++;
        }
        bindImport(scope, bound, exported?.[imported] ?? null);
      } else {
        i++;
      }
    }
  };

  const current = (): Scope => stack[stack.length - 1]!;

  source.tree.iterate({
    enter(ref) {
      const kind = scopeKindOf(ref);
      if (kind) {
        const node = ref.node;
        if (ref.name === 'FunctionDefinition' || ref.name === 'ClassDefinition') {
          // The name of a def/class belongs to the enclosing scope.
          const name = node.getChild('VariableName');
          if (name) bindLocal(current(), nameOf(name));
        }
        const inner =
          ref.name === 'FunctionDefinition' ? node.getChild('ParamList') ?? node.getChild('Body') : ref.name === 'ClassDefinition' ? node.getChild('Body') : node;
        const scope = newScope(kind, inner ? inner.from : ref.to);
        scopes.set(ref.from, scope);
        stack.push(scope);
        if (ref.name === 'FunctionDefinition' || ref.name === 'LambdaExpression') {
          const params = node.getChild('ParamList');
          for (let child = params?.firstChild ?? null; child; child = child.nextSibling) {
            // A VariableName right after `=` is a default value, not a parameter.
            if (child.name === 'VariableName' && child.prevSibling?.name !== 'AssignOp') bindLocal(scope, nameOf(child));
          }
        } else if (kind === 'comprehension') {
          bindLoopTargets(scope, node);
        }
        return;
      }
      switch (ref.name) {
        case 'ImportStatement':
          handleImport(current(), ref.node);
          return false;
        case 'AssignStatement': {
          const node = ref.node;
          let lastAssign: SyntaxNode | null = null;
          for (let child = node.lastChild; child; child = child.prevSibling) {
            if (child.name === 'AssignOp') {
              lastAssign = child;
              break;
            }
          }
          if (lastAssign) {
            for (let child = node.firstChild; child && child.from < lastAssign.from; child = child.nextSibling) {
              bindTargets(current(), child);
            }
            // `name = a.b["c"]…`: one target, one `=`, one name / member / call chain — a candidate alias.
            const target = node.firstChild;
            const value = lastAssign.nextSibling;
            if (target?.name === 'VariableName' && target.nextSibling?.from === lastAssign.from && value && !value.nextSibling) {
              let root: SyntaxNode | null = value;
              while (root && (root.name === 'MemberExpression' || root.name === 'CallExpression')) root = root.firstChild;
              if (root?.name === 'VariableName') current().assignments.set(nameOf(target), { target, value, rootName: nameOf(root) });
            }
          } else if (node.getChild('TypeDef')) {
            bindTargets(current(), node.firstChild);
          }
          return undefined;
        }
        case 'UpdateStatement':
          bindTargets(current(), ref.node.firstChild);
          return undefined;
        case 'ForStatement':
          bindLoopTargets(current(), ref.node);
          return undefined;
        case 'WithStatement':
        case 'TryStatement':
          for (let child = ref.node.firstChild; child; child = child.nextSibling) {
            if (child.name === 'as' && child.nextSibling?.name === 'VariableName') {
              bindLocal(current(), nameOf(child.nextSibling));
            }
          }
          return undefined;
        case 'NamedExpression':
          bindTargets(current(), ref.node.firstChild);
          return undefined;
        case 'ScopeStatement':
          for (const name of ref.node.getChildren('VariableName')) {
            current().declaredOuter.add(nameOf(name));
            declaredElsewhere.add(nameOf(name));
          }
          return false;
        case 'Comment':
        case 'String':
        case 'FormatString':
          return false;
        default:
          return undefined;
      }
    },
    leave(ref) {
      if (scopeKindOf(ref)) stack.pop();
    },
  });

  // Names worth resolving as aliases: bound once somewhere, from a chain that starts at an import or
  // at another such name (a cheap, scope-blind filter; `resolve` decides exactly).
  const importNames = new Set(candidateNames);
  const allScopes = [moduleScope, ...scopes.values()];
  for (let changed = true; changed; ) {
    changed = false;
    for (const scope of allScopes) {
      for (const [name, alias] of scope.assignments) {
        if (candidateNames.has(name) || scope.bindCounts.get(name) !== 1 || declaredElsewhere.has(name)) continue;
        if (!importNames.has(alias.rootName) && !candidateNames.has(alias.rootName)) continue;
        candidateNames.add(name);
        changed = true;
      }
    }
  }

  // Keep only the assignments that can be aliases, and of the other bindings only those of
  // candidate names: `resolve` looks nothing else up. The bindings of an open document live as long
  // as its version, and a large file has thousands of scopes binding names of no interest.
  for (const scope of allScopes) {
    for (const name of [...scope.assignments.keys()]) {
      if (!candidateNames.has(name) || importNames.has(name) || scope.bindCounts.get(name) !== 1 || declaredElsewhere.has(name)) scope.assignments.delete(name);
    }
    compactScope(scope, candidateNames);
  }

  /** The alias `text` names in `scope`, when it is bound there exactly once and visible at `name`. */
  const aliasIn = (scope: Scope, name: SyntaxNode, text: string, sameScope: boolean): AliasBinding | undefined => {
    const alias = scope.assignments.get(text);
    if (alias === undefined) return undefined;
    // In its own scope, only after the assignment (the target itself is not a read); nested
    // functions run later, wherever they are written.
    if (sameScope && name.from < alias.value.to) return undefined;
    return alias;
  };

  const resolve = (name: SyntaxNode, text: string): NameBinding | undefined => {
    if (!candidateNames.has(text)) return undefined;
    let innermost = true;
    for (let node: SyntaxNode | null = name.parent; node; node = node.parent) {
      const kind = scopeKindOf(node);
      if (!kind) continue;
      const scope = scopes.get(node.from);
      if (!scope || scope.kind !== kind || name.from < scope.innerFrom) continue;
      if (kind === 'class' && !innermost) continue;
      const sameScope = innermost;
      innermost = false;
      if (scope.declaredOuter.has(text)) continue;
      const imported = scope.imports.get(text);
      if (imported !== undefined) return imported ?? undefined;
      if (scope.locals.has(text)) return aliasIn(scope, name, text, sameScope);
    }
    const imported = moduleScope.imports.get(text);
    if (imported !== undefined) return imported ?? undefined;
    return moduleScope.locals.has(text) ? aliasIn(moduleScope, name, text, innermost) : undefined;
  };

  const aliasOnlyNames = new Set([...candidateNames].filter((name) => !importNames.has(name)));
  return { importsStreamlit, candidateNames, aliasOnlyNames, resolve };
}
