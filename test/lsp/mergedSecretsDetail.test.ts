// `streamlitSecrets/mergedSecretsDetail` over the real protocol: the model of the "which file won"
// view — winners, shadowed files, lost sub-keys, env export, masked values, nested keys with their
// definition sites, and the chain of files with parse errors and git status. No value ever leaks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import {
  MergedSecretsDetailRequestMethod,
  type MergedSecretsDetailEntry,
  type MergedSecretsDetailResult,
  type SecretTreeItem,
} from '../../common/protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { TempTree } from '../helpers/tempProject';
import { startProject, type LspProject } from '../helpers/lspProject';

const globalSecrets = `# global
global_only = "g-canary-1"
[db]
user = "g-canary-2"
port = 5432
[auth]
cookie_secret = "g-canary-3"
`;

const projectSecrets = `api_key = "p-canary-1"
debug = true

[db]
user = "p-canary-4"
password = "p-canary-5"

[db.options]
sslmode = "p-canary-6"
`;

const appSecrets = `api_key = "a-canary-1"
`;

const canaries = ['g-canary-1', 'g-canary-2', 'g-canary-3', 'p-canary-1', 'p-canary-4', 'p-canary-5', 'p-canary-6', 'a-canary-1', 'b-canary-1'];

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

function entry(result: MergedSecretsDetailResult, key: string): MergedSecretsDetailEntry {
  const found = result.entries.find((candidate) => candidate.key === key);
  assert.ok(found, `no entry ${key} in ${result.entries.map((e) => e.key).join(',')}`);
  return found;
}

function child(items: SecretTreeItem[] | undefined, key: string): SecretTreeItem {
  const found = items?.find((candidate) => candidate.key === key);
  assert.ok(found, `no child ${key}`);
  return found;
}

function assertNoCanary(text: string): void {
  for (const canary of canaries) assert.ok(!text.includes(canary), `${canary} leaked: ${text.slice(0, 400)}`);
}

describe('mergedSecretsDetail over LSP (spawned server)', () => {
  let home: TempTree;
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;

  before(async () => {
    lsp = await startProject({
      home: { '.streamlit/secrets.toml': globalSecrets },
      project: {
        '.streamlit/secrets.toml': projectSecrets,
        'app.py': 'import streamlit as st\n',
        'apps/shop/.streamlit/secrets.toml': appSecrets,
        'apps/shop/shop.py': 'import streamlit as st\n',
        '.gitignore': '.streamlit/secrets.toml\n',
      },
      // A repository where the project file is ignored and the app file is committed.
      prepare: ({ project }) => {
        git(project.root, 'init', '-q');
        git(project.root, 'add', '.gitignore', 'apps/shop/.streamlit/secrets.toml');
        git(project.root, 'commit', '-q', '-m', 'init');
      },
    });
    ({ client, home, project } = lsp);
  });

  after(() => lsp.dispose());

  const detail = (target: string, refreshGit = false): Promise<MergedSecretsDetailResult> =>
    client.request<MergedSecretsDetailResult>(MergedSecretsDetailRequestMethod, { uri: fileUri(target), refreshGit });

  test('the workspace folder: chain, winners, shadowed files, lost sub-keys, env export, masks', async () => {
    const result = await detail(project.root);
    const globalFile = home.path('.streamlit', 'secrets.toml');
    const projectFile = project.path('.streamlit', 'secrets.toml');
    assert.equal(result.cwd, project.root);
    assert.equal(result.entrypointDir, undefined);
    assert.equal(result.noSecretsFound, false);
    assert.equal(result.loadError, undefined);
    assert.deepEqual(
      result.files.map((file) => [file.path, file.role, file.exists, file.label]),
      [
        [globalFile, 'global', true, '~/.streamlit/secrets.toml'],
        [projectFile, 'project', true, '.streamlit/secrets.toml'],
      ],
    );
    assert.deepEqual(result.entries.map((e) => e.key), ['global_only', 'db', 'auth', 'api_key', 'debug']);

    const db = entry(result, 'db');
    assert.equal(db.winner, projectFile);
    assert.deepEqual(db.shadowed, [globalFile]);
    assert.deepEqual(db.lost, ['db.port']);
    assert.equal(db.type, 'table');
    assert.equal(db.env, false);
    assert.deepEqual(db.location, { path: projectFile, line: 3, character: 1 });

    const apiKey = entry(result, 'api_key');
    assert.equal(apiKey.env, true);
    assert.equal(apiKey.masked, '"••••••••"');
    assert.deepEqual(apiKey.location, { path: projectFile, line: 0, character: 0 });
    assert.equal(entry(result, 'debug').env, false, 'booleans are never exported');
    assert.deepEqual(entry(result, 'global_only').location, { path: globalFile, line: 1, character: 0 });

    // Nested keys come from the winning file only, with their own definition sites.
    assert.deepEqual(db.children?.map((item) => item.key), ['user', 'password', 'options']);
    const password = child(db.children, 'password');
    assert.deepEqual([password.path, password.type, password.masked], ['db.password', 'string', '"••••••••"']);
    assert.deepEqual(password.location, { path: projectFile, line: 5, character: 0 });
    const sslmode = child(child(db.children, 'options').children, 'sslmode');
    assert.equal(sslmode.path, 'db.options.sslmode');
    assert.deepEqual(sslmode.location, { path: projectFile, line: 8, character: 0 });

    assertNoCanary(JSON.stringify(result));
  });

  test('git status of each existing file: ignored, tracked', async () => {
    const result = await detail(project.root, true);
    const projectFile = result.files.find((file) => file.role === 'project');
    assert.equal(projectFile?.gitIgnored, true);
    assert.equal(projectFile?.gitTracked, false);
    const app = await detail(project.path('apps', 'shop'), true);
    const appFile = app.files.find((file) => file.role === 'entrypoint');
    assert.equal(appFile?.gitIgnored, false);
    assert.equal(appFile?.gitTracked, true);
  });

  test('an entrypoint folder gets its own chain: the app file wins over the project file', async () => {
    const result = await detail(project.path('apps', 'shop'));
    assert.equal(result.entrypointDir, project.path('apps', 'shop'));
    assert.deepEqual(result.files.map((file) => file.role), ['global', 'project', 'entrypoint']);
    const apiKey = entry(result, 'api_key');
    assert.equal(apiKey.winner, project.path('apps', 'shop', '.streamlit', 'secrets.toml'));
    assert.deepEqual(apiKey.shadowed, [project.path('.streamlit', 'secrets.toml')]);
    // A Python file of that app gets the same chain.
    const fromPython = await detail(project.path('apps', 'shop', 'shop.py'));
    assert.deepEqual(fromPython.files.map((file) => file.path), result.files.map((file) => file.path));
    assertNoCanary(JSON.stringify(result));
  });

  test('an open buffer wins over the disk, and a parse error is reported without quoting the file', async () => {
    const projectFile = project.path('.streamlit', 'secrets.toml');
    const uri = await client.open(projectFile, `${projectSecrets}\nbroken = "b-canary-1\n`);
    try {
      const result = await client.poll(async () => {
        const answer = await detail(project.root);
        return answer.loadError !== undefined ? answer : undefined;
      });
      const file = result.files.find((candidate) => candidate.path === projectFile);
      assert.ok(file?.error, 'the project file has an error');
      assert.match(result.loadError ?? '', /^\.streamlit\/secrets\.toml: /);
      // The app gets no key: none is listed as if it were available.
      assert.deepEqual(result.entries, []);
      assertNoCanary(JSON.stringify(result));
    } finally {
      await client.close(uri);
    }
  });

  test('a missing file is listed as missing; no file at all sets noSecretsFound', async () => {
    const empty = new TempTree({ 'main.py': 'import streamlit as st\n' });
    const lonelyHome = new TempTree({});
    const other = await LspTestClient.start({ folders: [empty.root], home: lonelyHome.root });
    try {
      const result = await other.request<MergedSecretsDetailResult>(MergedSecretsDetailRequestMethod, { uri: fileUri(empty.root) });
      assert.equal(result.noSecretsFound, true);
      assert.deepEqual(result.entries, []);
      assert.deepEqual(result.files.map((file) => [path.basename(path.dirname(path.dirname(file.path))), file.exists]), [
        [path.basename(lonelyHome.root), false],
        [path.basename(empty.root), false],
      ]);
      assert.ok(result.files.every((file) => file.gitIgnored === undefined), 'missing files are not checked with git');
    } finally {
      await other.stop();
      empty.dispose();
      lonelyHome.dispose();
    }
  });

  test('an untrusted workspace never runs git: tracked stays unknown and the reason is given', async () => {
    const other = await LspTestClient.start({ folders: [project.root], home: home.root, initializationOptions: { trusted: false } });
    try {
      const result = await other.request<MergedSecretsDetailResult>(MergedSecretsDetailRequestMethod, { uri: fileUri(project.root) });
      const projectFile = result.files.find((file) => file.role === 'project');
      assert.equal(projectFile?.gitIgnored, true, 'the .gitignore files are read directly');
      assert.equal(projectFile?.gitTracked, undefined);
      assert.match(projectFile?.gitDetail ?? '', /not trusted/);
    } finally {
      await other.stop();
    }
  });

  test('the server wrote no secret value anywhere', () => {
    assertNoCanary(client.output());
  });
});
