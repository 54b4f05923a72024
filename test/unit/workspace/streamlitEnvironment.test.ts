// Which Streamlit a workspace runs and how, read from a real folder (docs/streamlit-model.md §7):
// the detection order and the launch configuration reaching the chain.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SecretsWorkspace } from '../../../server/src/workspace/secretsWorkspace';
import { formatStreamlitVersion } from '../../../server/src/service/streamlitVersion';
import { TempTree } from '../../helpers/tempProject';

describe('StreamlitEnvironment through SecretsWorkspace.locationsFor', () => {
  const trees: TempTree[] = [];
  const workspaces: SecretsWorkspace[] = [];
  after(() => {
    workspaces.forEach((workspace) => workspace.dispose());
    trees.forEach((tree) => tree.dispose());
  });
  const open = (files: Record<string, string>) => {
    const tree = new TempTree(files);
    const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: () => undefined, home: () => tree.path('home') });
    trees.push(tree);
    workspaces.push(workspace);
    return { tree, workspace };
  };
  const versionOf = (locations: { streamlitVersion?: Parameters<typeof formatStreamlitVersion>[0] }) =>
    locations.streamlitVersion === undefined ? undefined : formatStreamlitVersion(locations.streamlitVersion);

  test('order: setting, Python extension interpreter, workspace venv, lockfiles, requirements, pyproject; nothing known: undefined', () => {
    const { tree, workspace } = open({
      'app.py': '',
      'pyproject.toml': '[project]\ndependencies = ["streamlit==1.30.0"]\n',
      'requirements-dev.txt': 'streamlit==1.31.0\n',
      'uv.lock': '[[package]]\nname = "streamlit"\nversion = "1.40.2"\n',
      '.venv/lib/python3.12/site-packages/streamlit-1.45.0.dist-info/METADATA': '',
      'interpreter/lib/python3.11/site-packages/streamlit-1.57.0.dist-info/METADATA': '',
    });
    const at = (extra: object = {}) => workspace.locationsFor(tree.path('app.py'), tree.root, { cwd: '', globalSecretsFile: '', ...extra });
    assert.equal(versionOf(at({ streamlitVersion: '1.21' })), '1.21.0');
    assert.equal(at({ streamlitVersion: '1.21' }).streamlitVersionSource?.source, 'setting');
    assert.equal(versionOf(at({ pythonPrefix: tree.path('interpreter') })), '1.57.0');
    assert.deepEqual(at().streamlitVersionSource, { source: 'virtual-environment', path: tree.path('.venv') });
    assert.equal(versionOf(at()), '1.45.0');
    fs.rmSync(tree.path('.venv'), { recursive: true });
    workspace.invalidate(tree.path('.venv'));
    assert.equal(versionOf(at()), '1.40.2');
    assert.equal(at().streamlitVersionSource?.source, 'uv.lock');
    tree.remove('uv.lock');
    workspace.invalidate(tree.path('uv.lock'));
    assert.equal(versionOf(at()), '1.31.0');
    tree.remove('requirements-dev.txt');
    workspace.invalidate(tree.path('requirements-dev.txt'));
    assert.equal(versionOf(at()), '1.30.0');
    tree.remove('pyproject.toml');
    workspace.invalidate(tree.path('pyproject.toml'));
    assert.equal(at().streamlitVersion, undefined);
  });

  test('the modelled version gates the chain: 1.45 does not read the entrypoint folder', () => {
    const { tree, workspace } = open({
      'apps/shop/app.py': '',
      'apps/shop/.streamlit/secrets.toml': 'shop = 1\n',
      'requirements.txt': 'streamlit==1.45.0\n',
    });
    const merged = workspace.mergedFor(workspace.locationsFor(tree.path('apps/shop/app.py'), tree.root, { cwd: '', globalSecretsFile: '' }));
    assert.deepEqual(merged.chain.sources.map((source) => source.role), ['global', 'project']);
    assert.equal(merged.entries.has('shop'), false);
  });

  test('launch.json decides $CWD, the entrypoint and secrets.files; the named configuration wins; a cwd setting wins', () => {
    const { tree, workspace } = open({
      'apps/shop/app.py': '',
      'apps/shop/pages/one.py': '',
      'apps/.streamlit/secrets.toml': 'from_apps_cwd = 1\n',
      'apps/run.toml': 'from_run = 1\n',
      '.vscode/launch.json': `{
        "configurations": [
          { "name": "Shop", "module": "streamlit", "cwd": "\${workspaceFolder}/apps", "args": ["run", "shop/app.py"] },
          { "name": "Shop (run.toml)", "module": "streamlit", "cwd": "apps", "args": ["run", "shop/app.py"], "env": { "STREAMLIT_SECRETS_FILES": "run.toml" } },
        ],
      }`,
    });
    const settings = { cwd: '', globalSecretsFile: '' };
    const first = workspace.locationsFor(tree.path('apps/shop/pages/one.py'), tree.root, settings);
    assert.equal(first.cwd, tree.path('apps'));
    assert.equal(first.entrypointDir, tree.path('apps/shop'));
    assert.equal(first.runConfiguration?.used.name, 'Shop');
    assert.deepEqual(first.runConfiguration?.others.map((run) => run.name), ['Shop (run.toml)']);
    assert.ok(workspace.mergedFor(first).entries.has('from_apps_cwd'));

    const named = workspace.locationsFor(tree.path('apps/shop/app.py'), tree.root, { ...settings, launchConfiguration: 'Shop (run.toml)' });
    const merged = workspace.mergedFor(named);
    assert.deepEqual([...merged.entries.keys()], ['from_run']);
    assert.equal(merged.chain.filesFromRun, '"Shop (run.toml)" (env)');

    assert.equal(workspace.locationsFor(tree.path('apps/shop/app.py'), tree.root, { ...settings, cwd: 'elsewhere' }).cwd, tree.path('elsewhere'));
  });

  test('an untrusted workspace: launch.json decides nothing (it could point the chain anywhere)', () => {
    const tree = new TempTree({
      'app.py': '',
      '.vscode/launch.json': '{ "configurations": [{ "name": "Elsewhere", "module": "streamlit", "cwd": "elsewhere", "args": ["run", "../app.py"] }] }',
    });
    trees.push(tree);
    let trusted = false;
    const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: () => undefined, home: () => tree.path('home'), runConfigurationsAllowed: () => trusted });
    workspaces.push(workspace);
    const settings = { cwd: '', globalSecretsFile: '' };
    const untrusted = workspace.locationsFor(tree.path('app.py'), tree.root, settings);
    assert.equal(untrusted.cwd, tree.root);
    assert.equal(untrusted.runConfiguration, undefined);
    trusted = true;
    assert.equal(workspace.locationsFor(tree.path('app.py'), tree.root, settings).cwd, tree.path('elsewhere'));
  });
});
