// A read of a key that no secrets file provides is reported where Streamlit would raise at runtime.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, appendLine, closeAllEditors, openFixture, waitFor } from './helpers';

describe('diagnostics', () => {
  before(async () => {
    await activateExtension();
  });
  afterEach(closeAllEditors);

  it('reports st.secrets["no_such_key"] and nothing for existing keys', async () => {
    const editor = await openFixture('app.py');
    await appendLine(editor, 'token = st.secrets["no_such_key"]');
    const diagnostics = await waitFor('a diagnostic on no_such_key', () => {
      const found = vscode.languages.getDiagnostics(editor.document.uri);
      return found.some((d) => editor.document.getText(d.range).includes('no_such_key')) ? found : undefined;
    });
    const missing = diagnostics.find((d) => editor.document.getText(d.range).includes('no_such_key'));
    assert.equal(missing?.severity, vscode.DiagnosticSeverity.Error);
    // The fixture's existing accesses (db.password, api.key, db.host) are not reported.
    const others = diagnostics.filter((d) => d !== missing && /password|api|host/.test(editor.document.getText(d.range)));
    assert.deepEqual(others.map((d) => d.message), []);
  });
});
