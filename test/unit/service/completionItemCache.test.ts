// doComplete caches the document-independent part of its items per merge (a merge is immutable and
// replaced when a secrets file changes). These tests pin what the cache must never do: serve items
// of an older merge, of other options, with another document's ranges, or shared mutable objects.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TextEdit as TextEditOf, type CompletionItem, type CompletionList, type MarkupContent, type Range, type TextEdit } from 'vscode-languageserver-types';
import { cutPreview, doComplete, resolveCompletionItem } from '../../../server/src/service/completion';
import { mergeSecrets, type LoadedSecretsSource } from '../../../server/src/service/mergeSecrets';
import { resolveSecretsChain } from '../../../server/src/service/secretsChain';
import { completionContextAt } from '../../../server/src/python/completionContext';
import { createPythonSource } from '../../../server/src/python/pythonSource';
import { node } from '../../helpers/secretNodes';
import { withCursor } from '../python/helpers';

const chain = resolveSecretsChain({ home: '/h', cwd: '/p' }, []);

function merge(project: Parameters<typeof node>[0], global?: Parameters<typeof node>[0]) {
  const sources: LoadedSecretsSource[] = [
    global === undefined ? { spec: { path: '/h/.streamlit/secrets.toml', role: 'global' }, kind: 'missing' } : { spec: { path: '/h/.streamlit/secrets.toml', role: 'global' }, kind: 'file', root: node(global) },
    { spec: { path: '/p/.streamlit/secrets.toml', role: 'project' }, kind: 'file', root: node(project) },
  ];
  return mergeSecrets(chain, sources);
}

function complete(marked: string, merged: ReturnType<typeof merge>, revealCharacters = 0): { items: CompletionItem[]; text: string } {
  const { text, offset } = withCursor(marked);
  const context = completionContextAt(createPythonSource(text), offset);
  assert.ok(context, 'a completion context at the cursor');
  const document = TextDocument.create('file:///p/app.py', 'python', 1, text);
  // The masked preview comes with `completionItem/resolve`, from the same merge and options.
  const items = doComplete(document, context, merged, { revealCharacters }).items.map((item) => resolveCompletionItem(item, merged, { revealCharacters }));
  return { items, text };
}

const doc = (item: CompletionItem | undefined): string => (item?.documentation as MarkupContent | undefined)?.value ?? '';

describe('completion items cached per merge', () => {
  test('a new merge of changed files gives new types, sources and previews', () => {
    const before = merge({ api: 'canary-one-value' });
    const first = complete('import streamlit as st\nst.secrets.|', before).items.find((item) => item.label === 'api');
    assert.equal(first?.detail, 'str · project file .streamlit/secrets.toml');
    const after = merge({ other: 1n }, { api: { nested: 'canary-two-value' } });
    const second = complete('import streamlit as st\nst.secrets.|', after).items.find((item) => item.label === 'api');
    assert.equal(second?.detail, 'AttrDict · 1 key · global file ~/.streamlit/secrets.toml');
    assert.match(doc(second), /from the global file/);
    // The old merge still answers from its own values.
    assert.equal(complete('import streamlit as st\nst.secrets.|', before).items.find((item) => item.label === 'api')?.detail, first?.detail);
  });

  test('the reveal setting is part of the cache key', () => {
    const merged = merge({ token: 'abcdefghijklmnop' });
    const masked = doc(complete('import streamlit as st\nst.secrets.|', merged, 0).items[0]);
    const revealed = doc(complete('import streamlit as st\nst.secrets.|', merged, 3).items[0]);
    assert.ok(!masked.includes('abc'), masked);
    assert.ok(revealed.includes('"abc••'), revealed);
    assert.ok(!doc(complete('import streamlit as st\nst.secrets.|', merge({ token: 'abcdefghijk' }), 3).items[0]).includes('abc'), 'never a character of a value under 12 characters');
    assert.ok(!doc(complete('import streamlit as st\nst.secrets.|', merged, 0).items[0]).includes('abc'));
  });

  test('edit ranges follow each request, not the cached item', () => {
    const merged = merge({ key_a: 'x', key_b: 'y' });
    const near = complete('import streamlit as st\nst.secrets.|', merged).items[0]!.textEdit as TextEdit;
    const far = complete('import streamlit as st\n\n\nvalue = st.secrets.|', merged).items[0]!.textEdit as TextEdit;
    assert.deepEqual(near.range.start, { line: 1, character: 11 });
    assert.deepEqual(far.range.start, { line: 3, character: 19 });
  });

  test('same key below different parents gets each parent path in its preview', () => {
    const merged = merge({ one: { host: 'h1' }, two: { host: 'h2' } });
    assert.match(doc(complete('import streamlit as st\nst.secrets.one.|', merged).items[0]), /one\.host = /);
    assert.match(doc(complete('import streamlit as st\nst.secrets.two.|', merged).items[0]), /two\.host = /);
    assert.match(doc(complete('import streamlit as st\nst.secrets["two"]["|"]', merged).items[0]), /two\.host = /);
  });

  test('answers are fresh objects: changing one does not change the next answer', () => {
    const merged = merge({ a: 'x', b: 'y' });
    const first = complete('import streamlit as st\nst.secrets.|', merged).items;
    first[0]!.label = 'changed';
    first[0]!.detail = 'changed';
    const second = complete('import streamlit as st\nst.secrets.|', merged).items;
    assert.deepEqual(second.map((item) => [item.label, item.sortText]), [['a', '000000'], ['b', '000001']]);
    assert.notEqual(second[0]!.detail, 'changed');
  });
});

describe('completion rows: name order, type and file on every row', () => {
  test('sorted by key name (case-insensitive), not by the order the files merge in', () => {
    const merged = merge({ zeta: 'x', Beta: 'y', alpha: 'z' }, { gamma: 'g', Alpha: 'a' });
    const items = complete('import streamlit as st\nst.secrets.|', merged).items;
    const ordered = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((item) => item.label);
    assert.deepEqual(ordered, ['Alpha', 'alpha', 'Beta', 'gamma', 'zeta']);
  });

  test('labelDetails: the type beside the name, the providing file on the right', () => {
    const merged = merge({ db: { user: 'u', port: 1n }, hosts: ['a', 'b'] }, { token: 't' });
    const items = complete('import streamlit as st\nst.secrets.|', merged).items;
    const details = Object.fromEntries(items.map((item) => [item.label, item.labelDetails]));
    assert.deepEqual(details, {
      db: { detail: ' AttrDict · 2 keys', description: '.streamlit/secrets.toml' },
      hosts: { detail: ' list · 2 items', description: '.streamlit/secrets.toml' },
      token: { detail: ' str', description: '~/.streamlit/secrets.toml' },
    });
  });

  test('a long inline-table preview is cut with an ellipsis', () => {
    const wide = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`setting_number_${i}`, 'v']));
    const merged = merge({ wide });
    const preview = doc(complete('import streamlit as st\nst.secrets.|', merged).items[0]).split('\n').find((line) => line.startsWith('wide = '))!;
    assert.equal([...preview].length, 60);
    assert.ok(preview.endsWith('…'), preview);
    assert.equal(cutPreview('short'), 'short');
  });
});

describe('masked previews come with completionItem/resolve', () => {
  test('the list has no documentation; resolve adds the masked preview of that one key', () => {
    const merged = merge({ db: { user: 'canary-user-value', port: 5432n } }, { db: { host: 'h' } });
    const { text, offset } = withCursor('import streamlit as st\nst.secrets.db.|');
    const document = TextDocument.create('file:///p/app.py', 'python', 1, text);
    const items = doComplete(document, completionContextAt(createPythonSource(text), offset)!, merged, { revealCharacters: 0 }).items;
    assert.ok(items.every((item) => item.documentation === undefined), 'previews are not sent with the list');
    const user = items.find((item) => item.label === 'user')!;
    assert.deepEqual(user.data, { uri: 'file:///p/app.py', path: ['db', 'user'] });
    const resolved = resolveCompletionItem(user, merged, { revealCharacters: 0 });
    assert.match(doc(resolved), /db\.user = "••••••••"/);
    assert.match(doc(resolved), /^`str` from the project file `\.streamlit\/secrets\.toml`/);
    assert.ok(!doc(resolved).includes('canary-user-value'));
  });

  test('an item whose key vanished, or that is not ours, resolves unchanged', () => {
    const merged = merge({ a: 'x' });
    const gone = { label: 'b', data: { uri: 'file:///p/app.py', path: ['b'] } };
    assert.deepEqual(resolveCompletionItem(gone, merged, { revealCharacters: 0 }), gone);
    const foreign = { label: 'z', data: { something: 1 } };
    assert.deepEqual(resolveCompletionItem(foreign, merged, { revealCharacters: 0 }), foreign);
  });

  test('a top-level item resolves with what it hides and its environment variable', () => {
    const merged = merge({ token: 'x' }, { token: 'y' });
    const resolved = resolveCompletionItem({ label: 'token', data: { uri: 'file:///p/app.py', path: ['token'] } }, merged, { revealCharacters: 0 });
    assert.match(doc(resolved), /Replaces the value in the global file `~\/\.streamlit\/secrets\.toml`/);
    assert.match(doc(resolved), /environment variable `token`/);
  });
});

describe('item defaults (LSP 3.17 CompletionList.itemDefaults)', () => {
  /** What the client does with a list that has defaults (vscode-languageclient's protocolConverter). */
  function applyDefaults(list: CompletionList): CompletionItem[] {
    const defaults = list.itemDefaults;
    return list.items.map((item) => {
      const expanded: CompletionItem = { ...item, insertTextFormat: item.insertTextFormat ?? defaults?.insertTextFormat, data: item.data ?? defaults?.data };
      if (item.textEdit === undefined && defaults?.editRange !== undefined) {
        expanded.textEdit = TextEditOf.replace(defaults.editRange as Range, item.textEditText ?? item.label);
        delete expanded.textEditText;
      }
      return expanded;
    });
  }

  const cases = [
    'import streamlit as st\nst.secrets.|',
    'import streamlit as st\nst.secrets.db.|',
    'import streamlit as st\nst.secrets["|',
    "import streamlit as st\nst.secrets['db']['|']",
    'import os\nos.environ["|',
    'import streamlit as st\nst.connection("|")',
  ];
  const merged = merge({ db: { user: 'u', 'my-port': 1n }, 'my-key': 'x', connections: { sql: { url: 'x' } }, token: 'quote"d' }, { api: 'g' });

  for (const marked of cases) {
    test(`the client's expansion of the short list is the full list: ${JSON.stringify(marked.split('\n')[1])}`, () => {
      const { text, offset } = withCursor(marked);
      const document = TextDocument.create('file:///p/app.py', 'python', 1, text);
      const context = completionContextAt(createPythonSource(text), offset)!;
      const full = doComplete(document, context, merged, { revealCharacters: 0 });
      const short = doComplete(document, context, merged, { revealCharacters: 0, itemDefaults: true });
      assert.equal(full.itemDefaults, undefined);
      assert.ok(short.itemDefaults?.editRange, 'the shared range is sent once');
      assert.ok(full.items.length > 0);
      const expanded = applyDefaults(short);
      assert.deepEqual(
        expanded.map(({ data: _data, ...rest }) => rest),
        full.items.map(({ data: _data, ...rest }) => rest),
      );
      // Resolve finds the same key from the default data and the label as from the item's own data.
      for (let i = 0; i < expanded.length; i++) {
        assert.deepEqual(resolveCompletionItem(expanded[i]!, merged, { revealCharacters: 0 }).documentation, resolveCompletionItem(full.items[i]!, merged, { revealCharacters: 0 }).documentation);
      }
      assert.ok(JSON.stringify(short).length < JSON.stringify(full).length, 'the short list is shorter');
    });
  }

  test('the cached items sent as they are cannot be changed by a caller', () => {
    const { text, offset } = withCursor('import streamlit as st\nst.secrets.|');
    const document = TextDocument.create('file:///p/app.py', 'python', 1, text);
    const short = doComplete(document, completionContextAt(createPythonSource(text), offset)!, merged, { revealCharacters: 0, itemDefaults: true });
    const plain = short.items.find((item) => item.label === 'api')!;
    assert.equal(plain.textEdit, undefined);
    assert.equal(plain.data, undefined);
    assert.throws(() => {
      (plain as { detail: string }).detail = 'changed';
    }, TypeError);
  });
});
