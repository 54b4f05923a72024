// "Show Merged Secrets Report (Masked)": a read-only text document with the merged view, masked.
import * as assert from 'node:assert/strict';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, waitFor } from './helpers';

const canaries = ['fixture-project', 'db.fixture.invalid', 'fixture-password-123', 'fixture-api-key-456', 'fixture-global-token-789', 'fixture-global-user', 'sqlite:///fixture.db'];

describe('merged secrets report', () => {
  before(activateExtension);
  afterEach(closeAllEditors);

  it('opens a masked, read-only report of every key and file', async () => {
    await vscode.commands.executeCommand('streamlitSecrets.showMergedSecretsReport');
    const editor = await waitFor('the report editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === 'streamlit-secrets-report' && active.document.getText().includes('Keys:') ? active : undefined;
    });
    const text = editor.document.getText();
    for (const canary of canaries) assert.ok(!text.includes(canary), `${canary} in the report`);
    assert.ok(!text.includes(`${homedir()}/`), 'the home folder is shortened to ~');
    assert.match(text, /1\. ~\/\.streamlit\/secrets\.toml \[global\] exists/);
    assert.match(text, /2\. \.streamlit\/secrets\.toml \[project \(\$CWD\)\] exists; NOT gitignored/);
    assert.match(text, /db \(table\) = \{ host = "••••••••", port = ••••••••, password = "••••••••" \}  \[from \.streamlit\/secrets\.toml; replaces it in ~\/\.streamlit\/secrets\.toml; sub-keys lost: db\.user\]/);
    assert.match(text, /global_token \(string\) = "••••••••"  \[from ~\/\.streamlit\/secrets\.toml; in os\.environ\]/);
    assert.match(text, /connections\.mydb\.url \(string\) = "••••••••"/);

    // A virtual document: there is no file behind it to save the report (or anything typed into it) to.
    assert.equal(editor.document.isUntitled, false);
    let saved: boolean;
    try {
      saved = await editor.document.save();
    } catch {
      saved = false;
    }
    assert.equal(saved, false);
  });
});
