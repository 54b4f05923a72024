// The harness itself: the extension under development is loaded into the VS Code being tested, the
// fixture workspace is open, and the global secrets fixture is in the server's HOME.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, fixtureUri, workspaceFolder } from './helpers';

describe('extension host', () => {
  it('loads the extension under development by its id', () => {
    const extension = vscode.extensions.all.find((candidate) => candidate.id === EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not among ${vscode.extensions.all.length} extensions`);
    assert.equal((extension.packageJSON as { name?: string }).name, 'streamlit-secrets');
  });

  it('runs a VS Code that satisfies engines.vscode', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const range = (extension?.packageJSON as { engines?: { vscode?: string } } | undefined)?.engines?.vscode ?? '';
    const minimum = /^\^?(\d+)\.(\d+)/.exec(range);
    assert.ok(minimum, `engines.vscode is ${JSON.stringify(range)}`);
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major === Number(minimum[1]) && (minor ?? 0) >= Number(minimum[2]), `VS Code ${vscode.version} does not satisfy ${range}`);
  });

  it('opens the fixture Streamlit project', async () => {
    assert.equal(vscode.workspace.workspaceFolders?.length, 1);
    const stat = await vscode.workspace.fs.stat(fixtureUri('.streamlit/secrets.toml'));
    assert.equal(stat.type, vscode.FileType.File);
    assert.ok(workspaceFolder().uri.fsPath.length > 0);
  });

  it('gives the extension host a HOME holding the global secrets fixture', () => {
    assert.ok(existsSync(join(homedir(), '.streamlit', 'secrets.toml')), `no global secrets file under ${homedir()}`);
  });

  it('activates', async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
  });
});
