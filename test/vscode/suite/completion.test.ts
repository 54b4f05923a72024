// Completion on `st.secrets.` through VS Code's own command, which asks every provider (ours is the
// language server behind the extension).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, appendLine, closeAllEditors, completionLabels, openFixture, waitFor } from './helpers';

async function completeAt(editor: vscode.TextEditor, position: vscode.Position, expected: string): Promise<string[]> {
  return waitFor(`completion items including "${expected}"`, async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, position, '.');
    const labels = completionLabels(list);
    return labels.includes(expected) ? labels : undefined;
  });
}

describe('completion', () => {
  before(async () => {
    await activateExtension();
  });
  afterEach(closeAllEditors);

  it('offers the top-level keys of the project and global secrets after st.secrets.', async () => {
    const editor = await openFixture('app.py');
    const position = await appendLine(editor, 'st.secrets.');
    const labels = await completeAt(editor, position, 'db');
    for (const key of ['db', 'api', 'connections', 'title', 'global_token']) assert.ok(labels.includes(key), `"${key}" missing from ${labels.join(', ')}`);
  });

  it('offers the sub-keys of a table, with the project table replacing the global one', async () => {
    const editor = await openFixture('app.py');
    const position = await appendLine(editor, 'st.secrets.db.');
    const labels = await completeAt(editor, position, 'password');
    for (const key of ['host', 'port', 'password']) assert.ok(labels.includes(key), `"${key}" missing from ${labels.join(', ')}`);
    // Streamlit merges secrets files key by key at the top level: the project's [db] hides the global one.
    assert.ok(!labels.includes('user'), `"user" (only in the global [db]) should be shadowed: ${labels.join(', ')}`);
  });

  it('offers keys inside st.secrets["…"] subscripts', async () => {
    const editor = await openFixture('pages/1_Report.py');
    const position = await appendLine(editor, 'st.secrets["api"]["');
    const labels = await completeAt(editor, position, 'key');
    assert.ok(labels.includes('key'));
  });
});
