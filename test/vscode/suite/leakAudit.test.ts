// Leak audit of what the CLIENT writes: the output channel and the protocol trace channel (with
// trace set to verbose), every notification shown, every label, description and tooltip of the
// merged view, virtual documents the commands open, and every diagnostic — while the fixture's
// values go through every feature at every token. The fixture's values are the canaries; the
// explicit reveal is the one place a value may appear, and it does, once.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MergedSecretsNode, MergedSecretsTreeProvider } from '../../../client/src/views/mergedSecretsView';
import type { PreviewPresenter } from '../../../client/src/commands/copyForCommunityCloud';
import type { RevealPresenter } from '../../../client/src/commands/revealValue';
import { activateExtension, closeAllEditors, fixtureUri, hoverText, invokeLanguageModelTool, openFixture, waitFor } from './helpers';

const canaries = ['fixture-password-123', 'fixture-api-key-456', 'fixture-global-token-789', 'fixture-global-user', 'shadowed-by-project.invalid', 'db.fixture.invalid', 'sqlite:///fixture.db'];

interface Api {
  client: { outputChannel: vscode.OutputChannel; traceOutputChannel: vscode.OutputChannel };
  mergedSecretsView?: { provider: MergedSecretsTreeProvider };
  setRevealPresenter?(presenter: RevealPresenter | undefined): void;
  setCommunityCloudPresenter?(presenter: PreviewPresenter | undefined): void;
}

type Recorded = { where: string; text: string };

/** Wraps the write methods of a channel so that everything written to it is also recorded. */
function record(channel: vscode.OutputChannel, where: string, into: Recorded[]): () => void {
  const target = channel as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  for (const method of ['append', 'appendLine', 'replace']) {
    const original = target[method]!;
    originals.set(method, original);
    target[method] = function (this: unknown, ...args: unknown[]) {
      into.push({ where: `${where}.${method}`, text: String(args[0]) });
      return original.apply(this, args);
    };
  }
  return () => {
    for (const [method, original] of originals) target[method] = original;
  };
}

function treeItemText(item: vscode.TreeItem): string {
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
  return [label, String(item.description ?? ''), tooltip, JSON.stringify(item.command?.arguments ?? [])].join('\n');
}

async function walk(provider: MergedSecretsTreeProvider, nodes?: MergedSecretsNode[], depth = 0): Promise<string[]> {
  const texts: string[] = [];
  for (const node of nodes ?? (await provider.getChildren())) {
    texts.push(treeItemText(provider.getTreeItem(node)));
    if (depth < 8) texts.push(...(await walk(provider, await provider.getChildren(node), depth + 1)));
  }
  return texts;
}

function tokenPositions(document: vscode.TextDocument): vscode.Position[] {
  const positions: vscode.Position[] = [];
  for (let line = 0; line < document.lineCount; line++) {
    for (const match of document.lineAt(line).text.matchAll(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)) positions.push(new vscode.Position(line, match.index));
  }
  return positions;
}

describe('leak audit: what the client writes', () => {
  const written: Recorded[] = [];
  const restore: (() => void)[] = [];
  let api: Api;
  let traceLinesBefore = 0;

  before(async () => {
    api = (await activateExtension()).exports as Api;
    assert.ok(api.client.outputChannel, 'the language client has no output channel');
    restore.push(record(api.client.outputChannel, 'output', written));
    // The trace channel is a redacting wrapper: record what it lets through to the real channel.
    const trace = api.client.traceOutputChannel as vscode.OutputChannel & { redactedInto?: vscode.OutputChannel };
    assert.ok(trace?.redactedInto, 'the protocol trace channel is not the redacting one');
    restore.push(record(trace.redactedInto, 'trace', written));
    traceLinesBefore = written.length;
    // Notifications: the extension and this suite share one `vscode` API object (same extension).
    const window = vscode.window as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const method of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage']) {
      const original = window[method]!;
      window[method] = (...args: unknown[]) => {
        written.push({ where: method, text: args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') });
        return original.apply(vscode.window, args);
      };
      restore.push(() => (window[method] = original));
    }
    await vscode.workspace.getConfiguration('streamlitSecrets').update('trace.server', 'verbose', vscode.ConfigurationTarget.Workspace);
    // VS Code's own word-based completion offers words of open documents (the secrets file's
    // values included): that is the editor, not this extension, so it is off for the audit.
    await vscode.workspace.getConfiguration('editor').update('wordBasedSuggestions', 'off', vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    for (const undo of restore) undo();
    await vscode.workspace.getConfiguration('streamlitSecrets').update('trace.server', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('editor').update('wordBasedSuggestions', undefined, vscode.ConfigurationTarget.Workspace);
    await closeAllEditors();
  });

  function assertClean(texts: Recorded[], what: string): void {
    for (const { where, text } of texts) {
      for (const canary of canaries) assert.ok(!text.includes(canary), `${what}: ${where} shows the secret value ${canary}`);
    }
  }

  it('every feature at every token, a syntax error on a secret line, every view and command: no value shown', async function () {
    this.timeout(240_000);
    const files = ['app.py', 'pages/1_Report.py', '.streamlit/secrets.toml'];
    const probes: Recorded[] = [];
    for (const file of files) {
      const editor = await openFixture(file);
      const uri = editor.document.uri;
      await waitFor(`diagnostics or a completion for ${file}`, async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(0, 0));
        return list ? true : undefined;
      });
      for (const position of tokenPositions(editor.document)) {
        for (const command of ['vscode.executeHoverProvider', 'vscode.executeCompletionItemProvider', 'vscode.executeDefinitionProvider', 'vscode.executeReferenceProvider']) {
          const result = await vscode.commands.executeCommand(command, uri, position);
          // MarkdownString keeps its text in a getter that JSON.stringify does not see.
          const text = command === 'vscode.executeHoverProvider' ? hoverText(result as vscode.Hover[]) : JSON.stringify(result, (_key, value: unknown) => (value instanceof vscode.MarkdownString ? value.value : value));
          probes.push({ where: `${command} ${file}:${position.line}:${position.character}`, text: text ?? '' });
        }
      }
      probes.push({ where: `symbols ${file}`, text: JSON.stringify(await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri)) ?? '' });
      for (let line = 0; line < editor.document.lineCount; line++) {
        const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, editor.document.lineAt(line).range);
        probes.push({ where: `code actions ${file}:${line}`, text: JSON.stringify(actions) ?? '' });
      }
    }
    // A syntax error typed onto the line holding the password (unsaved buffer).
    const secrets = await openFixture('.streamlit/secrets.toml');
    const line = secrets.document.getText().split('\n').findIndex((text) => text.includes('fixture-password-123'));
    const syntaxError = (d: vscode.Diagnostic): boolean => String(typeof d.code === 'object' ? d.code.value : d.code) === 'toml-syntax';
    const garbage = ' garbage = = "';
    const insertedAt = secrets.document.lineAt(line).range.end;
    await secrets.edit((edit) => edit.insert(insertedAt, garbage));
    await waitFor('a syntax-error diagnostic on the edited secrets file', () =>
      vscode.languages.getDiagnostics(secrets.document.uri).some((d) => d.range.start.line === line && syntaxError(d)) ? true : undefined,
    );
    for (const command of ['streamlitSecrets.refreshMergedSecrets', 'streamlitSecrets.showMergedSecrets', 'streamlitSecrets.showMergedSecretsReport', 'streamlitSecrets.toggleMasking', 'streamlitSecrets.toggleMasking', 'streamlitSecrets.revealValue']) {
      try {
        await Promise.race([vscode.commands.executeCommand(command), new Promise((resolve) => setTimeout(resolve, 5000))]);
      } catch {
        // a command not registered yet is not a leak
      }
    }
    // Documents the commands opened (a report is a virtual or untitled document).
    const virtual = vscode.workspace.textDocuments.filter((document) => document.uri.scheme !== 'file');
    probes.push(...virtual.map((document) => ({ where: `document ${document.uri.toString()}`, text: document.getText() })));
    const diagnostics = vscode.languages.getDiagnostics().flatMap(([uri, list]) => list.map((d) => ({ where: `diagnostic ${uri.path}`, text: `${d.message} ${JSON.stringify(d.relatedInformation ?? [])}` })));
    assert.ok(diagnostics.length > 0, 'no diagnostics at all: the audit exercised nothing');
    const tree = api.mergedSecretsView ? (await walk(api.mergedSecretsView.provider)).map((text) => ({ where: 'merged view item', text })) : [];
    if (api.mergedSecretsView) assert.ok(tree.length > 3, 'the merged view showed nothing');
    // Restore the file for the suites after this one — by an edit of this document (a revert acts on
    // whichever editor is active) — and wait until the server has seen it: its syntax error is gone.
    const restore = new vscode.WorkspaceEdit();
    restore.delete(secrets.document.uri, new vscode.Range(insertedAt, insertedAt.translate(0, garbage.length)));
    assert.ok(await vscode.workspace.applyEdit(restore), 'the syntax error could not be removed');
    assert.ok(await secrets.document.save(), 'the restored secrets file could not be saved');
    assert.equal(secrets.document.isDirty, false);
    await waitFor('the server to see the restored secrets file', () =>
      vscode.languages.getDiagnostics(secrets.document.uri).some(syntaxError) ? undefined : true,
    );

    // Verbose tracing was on: the trace channel received header lines (so it was audited, not idle).
    assert.ok(written.slice(traceLinesBefore).some((w) => w.where.startsWith('trace.')), 'nothing reached the trace channel: verbose trace was not exercised');
    assertClean(written, 'channels and notifications');
    assertClean(probes, 'feature answers and documents');
    assertClean(diagnostics, 'diagnostics');
    assertClean(tree, 'the merged view');
    assert.ok(probes.some((p) => p.where.startsWith('vscode.executeHoverProvider') && p.text.includes('••••')), 'no masked hover: hovers were not exercised');
    console.log(`client leak audit: ${written.length} channel/notification writes, ${probes.length} answers, ${diagnostics.length} diagnostics, ${tree.length} view items: no value`);
  });

  it('the language model tools\' answers (what an agent is given) and what invoking them writes: no value', async function () {
    const before = written.length;
    const answers: Recorded[] = [];
    for (const name of ['streamlit_secrets_keys', 'streamlit_secrets_check']) {
      for (const input of [{}, { path: 'app.py' }, { path: '.streamlit/secrets.toml' }, { path: 'pages' }]) {
        const text = await invokeLanguageModelTool(name, input);
        if (text === undefined) {
          console.log(`VS Code ${vscode.version} has no vscode.lm tools API: no tool answers to audit`);
          this.skip();
        }
        answers.push({ where: `${name} ${JSON.stringify(input)}`, text });
      }
    }
    assert.ok(answers.some((answer) => answer.text.includes('st.secrets[\\"db\\"][\\"password\\"]')), 'the keys answer was exercised');
    assertClean(answers, 'a language model tool answer');
    assertClean(written.slice(before), 'channels and notifications while tools ran');
  });

  it('Copy Secrets for Community Cloud: the values reach the clipboard only, never a channel, the trace or a notification', async function () {
    if (!api.setCommunityCloudPresenter) this.skip();
    this.timeout(60_000);
    let confirmed = 0;
    api.setCommunityCloudPresenter!(async () => {
      confirmed++;
      return true;
    });
    try {
      const before = written.length;
      await vscode.commands.executeCommand('streamlitSecrets.copyForCommunityCloud', fixtureUri('app.py'));
      assert.equal(confirmed, 1);
      assert.ok((await vscode.env.clipboard.readText()).includes('fixture-password-123'), 'the export reached the clipboard');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = written.slice(before);
      assert.ok(after.some(({ where, text }) => where === 'showInformationMessage' && /Copied \d+ keys of app\.py for Community Cloud/.test(text)), 'the copy was announced');
      assertClean(after, 'after the Community Cloud copy, channels, trace and notifications');
    } finally {
      api.setCommunityCloudPresenter!(undefined);
      await vscode.env.clipboard.writeText('');
    }
  });

  it('the explicit reveal is the only place the value appears, and it is not logged', async function () {
    if (!api.setRevealPresenter) this.skip();
    const shown: string[] = [];
    api.setRevealPresenter!(async (_path, text) => {
      shown.push(text);
    });
    try {
      const before = written.length;
      await vscode.commands.executeCommand('streamlitSecrets.revealValue', { uri: fixtureUri('app.py').toString(), path: ['db', 'password'] });
      assert.deepEqual(shown.length, 1);
      assert.ok(shown[0]!.includes('fixture-password-123'), `reveal showed ${shown[0]}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assertClean(written.slice(before), 'after the reveal, channels and notifications');
    } finally {
      api.setRevealPresenter!(undefined);
    }
  });
});
