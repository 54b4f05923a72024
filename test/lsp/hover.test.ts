import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HoverRequest, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import { RevealValueRequestMethod, type RevealValueResult } from '../../common/protocol';
import { LspTestClient, fileUri, withCursor } from '../helpers/lspClient';
import type { TempTree } from '../helpers/tempProject';
import { requestAt, startProject, type LspProject } from '../helpers/lspProject';
import { assertNoCanary, globalSecrets, projectSecrets } from './secretsFixtures';

describe('hover over LSP (spawned server)', () => {
  let home: TempTree;
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;

  before(async () => {
    lsp = await startProject({
      home: { '.streamlit/secrets.toml': globalSecrets },
      project: { '.streamlit/secrets.toml': projectSecrets, 'app.py': 'import streamlit as st\n' },
    });
    ({ client, home, project } = lsp);
  });

  after(() => lsp.dispose());

  let counter = 0;
  async function hoverAt(marked: string, file = `page${counter++}.py`, languageId?: string): Promise<string> {
    const hover = await requestAt(
      client,
      project.path(file),
      marked,
      (uri, position) => client.request<Hover | null>(HoverRequest.method, { textDocument: { uri }, position }),
      languageId,
    );
    return hover === null ? '' : (hover.contents as MarkupContent).value;
  }

  test('st.secrets.db.password: masked value, type, providing file, hidden file and lost sub-keys', async () => {
    const text = await hoverAt('import streamlit as st\nst.secrets.db.pass|word');
    assert.match(text, /db\.password = "••••••••"/);
    assert.match(text, /`str`/);
    assert.match(text, /project file `\.streamlit\/secrets\.toml`/);
    assert.match(text, /command:streamlitSecrets\.revealValue\?/);
    const db = await hoverAt('import streamlit as st\nst.secrets.d|b.password');
    assert.match(db, /user = "••••••••"/, 'tables list their keys masked');
    assert.match(db, /Replaces `db` of the global file `~\/\.streamlit\/secrets\.toml`/);
    assert.match(db, /`db\.port`/, 'the sub-key lost by the shallow merge is named');
  });

  test('every access form gets a hover: subscript, .get, os.environ, os.getenv, st.connection', async () => {
    assert.match(await hoverAt('import streamlit as st\nst.secrets["db"]["pass|word"]'), /db\.password/);
    assert.match(await hoverAt('import streamlit as st\nst.secrets.get("api|_key")'), /Also in `os\.environ\["api_key"\]` once the secrets load/);
    assert.match(await hoverAt('import os\nimport streamlit as st\nos.environ["global|_only"]'), /global file `~\/\.streamlit\/secrets\.toml`/);
    assert.match(await hoverAt('import os\nimport streamlit as st\nos.getenv("api|_key")'), /api_key = "••••••••"/);
    assert.match(await hoverAt('import os\nimport streamlit as st\nos.getenv("deb|ug")'), /not set by Streamlit/);
    assert.match(await hoverAt('import streamlit as st\nst.connection("ware|house")'), /account = "••••••••"/);
  });

  test('a missing key says so and lists the files searched', async () => {
    const text = await hoverAt('import streamlit as st\nst.secrets.db.po|rt');
    assert.match(text, /— not in the secrets/);
    assert.match(text, /The global file `~\/\.streamlit\/secrets\.toml` defines it, but the project file `\.streamlit\/secrets\.toml` replaces the whole `db`/);
  });

  test('maskRevealCharacters applies to hovers', async () => {
    client.settings = { maskRevealCharacters: 2 };
    const { DidChangeConfigurationNotification } = await import('vscode-languageserver-protocol');
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
    // Only values of 12 characters or more (and 4x the prefix) show any: an open buffer adds one.
    const secretsUri = await client.open(project.path('.streamlit', 'secrets.toml'), `long_token = "p-canary-long-token-value"\n${projectSecrets}`);
    const text = await client.poll(async () => {
      const value = await hoverAt('import streamlit as st\nst.secrets.long|_token');
      return value.includes('"p-••••••••"') ? value : undefined;
    }, 5000, 'two revealed characters');
    assert.ok(!text.includes('p-canary'), text);
    const short = await hoverAt('import streamlit as st\nst.secrets.api|_key');
    assert.match(short, /api_key = "••••••••"/, 'nothing of a 10-character value');
    await client.close(secretsUri);
    client.settings = {};
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: {} });
  });

  test('on a key in a secrets file: wins or shadowed, by which file, lost sub-keys, env export', async () => {
    const globalFile = home.path('.streamlit', 'secrets.toml');
    const { text, position } = withCursor(globalSecrets.replace('[db]', '[d|b]'));
    const uri = await client.open(globalFile, text);
    const hover = await client.request<Hover | null>(HoverRequest.method, { textDocument: { uri }, position });
    const value = (hover!.contents as MarkupContent).value;
    assert.match(value, /^`db` — ✘ replaced by the project file `\.streamlit\/secrets\.toml`/);
    assert.match(value, /`db\.port`/);
    await client.close(uri);

    const winner = await hoverAt(projectSecrets.replace('api_key', 'api|_key'), '.streamlit/secrets.toml', 'streamlit-secrets');
    assert.match(winner, /^`api_key` — `str`, ✔ the app reads it from this file/);
    assert.match(winner, /os\.environ\["api_key"\]/);
    const onlyGlobal = await hoverAt(projectSecrets.replace('[db]\n', '[d|b]\n'), '.streamlit/secrets.toml', 'streamlit-secrets');
    assert.match(onlyGlobal, /Replaces `db` of the global file `~\/\.streamlit\/secrets\.toml` \(Streamlit merges whole top-level keys\); sub-key lost: `db\.port`/);
  });

  test('reveal returns the value only on request; the hover and every byte written never hold a raw value', async () => {
    const uri = await client.open(project.path('reveal.py'), 'import streamlit as st\nst.secrets.db.password\n');
    const revealed = await client.request<RevealValueResult>(RevealValueRequestMethod, { uri, path: ['db', 'password'] });
    assert.deepEqual(revealed, { found: true, text: '"p-canary-5"' });
    const shadowedValue = await client.request<RevealValueResult>(RevealValueRequestMethod, {
      uri: fileUri(home.path('.streamlit', 'secrets.toml')),
      path: ['db', 'user'],
    });
    assert.deepEqual(shadowedValue, { found: true, text: '"g-canary-2"' }, 'a secrets file reveals its own value');
    const missing = await client.request<RevealValueResult>(RevealValueRequestMethod, { uri, path: ['nope'] });
    assert.deepEqual(missing, { found: false });
    await client.close(uri);
    // Everything the server wrote, minus the two reveal answers, must be free of canaries.
    const output = client.output().replace(/"text":"\\"(p-canary-5|g-canary-2)\\""/g, '');
    assertNoCanary(output, 'server output');
  });
});
