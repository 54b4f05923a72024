// Go to definition from an access to the key in the secrets file that provides it, references
// back from the secrets file, and the outline of a secrets file.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, fixtureUri, openFixture, positionOf, skipUnlessServerOffers, waitFor } from './helpers';

function targetOf(location: vscode.Location | vscode.LocationLink): { uri: vscode.Uri; range: vscode.Range } {
  return 'targetUri' in location ? { uri: location.targetUri, range: location.targetSelectionRange ?? location.targetRange } : location;
}

describe('navigation', () => {
  before(async () => {
    await activateExtension();
  });
  afterEach(closeAllEditors);

  it('goes from st.secrets.db.host to host in the project secrets file', async function () {
    await skipUnlessServerOffers(this, 'definitionProvider');
    const editor = await openFixture('app.py');
    const position = positionOf(editor.document, 'db.host', 4);
    const locations = await waitFor('a definition for st.secrets.db.host', async () => {
      const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', editor.document.uri, position);
      return found && found.length > 0 ? found.map(targetOf) : undefined;
    });
    const secrets = fixtureUri('.streamlit/secrets.toml');
    // One location (the global file's shadowed host is not listed), into the masked copy of the
    // project file: Peek and the Ctrl+hover preview draw that copy's lines, never a value.
    assert.equal(locations.length, 1, `one definition: ${locations.map((l) => l.uri.toString()).join(', ')}`);
    const inProject = locations[0]!;
    assert.equal(inProject.uri.scheme, 'streamlit-secrets-masked');
    assert.equal(inProject.uri.path, secrets.path);
    const document = await vscode.workspace.openTextDocument(inProject.uri);
    const line = document.lineAt(inProject.range.start.line).text;
    assert.match(line, /^host\s*=/, `the definition points at ${JSON.stringify(line)}`);
    assert.equal(document.getText(inProject.range), 'host');
    for (const value of ['db.fixture.invalid', 'fixture-password-123', 'fixture-api-key-456', '5432']) assert.ok(!document.getText().includes(value), `the masked copy shows ${value}`);
    // Opened in an editor (F12 does that), the masked copy gives way to the real file, masked as usual.
    await vscode.window.showTextDocument(document, { selection: inProject.range });
    const real = await waitFor('the real secrets file in place of the masked copy', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === secrets.toString() ? active : undefined;
    });
    assert.equal(real.document.getText(real.selection), 'host');
    assert.ok(!vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'streamlit-secrets-masked')), 'the masked copy is closed');
    // The project's [db] comes after the [db] header, not the global file's host.
    assert.ok(inProject.range.start.line > positionOf(document, '[db]').line);
  });

  it('finds the accesses of a secrets key from the secrets file', async function () {
    await skipUnlessServerOffers(this, 'referencesProvider');
    const editor = await openFixture('.streamlit/secrets.toml');
    const position = positionOf(editor.document, 'password =', 2);
    const locations = await waitFor('references to db.password', async () => {
      const found = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', editor.document.uri, position);
      return found?.some((location) => location.uri.path.endsWith('/app.py')) ? found : undefined;
    });
    assert.ok(locations.some((location) => location.uri.path.endsWith('/app.py')));
  });

  it('outlines a secrets file by its tables and keys', async function () {
    await skipUnlessServerOffers(this, 'documentSymbolProvider');
    const uri = fixtureUri('.streamlit/secrets.toml');
    await vscode.workspace.openTextDocument(uri);
    const names = await waitFor('document symbols of secrets.toml', async () => {
      const symbols = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>('vscode.executeDocumentSymbolProvider', uri);
      const flat: string[] = [];
      const visit = (symbol: vscode.DocumentSymbol | vscode.SymbolInformation): void => {
        flat.push(symbol.name);
        if ('children' in symbol) symbol.children.forEach(visit);
      };
      (symbols ?? []).forEach(visit);
      return flat.length > 0 ? flat : undefined;
    });
    for (const name of ['db', 'api', 'password']) assert.ok(names.some((n) => n === name || n.endsWith(`.${name}`)), `"${name}" missing from the outline: ${names.join(', ')}`);
  });
});
