import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePythonSecrets } from '../../../server/src/python/analyzePythonSecrets';
import { describeAll, slice, source, stImport } from './helpers';

function expectAccesses(text: string, expected: string[]): void {
  assert.deepEqual(describeAll(text), expected, text);
}

describe('analyzePythonSecrets: access forms', () => {
  const cases: Array<[string, string[]]> = [
    ['st.secrets.db.password', ['secrets .db.password']],
    ['st.secrets["db"][\'password\']', ['secrets ["db"]["password"]']],
    ['st.secrets.get("k")', ['secrets .get("k") tolerant']],
    ['st.secrets.get("k", "default")', ['secrets .get("k") tolerant']],
    ['st.secrets.db.get("x")', ['secrets .db.get("x") tolerant']],
    ['st.secrets["db"].get("x")', ['secrets ["db"].get("x") tolerant']],
    ['st.secrets.get("db").get("x")', ['secrets .get("db").get("x") tolerant']],
    ['st.secrets.get("db")["x"]', ['secrets .get("db")["x"]']],
    ['st.secrets.db["user"].name', ['secrets .db["user"].name']],
    ['st.secrets["a"].b["c"].get("d")', ['secrets ["a"].b["c"].get("d") tolerant']],
    ['x = st.secrets.db', ['secrets .db']],
    ['print(st.secrets["a"], st.secrets.b)', ['secrets ["a"]', 'secrets .b']],
    ['f(key=st.secrets.api_key)', ['secrets .api_key']],
    ['d = {"k": st.secrets.k}', ['secrets .k']],
    ['s = f"{st.secrets.db.host}:{st.secrets[\'db\'].port}"', ['secrets .db.host', 'secrets ["db"].port']],
    ['st.secrets.db.to_dict()', ['secrets .db']],
    ['st.secrets.db.keys()', ['secrets .db']],
    ['for k, v in st.secrets.db.items(): pass', ['secrets .db']],
    ['st.secrets.db.values', ['secrets .db']],
    ['st.secrets.to_dict()', []],
    ['st.secrets.keys()', []],
    ['st.write(st.secrets)', []],
    ['st.secrets.has_key("x")', []],
    ['st.secrets._secrets', []],
    ['st.secrets.db.__class__', ['secrets .db']],
    ['st.secrets.db._private', ['secrets .db._private']],
    ['st.secrets.db.has_key', ['secrets .db.has_key']],
    ['st.secrets.db.foo()', ['secrets .db.foo']],
    ['st.secrets[name]', []],
    ['st.secrets.db[name]', ['secrets .db']],
    ['st.secrets.db[name].x', ['secrets .db']],
    ['st.secrets.get(name)', []],
    ['st.secrets.db.get(name)', ['secrets .db']],
    ['st.secrets.db.get(key="x")', ['secrets .db']],
    ['st.secrets["a", "b"]', []],
    ['st.secrets["a":"b"]', []],
    ['st.secrets[1]', []],
    ['st.secrets.db[0]', ['secrets .db']],
    ['st.secrets.items_list[0]["name"]', ['secrets .items_list']],
    ['st.secrets["d" "b"]', []],
  ];
  for (const [code, expected] of cases) {
    test(code, () => expectAccesses(stImport + code + '\n', expected));
  }
});

describe('analyzePythonSecrets: membership', () => {
  test('"k" in st.secrets → container root, membershipKey', () => {
    const text = stImport + 'if "k" in st.secrets:\n    pass\n';
    const [access] = analyzePythonSecrets(source(text)).accesses;
    assert.ok(access);
    assert.deepEqual(access.segments, []);
    assert.equal(access.tolerant, true);
    assert.equal(access.membershipKey?.key, 'k');
    assert.equal(slice(text, access.membershipKey?.range), 'k');
    assert.equal(slice(text, access.range), 'st.secrets');
  });
  const cases: Array<[string, string[]]> = [
    ['"k" not in st.secrets.db', ['secrets .db has "k" tolerant']],
    ["'k' in st.secrets['db']", ['secrets ["db"] has "k" tolerant']],
    ['x = "k" in st.secrets.a.b', ['secrets .a.b has "k" tolerant']],
    ['name in st.secrets', []],
    ['name in st.secrets.db', ['secrets .db']],
    ['st.secrets.db in x', ['secrets .db']],
    ['"k" in st.secrets.db.keys()', ['secrets .db']],
    ['"K" in os.environ', ['environ <root> has "K" tolerant']],
    ['"K" not in os.environ', ['environ <root> has "K" tolerant']],
    ['"k" == st.secrets.db', ['secrets .db']],
  ];
  for (const [code, expected] of cases) {
    test(code, () => expectAccesses(stImport + code + '\n', expected));
  }
});

describe('analyzePythonSecrets: string keys', () => {
  const cases: Array<[string, string[]]> = [
    ['st.secrets[r"a\\b"]', ['secrets ["a\\\\b"]']],
    ['st.secrets["a\\tb"]', ['secrets ["a\\tb"]']],
    ['st.secrets["\\x41\\u00e9\\101"]', ['secrets ["AéA"]']],
    ['st.secrets["my-key"]', ['secrets ["my-key"]']],
    ['st.secrets["with \\"quote\\""]', ['secrets ["with \\"quote\\""]']],
    ["st.secrets['it\\'s']", ['secrets ["it\'s"]']],
    ['st.secrets[u"db"]', ['secrets ["db"]']],
    ['st.secrets[b"db"]', []],
    ['st.secrets.db[b"x"]', ['secrets .db']],
    ['st.secrets[f"db"]', ['secrets ["db"]']],
    ['st.secrets[f"{{db}}"]', ['secrets ["{db}"]']],
    ['st.secrets[f"db_{env}"]', []],
    ['st.secrets.get(f"x{y}")', []],
    ['st.secrets["""db"""]', ['secrets ["db"]']],
    ['st.secrets["\\N{BULLET}"]', []],
    ['st.secrets[""]', ['secrets [""]']],
    ['st.secrets["ключ"].пароль', ['secrets ["ключ"].пароль']],
  ];
  for (const [code, expected] of cases) {
    test(code, () => expectAccesses(stImport + code + '\n', expected));
  }
});

describe('analyzePythonSecrets: os.environ', () => {
  const cases: Array<[string, string[]]> = [
    ['os.environ["K"]', ['environ ["K"]']],
    ['os.environ.get("K")', ['environ .get("K") tolerant']],
    ['os.environ.get("K", "d")', ['environ .get("K") tolerant']],
    ['os.getenv("K")', ['environ .get("K") tolerant']],
    ['os.getenv("K", "d")', ['environ .get("K") tolerant']],
    ['os.environ["K"].lower()', ['environ ["K"]']],
    ['os.environ["K"]["x"]', ['environ ["K"]']],
    ['os.environ[name]', []],
    ['os.getenv(name)', []],
    ['os.environ.setdefault("K", "v")', []],
    ['os.environ["K"] = "v"', []],
    ['del os.environ["K"]', []],
    ['os.path.join("a")', []],
  ];
  for (const [code, expected] of cases) {
    test(code, () => expectAccesses(stImport + code + '\n', expected));
  }
});

describe('analyzePythonSecrets: import forms', () => {
  const cases: Array<[string, string[]]> = [
    ['import streamlit as st\nst.secrets.a', ['secrets .a']],
    ['import streamlit as stl\nstl.secrets.a\nst.secrets.b', ['secrets .a']],
    ['import streamlit\nstreamlit.secrets.a', ['secrets .a']],
    ['import streamlit.components.v1\nstreamlit.secrets.a', ['secrets .a']],
    ['import streamlit.components.v1 as components\ncomponents.secrets.a', []],
    ['from streamlit import secrets\nsecrets.a\nsecrets["b"]', ['secrets .a', 'secrets ["b"]']],
    ['from streamlit import secrets as s\ns.a.b\nsecrets.c', ['secrets .a.b']],
    ['from streamlit import (\n    secrets as sec,\n)\nsec.get("a")', ['secrets .get("a") tolerant']],
    ['from streamlit import *\nsecrets.a', ['secrets .a']],
    ['import os as o\no.environ["A"]\no.getenv("B")', ['environ ["A"]', 'environ .get("B") tolerant']],
    ['import os.path\nos.environ["A"]', ['environ ["A"]']],
    ['from os import environ\nenviron["A"]\nenviron.get("B")', ['environ ["A"]', 'environ .get("B") tolerant']],
    ['from os import environ as env, getenv as ge\nenv["A"]\nge("B")\ngetenv("C")', ['environ ["A"]', 'environ .get("B") tolerant']],
    ['from os import *\ngetenv("A")', ['environ .get("A") tolerant']],
    ['st.secrets.a\nimport streamlit as st', ['secrets .a']],
    ['try:\n    import streamlit as st\nexcept ImportError:\n    st = None\nst.secrets.a', ['secrets .a']],
    ['if True:\n    import streamlit as st\nst.secrets.a', ['secrets .a']],
    ['import os\nimport streamlit\nos.secrets.a\nstreamlit.environ["x"]', []],
    ['from streamlit.runtime import secrets\nsecrets.a', []],
    ['from .streamlit import secrets\nsecrets.a', []],
    ['from mylib import secrets\nsecrets.a', []],
    ['foo.secrets["x"]\nst.secrets["y"]', []],
  ];
  for (const [code, expected] of cases) {
    test(JSON.stringify(code), () => expectAccesses(code + '\n', expected));
  }

  test('importsStreamlit', () => {
    assert.equal(analyzePythonSecrets(source('import streamlit as st\n')).importsStreamlit, true);
    assert.equal(analyzePythonSecrets(source('from streamlit import secrets\n')).importsStreamlit, true);
    assert.equal(analyzePythonSecrets(source('from streamlit import connection\n')).importsStreamlit, true);
    assert.equal(analyzePythonSecrets(source('import os\nimport streamlit_extras as st\n')).importsStreamlit, false);
    assert.equal(analyzePythonSecrets(source('from streamlit import write\n')).importsStreamlit, false);
    assert.equal(analyzePythonSecrets(source('')).importsStreamlit, false);
  });
});

describe('analyzePythonSecrets: scoping', () => {
  const cases: Array<[string, string[]]> = [
    ['import streamlit as st\ndef f(st):\n    return st.secrets.a\nst.secrets.b', ['secrets .b']],
    ['import streamlit as st\ndef f():\n    st = other()\n    return st.secrets.a', []],
    ['import streamlit as st\ndef f():\n    global st\n    st = other()\n    return st.secrets.a', ['secrets .a']],
    ['import streamlit as st\ndef f():\n    return st.secrets.a', ['secrets .a']],
    ['def f():\n    import streamlit as st\n    return st.secrets.a\nst.secrets.b', ['secrets .a']],
    ['import streamlit as st\nclass C:\n    st = 1\n    def m(self):\n        return st.secrets.a', ['secrets .a']],
    ['import streamlit as st\nclass C:\n    st = 1\n    x = st.secrets.a', []],
    ['import streamlit as st\nf = lambda st: st.secrets.a\ng = lambda: st.secrets.b', ['secrets .b']],
    ['import streamlit as st\n[st.secrets.a for st in xs]\n[st.secrets.b for x in xs]', ['secrets .b']],
    ['import streamlit as st\ndef f():\n    for st in xs:\n        st.secrets.a', []],
    ['import streamlit as st\ndef f():\n    with g() as st:\n        st.secrets.a', []],
    ['import streamlit as st\ndef f():\n    import pandas as st\n    st.secrets.a', []],
    ['import streamlit as st\ndef f(x=st.secrets.a):\n    pass', ['secrets .a']],
    ['import streamlit as st\ndef st_helper():\n    st.secrets.a', ['secrets .a']],
    ['import os\ndef f(os):\n    os.environ["A"]', []],
  ];
  for (const [code, expected] of cases) {
    test(JSON.stringify(code), () => expectAccesses(code + '\n', expected));
  }
});

describe('analyzePythonSecrets: not accesses', () => {
  const cases: string[] = [
    '# st.secrets.db.password',
    'x = "st.secrets.db.password"',
    "x = 'os.environ[\"K\"]'",
    '"""\nst.secrets["db"]\n"""',
    'st.secrets.db = 1',
    'st.secrets["db"] = 1',
    'del st.secrets["db"]',
    'st.secretz.db',
    'st.write("hi")',
    'secrets.db',
    'x.st.secrets.db',
  ];
  for (const code of cases) {
    test(JSON.stringify(code), () => expectAccesses(stImport + code + '\n', []));
  }
});

describe('analyzePythonSecrets: exact ranges', () => {
  test('attribute and subscript and get segments', () => {
    const text = stImport + 'v = st.secrets.db["pw"].get(r\'k\')\n';
    const [access] = analyzePythonSecrets(source(text)).accesses;
    assert.ok(access);
    assert.equal(slice(text, access.range), 'st.secrets.db["pw"].get(r\'k\')');
    assert.equal(slice(text, access.rootRange), 'st.secrets');
    const [db, pw, k] = access.segments;
    assert.ok(db && pw && k);
    assert.equal(slice(text, db.range), 'db');
    assert.equal(slice(text, db.accessorRange), '.db');
    assert.equal(db.literalRange, undefined);
    assert.equal(slice(text, pw.range), 'pw');
    assert.equal(slice(text, pw.literalRange), '"pw"');
    assert.equal(pw.accessorRange, undefined);
    assert.equal(slice(text, k.range), 'k');
    assert.equal(slice(text, k.literalRange), "r'k'");
  });

  test('escaped key: range is the raw content, key is decoded', () => {
    const text = stImport + 'st.secrets["a\\"b"]\n';
    const [access] = analyzePythonSecrets(source(text)).accesses;
    assert.equal(access?.segments[0]?.key, 'a"b');
    assert.equal(slice(text, access?.segments[0]?.range), 'a\\"b');
  });

  test('range stops before a method call or dynamic key', () => {
    const text = stImport + 'st.secrets.db.to_dict()\nst.secrets["a"][k]\nst.secrets.db.get(name, 1)\n';
    const accesses = analyzePythonSecrets(source(text)).accesses;
    assert.deepEqual(
      accesses.map((a) => slice(text, a.range)),
      ['st.secrets.db', 'st.secrets["a"]', 'st.secrets.db'],
    );
  });

  test('multi-line chains and spaces around the dot', () => {
    const text = stImport + 'x = (\n    st.secrets\n    .db\n    ["pw"]\n)\ny = st . secrets . other\n';
    const accesses = analyzePythonSecrets(source(text)).accesses;
    assert.deepEqual(
      accesses.map((a) => a.segments.map((s) => `${s.key}@${slice(text, s.accessorRange ?? s.literalRange)}`)),
      [['db@.db', 'pw@"pw"'], ['other@. other']],
    );
  });

  test('UTF-16 offsets after non-BMP characters', () => {
    const text = stImport + 's = "😀😀"; st.secrets["ключ"].x\n';
    const [access] = analyzePythonSecrets(source(text)).accesses;
    assert.equal(slice(text, access?.segments[0]?.range), 'ключ');
    assert.equal(slice(text, access?.segments[1]?.range), 'x');
  });

  test('environ ranges', () => {
    const text = stImport + 'a = os.getenv("KEY")\nb = os.environ.get(\'K2\')\n';
    const [getenv, get] = analyzePythonSecrets(source(text)).accesses;
    assert.ok(getenv && get);
    assert.equal(slice(text, getenv.rootRange), 'os.getenv');
    assert.equal(slice(text, getenv.range), 'os.getenv("KEY")');
    assert.equal(slice(text, getenv.segments[0]?.range), 'KEY');
    assert.equal(getenv.segments[0]?.style, 'get');
    assert.equal(slice(text, get.rootRange), 'os.environ');
    assert.equal(slice(text, get.segments[0]?.literalRange), "'K2'");
  });

  test('aliased roots', () => {
    const text = 'from streamlit import secrets as s\nfrom os import getenv\ns.a\ngetenv("X")\n';
    const [a, x] = analyzePythonSecrets(source(text)).accesses;
    assert.equal(slice(text, a?.rootRange), 's');
    assert.equal(slice(text, a?.range), 's.a');
    assert.equal(slice(text, x?.rootRange), 'getenv');
    assert.equal(slice(text, x?.range), 'getenv("X")');
  });
});

describe('analyzePythonSecrets: connections and logins', () => {
  test('st.connection forms', () => {
    const text =
      stImport +
      [
        'a = st.connection("sql")',
        'b = st.connection("my_db", type="sql")',
        'c = st.connection("x", SQLConnection)',
        'd = st.connection(name="kw", ttl=3)',
        'e = st.connection(name_var)',
        'f = st.connection("env:DB_CONN", **opts)',
        'g = st.connection(f"conn_{i}")',
      ].join('\n') +
      '\n';
    const calls = analyzePythonSecrets(source(text)).connections;
    assert.deepEqual(
      calls.map((c) => [c.name, slice(text, c.nameRange), c.hasType]),
      [
        ['sql', 'sql', false],
        ['my_db', 'my_db', true],
        ['x', 'x', true],
        ['kw', 'kw', false],
        [undefined, undefined, false],
        ['env:DB_CONN', 'env:DB_CONN', true],
        [undefined, undefined, false],
      ],
    );
    assert.equal(slice(text, calls[1]?.range), 'st.connection("my_db", type="sql")');
  });

  test('from streamlit import connection, login (+aliases)', () => {
    const text = 'from streamlit import connection as conn, login\nconn("a")\nlogin()\nlogin("google")\nlogin(provider="okta")\n';
    const result = analyzePythonSecrets(source(text));
    assert.deepEqual(result.connections.map((c) => c.name), ['a']);
    assert.deepEqual(result.logins.map((l) => [l.provider, slice(text, l.providerRange)]), [
      [undefined, undefined],
      ['google', 'google'],
      ['okta', 'okta'],
    ]);
    assert.equal(slice(text, result.logins[0]?.range), 'login()');
  });

  test('st.login forms and non-calls', () => {
    const text = stImport + 'st.login()\nst.login("github")\nf = st.login\nst.logout()\nother.login("x")\n';
    const result = analyzePythonSecrets(source(text));
    assert.deepEqual(result.logins.map((l) => l.provider), [undefined, 'github']);
    assert.deepEqual(result.connections, []);
  });
});

describe('analyzePythonSecrets: tolerance of broken code', () => {
  test('reads before and after a syntax error are still found', () => {
    const text = stImport + 'a = st.secrets.one\ndef broken(:\n    pass\nb = st.secrets["two"]\n';
    const keys = analyzePythonSecrets(source(text)).accesses.map((a) => a.segments.map((s) => s.key).join('.'));
    assert.ok(keys.includes('one'), keys.join());
    assert.ok(keys.includes('two'), keys.join());
  });

  test('an unterminated key is not an access', () => {
    assert.deepEqual(describeAll(stImport + 'st.secrets["db\n'), []);
    assert.deepEqual(describeAll(stImport + 'st.secrets.db["pw\nx = 1\n'), ['secrets .db']);
  });

  test('result is cached per source version', () => {
    const s = source(stImport + 'st.secrets.a\n');
    assert.equal(analyzePythonSecrets(s), analyzePythonSecrets(s));
  });
});
