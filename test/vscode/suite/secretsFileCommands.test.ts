// "Create Project Secrets File", "Write secrets.toml.example" and "Add to .gitignore" inside a real
// VS Code, on real folders (temporary, outside the fixture workspace: the commands take the folder
// as an argument, which is also how a multi-root pick is bypassed). Everything is checked on disk.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, openFixture, waitFor, workspaceFolder } from './helpers';

interface Outcome {
  path: string;
  created: boolean;
  ignore?: { changed: boolean; gitignorePath?: string; line?: string };
  addedKey?: boolean;
}

const created: string[] = [];
function tempFolder(files: Record<string, string> = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'st-secrets-cmd-')));
  created.push(root);
  for (const [relative, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), content);
  }
  return root;
}

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function create(folder: string, addKey?: string[]): Promise<Outcome> {
  const args = { folderUri: vscode.Uri.file(folder).toString(), ...(addKey ? { addKey } : {}) };
  const outcome = await vscode.commands.executeCommand<Outcome | undefined>('streamlitSecrets.createProjectSecretsFile', args);
  assert.ok(outcome, 'the command returned nothing');
  return outcome;
}

describe('secrets file commands (real folders)', () => {
  before(async () => {
    await activateExtension();
  });
  afterEach(closeAllEditors);
  after(() => {
    for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates .streamlit/secrets.toml (header only, mode 0600), a .gitignore with one rule, and opens it', async () => {
    const folder = tempFolder();
    const outcome = await create(folder);
    const file = path.join(folder, '.streamlit', 'secrets.toml');
    assert.equal(outcome.created, true);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.split('\n').filter((line) => line.trim() !== '').every((line) => line.startsWith('#')), 'only comments, no fake values');
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const gitignore = fs.readFileSync(path.join(folder, '.gitignore'), 'utf8');
    assert.equal(gitignore.trim().split('\n').length, 1);
    assert.match(gitignore, /^\/?\.streamlit\/secrets\.toml\n$/);
    await waitFor('the new file in the active editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === file ? true : undefined));
  });

  it('never overwrites an existing file, but still fixes the ignore rule; CRLF and a missing final newline are kept', async () => {
    const existing = 'api_key = "cmd-canary"\r\n';
    const folder = tempFolder({ '.streamlit/secrets.toml': existing, '.gitignore': 'node_modules/\r\n*.pyc' });
    const outcome = await create(folder);
    assert.equal(outcome.created, false);
    assert.equal(fs.readFileSync(path.join(folder, '.streamlit/secrets.toml'), 'utf8'), existing);
    const gitignore = fs.readFileSync(path.join(folder, '.gitignore'), 'utf8');
    assert.match(gitignore, /^node_modules\/\r\n\*\.pyc\r\n\/?\.streamlit\/secrets\.toml\r\n$/);
    // Running it again changes nothing: the rule is not duplicated.
    const again = await create(folder);
    assert.equal(again.ignore?.changed, false);
    assert.equal(fs.readFileSync(path.join(folder, '.gitignore'), 'utf8'), gitignore);
  });

  it('leaves a .gitignore alone when a rule already covers the file', async () => {
    const folder = tempFolder({ '.gitignore': '.streamlit/\n' });
    await create(folder);
    assert.equal(fs.readFileSync(path.join(folder, '.gitignore'), 'utf8'), '.streamlit/\n');
  });

  it('in a git repository, the rule goes to the repository root .gitignore', async function () {
    if (!hasGit()) this.skip();
    const repo = tempFolder({ 'apps/one/app.py': 'import streamlit as st\n' });
    execFileSync('git', ['init', '-q'], { cwd: repo });
    await create(path.join(repo, 'apps', 'one'));
    assert.ok(!fs.existsSync(path.join(repo, 'apps', 'one', '.gitignore')));
    assert.match(fs.readFileSync(path.join(repo, '.gitignore'), 'utf8'), /^\/?apps\/one\/\.streamlit\/secrets\.toml\n$/);
    const ignored = execFileSync('git', ['check-ignore', 'apps/one/.streamlit/secrets.toml'], { cwd: repo, encoding: 'utf8' });
    assert.equal(ignored.trim(), 'apps/one/.streamlit/secrets.toml');
  });

  it('from a missing-key quick fix: creates the file, adds the key with an empty value in its table, opens it at that line', async () => {
    const folder = tempFolder();
    const outcome = await create(folder, ['db', 'password']);
    assert.equal(outcome.addedKey, true);
    const file = path.join(folder, '.streamlit', 'secrets.toml');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /\n\[db\]\npassword = ""\n$/);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const editor = await waitFor('the file open at the key', () => (vscode.window.activeTextEditor?.document.uri.fsPath === file ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, 'password = ""');

    // Into an existing file: its content stays, the key joins the existing table.
    const second = tempFolder({ '.streamlit/secrets.toml': '# mine\n[db]\nuser = "cmd-canary"\n' });
    await create(second, ['db', 'host']);
    assert.equal(fs.readFileSync(path.join(second, '.streamlit/secrets.toml'), 'utf8'), '# mine\n[db]\nuser = "cmd-canary"\nhost = ""\n');
  });

  it('writes secrets.toml.example with the keys and no values, and never overwrites it silently', async () => {
    const folder = tempFolder({ '.streamlit/secrets.toml': 'token = "cmd-canary-1"\n[db]\nport = 5432\npassword = "cmd-canary-2"\n' });
    const file = path.join(folder, '.streamlit', 'secrets.toml');
    const example = await vscode.commands.executeCommand<string>('streamlitSecrets.writeSecretsExample', { uri: vscode.Uri.file(file).toString() });
    assert.equal(example, `${file}.example`);
    const text = fs.readFileSync(example, 'utf8');
    assert.ok(!text.includes('cmd-canary'));
    assert.ok(!text.includes('5432'));
    for (const key of ['token', '[db]', 'port', 'password']) assert.ok(text.includes(key), key);
  });

  it('"Add to .gitignore" (the quick fix command) adds the rule for a given file', async () => {
    const folder = tempFolder({ '.streamlit/secrets.toml': 'a = 1\n' });
    const file = path.join(folder, '.streamlit', 'secrets.toml');
    const result = await vscode.commands.executeCommand<{ changed: boolean } | undefined>('streamlitSecrets.addToGitignore', { uri: vscode.Uri.file(file).toString() });
    assert.equal(result?.changed, true);
    assert.match(fs.readFileSync(path.join(folder, '.gitignore'), 'utf8'), /^\/?\.streamlit\/secrets\.toml\n$/);
  });

  it('"Add to .gitignore" from the palette acts on the file git would commit, not on the active editor', async () => {
    const root = workspaceFolder().uri.fsPath;
    const gitignore = path.join(root, '.gitignore');
    const admin = path.join(root, 'admin', '.streamlit', 'secrets.toml');
    fs.writeFileSync(gitignore, '/.streamlit/secrets.toml\n');
    fs.mkdirSync(path.dirname(admin), { recursive: true });
    fs.writeFileSync(admin, 'admin_token = "cmd-canary-3"\n');
    try {
      // The active editor is the project file, already ignored: the flagged one is admin/'s.
      await openFixture('.streamlit/secrets.toml');
      const result = await vscode.commands.executeCommand<{ changed: boolean; line?: string } | undefined>('streamlitSecrets.addToGitignore');
      assert.equal(result?.changed, true);
      assert.match(fs.readFileSync(gitignore, 'utf8'), /^\/\.streamlit\/secrets\.toml\n\/?admin\/\.streamlit\/secrets\.toml\n$/);
      // Nothing left to ignore: a message, no change.
      assert.equal(await vscode.commands.executeCommand('streamlitSecrets.addToGitignore'), undefined);
      // Nothing tracked (no repository here): "Stop Tracking" has nothing to act on either.
      assert.equal(await vscode.commands.executeCommand('streamlitSecrets.untrackSecretsFile'), false);
    } finally {
      fs.rmSync(path.join(root, 'admin'), { recursive: true, force: true });
      fs.rmSync(gitignore, { force: true });
    }
  });
});
