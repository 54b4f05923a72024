// `streamlit-secrets mcp` as installed from the packed tarball, spoken to over stdio as an agent's
// MCP client would: the tool list, each tool's answer, a bad path, and every byte the server writes
// (stdout and stderr) scanned for the fixture's secret values.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { installPackage, type InstalledPackage } from '../helpers/installedPackage';
import { TempTree } from '../helpers/tempProject';
import type { CheckAnswer, KeysAnswer } from '../../common/agentTools';

const canary = {
  global: 'MCPCANARY-global-only-5b1e7d',
  apiKey: 'MCPCANARY-apikey-3c9f2a',
  dbUser: 'MCPCANARY-dbuser-8a4d61',
  number: '918273645546372',
};

const project: Record<string, string> = {
  '.gitignore': '.streamlit/secrets.toml\n',
  '.streamlit/secrets.toml': `api_key = "${canary.apiKey}"\nport = ${canary.number}\n[db]\nuser = "${canary.dbUser}"\n"my key" = "${canary.apiKey}"\nhosts = ["${canary.dbUser}"]\n`,
  'app.py': 'import streamlit as st\nst.write(st.secrets["api_key"])\nst.write(st.secrets["absent"])\n',
};

interface RpcResponse {
  id: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

let installed: InstalledPackage;
let home: TempTree;
let tree: TempTree;
let child: ChildProcessWithoutNullStreams;
const written: Buffer[] = [];
const pending = new Map<number, (response: RpcResponse) => void>();
let nextId = 1;
let buffered = '';

function request(method: string, params: Record<string, unknown> = {}): Promise<RpcResponse> {
  const id = nextId++;
  const answered = new Promise<RpcResponse>((resolve) => pending.set(id, resolve));
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
  return answered;
}

async function callTool(name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const response = await request('tools/call', { name, arguments: args });
  assert.equal(response.error, undefined, response.error?.message);
  const result = response.result as { content: { type: string; text: string }[]; isError?: boolean };
  assert.equal(result.content.length, 1);
  assert.equal(result.content[0]!.type, 'text');
  return { text: result.content[0]!.text, isError: result.isError === true };
}

describe('streamlit-secrets mcp (installed package, stdio)', () => {
  before(async () => {
    installed = installPackage();
    home = new TempTree({ '.streamlit/secrets.toml': `global_only = "${canary.global}"\n` });
    tree = new TempTree(project);
    child = spawn(installed.cli, ['mcp', '--no-git'], { cwd: tree.root, env: { ...process.env, HOME: home.root } });
    child.stdout.on('data', (chunk: Buffer) => {
      written.push(chunk);
      buffered += chunk.toString('utf8');
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const message = JSON.parse(line) as RpcResponse;
        pending.get(message.id)?.(message);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => written.push(chunk));
    const init = await request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } });
    assert.equal((init.result!.serverInfo as { name: string }).name, 'streamlit-secrets');
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  });

  after(() => {
    child?.kill();
    installed?.dispose();
    home?.dispose();
    tree?.dispose();
  });

  test('lists the two tools, with descriptions that say values are never available', async () => {
    const response = await request('tools/list');
    const tools = (response.result!.tools as { name: string; description: string; inputSchema: { properties: Record<string, unknown> } }[]).sort((a, b) => (a.name < b.name ? -1 : 1));
    assert.deepEqual(tools.map((tool) => tool.name), ['streamlit_secrets_check', 'streamlit_secrets_keys']);
    for (const tool of tools) {
      assert.match(tool.description, /never available/);
      assert.match(tool.description, /st\.secrets/);
      assert.deepEqual(Object.keys(tool.inputSchema.properties), ['path']);
    }
  });

  test('streamlit_secrets_keys: the chain and every key path, names and types only', async () => {
    const { text, isError } = await callTool('streamlit_secrets_keys', {});
    assert.equal(isError, false);
    const answer = JSON.parse(text) as KeysAnswer;
    assert.equal(answer.apps.length, 1);
    const app = answer.apps[0]!;
    assert.deepEqual(app.entrypoints, [tree.path('app.py')]);
    assert.deepEqual(app.files.map((file) => [file.label, file.role, file.exists]), [['~/.streamlit/secrets.toml', 'global', true], ['.streamlit/secrets.toml', 'project', true]]);
    const byPath = new Map(app.keys.map((key) => [key.path, key]));
    assert.deepEqual([...byPath.keys()].sort(), ['api_key', 'db', 'db."my key"', 'db.hosts', 'db.user', 'global_only', 'port']);
    assert.deepEqual(byPath.get('api_key'), { path: 'api_key', segments: ['api_key'], type: 'string', pythonType: 'str', file: '.streamlit/secrets.toml', environmentVariable: true, localOnly: false, read: 'st.secrets["api_key"]', attributeRead: 'st.secrets.api_key' });
    assert.equal(byPath.get('port')!.environmentVariable, true);
    assert.equal(byPath.get('port')!.pythonType, 'int');
    assert.equal(byPath.get('db')!.type, 'table');
    assert.equal(byPath.get('db')!.environmentVariable, false, 'a table is not exported');
    assert.equal(byPath.get('db.user')!.environmentVariable, false, 'nested keys are not exported');
    assert.equal(byPath.get('db.user')!.read, 'st.secrets["db"]["user"]');
    assert.equal(byPath.get('db.user')!.attributeRead, 'st.secrets.db.user');
    assert.equal(byPath.get('db."my key"')!.read, 'st.secrets["db"]["my key"]');
    assert.equal(byPath.get('db."my key"')!.attributeRead, undefined, 'not an identifier');
    assert.equal(byPath.get('db.hosts')!.pythonType, 'list');
    assert.equal(byPath.get('global_only')!.localOnly, true);
    assert.equal(byPath.get('global_only')!.file, '~/.streamlit/secrets.toml');
    assert.equal(byPath.get('api_key')!.localOnly, false);
    assert.ok(answer.notes.some((note) => /st\.secrets/.test(note)));
  });

  test('streamlit_secrets_keys for a file: that app only; a missing path is a tool error', async () => {
    const answer = JSON.parse((await callTool('streamlit_secrets_keys', { path: 'app.py' })).text) as KeysAnswer;
    assert.deepEqual(answer.apps.map((app) => app.entrypoints), [[tree.path('app.py')]]);
    const missing = await callTool('streamlit_secrets_keys', { path: 'nowhere' });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /no such file or folder: nowhere/);
  });

  test('streamlit_secrets_check: the diagnostics the editor shows, with codes and 1-based ranges', async () => {
    const { text, isError } = await callTool('streamlit_secrets_check', { path: '.' });
    assert.equal(isError, false);
    const answer = JSON.parse(text) as CheckAnswer;
    const missing = answer.diagnostics.filter((item) => item.code === 'missing-key');
    assert.equal(missing.length, 1);
    assert.deepEqual({ ...missing[0], message: undefined }, { file: tree.path('app.py'), line: 3, column: 22, endLine: 3, endColumn: 28, severity: 'error', code: 'missing-key', message: undefined });
    assert.match(missing[0]!.message, /"absent"/);
    assert.equal(answer.summary.errors, answer.diagnostics.filter((item) => item.severity === 'error').length);
    const onlyApp = JSON.parse((await callTool('streamlit_secrets_check', { path: 'app.py' })).text) as CheckAnswer;
    assert.ok(onlyApp.diagnostics.every((item) => item.file === tree.path('app.py')));
    assert.equal(onlyApp.summary.filesChecked, 1);
  });

  test('every byte the server wrote (stdout and stderr) is free of the fixture\'s values', () => {
    const everything = Buffer.concat(written).toString('utf8');
    assert.ok(everything.length > 1000, 'the answers were captured');
    for (const value of Object.values(canary)) assert.ok(!everything.includes(value), `the server wrote ${value}`);
  });

  test('the server exits when the client closes stdin', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin.end();
    assert.equal(await exited, 0);
  });
});
