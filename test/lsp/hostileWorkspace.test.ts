// A cloned repository is hostile until trusted: what it controls (its `[secrets] files`, secret
// directories full of links, hover links naming any file) must not crash, stall or redirect the
// spawned server. The trees are generated here, never stored.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, type Diagnostic } from 'vscode-languageserver-protocol';
import { RevealValueRequestMethod, type MergedSecretsDetailResult, type RevealValueResult } from '../../common/protocol';
import { LspTestClient, fileUri, serverPath } from '../helpers/lspClient';
import { TempTree } from '../helpers/tempProject';
import { git, makeTempDir, removeTempDirs } from '../unit/git/gitFixtures';
import { diagnosticsFor, timedRequest } from './featureProbe';

const appPy = 'import streamlit as st\nkey = st.secrets.api_key\nother = st.secrets["s1"]\n';
const trees: TempTree[] = [];
const clients: LspTestClient[] = [];
after(async () => {
  for (const client of clients) await client.stop();
  for (const tree of trees) tree.dispose();
  removeTempDirs();
});

function tree(files: Record<string, string> = {}): TempTree {
  const created = new TempTree(files);
  trees.push(created);
  return created;
}

async function start(folder: string, home: string, initializationOptions: Record<string, unknown> = {}): Promise<LspTestClient> {
  const client = await LspTestClient.start({ folders: [folder], home, initializationOptions });
  clients.push(client);
  return client;
}

describe('a hostile workspace (spawned server)', () => {
  test('1,000 links to a 5 MB file in a secret directory: the server stays alive, answers within a second, and says what it skipped', { timeout: 60_000 }, async () => {
    const project = tree({ 'app.py': appPy, '.streamlit/config.toml': '[secrets]\nfiles = ["k8s"]\n' });
    const piece = Buffer.alloc(1024 * 1024, 'x');
    const fd = fs.openSync(project.path('big'), 'w');
    for (let i = 0; i < 5; i++) fs.writeSync(fd, piece, 0, i === 4 ? piece.length - 64 : piece.length);
    fs.closeSync(fd);
    for (let i = 0; i < 1000; i++) {
      fs.mkdirSync(project.path('k8s', `s${i}`), { recursive: true });
      fs.symlinkSync(project.path('big'), project.path('k8s', `s${i}`, 'v'));
    }
    const client = await start(project.root, tree().root);
    // Opening the app makes the server read the hostile chain; another request must still answer fast.
    const appUri = await client.open(project.path('app.py'), appPy);
    const hover = await timedRequest(client, 'textDocument/hover', { textDocument: { uri: appUri }, position: { line: 1, character: 20 } }, 1000);
    console.log(`hover while the hostile folder is read: ${hover.ms.toFixed(0)} ms`);
    const symbols = await timedRequest(client, 'textDocument/documentSymbol', { textDocument: { uri: appUri } }, 1000);
    assert.ok(symbols.ms < 1000);
    // No false error on the Python side: keys in the skipped part are unknowable.
    assert.deepEqual(await diagnosticsFor(client, appUri, 1, 20_000), []);
    const detail = (await timedRequest(client, 'streamlitSecrets/mergedSecretsDetail', { uri: appUri }, 5000)).result as MergedSecretsDetailResult;
    assert.equal(detail.loadError, undefined);
    assert.match(detail.incomplete ?? '', /larger than 8\.0 MB/);
    assert.match(detail.files[0]?.note ?? '', /not fully read/);
    // The config.toml that names the folder says so.
    const configPath = project.path('.streamlit/config.toml');
    const configUri = await client.open(configPath, fs.readFileSync(configPath, 'utf8'), 'streamlit-config');
    const configDiagnostics: Diagnostic[] = await diagnosticsFor(client, configUri, 1, 20_000);
    const budget = configDiagnostics.find((d) => d.code === 'config-secrets-files-budget');
    assert.ok(budget, configDiagnostics.map((d) => d.message).join('\n'));
    assert.match(budget.message, /Not everything this list names was read/);
    assert.equal(client.process.exitCode, null, 'the server died');
  });

  test('revealValue answers only for the chains of the workspace', { timeout: 30_000 }, async () => {
    const project = tree({ 'app.py': appPy, '.streamlit/secrets.toml': 'api_key = "inside-value"\n', '.streamlit/config.toml': '' });
    const outside = tree({ '.streamlit/secrets.toml': 'api_key = "outside-value"\n', 'tool.py': appPy });
    const client = await start(project.root, tree().root);
    const reveal = (filePath: string): Promise<RevealValueResult> => client.request<RevealValueResult>(RevealValueRequestMethod, { uri: fileUri(filePath), path: ['api_key'] });
    assert.deepEqual(await reveal(project.path('app.py')), { found: true, text: '"inside-value"' });
    assert.deepEqual(await reveal(project.path('.streamlit/secrets.toml')), { found: true, text: '"inside-value"' });
    assert.deepEqual(await reveal(project.root), { found: true, text: '"inside-value"' }, 'the merged view asks with the app folder');
    // A file outside the workspace, asked for directly or through a Python file beside it.
    assert.deepEqual(await reveal(outside.path('.streamlit/secrets.toml')), { found: false });
    assert.deepEqual(await reveal(outside.path('tool.py')), { found: false });
    assert.deepEqual(await reveal(outside.root), { found: false });
    // A workspace .toml that is not a source of any chain.
    assert.deepEqual(await reveal(project.path('.streamlit/config.toml')), { found: false });
  });

  test('a client that says nothing about trust: trusted when the server runs on its own (stdio), untrusted when an editor started it (node IPC)', { timeout: 60_000 }, async () => {
    const root = makeTempDir('st-secrets-trust-');
    git(root, 'init', '-q');
    fs.mkdirSync(path.join(root, '.streamlit'));
    const secretsPath = path.join(root, '.streamlit', 'secrets.toml');
    fs.writeFileSync(secretsPath, 'api_key = "x"\n');
    const home = tree().root;
    const gitMessages = (list: Diagnostic[]): string => list.filter((d) => String(d.code).startsWith('git-')).map((d) => d.message).join('\n');

    const stdio = await start(root, home);
    const uri = await stdio.open(secretsPath, fs.readFileSync(secretsPath, 'utf8'));
    const onStdio = await stdio.waitFor(() => {
      const list = stdio.diagnostics.get(uri);
      return list !== undefined && gitMessages(list) !== '' ? gitMessages(list) : undefined;
    }, 15_000, 'git diagnostics over stdio');
    assert.doesNotMatch(onStdio, /not trusted/);

    const child = spawn(process.execPath, [serverPath, '--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, HOME: home } });
    const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const published = new Map<string, Diagnostic[]>();
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => published.set(params.uri, params.diagnostics));
    connection.onRequest(() => null);
    connection.listen();
    try {
      await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: fileUri(root),
        workspaceFolders: [{ uri: fileUri(root), name: 'root' }],
        capabilities: {},
        initializationOptions: {},
      });
      await connection.sendNotification(InitializedNotification.type, {});
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'streamlit-secrets', version: 1, text: fs.readFileSync(secretsPath, 'utf8') } });
      const deadline = Date.now() + 15_000;
      let onIpc = '';
      while (Date.now() < deadline && onIpc === '') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        onIpc = gitMessages(published.get(uri) ?? []);
      }
      assert.match(onIpc, /not trusted/);
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
