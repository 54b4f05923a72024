import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { completionContextAt } from '../../../server/src/python/completionContext';
import { createPythonSource } from '../../../server/src/python/pythonSource';
import type { CompletionContext } from '../../../server/src/python/types';
import { slice, stImport, withCursor } from './helpers';

/** Completion at the `|` of `marked` (appended to `prefix`), with the replace range shown as text. */
function contextAt(marked: string, prefix = stImport): (CompletionContext & { replaced: string; dot?: string }) | undefined {
  const { text, offset } = withCursor(prefix + marked);
  const context = completionContextAt(createPythonSource(text), offset);
  if (!context) return undefined;
  const replaced = slice(text, context.replaceRange) ?? '';
  if (context.kind === 'secrets-attribute') return { ...context, replaced, dot: text.charAt(context.dotOffset) };
  return { ...context, replaced };
}

function expectAttribute(marked: string, parentPath: string[], replaced = '', prefix?: string): void {
  const context = contextAt(marked, prefix);
  assert.ok(context, `expected a completion context in ${JSON.stringify(marked)}`);
  assert.equal(context.kind, 'secrets-attribute', JSON.stringify(marked));
  assert.deepEqual(context.kind === 'secrets-attribute' && context.parentPath, parentPath, JSON.stringify(marked));
  assert.equal(context.replaced, replaced, JSON.stringify(marked));
  assert.equal(context.dot, '.');
}

function expectKey(
  marked: string,
  kind: 'secrets-key' | 'environ-key' | 'connection-name',
  expected: { parentPath?: string[]; replaced?: string; quote?: '"' | "'"; closed?: boolean },
  prefix?: string,
): void {
  const context = contextAt(marked, prefix);
  assert.ok(context, `expected a completion context in ${JSON.stringify(marked)}`);
  assert.equal(context.kind, kind, JSON.stringify(marked));
  if (expected.parentPath) assert.deepEqual(context.kind === 'secrets-key' && context.parentPath, expected.parentPath, JSON.stringify(marked));
  assert.equal(context.replaced, expected.replaced ?? '', JSON.stringify(marked));
  assert.equal(context.quote, expected.quote ?? '"', JSON.stringify(marked));
  assert.equal(context.closed, expected.closed ?? false, JSON.stringify(marked));
}

function expectNone(marked: string, prefix?: string): void {
  assert.equal(contextAt(marked, prefix), undefined, JSON.stringify(marked));
}

describe('completionContextAt: attributes', () => {
  test('st.secrets. at end of file', () => expectAttribute('st.secrets.|', []));
  test('st.secrets. followed by more lines', () => expectAttribute('x = st.secrets.|\ny = 2\nprint(y)\n', []));
  test('st.secrets. inside an indented block followed by more lines', () =>
    expectAttribute('def f():\n    x = st.secrets.|\n    y = 2\n    return y\n', []));
  test('st.secrets. inside a call', () => expectAttribute('print(st.secrets.|)', []));
  test('st.secrets. inside an unclosed call', () => expectAttribute('print(st.secrets.|\nz = 1\n', []));
  test('st.secrets.db.', () => expectAttribute('st.secrets.db.|', ['db']));
  test('st.secrets.db.pa (partial)', () => expectAttribute('st.secrets.db.pa|', ['db'], 'pa'));
  test('st.secrets["db"].pa', () => expectAttribute('st.secrets["db"].pa|', ['db'], 'pa'));
  test("st.secrets['db'].", () => expectAttribute("x = st.secrets['db'].|\n", ['db']));
  test('st.secrets.get("db").', () => expectAttribute('st.secrets.get("db").|', ['db']));
  test('deep nesting', () => expectAttribute('st.secrets.a["b"].c.get("d").e.|', ['a', 'b', 'c', 'd', 'e']));
  test('cursor in the middle of an identifier replaces the whole identifier', () =>
    expectAttribute('st.secrets.data|base\n', [], 'database'));
  test('cursor right after the dot, before an identifier', () => expectAttribute('st.secrets.|database\n', [], 'database'));
  test('partial identifier followed by more code', () => expectAttribute('x = st.secrets.db.us| + 1\n', ['db'], 'us'));
  test('spaces after the dot', () => expectAttribute('st.secrets.  |', []));
  test('inside an f-string replacement', () => expectAttribute('f"{st.secrets.|}"', []));
  test('inside an if condition with a following block', () => expectAttribute('if st.secrets.|\n    pass\n', []));
  test('import streamlit (no alias)', () => expectAttribute('streamlit.secrets.|', [], '', 'import streamlit\n'));
  test('custom alias', () => expectAttribute('stl.secrets.d|', [], 'd', 'import streamlit as stl\n'));
  test('from streamlit import secrets', () => expectAttribute('secrets.db.|', ['db'], '', 'from streamlit import secrets\n'));
  test('from streamlit import secrets as s', () => expectAttribute('s.|', [], '', 'from streamlit import secrets as s\n'));
  test('import after use', () => expectAttribute('st.secrets.|\nimport streamlit as st\n', [], '', ''));

  test('dotOffset is the offset of the dot', () => {
    const { text, offset } = withCursor(stImport + 'st.secrets.db.pa|');
    const context = completionContextAt(createPythonSource(text), offset);
    assert.equal(context?.kind, 'secrets-attribute');
    assert.equal(context?.kind === 'secrets-attribute' && context.dotOffset, text.lastIndexOf('.'));
  });
});

describe('completionContextAt: string keys', () => {
  test('st.secrets[" at end of file', () => expectKey('st.secrets["|', 'secrets-key', { parentPath: [] }));
  test("st.secrets[' at end of file", () => expectKey("st.secrets['|", 'secrets-key', { parentPath: [], quote: "'" }));
  test('st.secrets[" followed by more lines', () =>
    expectKey('x = st.secrets["|\ny = 2\n', 'secrets-key', { parentPath: [] }));
  test('st.secrets[" in an indented block followed by more lines', () =>
    expectKey('def f():\n    x = st.secrets["|\n    y = 2\n    return y\n', 'secrets-key', { parentPath: [] }));
  test('unterminated, next line holds another string', () =>
    expectKey('x = st.secrets["|\ny = "hello"\nz = st.secrets["other"]\n', 'secrets-key', { parentPath: [] }));
  test("unterminated single quote, next line holds a single quote", () =>
    expectKey("x = st.secrets['d|\ny = 'it'\n", 'secrets-key', { parentPath: [], quote: "'", replaced: 'd' }));
  test('unterminated inside an open call spanning lines', () =>
    expectKey('print(\n    st.secrets.db["|\n)\n', 'secrets-key', { parentPath: ['db'] }));
  test('auto-closed st.secrets["|"]', () => expectKey('st.secrets["|"]', 'secrets-key', { parentPath: [], closed: true }));
  test("auto-closed st.secrets['|']", () =>
    expectKey("st.secrets['|']\n", 'secrets-key', { parentPath: [], closed: true, quote: "'" }));
  test('auto-closed quote without bracket st.secrets["|"', () =>
    expectKey('st.secrets["|"\n', 'secrets-key', { parentPath: [], closed: true }));
  test('partially typed st.secrets["da|', () => expectKey('st.secrets["da|', 'secrets-key', { parentPath: [], replaced: 'da' }));
  test('partially typed, unterminated, text after the cursor is not replaced', () =>
    expectKey('st.secrets["da|) + x\n', 'secrets-key', { parentPath: [], replaced: 'da' }));
  test('closed: the whole content is replaced', () =>
    expectKey('st.secrets["da|tabase"]', 'secrets-key', { parentPath: [], replaced: 'database', closed: true }));
  test('st.secrets.get("', () => expectKey('st.secrets.get("|', 'secrets-key', { parentPath: [] }));
  test("st.secrets.get('k|', default)", () =>
    expectKey("st.secrets.get('k|', None)", 'secrets-key', { parentPath: [], replaced: 'k', quote: "'", closed: true }));
  test('nested st.secrets["db"]["', () => expectKey('st.secrets["db"]["|', 'secrets-key', { parentPath: ['db'] }));
  test('nested auto-closed st.secrets["db"]["|"]', () =>
    expectKey('st.secrets["db"]["|"]\n', 'secrets-key', { parentPath: ['db'], closed: true }));
  test('st.secrets.db["', () => expectKey('st.secrets.db["|', 'secrets-key', { parentPath: ['db'] }));
  test('st.secrets.db.get(" (get on a nested table completes that table)', () =>
    expectKey('st.secrets.db.get("|', 'secrets-key', { parentPath: ['db'] }));
  test('st.secrets["db"].get("', () => expectKey('st.secrets["db"].get("|")', 'secrets-key', { parentPath: ['db'], closed: true }));
  test('deep nesting', () => expectKey('st.secrets.a["b"].get("c").d["|', 'secrets-key', { parentPath: ['a', 'b', 'c', 'd'] }));
  test('inside a call argument', () => expectKey('print(st.secrets["|', 'secrets-key', { parentPath: [] }));
  test('inside a dict literal', () => expectKey('d = {"k": st.secrets.db["p|"]}', 'secrets-key', { parentPath: ['db'], replaced: 'p', closed: true }));
  test('raw string', () => expectKey('st.secrets[r"|', 'secrets-key', { parentPath: [] }));
  test('f-string without placeholders', () => expectKey('st.secrets[f"x|"]', 'secrets-key', { parentPath: [], replaced: 'x', closed: true }));
  test('space after the bracket', () => expectKey('st.secrets[ "|', 'secrets-key', { parentPath: [] }));
  test('from streamlit import secrets as s', () =>
    expectKey('s["db"]["|', 'secrets-key', { parentPath: ['db'] }, 'from streamlit import secrets as s\n'));
  test('import streamlit', () => expectKey('streamlit.secrets.get("|', 'secrets-key', { parentPath: [] }, 'import streamlit\n'));
});

describe('completionContextAt: environment and connections', () => {
  test('os.environ["', () => expectKey('os.environ["|', 'environ-key', {}));
  test('os.environ["|"]', () => expectKey('os.environ["|"]', 'environ-key', { closed: true }));
  test("os.environ.get('", () => expectKey("os.environ.get('|", 'environ-key', { quote: "'" }));
  test('os.getenv("PA|")', () => expectKey('os.getenv("PA|")', 'environ-key', { replaced: 'PA', closed: true }));
  test('os.getenv(" followed by lines', () => expectKey('x = os.getenv("|\ny = 1\n', 'environ-key', {}));
  test('import os as o', () => expectKey('o.environ["|', 'environ-key', {}, 'import os as o\n'));
  test('from os import environ as env, getenv', () => {
    expectKey('env["|', 'environ-key', {}, 'from os import environ as env, getenv\n');
    expectKey('getenv("|', 'environ-key', {}, 'from os import environ as env, getenv\n');
    expectKey('env.get("|', 'environ-key', {}, 'from os import environ as env, getenv\n');
  });
  test('st.connection("', () => expectKey('conn = st.connection("|', 'connection-name', {}));
  test('st.connection("|", type=...)', () =>
    expectKey('conn = st.connection("|", type="sql")', 'connection-name', { closed: true }));
  test("st.connection('my|')", () => expectKey("st.connection('my|')", 'connection-name', { replaced: 'my', quote: "'", closed: true }));
  test('from streamlit import connection as c', () =>
    expectKey('c("|', 'connection-name', {}, 'from streamlit import connection as c\n'));
});

describe('completionContextAt: no completion', () => {
  const cases: Array<[string, string]> = [
    ['comment', '# st.secrets.|'],
    ['comment after code', 'x = 1  # st.secrets["|'],
    ['unrelated string in a call', 'print("st.secrets[|")'],
    ['unrelated string assigned', 'x = "st.secrets.|"'],
    ['unrelated unterminated string', 'x = "st.secrets.|'],
    ['docstring', '"""\nst.secrets.|\n"""'],
    ['non-secrets object attribute', 'foo.secrets.|'],
    ['non-secrets object subscript', 'foo.secrets["|'],
    ['other st attribute', 'st.session_state.|'],
    ['st.', 'st.|'],
    ['after a method call result', 'st.secrets.keys().|'],
    ['after a dynamic key', 'st.secrets[name].|'],
    ['after a dynamic key, subscript', 'st.secrets[name]["|'],
    ['second argument of get', 'st.secrets.get("a", "|'],
    ['second subscript element', 'st.secrets["a", "|'],
    ['before the opening quote', 'st.secrets[|"db"]'],
    ['after the closing quote', 'st.secrets["db"|]'],
    ['after the closing bracket', 'st.secrets["db"]|'],
    ['bytes literal', 'st.secrets[b"|'],
    ['f-string with a placeholder', 'st.secrets[f"{x}|"]'],
    ['environ attribute', 'os.environ.|'],
    ['environ value subscript', 'os.environ["A"]["|'],
    ['getenv second argument', 'os.getenv("A", "|'],
    ['st.login (no provider completion kind)', 'st.login("|'],
    ['other call', 'open("|'],
    ['get of another object', 'd.get("|'],
    ['dot at the end of the previous line', 'x = st.secrets.\n|'],
    ['number', 'x = 1.|'],
    ['shadowed by a parameter', 'def f(st):\n    st.secrets.|'],
    ['shadowed by a local assignment', 'def f():\n    st = 1\n    st.secrets["|'],
    ['empty document', '|'],
    ['import statement', 'from streamlit.|'],
  ];
  for (const [name, marked] of cases) {
    test(name, () => expectNone(marked));
  }
  test('no import', () => expectNone('st.secrets.|', ''));
  test('offset out of range', () => {
    assert.equal(completionContextAt(createPythonSource('st.secrets.'), 100), undefined);
    assert.equal(completionContextAt(createPythonSource('st.secrets.'), -1), undefined);
  });
});

describe('completionContextAt: while typing, character by character', () => {
  test('every prefix of st.secrets["db"]["password"] gives the expected kind', () => {
    const full = 'x = st.secrets["db"]["password"]';
    const expectations: Array<[string, string | undefined]> = [];
    for (let i = 0; i <= full.length; i++) {
      const typed = full.slice(0, i);
      const text = stImport + typed + '\nprint(x)\n';
      const context = completionContextAt(createPythonSource(text), stImport.length + typed.length);
      expectations.push([typed, context ? `${context.kind}${'parentPath' in context ? ':' + context.parentPath.join('.') : ''}` : undefined]);
    }
    const byPrefix = new Map(expectations);
    assert.equal(byPrefix.get('x = st.secrets'), undefined);
    assert.equal(byPrefix.get('x = st.secrets["'), 'secrets-key:');
    assert.equal(byPrefix.get('x = st.secrets["d'), 'secrets-key:');
    assert.equal(byPrefix.get('x = st.secrets["db'), 'secrets-key:');
    assert.equal(byPrefix.get('x = st.secrets["db"'), undefined);
    assert.equal(byPrefix.get('x = st.secrets["db"]'), undefined);
    assert.equal(byPrefix.get('x = st.secrets["db"]["'), 'secrets-key:db');
    assert.equal(byPrefix.get('x = st.secrets["db"]["pass'), 'secrets-key:db');
    assert.equal(byPrefix.get('x = st.secrets["db"]["password"]'), undefined);
    assert.equal(byPrefix.get('x = st'), undefined);
  });

  test('every prefix of st.secrets.db.password', () => {
    const full = 'st.secrets.db.password';
    for (let i = 0; i <= full.length; i++) {
      const typed = full.slice(0, i);
      const text = stImport + 'if True:\n    ' + typed + '\n    print(1)\n';
      const context = completionContextAt(createPythonSource(text), text.indexOf(typed) + typed.length);
      const expected = i >= 'st.secrets.db.'.length ? ['db'] : i >= 'st.secrets.'.length ? [] : undefined;
      if (expected === undefined) assert.equal(context, undefined, typed);
      else {
        assert.equal(context?.kind, 'secrets-attribute', typed);
        assert.deepEqual(context?.kind === 'secrets-attribute' && context.parentPath, expected, typed);
      }
    }
  });
});
