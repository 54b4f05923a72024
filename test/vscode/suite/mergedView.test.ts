// The "Streamlit Secrets" Explorer view: which file won each key, with masked values, nested keys,
// the chain of files, a click opening the definition, live updates, and reveal on request only.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RevealValueRequestMethod } from '../../../common/protocol';
import type { MergedSecretsNode, MergedSecretsTreeProvider } from '../../../client/src/views/mergedSecretsView';
import type { RevealPresenter } from '../../../client/src/commands/revealValue';
import { activateExtension, closeAllEditors, fixtureUri, openFixture, waitFor, workspaceFolder } from './helpers';

interface Api {
  client: { sendRequest(method: string, params: unknown): Promise<unknown> };
  mergedSecretsView: { provider: MergedSecretsTreeProvider; treeView: vscode.TreeView<MergedSecretsNode> };
  setRevealPresenter(presenter: RevealPresenter | undefined): void;
}

const canaries = ['fixture-project', 'db.fixture.invalid', 'fixture-password-123', 'fixture-api-key-456', 'fixture-global-token-789', 'fixture-global-user', 'shadowed-by-project.invalid', 'sqlite:///fixture.db'];

async function api(): Promise<Api> {
  return (await activateExtension()).exports as Api;
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** The tooltip as the user reads it (markdown escapes removed). */
function tooltipOf(item: vscode.TreeItem): string {
  return typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '').replace(/\\(.)/g, '$1');
}

/** The top-level nodes of the fixture workspace's app (the view flattens a single app). */
async function appNodes(provider: MergedSecretsTreeProvider): Promise<MergedSecretsNode[]> {
  const roots = await provider.getChildren();
  const folderApp = roots.find((node) => node.kind === 'app' && node.app.app.id === workspaceFolder().uri.toString());
  return folderApp ? provider.getChildren(folderApp) : roots;
}

async function findByLabel(provider: MergedSecretsTreeProvider, nodes: MergedSecretsNode[], label: string): Promise<{ node: MergedSecretsNode; item: vscode.TreeItem }> {
  for (const node of nodes) {
    const item = provider.getTreeItem(node);
    if (labelOf(item) === label) return { node, item };
  }
  throw new Error(`no ${label} among ${nodes.map((node) => labelOf(provider.getTreeItem(node))).join(', ')}`);
}

/** Every tree item, depth first. */
async function walk(provider: MergedSecretsTreeProvider, nodes?: MergedSecretsNode[]): Promise<vscode.TreeItem[]> {
  const items: vscode.TreeItem[] = [];
  for (const node of nodes ?? (await provider.getChildren())) {
    items.push(provider.getTreeItem(node));
    items.push(...(await walk(provider, await provider.getChildren(node))));
  }
  return items;
}

describe('merged secrets view', () => {
  let provider: MergedSecretsTreeProvider;

  before(async () => {
    provider = (await api()).mergedSecretsView.provider;
    provider.refresh();
  });
  afterEach(closeAllEditors);

  it('lists every merged top-level key in Streamlit order, after the Files node and the modelled version', async () => {
    const labels = await waitFor('the keys of the merged secrets', async () => {
      provider.refresh();
      const found = (await appNodes(provider)).map((node) => labelOf(provider.getTreeItem(node)));
      return found.includes('connections') ? found : undefined;
    });
    // After Files: the modelled Streamlit version (nothing pins one in the fixture), then the keys.
    assert.deepEqual(labels, ['Files', 'Streamlit version: unknown (the newest Streamlit rules apply)', 'global_token', 'db', 'title', 'api', 'connections']);
  });

  it('shows the winner, the hidden file, the lost sub-keys and env export, values masked', async () => {
    const nodes = await appNodes(provider);
    const db = await findByLabel(provider, nodes, 'db');
    assert.match(String(db.item.description), /^\{ host = "••••••••", port = ••••••••, password = "••••••••" \} · \.streamlit\/secrets\.toml · replaces 1 key of the global file; 1 sub-key lost$/);
    const tooltip = tooltipOf(db.item);
    assert.match(tooltip, /Replaces the same key of: the global file ~\/\.streamlit\/secrets\.toml/);
    assert.match(tooltip, /Sub-keys of those files the app loses: db\.user/);
    assert.equal(db.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(db.item.contextValue ?? '', /secretValue/);
    assert.match(db.item.contextValue ?? '', /shadowing/);

    const token = await findByLabel(provider, nodes, 'global_token');
    assert.equal(token.item.description, '"••••••••" · ~/.streamlit/secrets.toml · in os.environ · local only');
    assert.match(tooltipOf(token.item), /os\.environ/);
    assert.match(tooltipOf(token.item), /Local only: a deployed app will not have this unless you add it to the app's Secrets/);
  });

  it('nested keys are children with masked values', async () => {
    const db = await findByLabel(provider, await appNodes(provider), 'db');
    const children = await provider.getChildren(db.node);
    assert.deepEqual(children.map((node) => labelOf(provider.getTreeItem(node))), ['host', 'port', 'password']);
    const password = await findByLabel(provider, children, 'password');
    assert.equal(password.item.description, '"••••••••"');
    assert.match(password.item.contextValue ?? '', /secretValue/);
    const connections = await findByLabel(provider, await appNodes(provider), 'connections');
    const mydb = await findByLabel(provider, await provider.getChildren(connections.node), 'mydb');
    assert.deepEqual((await provider.getChildren(mydb.node)).map((node) => labelOf(provider.getTreeItem(node))), ['dialect', 'url']);
  });

  it('never shows a value anywhere in the tree (labels, descriptions, tooltips)', async () => {
    const items = await walk(provider);
    assert.ok(items.length >= 15, `${items.length} items`);
    for (const item of items) {
      const text = `${labelOf(item)} ${String(item.description ?? '')} ${tooltipOf(item)}`;
      for (const canary of canaries) assert.ok(!text.includes(canary), `${canary} shown in ${text}`);
    }
  });

  it('the Files node lists the chain in reading order with its state', async () => {
    const files = await findByLabel(provider, await appNodes(provider), 'Files');
    assert.match(String(files.item.description), /^2 of 2 exist/);
    const children = await provider.getChildren(files.node);
    const items = children.map((node) => provider.getTreeItem(node));
    assert.deepEqual(items.map(labelOf), ['~/.streamlit/secrets.toml', '.streamlit/secrets.toml']);
    assert.match(String(items[0]!.description), /^1\. global · /);
    assert.match(String(items[1]!.description), /^2\. project \(\$CWD\) · /);
    // The fixture workspace is no git repository and has no .gitignore: the project file is not ignored.
    assert.match(String(items[1]!.description), /not gitignored/);
    assert.equal(items[1]!.command?.command, 'vscode.open');
  });

  it('clicking a key opens its definition in the winning file', async () => {
    const db = await findByLabel(provider, await appNodes(provider), 'db');
    const password = await findByLabel(provider, await provider.getChildren(db.node), 'password');
    const command = password.item.command;
    assert.ok(command, 'the item has a command');
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = await waitFor('the secrets file in an editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === fixtureUri('.streamlit/secrets.toml').toString() ? active : undefined;
    });
    const line = editor.document.lineAt(editor.selection.active.line).text;
    assert.match(line, /^password = /);
    assert.equal(editor.selection.active.character, 0);
    // Opening a definition from the view is no reason to show the value there.
    const masking = (await api()) as unknown as { maskedRanges(uri: vscode.Uri): vscode.Range[] };
    const masked = masking.maskedRanges(editor.document.uri).map((range) => editor.document.getText(range));
    assert.ok(masked.includes('"fixture-password-123"'), `masked: ${masked.join(', ')}`);

    const token = await findByLabel(provider, await appNodes(provider), 'global_token');
    await vscode.commands.executeCommand(token.item.command!.command, ...(token.item.command!.arguments ?? []));
    const global = await waitFor('the global secrets file', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.path.endsWith('/.streamlit/secrets.toml') && active.document.uri.toString() !== fixtureUri('.streamlit/secrets.toml').toString() ? active : undefined;
    });
    assert.match(global.document.lineAt(global.selection.active.line).text, /^global_token = /);
  });

  it('updates live when a secrets file changes in the editor', async () => {
    const editor = await openFixture('.streamlit/secrets.toml');
    try {
      const changed = new Promise<void>((resolve) => {
        const subscription = provider.onDidChangeTreeData(() => {
          subscription.dispose();
          resolve();
        });
      });
      // At the top, before any table header, so that it is a top-level key.
      const applied = await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'added_key = "fixture-added-999"\n'));
      assert.ok(applied);
      await changed;
      await waitFor('added_key in the view', async () => {
        const found = (await appNodes(provider)).map((node) => labelOf(provider.getTreeItem(node)));
        return found.includes('added_key') ? found : undefined;
      });
      const added = await findByLabel(provider, await appNodes(provider), 'added_key');
      assert.equal(added.item.description, '"••••••••" · .streamlit/secrets.toml · in os.environ');
    } finally {
      // Never leave the fixture edited for the tests after this one: undo back to the saved text.
      await vscode.window.showTextDocument(editor.document);
      for (let tries = 0; tries < 5 && editor.document.getText().includes('added_key'); tries++) await vscode.commands.executeCommand('undo');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await waitFor('added_key gone after the revert', async () => {
      provider.refresh();
      const found = (await appNodes(provider)).map((node) => labelOf(provider.getTreeItem(node)));
      return found.includes('added_key') ? undefined : true;
    });
  });

  it('a file Streamlit cannot parse: the load error comes first, the file is marked, nothing quoted', async () => {
    const editor = await openFixture('.streamlit/secrets.toml');
    const original = editor.document.getText();
    try {
      const applied = await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'broken = "fixture-broken-777\n'));
      assert.ok(applied);
      const nodes = await waitFor('the load error in the view', async () => {
        provider.refresh();
        const found = await appNodes(provider);
        return found[0]?.kind === 'problem' ? found : undefined;
      });
      const problem = provider.getTreeItem(nodes[0]!);
      assert.match(labelOf(problem), /^Streamlit cannot load the secrets: \.streamlit\/secrets\.toml: .*line 2/);
      // The app gets no secrets: no key is listed as if it were available, and the app says so.
      assert.deepEqual(nodes.filter((node) => node.kind === 'key'), []);
      const roots = await provider.getChildren();
      const folderApp = roots.find((node) => node.kind === 'app' && node.app.app.id === workspaceFolder().uri.toString());
      if (folderApp) assert.match(String(provider.getTreeItem(folderApp).description), /cannot load: no secrets/);
      const files = await provider.getChildren((await findByLabel(provider, nodes, 'Files')).node);
      const projectFile = provider.getTreeItem(files[1]!);
      assert.match(String(projectFile.description), /· error: /);
      assert.match(projectFile.contextValue ?? '', /error/);
      for (const item of await walk(provider)) {
        const text = `${labelOf(item)} ${String(item.description ?? '')} ${tooltipOf(item)}`;
        assert.ok(!text.includes('fixture-broken-777'), text);
      }
    } finally {
      // Restore by an edit of this document and a save (undo and revert act on whichever editor is
      // active, which on a loaded machine may not be this one, and left later tests a broken file).
      const document = editor.document;
      const restore = new vscode.WorkspaceEdit();
      restore.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      assert.ok(await vscode.workspace.applyEdit(restore), 'the secrets file could not be restored');
      assert.ok(await document.save(), 'the restored secrets file could not be saved');
    }
    await waitFor('the load error gone after the undo', async () => {
      provider.refresh();
      return (await appNodes(provider))[0]?.kind === 'files' ? true : undefined;
    });
  });

  it('reveals one value only on request, through the presenter, never in the tree', async function () {
    const exports = await api();
    try {
      await exports.client.sendRequest(RevealValueRequestMethod, { uri: workspaceFolder().uri.toString(), path: ['db', 'password'] });
    } catch (error) {
      // The server side of reveal is another feature: wait for it.
      if ((error as { code?: number }).code === -32601) this.skip();
      throw error;
    }
    const shown: { keyPath: string; text: string }[] = [];
    exports.setRevealPresenter(async (keyPath, text) => {
      shown.push({ keyPath, text });
    });
    try {
      const db = await findByLabel(provider, await appNodes(provider), 'db');
      const password = await findByLabel(provider, await provider.getChildren(db.node), 'password');
      await vscode.commands.executeCommand('streamlitSecrets.revealValue', password.node);
      assert.equal(shown.length, 1);
      assert.equal(shown[0]!.keyPath, 'db.password');
      assert.match(shown[0]!.text, /fixture-password-123/);
      // The hover link form: { uri, path }.
      await vscode.commands.executeCommand('streamlitSecrets.revealValue', { uri: workspaceFolder().uri.toString(), path: ['api', 'key'] });
      assert.equal(shown.length, 2);
      assert.match(shown[1]!.text, /fixture-api-key-456/);
      // Nothing to reveal without a key.
      await vscode.commands.executeCommand('streamlitSecrets.revealValue');
      assert.equal(shown.length, 2);
    } finally {
      exports.setRevealPresenter(undefined);
    }
  });

  it('a folder with its own .streamlit/ becomes a second app root with its own chain', async () => {
    const appSecrets = fixtureUri('apps/shop/.streamlit/secrets.toml');
    await vscode.workspace.fs.writeFile(appSecrets, new TextEncoder().encode('title = "fixture-shop-title"\n'));
    try {
      const roots = await waitFor('two app roots', async () => {
        provider.refresh();
        const found = await provider.getChildren();
        return found.length === 2 && found.every((node) => node.kind === 'app') ? found : undefined;
      });
      const items = roots.map((node) => provider.getTreeItem(node));
      assert.deepEqual(items.map(labelOf), [workspaceFolder().name, 'apps/shop']);
      assert.match(String(items[1]!.description), /^app folder · /);
      const shop = await provider.getChildren(roots[1]);
      const title = await findByLabel(provider, shop, 'title');
      assert.match(String(title.item.description), /^"••••••••" · apps\/shop\/\.streamlit\/secrets\.toml · replaces 1 key of the (global|project) file · in os\.environ$/);
      const files = await provider.getChildren((await findByLabel(provider, shop, 'Files')).node);
      assert.deepEqual(files.map((node) => String(provider.getTreeItem(node).description).split(' · ')[0]), ['1. global', '2. project ($CWD)', '3. app folder']);
      // The workspace folder's own app does not see the shop's file.
      const main = await provider.getChildren(roots[0]);
      assert.match(String((await findByLabel(provider, main, 'title')).item.description), /· \.streamlit\/secrets\.toml/);
      for (const item of await walk(provider)) assert.ok(!String(item.description ?? '').includes('fixture-shop-title'));
    } finally {
      await vscode.workspace.fs.delete(fixtureUri('apps'), { recursive: true });
      provider.refresh();
    }
    await waitFor('back to one app', async () => ((await provider.getChildren()).some((node) => node.kind === 'app') ? undefined : true));
  });

  it('Show Merged Secrets focuses the view', async () => {
    const { treeView } = (await api()).mergedSecretsView;
    await vscode.commands.executeCommand('streamlitSecrets.showMergedSecrets');
    await waitFor('the view to be visible', () => (treeView.visible ? true : undefined), 5000);
  });
});
