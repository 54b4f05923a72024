import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { MergedSecretsResult } from '../../common/protocol';
import { LspTestClient, fileUri, withCursor } from '../helpers/lspClient';
import { TempTree } from '../helpers/tempProject';
import { withProject } from '../helpers/lspProject';

async function withServer(files: Record<string, string>, homeFiles: Record<string, string>, run: (client: LspTestClient, project: TempTree, home: TempTree) => Promise<void>): Promise<void> {
  await withProject({ project: files, home: homeFiles }, ({ client, project, home }) => run(client, project, home));
}

describe('streamlitSecrets/mergedSecrets over LSP', () => {
  test('result shape: files in order, one entry per top-level key with winner, shadowed, lost, type, masked, env', async () => {
    await withServer(
      { '.streamlit/secrets.toml': 'token = "proj-canary"\n[db]\nuser = "proj-user-canary"\n', 'app.py': '' },
      { '.streamlit/secrets.toml': 'flag = true\n[db]\nuser = "g"\nport = 5432\n' },
      async (client, project, home) => {
        const result = await client.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(project.path('app.py')) });
        const globalPath = home.path('.streamlit/secrets.toml');
        const projectPath = project.path('.streamlit/secrets.toml');
        assert.deepEqual(result.files, [
          { path: globalPath, exists: true },
          { path: projectPath, exists: true },
        ]);
        const byKey = new Map(result.entries.map((entry) => [entry.key, entry]));
        assert.deepEqual(byKey.get('db'), { key: 'db', winner: projectPath, shadowed: [globalPath], lost: ['db.port'], type: 'table', masked: '{ user = "••••••••" }', env: false });
        assert.deepEqual(byKey.get('token'), { key: 'token', winner: projectPath, shadowed: [], lost: [], type: 'string', masked: '"••••••••"', env: true });
        assert.equal(byKey.get('flag')!.env, false);
        assert.ok(!JSON.stringify(result).includes('canary'));
        // A folder URI gives the folder's chain.
        const forFolder = await client.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(project.root) });
        assert.deepEqual(forFolder.entries.map((e) => e.key).sort(), ['db', 'flag', 'token']);
      },
    );
  });

  test('[secrets] files replaces the list: relative to $CWD, missing .toml skipped, folders are secret directories, anything else invalid', async () => {
    await withServer(
      {
        '.streamlit/config.toml': '[secrets]\nfiles = ["conf/base.toml", "missing.toml", "k8s", "not-a-path", "~/home.toml"]\n',
        '.streamlit/secrets.toml': 'ignored_default = 1\n',
        'conf/base.toml': 'base = "b"\n[db]\nuser = "u"\n',
        'k8s/db/password': 'pw\n',
        'k8s/db/user': 'k8s-user\n',
        'k8s/api_key/value': 'k\n',
        'app.py': '',
      },
      { '.streamlit/secrets.toml': 'global_default = 1\n' },
      async (client, project) => {
        const result = await client.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(project.path('app.py')) });
        assert.deepEqual(
          result.files.map((file) => [file.path, file.exists, file.error === undefined ? '' : file.error.startsWith('Invalid secrets path') ? 'invalid' : file.error]),
          [
            [project.path('conf/base.toml'), true, ''],
            [project.path('missing.toml'), false, ''],
            [project.path('k8s'), true, ''],
            [project.path('not-a-path'), false, 'invalid'],
            [project.path('~/home.toml'), false, ''],
          ],
        );
        const keys = result.entries.map((entry) => entry.key);
        assert.deepEqual(keys, ['base', 'db', 'api_key']);
        const db = result.entries.find((entry) => entry.key === 'db')!;
        assert.equal(db.winner, project.path('k8s'));
        assert.deepEqual(db.lost, []);
        assert.equal(result.entries.find((entry) => entry.key === 'api_key')!.type, 'string');
      },
    );
  });

  test('a file Streamlit cannot parse is reported with a sanitised error; its value never appears', async () => {
    await withServer(
      { '.streamlit/secrets.toml': 'password = "parse-canary\nother = 1\n', 'app.py': '' },
      {},
      async (client, project) => {
        const result = await client.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(project.path('app.py')) });
        const file = result.files.find((f) => f.path === project.path('.streamlit/secrets.toml'))!;
        assert.ok(file.error, 'a parse error is reported');
        assert.match(file.error, /line 1/);
        assert.ok(!JSON.stringify(result).includes('parse-canary'));
      },
    );
  });

  test('a folder named secrets.toml is reported, not read', async () => {
    await withServer({ '.streamlit/secrets.toml/inner': 'x', 'app.py': '' }, {}, async (client, project) => {
      const result = await client.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(project.path('app.py')) });
      const file = result.files.find((f) => f.path === project.path('.streamlit/secrets.toml'))!;
      assert.match(file.error ?? '', /folder/);
    });
  });

  test('settings: cwd and globalSecretsFile change the chain; no configuration capability falls back to defaults', async () => {
    const home = new TempTree({ '.streamlit/secrets.toml': 'home_key = 1\n' });
    const project = new TempTree({ 'sub/.streamlit/secrets.toml': 'sub_key = 1\n', 'elsewhere.toml': 'custom_global = 1\n', 'sub/app.py': '' });
    const client = await LspTestClient.start({
      folders: [project.root],
      home: home.root,
      settings: { cwd: 'sub', globalSecretsFile: project.path('elsewhere.toml') },
    });
    try {
      const result = await client.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(project.path('sub/app.py')) });
      assert.deepEqual(result.entries.map((e) => e.key).sort(), ['custom_global', 'sub_key']);
      const { text, position } = withCursor('import streamlit as st\nst.secrets.|');
      const uri = await client.open(project.path('sub/page.py'), text);
      const labels = (await client.completion(uri, position)).map((item) => item.label).sort();
      assert.deepEqual(labels, ['custom_global', 'sub_key']);
    } finally {
      await client.stop();
    }
    const plain = await LspTestClient.start({ folders: [project.root], home: home.root, configuration: false });
    try {
      const result = await plain.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(project.path('sub/app.py')) });
      assert.deepEqual(result.entries.map((e) => e.key).sort(), ['home_key', 'sub_key']);
    } finally {
      await plain.stop();
      home.dispose();
      project.dispose();
    }
  });

  test('a secret directory picks up a new key on disk', async () => {
    await withServer(
      { '.streamlit/config.toml': '[secrets]\nfiles = ["k8s"]\n', 'k8s/one/value': '1', 'app.py': '' },
      {},
      async (client, project) => {
        const keys = async (): Promise<string[]> =>
          (await client.request<MergedSecretsResult>('streamlitSecrets/mergedSecrets', { uri: fileUri(project.path('app.py')) })).entries.map((e) => e.key).sort();
        assert.deepEqual(await keys(), ['one']);
        fs.mkdirSync(project.path('k8s/two'));
        fs.writeFileSync(project.path('k8s/two/value'), '2');
        await client.poll(async () => (await keys()).includes('two'), 10000, 'the new secret directory key');
      },
    );
  });
});
