// Hovering an access shows where the value comes from with the value masked, never in clear.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, hoverText, openFixture, positionOf, skipUnlessServerOffers, waitFor } from './helpers';

describe('hover', () => {
  before(async () => {
    await activateExtension();
  });
  afterEach(closeAllEditors);

  it('shows a masked value for st.secrets["db"]["password"]', async function () {
    await skipUnlessServerOffers(this, 'hoverProvider');
    const editor = await openFixture('app.py');
    const position = positionOf(editor.document, '"password"', 3);
    const text = await waitFor('a hover on "password"', async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      const joined = hoverText(hovers);
      return joined.includes('password') ? joined : undefined;
    });
    assert.ok(text.includes('••••'), `no mask in hover: ${text}`);
    assert.ok(!text.includes('fixture-password-123'), `hover reveals the value: ${text}`);
  });
});
