import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionRequest, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../helpers/lspClient';
import { git, isolateGitEnvironment, makeTempDir, removeTempDirs, writeFiles } from '../unit/git/gitFixtures';

const secrets = 'api_key = "git-canary-1"\n';

function repo(files: Record<string, string>): string {
  const root = makeTempDir('st-secrets-lsp-git-');
  git(root, 'init', '-q');
  writeFiles(root, files);
  return root;
}

const gitCodes = (list: Diagnostic[]): string[] => list.filter((d) => String(d.code).startsWith('git-')).map((d) => String(d.code)).sort();

describe('git safety over LSP (spawned server, real repositories)', () => {
  let home: string;
  const clients: LspTestClient[] = [];

  before(() => {
    home = isolateGitEnvironment().home;
  });

  after(async () => {
    for (const client of clients) await client.stop();
    removeTempDirs();
  });

  async function start(folder: string, options: { trusted?: boolean; env?: Record<string, string> } = {}): Promise<LspTestClient> {
    const client = await LspTestClient.start({
      folders: [folder],
      home,
      initializationOptions: { trusted: options.trusted !== false },
      ...(options.env ? { env: options.env } : {}),
    });
    clients.push(client);
    return client;
  }

  async function gitDiagnostics(client: LspTestClient, filePath: string, expect: (codes: string[]) => boolean): Promise<Diagnostic[]> {
    const uri = await client.open(filePath, fs.readFileSync(filePath, 'utf8'));
    return client.waitFor(() => {
      const list = client.diagnostics.get(uri);
      return list !== undefined && expect(gitCodes(list)) ? list : undefined;
    }, 15000, `git diagnostics of ${filePath}`);
  }

  async function codeActions(client: LspTestClient, filePath: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const uri = `file://${filePath}`;
    const range = diagnostics[0]!.range;
    return client.request<CodeAction[]>(CodeActionRequest.method, { textDocument: { uri }, range, context: { diagnostics } });
  }

  test('a project secrets file git would not ignore: warning and an "Add to .gitignore" quick fix; adding the rule clears it', async () => {
    const root = repo({ '.streamlit/secrets.toml': secrets, 'app.py': 'import streamlit as st\n' });
    const client = await start(root);
    const file = path.join(root, '.streamlit/secrets.toml');
    const diagnostics = await gitDiagnostics(client, file, (codes) => codes.includes('git-not-ignored'));
    const warning = diagnostics.find((d) => d.code === 'git-not-ignored')!;
    assert.equal(warning.severity, DiagnosticSeverity.Warning);
    assert.equal(warning.range.start.line, 0);
    const actions = await codeActions(client, file, [warning]);
    const add = actions.find((a) => a.command?.command === 'streamlitSecrets.addToGitignore');
    assert.ok(add, JSON.stringify(actions));
    assert.deepEqual(add.command!.arguments, [{ uri: `file://${file}` }]);
    assert.ok(!actions.some((a) => a.command?.command === 'streamlitSecrets.untrackSecretsFile'));

    // The fix lands on disk (as the client's command would do it): the warning goes away by itself.
    fs.writeFileSync(path.join(root, '.gitignore'), '.streamlit/secrets.toml\n');
    await client.waitFor(() => {
      const list = client.diagnostics.get(`file://${file}`);
      return list !== undefined && gitCodes(list).length === 0;
    }, 15000, 'warning cleared after .gitignore changed');
  });

  test('ignored by a nested .gitignore or by .git/info/exclude', async () => {
    const nested = repo({ 'apps/one/.streamlit/secrets.toml': secrets, 'apps/one/.gitignore': 'secrets.toml\n' });
    const nestedClient = await start(nested);
    const nestedDiagnostics = await gitDiagnostics(nestedClient, path.join(nested, 'apps/one/.streamlit/secrets.toml'), () => true);
    assert.deepEqual(gitCodes(nestedDiagnostics), []);

    const excluded = repo({ '.streamlit/secrets.toml': secrets });
    fs.appendFileSync(path.join(excluded, '.git/info/exclude'), '.streamlit/secrets.toml\n');
    const excludedClient = await start(excluded);
    const local = await gitDiagnostics(excludedClient, path.join(excluded, '.streamlit/secrets.toml'), (codes) => codes.length > 0);
    assert.deepEqual(gitCodes(local), ['git-ignored-locally']);
    assert.equal(local.find((d) => d.code === 'git-ignored-locally')!.severity, DiagnosticSeverity.Information);
  });

  test('a tracked secrets file: an error with "Stop tracking" (and "Add to .gitignore" when not ignored)', async () => {
    const root = repo({ '.streamlit/secrets.toml': secrets });
    git(root, 'add', '.streamlit/secrets.toml');
    const client = await start(root);
    const file = path.join(root, '.streamlit/secrets.toml');
    const diagnostics = await gitDiagnostics(client, file, (codes) => codes.includes('git-tracked'));
    const tracked = diagnostics.find((d) => d.code === 'git-tracked')!;
    assert.equal(tracked.severity, DiagnosticSeverity.Error);
    assert.match(tracked.message, /history/);
    const actions = await codeActions(client, file, diagnostics.filter((d) => String(d.code).startsWith('git-')));
    const commands = actions.map((a) => a.command?.command);
    assert.ok(commands.includes('streamlitSecrets.untrackSecretsFile'));
    assert.ok(commands.includes('streamlitSecrets.addToGitignore'));

    // Untracked (git rm --cached) and ignored: the error goes away once the index changes.
    fs.writeFileSync(path.join(root, '.gitignore'), '/.streamlit/secrets.toml\n');
    git(root, 'rm', '--cached', '-q', '.streamlit/secrets.toml');
    await client.waitFor(() => {
      const list = client.diagnostics.get(`file://${file}`);
      return list !== undefined && gitCodes(list).length === 0;
    }, 15000, 'error cleared after untracking');
    assert.ok(fs.existsSync(file));
  });

  test('not a repository: decided from the .gitignore files, no git error', async () => {
    const folder = makeTempDir('st-secrets-lsp-norepo-');
    writeFiles(folder, { '.streamlit/secrets.toml': secrets });
    const client = await start(folder);
    const diagnostics = await gitDiagnostics(client, path.join(folder, '.streamlit/secrets.toml'), (codes) => codes.length > 0);
    assert.deepEqual(gitCodes(diagnostics), ['git-not-ignored']);
    assert.match(diagnostics.find((d) => d.code === 'git-not-ignored')!.message, /not a git repository/);
  });

  test('git missing from PATH: the library decides and the check says it is limited', async () => {
    const root = repo({ '.streamlit/secrets.toml': secrets, '.gitignore': '.streamlit/\n' });
    const emptyBin = makeTempDir('st-secrets-nogit-');
    const client = await start(root, { env: { PATH: emptyBin } });
    const diagnostics = await gitDiagnostics(client, path.join(root, '.streamlit/secrets.toml'), (codes) => codes.length > 0);
    assert.deepEqual(gitCodes(diagnostics), ['git-check-limited']);
    assert.match(diagnostics.find((d) => d.code === 'git-check-limited')!.message, /git was not found/);
  });

  test('untrusted workspace: git is never run (a hostile fsmonitor hook stays silent), the check says so', async () => {
    const root = repo({ '.streamlit/secrets.toml': secrets });
    const marker = path.join(root, 'hook-ran');
    const hook = path.join(root, 'hook.sh');
    fs.writeFileSync(hook, `#!/bin/sh\ntouch ${JSON.stringify(marker)}\n`, { mode: 0o755 });
    git(root, 'config', 'core.fsmonitor', hook);
    git(root, 'add', '.streamlit/secrets.toml');
    fs.rmSync(marker, { force: true });
    const client = await start(root, { trusted: false });
    const diagnostics = await gitDiagnostics(client, path.join(root, '.streamlit/secrets.toml'), (codes) => codes.length > 0);
    const warning = diagnostics.find((d) => d.code === 'git-not-ignored');
    assert.ok(warning, gitCodes(diagnostics).join());
    assert.match(warning.message, /not trusted/);
    // The file IS tracked, but without git nobody can tell: no false "tracked" claim, no hook run.
    assert.ok(!gitCodes(diagnostics).includes('git-tracked'));
    assert.ok(!fs.existsSync(marker));
  });

  test('the global secrets file and .example files get no git diagnostics; no value leaves the server', async () => {
    const root = repo({ '.streamlit/secrets.toml.example': 'api_key = ""\n' });
    writeFiles(home, { '.streamlit/secrets.toml': 'global = "git-canary-2"\n' });
    const client = await start(root);
    const example = path.join(root, '.streamlit/secrets.toml.example');
    const exampleUri = await client.open(example, fs.readFileSync(example, 'utf8'));
    const globalFile = path.join(home, '.streamlit/secrets.toml');
    const globalUri = await client.open(globalFile, fs.readFileSync(globalFile, 'utf8'));
    await client.waitFor(() => client.diagnostics.has(exampleUri) && client.diagnostics.has(globalUri), 10000, 'diagnostics');
    assert.deepEqual(gitCodes(client.diagnostics.get(exampleUri)!), []);
    assert.deepEqual(gitCodes(client.diagnostics.get(globalUri)!), []);
    for (const each of clients) assert.ok(!each.output().includes('git-canary'));
  });
});
