import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, CompletionList, MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient, withCursor } from '../helpers/lspClient';
import { TempTree } from '../helpers/tempProject';

test('completionItem/resolve adds the masked preview of the focused item over LSP', async () => {
  const home = new TempTree({ '.streamlit/secrets.toml': '[db]\nhost = "resolve-canary-global"\n' });
  const project = new TempTree({ '.streamlit/secrets.toml': '[db]\nuser = "resolve-canary-project"\n' });
  const client = await LspTestClient.start({ folders: [project.root], home: home.root });
  try {
    const resolveProvider = (client as unknown as { initializeResult?: { capabilities: { completionProvider?: { resolveProvider?: boolean } } } }).initializeResult
      ?.capabilities.completionProvider?.resolveProvider;
    assert.equal(resolveProvider, true);
    const { text, position } = withCursor('import streamlit as st\nst.secrets.|');
    const uri = await client.open(project.path('app.py'), text);
    const items = await client.completion(uri, position);
    const db = items.find((item) => item.label === 'db')!;
    assert.equal(db.documentation, undefined);
    const resolved = await client.request<CompletionItem>('completionItem/resolve', db);
    const value = (resolved.documentation as MarkupContent).value;
    assert.match(value, /db = \{ user = "••••••••" \}/);
    assert.match(value, /Replaces the value in the global file `~\/\.streamlit\/secrets\.toml`/);
    assert.ok(!client.output().includes('resolve-canary'), 'no value in anything the server wrote');
  } finally {
    await client.stop();
    home.dispose();
    project.dispose();
  }
});

test('with item defaults (as VS Code asks), the shared range and data are sent once and resolve still finds the key', async () => {
  const home = new TempTree({ '.streamlit/secrets.toml': '[db]\nhost = "defaults-canary-global"\n' });
  const project = new TempTree({ '.streamlit/secrets.toml': 'api_key = "defaults-canary-project"\n"my-key" = 1\n[db]\nuser = "defaults-canary-user"\n' });
  const full = await LspTestClient.start({ folders: [project.root], home: home.root });
  const client = await LspTestClient.start({ folders: [project.root], home: home.root, completionItemDefaults: true });
  try {
    const { text, position } = withCursor('import streamlit as st\nst.secrets.|');
    const uri = await client.open(project.path('app.py'), text);
    await full.open(project.path('app.py'), text);
    const list = (await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position }));
    const fullItems = await full.completion(uri, position);
    assert.deepEqual(list.itemDefaults?.editRange, { start: position, end: position });
    assert.deepEqual(list.itemDefaults?.data, { uri, parent: [] });
    assert.deepEqual(list.items.map((item) => item.label), fullItems.map((item) => item.label));
    const apiKey = list.items.find((item) => item.label === 'api_key')!;
    assert.equal(apiKey.textEdit, undefined, 'the shared range is not repeated');
    assert.equal(apiKey.data, undefined, 'the shared data is not repeated');
    // `my-key` is not an attribute: it keeps its own edit (`["my-key"]` over `.`) and its own data.
    const blocked = list.items.find((item) => item.label === '["my-key"]')!;
    assert.deepEqual(blocked.data, { uri, path: ['my-key'] });
    assert.ok(blocked.textEdit !== undefined);
    // The client fills in the default data before resolving (vscode-languageclient does).
    const resolved = await client.request<CompletionItem>('completionItem/resolve', { ...apiKey, data: list.itemDefaults!.data });
    assert.match((resolved.documentation as MarkupContent).value, /api_key = "••••••••"/);
    assert.ok(JSON.stringify(list).length < JSON.stringify(fullItems).length);
    assert.ok(!client.output().includes('defaults-canary'), 'no value in anything the server wrote');
  } finally {
    await Promise.all([client.stop(), full.stop()]);
    home.dispose();
    project.dispose();
  }
});
