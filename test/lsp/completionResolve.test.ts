import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver-protocol';
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
    assert.match(value, /Hides the value in `~\/\.streamlit\/secrets\.toml`/);
    assert.ok(!client.output().includes('resolve-canary'), 'no value in anything the server wrote');
  } finally {
    await client.stop();
    home.dispose();
    project.dispose();
  }
});
