// Leak audit of the spawned server: every byte it writes (responses, notifications, diagnostics,
// log and trace messages, stderr) is recorded while a fixture full of recognisable canary values
// goes through every feature the server advertises, at every token of every document, through
// edits that put syntax errors on lines holding secrets, and through files changing on disk.
// No canary may appear anywhere — except in the answer to an explicit `revealValue` request,
// which is checked to be the only message that carries one.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { RevealValueRequestMethod, SecretsChangedNotificationMethod, type MergedSecretsDetailResult, type MergedSecretsResult, type RevealValueResult } from '../../common/protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import type { TempTree } from '../helpers/tempProject';
import { startProject, type LspProject } from '../helpers/lspProject';
import { advertised, diagnosticsFor, probeDocument, unprobed, type ProbeRecord } from './featureProbe';

// ASCII, long (a masked preview revealing "at most half" can never show a whole one), distinct.
const canary = {
  globalToken: 'LEAKCANARY-global-token-1a2b3c4d5e',
  globalDbPass: 'LEAKCANARY-global-dbpass-6f7g8h9i0j',
  globalDbHost: 'LEAKCANARY-global-dbhost-k1l2m3n4o5',
  apiKey: 'LEAKCANARY-project-apikey-p6q7r8s9t0',
  dbPass: 'LEAKCANARY-project-dbpass-u1v2w3x4y5',
  multiline: 'LEAKCANARY-project-multiline-z6a7b8c9d0',
  arrayItem: 'LEAKCANARY-project-array-e1f2g3h4i5',
  inline: 'LEAKCANARY-project-inline-j6k7l8m9n0',
  clientSecret: 'LEAKCANARY-project-oauth-o1p2q3r4s5',
  cookie: 'LEAKCANARY-project-cookie-t6u7v8w9x0',
  sqlPass: 'LEAKCANARY-project-sqlpass-y1z2a3b4c5',
  dashed: 'LEAKCANARY-project-dashed-d6e7f8g9h0',
  brokenLine: 'LEAKCANARY-admin-brokenline-i1j2k3l4m5',
  brokenString: 'LEAKCANARY-admin-unterminated-n6o7p8q9r0',
  adminKey: 'LEAKCANARY-admin-key-s1t2u3v4w5',
  editedIn: 'LEAKCANARY-edited-in-x6y7z8a9b0',
  diskChange: 'LEAKCANARY-disk-change-c1d2e3f4g5',
  number: '73195834621097',
};
const allCanaries = Object.values(canary);

const globalSecrets = `# global
global_token = "${canary.globalToken}"
[db]
password = "${canary.globalDbPass}"
host = "${canary.globalDbHost}"
port = 5432
`;

const projectSecrets = `api_key = "${canary.apiKey}"
"my-key" = "${canary.dashed}"
big_number = ${canary.number}
items = ["${canary.arrayItem}", "plain"]
note = """
line one
${canary.multiline}
"""
inline = { token = "${canary.inline}" }
[db]
password = '${canary.dbPass}'
[connections.sql]
dialect = "postgresql"
username = "app"
password = "${canary.sqlPass}"
host = "localhost"
[connections.custom]
url = "x"
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "${canary.cookie}"
[auth.google]
client_id = "id"
client_secret = "${canary.clientSecret}"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
`;

// An entrypoint chain whose file Streamlit cannot parse: syntax errors on lines holding secrets.
const adminSecrets = `admin_key = "${canary.adminKey}"
broken = "${canary.brokenLine}" trailing ${canary.brokenLine}
also = ${canary.brokenLine}
unterminated = "${canary.brokenString}
mixed = [1, "${canary.brokenLine}"]
`;

const appPy = `import os
import streamlit as st
from streamlit import secrets as sec

key = st.secrets.api_key
dashed = st.secrets["my-key"]
blocked = st.secrets.items
pw = st.secrets.db.password
host = st.secrets["db"]["host"]
missing = st.secrets.db.nonexistent
maybe = st.secrets.get("nothing_here", "default")
inline = st.secrets.inline.token
tok = sec["global_token"]
env = os.environ["api_key"] + os.getenv("big_number", "")
conn = st.connection("sql")
custom = st.connection("custom")
unknown = st.connection("nope")
st.login("google")
st.login("github")
if "api_key" in st.secrets:
    st.write(st.secrets.note)
st.secrets.
x = st.secrets["db"]["
`;

const adminPy = `import streamlit as st
print(st.secrets.admin_key, st.secrets.broken, st.secrets["unterminated"])
`;

const configToml = `[server]
port = 8501
`;

describe('leak audit: every byte the spawned server writes', () => {
  let home: TempTree;
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;
  const stdout: Buffer[] = [];
  const records: ProbeRecord[] = [];

  before(async () => {
    lsp = await startProject({
      home: { '.streamlit/secrets.toml': globalSecrets },
      project: {
        '.streamlit/secrets.toml': projectSecrets,
        '.streamlit/config.toml': configToml,
        'app.py': appPy,
        'pages/1_page.py': appPy,
        'admin/.streamlit/secrets.toml': adminSecrets,
        'admin/admin_app.py': adminPy,
      },
      settings: { maskRevealCharacters: 8, trace: { server: 'verbose' } },
    });
    ({ client, home, project } = lsp);
    client.process.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    // Ask for the most verbose server-side tracing the protocol has.
    await client.connection.sendNotification('$/setTrace', { value: 'verbose' });
  });

  after(() => lsp.dispose());

  function assertNoCanaryIn(text: string, where: string): void {
    for (const value of allCanaries) assert.ok(!text.includes(value), `${where} contains the secret value ${value}`);
  }

  test('every advertised feature at every token of every document, edits and disk changes: no canary', { timeout: 240_000 }, async () => {
    const capabilities = client.initializeResult?.capabilities;
    console.log(`advertised: ${advertised(capabilities).join(', ')}; not probed: ${unprobed(capabilities).join(', ') || 'none'}`);
    const documents: [string, string, string?][] = [
      [project.path('app.py'), appPy],
      [project.path('pages/1_page.py'), appPy],
      [project.path('admin/admin_app.py'), adminPy],
      [project.path('.streamlit/secrets.toml'), projectSecrets],
      [project.path('admin/.streamlit/secrets.toml'), adminSecrets],
      [home.path('.streamlit/secrets.toml'), globalSecrets],
      [project.path('.streamlit/config.toml'), configToml, 'streamlit-config'],
    ];
    const uris: string[] = [];
    for (const [file, text, language] of documents) uris.push(await client.open(file, text, language));
    for (const uri of uris) await diagnosticsFor(client, uri, 1);
    for (let i = 0; i < documents.length; i++) records.push(...(await probeDocument(client, uris[i]!, documents[i]![1])));

    // Folder URIs for the merged views.
    for (const folder of [project.root, project.path('admin')]) {
      records.push({ method: 'mergedSecrets', params: folder, ms: 0, result: await client.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(folder) }) });
      records.push({ method: 'mergedSecretsDetail', params: folder, ms: 0, result: await client.request<MergedSecretsDetailResult>('streamlitSecrets/mergedSecretsDetail', { uri: fileUri(folder) }) });
    }
    // The language model tools' answers (what an agent is given), for the folder and each file.
    for (const target of [undefined, 'admin', ...documents.map(([file]) => file)]) {
      for (const method of ['streamlitSecrets/agentKeys', 'streamlitSecrets/agentCheck']) {
        const result = await client.request<{ answer?: unknown; error?: string }>(method, target === undefined ? {} : { path: target });
        records.push({ method, params: target ?? '.', ms: 0, result });
      }
    }
    const agentAnswers = records.filter((r) => r.method.startsWith('streamlitSecrets/agent') && 'answer' in (r.result as object));
    assert.ok(agentAnswers.length >= 10, `the agent requests answered ${agentAnswers.length} times`);
    assert.ok(JSON.stringify(agentAnswers).includes('st.secrets[\\"api_key\\"]'), 'the keys answer lists the keys');

    // Type a syntax error into a line holding a secret, in the editor buffer.
    const projectUri = uris[3]!;
    const edited = projectSecrets.replace(`api_key = "${canary.apiKey}"`, `api_key = "${canary.apiKey}" ${canary.editedIn} = = "${canary.editedIn}`);
    await client.change(projectUri, edited);
    await diagnosticsFor(client, projectUri, 2);
    await diagnosticsFor(client, uris[0]!, 1);
    records.push(...(await probeDocument(client, projectUri, edited, { maxPositions: 80 })));
    records.push(...(await probeDocument(client, uris[0]!, appPy, { maxPositions: 80 })));

    // A file changes on disk (not open): the global file gets a broken line with a new canary.
    await client.close(uris[5]!);
    const before = client.notifications.filter((n) => n.method === SecretsChangedNotificationMethod).length;
    fs.writeFileSync(home.path('.streamlit/secrets.toml'), `${globalSecrets}\nbad = "${canary.diskChange}" oops ${canary.diskChange}\n`);
    await client.filesChanged([{ uri: fileUri(home.path('.streamlit/secrets.toml')), type: 2 }]);
    await client.waitFor(() => client.notifications.filter((n) => n.method === SecretsChangedNotificationMethod).length > before, 10_000, 'secretsChanged');
    records.push(...(await probeDocument(client, uris[0]!, appPy, { maxPositions: 80 })));
    // Close everything (diagnostics are cleared) and let pending work finish.
    for (const uri of uris) await client.close(uri);
    await client.request('streamlitSecrets/mergedSecrets', { uri: uris[0] });

    const written = client.output();
    assert.ok(written.length > 10_000, 'the audit recorded almost nothing');
    assertNoCanaryIn(written, 'the server output (stdout + stderr)');
    assertNoCanaryIn(JSON.stringify(records), 'a response');
    assertNoCanaryIn(JSON.stringify(client.published), 'a diagnostic');
    assertNoCanaryIn(JSON.stringify(client.notifications), 'a notification');

    // The audit is only worth something if the features answered with content.
    const answered = (method: string): number =>
      records.filter((r) => r.method === method && r.result !== null && !(Array.isArray(r.result) && r.result.length === 0) && !(typeof r.result === 'object' && r.result !== null && 'items' in r.result && (r.result as { items: unknown[] }).items.length === 0)).length;
    const expectAnswers: Record<string, string> = {
      completionProvider: 'textDocument/completion',
      hoverProvider: 'textDocument/hover',
      definitionProvider: 'textDocument/definition',
      referencesProvider: 'textDocument/references',
      documentSymbolProvider: 'textDocument/documentSymbol',
      codeActionProvider: 'textDocument/codeAction',
    };
    for (const [capability, method] of Object.entries(expectAnswers)) {
      if (!capabilities?.[capability as keyof typeof capabilities]) continue;
      assert.ok(answered(method) > 0, `${method} is advertised but never answered with content: the audit did not exercise it`);
    }
    const diagnosed = client.published.filter((p) => p.diagnostics.length > 0);
    assert.ok(diagnosed.length > 0, 'no diagnostics were ever published: syntax errors on secret lines were not exercised');
    console.log(`leak audit: ${records.length} requests, ${client.published.length} diagnostics publications (${diagnosed.length} non-empty), ${written.length} bytes written, no canary`);
  });

  test('revealValue is the one answer that carries a value, and only when asked', { timeout: 30_000 }, async () => {
    const writtenBefore = client.output();
    assertNoCanaryIn(writtenBefore, 'the server output before any reveal');
    const appUri = fileUri(project.path('app.py'));
    const reveals: RevealValueResult[] = [];
    for (const [path, value] of [
      [['api_key'], canary.apiKey],
      [['db', 'password'], canary.dbPass],
      [['connections', 'sql', 'password'], canary.sqlPass],
    ] as const) {
      const result = await client.request<RevealValueResult>(RevealValueRequestMethod, { uri: appUri, path });
      assert.equal(result.found, true, `reveal of ${path.join('.')}`);
      assert.ok(result.text?.includes(value), `reveal of ${path.join('.')} gave ${result.text}`);
      reveals.push(result);
    }
    // Every stdout frame that contains a canary is one of these reveal responses; stderr has none.
    const frames = parseFrames(Buffer.concat(stdout));
    assert.ok(frames.length > 100, `only ${frames.length} frames parsed`);
    const carrying = frames.filter((frame) => allCanaries.some((value) => frame.includes(value)));
    assert.equal(carrying.length, reveals.length, 'a message other than the reveal answers carries a value');
    for (const frame of carrying) {
      const message = JSON.parse(frame) as { id?: unknown; result?: unknown };
      assert.ok(message.id !== undefined && reveals.some((r) => JSON.stringify(r) === JSON.stringify(message.result)), `unexpected frame with a value: ${frame.slice(0, 120)}`);
    }
    const stderr = client.output().replace(Buffer.concat(stdout).toString('utf8'), '');
    assertNoCanaryIn(stderr, 'stderr');
  });
});

/** Splits LSP base-protocol output into message bodies. */
function parseFrames(bytes: Buffer): string[] {
  const frames: string[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const headerEnd = bytes.indexOf('\r\n\r\n', offset);
    if (headerEnd < 0) break;
    const header = bytes.subarray(offset, headerEnd).toString('ascii');
    const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
    if (!Number.isFinite(length)) throw new Error(`bad frame header ${JSON.stringify(header)}`);
    const start = headerEnd + 4;
    frames.push(bytes.subarray(start, start + length).toString('utf8'));
    offset = start + length;
  }
  return frames;
}
