// Format Document / Format Selection over the protocol (spawned server, the formatter's WebAssembly beside it):
// edits for secrets and config files, none for Python, and for a file Streamlit cannot load no
// edit but a message that quotes nothing of the file. Nothing of the edits reaches the server's log.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentFormattingRequest, DocumentRangeFormattingRequest, Range, ShowMessageNotification, type TextEdit } from 'vscode-languageserver-protocol';
import { startProject, type LspProject } from '../helpers/lspProject';

describe('formatting over LSP (spawned server)', () => {
  let lsp: LspProject;
  before(async () => {
    lsp = await startProject({ project: { 'app.py': 'import streamlit as st\n' } });
  });
  after(() => lsp.dispose());

  const options = { tabSize: 2, insertSpaces: true };
  const formatted = async (file: string, text: string, languageId: string, range?: Range): Promise<{ text: string; edits: TextEdit[] | null }> => {
    const uri = await lsp.client.open(lsp.project.path(file), text, languageId);
    const edits = range === undefined
      ? await lsp.client.request<TextEdit[] | null>(DocumentFormattingRequest.method, { textDocument: { uri }, options })
      : await lsp.client.request<TextEdit[] | null>(DocumentRangeFormattingRequest.method, { textDocument: { uri }, range, options });
    await lsp.client.close(uri);
    return { text: TextDocument.applyEdits(TextDocument.create(uri, languageId, 1, text), edits ?? []), edits };
  };

  test('a secrets file and a config file are formatted; comments and key order stay', async () => {
    const secrets = await formatted('.streamlit/secrets.toml', '# c\nzeta="P-SECRET-1"\nalpha  =  1 # n\n[db]\n  user="P-SECRET-2"\n', 'streamlit-secrets');
    assert.equal(secrets.text, '# c\nzeta = "P-SECRET-1"\nalpha = 1 # n\n[db]\nuser = "P-SECRET-2"\n');
    const config = await formatted('.streamlit/config.toml', '[server]\nport=8502\n', 'streamlit-config');
    assert.equal(config.text, '[server]\nport = 8502\n');
    const selection = await formatted('.streamlit/secrets.toml', 'a="1"\nb="2"\n', 'streamlit-secrets', Range.create(1, 0, 1, 5));
    assert.equal(selection.text, 'a="1"\nb = "2"\n');
  });

  test('Python is not ours to format', async () => {
    assert.equal((await formatted('page.py', 'x=1\n', 'python')).edits, null);
  });

  test('a file Streamlit cannot load: no edit, a warning that quotes nothing; the log never holds the text', async () => {
    const before = lsp.client.notifications.length;
    const broken = 'token="P-SECRET-1"\nmixed = [1, "P-SECRET-2"]\n';
    const result = await formatted('.streamlit/secrets.toml', broken, 'streamlit-secrets');
    assert.deepEqual(result.edits, []);
    const message = await lsp.client.waitFor(
      () => lsp.client.notifications.slice(before).find((n) => n.method === ShowMessageNotification.method),
      10000,
      'a window/showMessage',
    );
    const text = (message.params as { message: string }).message;
    assert.match(text, /Not formatted: Streamlit cannot load this file/);
    assert.ok(!text.includes('P-SECRET'));
    // The edits themselves carry values (that is their job); no notification — log, message, telemetry — does.
    const notified = JSON.stringify(lsp.client.notifications.filter((n) => n.method !== 'textDocument/publishDiagnostics'));
    assert.ok(!notified.includes('P-SECRET'), 'no secret in any log or message');
  });
});
