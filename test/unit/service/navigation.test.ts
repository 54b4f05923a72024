import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findDefinitions, keyPathAtPython } from '../../../server/src/service/definition';
import { secretsDocumentSymbols } from '../../../server/src/service/documentSymbols';
import { findSecretReferences, secretsKeyPathAt } from '../../../server/src/service/references';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { PythonReferenceIndex } from '../../../server/src/workspace/pythonReferenceIndex';
import { TempTree } from '../../helpers/tempProject';
import { globalToml, mergedOf, projectToml, python } from './secretsFixture';

const merged = mergedOf(globalToml, projectToml);

describe('definitions', () => {
  test('every access form maps to its key path', () => {
    const at = (marked: string) => { const p = python(marked); return keyPathAtPython(p.analysis, p.offset); };
    assert.deepEqual(at('import streamlit as st\nst.secrets["db"]["us|er"]'), ['db', 'user']);
    assert.deepEqual(at('import streamlit as st\nst.secrets.d|b.user'), ['db']);
    assert.deepEqual(at('import streamlit as st\n"us|er" in st.secrets.db'), ['db', 'user']);
    assert.deepEqual(at('import os\nos.getenv("K|")'), ['K']);
    assert.deepEqual(at('import streamlit as st\nst.connection("w|h")'), ['connections', 'wh']);
    assert.deepEqual(at('import streamlit as st\nst.login("goo|gle")'), ['auth', 'google']);
    assert.deepEqual(at('import streamlit as st\nst.login(provider="goo|gle")'), ['auth', 'google']);
    assert.deepEqual(at('import streamlit as st\nst.lo|gin()'), ['auth']);
    assert.equal(at('import streamlit as st\nx = 1|'), undefined);
  });

  test('winner first, then shadowed; lost keys lead to the file defining them', () => {
    const where = (keyPath: string[]) => findDefinitions(merged, keyPath).map((d) => `${d.role}:${d.filePath}:${d.text.slice(d.range.start, d.range.end)}`);
    assert.deepEqual(where(['db', 'user']), ['winner:/p/.streamlit/secrets.toml:user', 'shadowed:/h/.streamlit/secrets.toml:user']);
    assert.deepEqual(where(['db', 'port']), ['shadowed:/h/.streamlit/secrets.toml:port']);
    assert.deepEqual(where(['nope']), []);
  });
});

describe('references', () => {
  test('reads of a path: deeper reads, membership, environ, connections', () => {
    const { analysis, document } = python('import os\nimport streamlit as st\nst.secrets.db.user\nst.secrets["db"]\n"user" in st.secrets.db\nos.environ["db"]\nst.secrets.dbx\nst.connection("db")\n');
    const ranges = (keyPath: string[]) => findSecretReferences(analysis, keyPath).map((r) => `${document.positionAt(r.range.start).line}:${document.getText().slice(r.range.start, r.range.end)}`);
    assert.deepEqual(ranges(['db']), ['2:db', '3:db', '4:db', '5:db']);
    assert.deepEqual(ranges(['db', 'user']), ['2:user', '4:user']);
    assert.deepEqual(ranges(['connections', 'db']), ['7:db']);
  });

  test('st.login calls are references of [auth.provider], and of [auth] without a provider', () => {
    const { analysis, document } = python('import streamlit as st\nst.login("google")\nst.login()\nst.login("okta")\n');
    const ranges = (keyPath: string[]) => findSecretReferences(analysis, keyPath).map((r) => `${document.positionAt(r.range.start).line}:${document.getText().slice(r.range.start, r.range.end)}`);
    assert.deepEqual(ranges(['auth', 'google']), ['1:google']);
    assert.deepEqual(ranges(['auth']), ['2:st.login()']);
    assert.deepEqual(ranges(['auth', 'google', 'client_id']), []);
  });

  test('the key under the cursor in a secrets file: key, table header, dotted key', () => {
    const text = 'a.b = 1\n[db.options]\nssl = "x"\n';
    assert.deepEqual(secretsKeyPathAt(text, 2), ['a', 'b']);
    assert.deepEqual(secretsKeyPathAt(text, text.indexOf('options') + 1), ['db', 'options']);
    assert.deepEqual(secretsKeyPathAt(text, text.indexOf('ssl')), ['db', 'options', 'ssl']);
  });

  test('the background index skips dependency folders, keeps only files that read secrets, follows changes', async () => {
    const tree = new TempTree({
      'app.py': 'import streamlit as st\nst.secrets.db\n',
      'util.py': 'def f():\n    return 1\n',
      'node_modules/a.py': 'import streamlit as st\nst.secrets.db\n',
      '.venv/lib/site-packages/b.py': 'import streamlit as st\nst.secrets.db\n',
      'pkg/__pycache__/c.py': 'import streamlit as st\nst.secrets.db\n',
      'pkg/page.py': 'import streamlit as st\n\nst.secrets["db"]\n',
    });
    try {
      const index = new PythonReferenceIndex();
      index.scanFolders([tree.root]);
      assert.ok(index.busy, 'scanning happens later, off the call');
      await index.whenIdle();
      const files = () => [...index.entries()].map((e) => e.filePath.slice(tree.root.length + 1)).sort();
      assert.deepEqual(files(), ['app.py', 'pkg/page.py']);
      const page = [...index.entries()].find((e) => e.filePath.endsWith('page.py'))!;
      const [ref] = findSecretReferences(page.analysis, ['db']);
      assert.deepEqual(page.positions.positionAt(ref!.range.start), { line: 2, character: 12 });
      fs.writeFileSync(tree.path('util.py'), 'import streamlit as st\nst.secrets.db\n');
      index.refresh(tree.path('util.py'));
      index.remove(tree.path('pkg'));
      await index.whenIdle();
      assert.deepEqual(files(), ['app.py', 'util.py']);
    } finally {
      tree.dispose();
    }
  });
});

describe('document symbols', () => {
  test('nested outline with types as detail, tables spanning their sub-tables', () => {
    const text = 'api = "v1"\n[db]\nuser = "v2"\n[db.options]\nssl = true\n[[servers]]\nhost = "v3"\n';
    const symbols = secretsDocumentSymbols(TextDocument.create('file:///s', 'streamlit-secrets', 1, text), parseSecretsToml(text).root);
    const shape = (list: typeof symbols): unknown => list.map((s) => (s.children ? { [s.name]: shape(s.children) } : s.name));
    assert.deepEqual(shape(symbols), ['api', { db: ['user', { options: ['ssl'] }] }, { servers: ['host'] }]);
    assert.equal(symbols[1]!.detail, 'table (2 keys)');
    assert.equal(symbols[1]!.range.end.line, 4);
    assert.ok(!JSON.stringify(symbols).includes('v1') && !JSON.stringify(symbols).includes('v2'));
  });

  test('no symbol selects a line that shows a value (VS Code announces that line to screen readers on Go to Symbol)', () => {
    const text = '# project secrets\ntitle = "v0"\n\n[db]\nhost = "v1"\npassword = """\nv2\n"""\ninline = { user = "v3" }\n';
    const document = TextDocument.create('file:///s', 'streamlit-secrets', 1, text);
    const symbols = secretsDocumentSymbols(document, parseSecretsToml(text).root);
    const lines = text.split('\n');
    const flat: typeof symbols = [];
    const visit = (list: typeof symbols): void => list.forEach((symbol) => (flat.push(symbol), visit(symbol.children ?? [])));
    visit(symbols);
    assert.deepEqual(flat.map((symbol) => symbol.name), ['title', 'db', 'host', 'password', 'inline', 'user']);
    const selected = Object.fromEntries(flat.map((symbol) => [symbol.name, lines[symbol.selectionRange.start.line]]));
    // A key whose line shows its value selects the nearest line that shows none, above first.
    assert.deepEqual(selected, { title: '# project secrets', db: '[db]', host: '[db]', password: '[db]', inline: '[db]', user: '[db]' });
    for (const symbol of flat) {
      assert.ok(!/v\d/.test(lines[symbol.selectionRange.start.line]!), `${symbol.name} selects a line with a value`);
      const inside = (p: { line: number; character: number }) =>
        (p.line > symbol.range.start.line || (p.line === symbol.range.start.line && p.character >= symbol.range.start.character)) &&
        (p.line < symbol.range.end.line || (p.line === symbol.range.end.line && p.character <= symbol.range.end.character));
      assert.ok(inside(symbol.selectionRange.start) && inside(symbol.selectionRange.end), `${symbol.name}: the selection lies outside the range`);
    }
    // The range still covers the key's own line (the breadcrumbs and Outline follow the cursor there).
    assert.equal(flat.find((symbol) => symbol.name === 'host')!.range.end.line, 4);
  });

  test('a key on the first line selects a line below when none above shows no value; no such line at all: no symbol', () => {
    const below = 'a = "v1"\nb = "v2"\n';
    const symbols = secretsDocumentSymbols(TextDocument.create('file:///s', 'streamlit-secrets', 1, below), parseSecretsToml(below).root);
    assert.deepEqual(symbols.map((symbol) => [symbol.name, symbol.selectionRange.start.line, symbol.range.end.line]), [['a', 2, 2], ['b', 2, 2]]);
    const full = 'a = "v1"\nb = "v2"';
    assert.deepEqual(secretsDocumentSymbols(TextDocument.create('file:///s', 'streamlit-secrets', 1, full), parseSecretsToml(full).root), []);
  });

  test('a file with a syntax error still gets an outline of what can be read', () => {
    const text = 'good = 1\n[t]\nk = = 2\nlater = 3\n';
    const symbols = secretsDocumentSymbols(TextDocument.create('file:///s', 'streamlit-secrets', 1, text), parseSecretsToml(text).root);
    assert.ok(symbols.some((s) => s.name === 'good'));
  });
});
