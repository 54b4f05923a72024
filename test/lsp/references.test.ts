import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FileChangeType, ReferencesRequest, type Location } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import type { TempTree } from '../helpers/tempProject';
import { requestAt, startProject, type LspProject } from '../helpers/lspProject';
import { globalSecrets, projectSecrets } from './secretsFixtures';

describe('find references over LSP (spawned server, background index)', () => {
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;

  before(async () => {
    lsp = await startProject({
      home: { '.streamlit/secrets.toml': globalSecrets },
      project: {
        '.streamlit/secrets.toml': projectSecrets,
        'app.py': 'import streamlit as st\npw = st.secrets.db.password\nuser = st.secrets["db"]["user"]\n',
        'pages/1_page.py': 'import os\nimport streamlit as st\nkey = os.environ["api_key"]\nif "password" in st.secrets.db:\n    pass\n',
        'node_modules/pkg/x.py': 'import streamlit as st\nst.secrets.db.password\n',
        '.venv/lib/y.py': 'import streamlit as st\nst.secrets.db.password\n',
        'other/.streamlit/secrets.toml': 'db = "other"\n',
        'other/app2.py': 'import streamlit as st\nst.secrets.db.password\n',
      },
    });
    ({ client, project } = lsp);
  });

  after(() => lsp.dispose());

  async function references(file: string, marked: string, includeDeclaration = false): Promise<string[]> {
    const result = await requestAt(client, file, marked, (uri, position) =>
      client.request<Location[] | null>(ReferencesRequest.method, { textDocument: { uri }, position, context: { includeDeclaration } }),
    );
    return (result ?? [])
      .map((l) => `${l.uri.slice(fileUri(project.root).length + 1)}:${l.range.start.line}:${l.range.start.character}`)
      .sort();
  }

  const secretsFile = (): string => project.path('.streamlit', 'secrets.toml');

  test('from a key in a secrets file to every read in the app, from files never opened', async () => {
    const found = await client.poll(async () => {
      const refs = await references(secretsFile(), projectSecrets.replace('password', 'pass|word'));
      return refs.length >= 2 ? refs : undefined;
    }, 10000, 'indexed references');
    // app.py attribute read, pages/1_page.py membership test, other/app2.py (its app reads this file
    // too, though its own file hides db); never node_modules/ or .venv/.
    assert.deepEqual(found, ['app.py:1:19', 'other/app2.py:1:14', 'pages/1_page.py:3:4']);
    // From the other app's own secrets file: only that app's read (app.py does not read it).
    const other = await references(project.path('other', '.streamlit', 'secrets.toml'), 'd|b = "other"\n');
    assert.deepEqual(other, ['other/app2.py:1:11']);
  });

  test('table keys and env reads; never the declarations, even when asked for them', async () => {
    // A declaration's line holds its value, and VS Code lists each location with its line's text.
    const db = await references(secretsFile(), projectSecrets.replace('[db]', '[d|b]'), true);
    assert.deepEqual(db, ['app.py:1:16', 'app.py:2:19', 'other/app2.py:1:11', 'pages/1_page.py:3:28']);
    const password = await references(secretsFile(), projectSecrets.replace('password', 'pass|word'), true);
    assert.ok(password.length > 0 && password.every((location) => location.split(':')[0]!.endsWith('.py')), `Python reads only: ${password.join(', ')}`);
    const api = await references(secretsFile(), projectSecrets.replace('api_key', 'api_|key'));
    assert.deepEqual(api, ['pages/1_page.py:2:18']);
  });

  test('kept fresh: an open buffer wins, watched-file events add and remove files', async () => {
    const uri = await client.open(project.path('app.py'), 'import streamlit as st\n\n\nx = st.secrets.db.password\n');
    const withBuffer = await references(secretsFile(), projectSecrets.replace('password', 'pass|word'));
    assert.deepEqual(withBuffer, ['app.py:3:18', 'other/app2.py:1:14', 'pages/1_page.py:3:4']);
    await client.close(uri);

    project.write({ 'new_page.py': 'import streamlit as st\nst.secrets.get("api_key")\n' });
    await client.filesChanged([{ uri: fileUri(project.path('new_page.py')), type: FileChangeType.Created }]);
    await client.poll(async () => {
      const refs = await references(secretsFile(), projectSecrets.replace('api_key', 'api_|key'));
      return refs.includes('new_page.py:1:16') ? refs : undefined;
    }, 5000, 'created file indexed');
    project.remove('new_page.py');
    await client.filesChanged([{ uri: fileUri(project.path('new_page.py')), type: FileChangeType.Deleted }]);
    await client.poll(async () => {
      const refs = await references(secretsFile(), projectSecrets.replace('api_key', 'api_|key'));
      return !refs.includes('new_page.py:1:16') ? refs : undefined;
    }, 5000, 'deleted file dropped');
  });

  test('from a read in Python: every read of the same key in the chain', async () => {
    const refs = await references(project.path('scratch.py'), 'import streamlit as st\nst.secrets.db.pass|word\n');
    assert.deepEqual(refs, ['app.py:1:19', 'other/app2.py:1:14', 'pages/1_page.py:3:4', 'scratch.py:1:14']);
  });
});
