// Streamlit's exact load outcome for `[secrets] files` and secret directories
// (docs/streamlit-model.md §1), through the real workspace reading a real folder.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SecretsWorkspace } from '../../../server/src/workspace/secretsWorkspace';
import { parseStreamlitVersion } from '../../../server/src/service/streamlitVersion';
import { TempTree } from '../../helpers/tempProject';

function project(files: Record<string, string>) {
  const tree = new TempTree(files);
  const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: () => undefined, home: () => tree.path('home') });
  const merged = (version?: string) => {
    const locations = workspace.locationsFor(tree.path('app.py'), tree.root, { cwd: '', globalSecretsFile: '' });
    const parsed = version === undefined ? undefined : parseStreamlitVersion(version);
    if (parsed !== undefined) locations.streamlitVersion = parsed;
    return workspace.mergedFor(locations);
  };
  return { tree, workspace, merged, dispose: () => (workspace.dispose(), tree.dispose()) };
}

describe('[secrets] files: Streamlit\'s exact outcome', () => {
  const cleanups: (() => void)[] = [];
  after(() => cleanups.forEach((dispose) => dispose()));
  const make = (files: Record<string, string>) => {
    const p = project(files);
    cleanups.push(p.dispose);
    return p;
  };

  test('a string is iterated character by character: the load fails on its first character', () => {
    const p = make({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = "other.toml"\n', 'other.toml': 'a = 1\n' });
    const merged = p.merged();
    assert.deepEqual(merged.chain.sources.map((source) => source.entry), ['o', 't', 'h', 'e', 'r', '.', 't', 'o', 'm', 'l']);
    assert.equal(merged.loadError?.message, 'Invalid secrets path: o: path is not a .toml file or a directory');
    assert.equal(merged.noSecretsFound, false);
  });

  test('an empty list reads no file: "No secrets found" with an empty list of paths', () => {
    const p = make({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = []\n', '.streamlit/secrets.toml': 'a = 1\n' });
    const merged = p.merged();
    assert.deepEqual(merged.sources, []);
    assert.equal(merged.noSecretsFound, true);
    assert.equal(merged.entries.size, 0);
  });

  test('a plain file directly inside a secret directory fails the load, named as written', () => {
    const p = make({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = ["k8s"]\n', 'k8s/db/password': 'pw\n', 'k8s/stray.txt': 'x' });
    const merged = p.merged();
    assert.equal(
      merged.loadError?.message,
      'k8s/stray.txt is not a folder. To use directory based secrets, mount every secret in a subfolder under the secret directory',
    );
  });

  test('a secret directory holding only empty subfolders, as the only source, is "No secrets found"', () => {
    const p = make({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = ["k8s"]\n' });
    fs.mkdirSync(p.tree.path('k8s/empty'), { recursive: true });
    const merged = p.merged();
    assert.equal(merged.noSecretsFound, true);
    assert.equal(merged.loadError, undefined);
  });

  test('an empty subfolder beside a found source becomes an empty table; folders inside a subfolder are skipped', () => {
    const p = make({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = ["k8s", "s.toml"]\n', 's.toml': 'a = 1\n', 'k8s/api/nested/ignored': 'x', 'k8s/api/key': 'k' });
    fs.mkdirSync(p.tree.path('k8s/empty'), { recursive: true });
    const merged = p.merged();
    assert.equal(merged.noSecretsFound, false);
    assert.equal(merged.loadError, undefined);
    assert.equal(merged.entries.get('empty')?.node.kind, 'table');
    assert.equal(merged.entries.get('empty')?.node.children?.size, 0);
    assert.equal(merged.entries.get('api')?.node.kind, 'string');
  });

  test('a config.toml Streamlit cannot parse is ignored for secrets.files: the default list applies', () => {
    const p = make({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = ["other.toml"]\n[broken\n', '.streamlit/secrets.toml': 'a = 1\n' });
    const merged = p.merged();
    assert.equal(merged.chain.filesFromConfig, undefined);
    assert.deepEqual(merged.chain.sources.map((source) => source.role), ['global', 'project']);
    assert.ok(merged.entries.has('a'));
  });

  test('before 1.38 [secrets] files is not an option: the default files are read', () => {
    const p = make({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = []\n', '.streamlit/secrets.toml': 'a = 1\n' });
    assert.equal(p.merged('1.37.1').noSecretsFound, false);
    assert.ok(p.merged('1.37.1').entries.has('a'));
    assert.equal(p.merged('1.38.0').noSecretsFound, true);
  });
});
