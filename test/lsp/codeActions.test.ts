import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CodeActionRequest, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseSecretsToml } from '../../server/src/toml/parseSecretsToml';
import { nodeAt } from '../../server/src/service/secretNodes';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import type { TempTree } from '../helpers/tempProject';
import { startProject, withProject, type LspProject } from '../helpers/lspProject';
import { globalSecrets, projectSecrets } from './secretsFixtures';

async function quickFixes(client: LspTestClient, uri: string, count = 1): Promise<{ diagnostics: Diagnostic[]; actions: CodeAction[] }> {
  const diagnostics = await client.waitFor(() => {
    const d = client.diagnostics.get(uri);
    return d !== undefined && d.length >= count ? d : undefined;
  }, 10000, 'diagnostics');
  const actions = await client.request<CodeAction[]>(CodeActionRequest.method, {
    textDocument: { uri },
    range: diagnostics[0]!.range,
    context: { diagnostics, only: ['quickfix'] },
  });
  return { diagnostics, actions };
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'toml', 0, text), edits);
}

describe('quick fixes over LSP (spawned server)', () => {
  let home: TempTree;
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;

  before(async () => {
    lsp = await startProject({ home: { '.streamlit/secrets.toml': globalSecrets }, project: { '.streamlit/secrets.toml': projectSecrets } });
    ({ client, home, project } = lsp);
  });

  after(() => lsp.dispose());

  let counter = 0;
  async function fixFor(code: string): Promise<CodeAction[]> {
    const uri = await client.open(project.path(`q${counter++}.py`), code);
    const { actions } = await quickFixes(client, uri);
    await client.close(uri);
    return actions;
  }

  /** Applies the action's edit to the file on disk (in memory) and parses the result. */
  function resultOf(action: CodeAction, filePath: string): string {
    const edits = action.edit?.changes?.[fileUri(filePath)];
    assert.ok(edits, `no edit for ${filePath}: ${JSON.stringify(action)}`);
    return applyEdits(fs.readFileSync(filePath, 'utf8'), edits);
  }

  test('adds a missing root key to the project file, before the first table, with an empty value', async () => {
    const [action] = await fixFor('import streamlit as st\nst.secrets.new_token\n');
    assert.equal(action!.title, 'Add "new_token" to .streamlit/secrets.toml');
    const after = resultOf(action!, project.path('.streamlit', 'secrets.toml'));
    const parsed = parseSecretsToml(after);
    assert.equal(parsed.streamlitError, undefined);
    assert.deepEqual(nodeAt(parsed.root, ['new_token']), { kind: 'string', value: '' });
    assert.match(after, /new_token = ""  # TODO/);
    // Then the file opens with the new empty value selected.
    assert.equal(action!.command?.command, 'streamlitSecrets.showSecretsFileRange');
    const { uri, range } = action!.command!.arguments![0] as { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
    assert.equal(uri, fileUri(project.path('.streamlit', 'secrets.toml')));
    const line = after.split('\n')[range.start.line]!;
    assert.equal(range.start.line, range.end.line);
    assert.equal(line.slice(range.start.character, range.end.character), '""');
    assert.ok(line.startsWith('new_token = '), line);
  });

  test('adds a nested key under the existing [db] header, and a new [table] when needed', async () => {
    const [action] = await fixFor('import streamlit as st\nst.secrets["db"]["token"]\n');
    const after = resultOf(action!, project.path('.streamlit', 'secrets.toml'));
    assert.deepEqual(nodeAt(parseSecretsToml(after).root, ['db', 'token']), { kind: 'string', value: '' });
    assert.match(after, /\[db\]\ntoken = ""/);
    const selected = (action!.command!.arguments![0] as { range: { start: { line: number; character: number } } }).range.start;
    assert.equal(after.split('\n')[selected.line]!.slice(0, selected.character), 'token = ');
    const [created] = await fixFor('import streamlit as st\nst.secrets.smtp.password\n');
    const withTable = resultOf(created!, project.path('.streamlit', 'secrets.toml'));
    assert.deepEqual(nodeAt(parseSecretsToml(withTable).root, ['smtp', 'password']), { kind: 'string', value: '' });
  });

  test('a key under a table the global file wins goes to the global file (a project table would hide the rest)', async () => {
    const [action] = await fixFor('import streamlit as st\nst.secrets.connections.warehouse.role\n');
    assert.equal(action!.title, 'Add "connections.warehouse.role" to ~/.streamlit/secrets.toml');
    const after = resultOf(action!, home.path('.streamlit', 'secrets.toml'));
    assert.deepEqual(nodeAt(parseSecretsToml(after).root, ['connections', 'warehouse', 'role']), { kind: 'string', value: '' });
  });

  test('rewrites attribute access as ["key"]', async () => {
    const uri = await client.open(project.path('rewrite.py'), 'import streamlit as st\nx = st.secrets.items\n');
    const { actions } = await quickFixes(client, uri);
    const rewrite = actions.find((a) => a.title === 'Rewrite as ["items"]');
    assert.ok(rewrite, JSON.stringify(actions));
    const text = applyEdits('import streamlit as st\nx = st.secrets.items\n', rewrite.edit!.changes![uri]!);
    assert.equal(text, 'import streamlit as st\nx = st.secrets["items"]\n');
    await client.close(uri);
  });
});

describe('quick fix without a project secrets file', () => {
  test('offers the createProjectSecretsFile command with { folderUri, addKey }', async () => {
    await withProject({ home: { '.streamlit/secrets.toml': globalSecrets } }, async ({ client, project }) => {
      const uri = await client.open(project.path('app.py'), 'import streamlit as st\nst.secrets.api.key\n');
      const { actions } = await quickFixes(client, uri);
      const create = actions.find((a) => a.command?.command === 'streamlitSecrets.createProjectSecretsFile');
      assert.ok(create, JSON.stringify(actions));
      assert.deepEqual(create.command!.arguments, [{ folderUri: fileUri(project.root), addKey: ['api', 'key'] }]);
    });
  });
});
