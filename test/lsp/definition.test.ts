import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionRequest, DocumentSymbolRequest, type DocumentSymbol, type Location } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import type { TempTree } from '../helpers/tempProject';
import { requestAt, startProject, type LspProject } from '../helpers/lspProject';
import { assertNoCanary, globalSecrets, projectSecrets } from './secretsFixtures';

describe('go to definition and outline over LSP (spawned server)', () => {
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
  async function definitions(marked: string): Promise<{ file: string; line: number; character: number }[]> {
    const result = await requestAt(client, project.path(`def${counter++}.py`), marked, (uri, position) =>
      client.request<Location[] | null>(DefinitionRequest.method, { textDocument: { uri }, position }),
    );
    return (result ?? []).map((location) => ({
      file: location.uri === fileUri(home.path('.streamlit', 'secrets.toml')) ? 'global' : location.uri === fileUri(project.path('.streamlit', 'secrets.toml')) ? 'project' : location.uri,
      line: location.range.start.line,
      character: location.range.start.character,
    }));
  }

  test('from st.secrets.db.password to the key in the winning file', async () => {
    assert.deepEqual(await definitions('import streamlit as st\nst.secrets.db.pass|word'), [{ file: 'project', line: 7, character: 0 }]);
  });

  test('only the winning definition, never the shadowed ones (VS Code would list their lines, values included)', async () => {
    assert.deepEqual(await definitions('import streamlit as st\nst.secrets["db"]["us|er"]'), [{ file: 'project', line: 6, character: 0 }]);
    assert.deepEqual(await definitions('import streamlit as st\nst.secrets.d|b'), [{ file: 'project', line: 5, character: 1 }]);
  });

  test('a key lost by the shallow merge still leads to the file that defines it', async () => {
    assert.deepEqual(await definitions('import streamlit as st\nst.secrets.db.po|rt'), [{ file: 'global', line: 3, character: 0 }]);
  });

  test('os.environ, os.getenv, .get() and st.connection', async () => {
    assert.deepEqual(await definitions('import os\nos.environ["global_o|nly"]'), [{ file: 'global', line: 0, character: 0 }]);
    assert.deepEqual(await definitions('import os\nos.getenv("api_k|ey")'), [{ file: 'project', line: 0, character: 0 }]);
    assert.deepEqual(await definitions('import streamlit as st\nst.secrets.get("my-k|ey")'), [{ file: 'project', line: 1, character: 0 }]);
    assert.deepEqual(await definitions('import streamlit as st\nst.connection("wareh|ouse")'), [{ file: 'global', line: 4, character: 13 }]);
    assert.deepEqual(await definitions('import streamlit as st\nst.secrets.nope|'), []);
  });

  test('outline of a secrets file: nested keys with types, no values', async () => {
    const uri = await client.open(project.path('.streamlit', 'secrets.toml'), projectSecrets);
    const symbols = await client.request<DocumentSymbol[]>(DocumentSymbolRequest.method, { textDocument: { uri } });
    await client.close(uri);
    const names = (list: DocumentSymbol[] | undefined): string[] => (list ?? []).map((s) => s.name);
    assert.deepEqual(names(symbols), ['api_key', 'my-key', 'items', 'debug', 'servers', 'db']);
    const db = symbols.find((s) => s.name === 'db')!;
    assert.deepEqual(names(db.children), ['user', 'password', 'options']);
    assert.deepEqual(names(db.children!.find((s) => s.name === 'options')!.children), ['sslmode']);
    assert.equal(symbols[0]!.detail, 'string');
    assert.equal(db.range.start.line, 5);
    assert.ok(db.range.end.line >= 9, 'the table range covers its sub-tables');
    assertNoCanary(JSON.stringify(symbols), 'outline');
  });
});
