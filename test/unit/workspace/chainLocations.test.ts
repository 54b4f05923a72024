// SecretsWorkspace.locationsFor answers per folder from a cache (find-references asks for every
// indexed file). The cache must follow `.streamlit` folders appearing, settings and the home folder,
// and hand out copies.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretsWorkspace } from '../../../server/src/workspace/secretsWorkspace';
import { TempTree } from '../../helpers/tempProject';

describe('SecretsWorkspace.locationsFor', () => {
  const tree = new TempTree({ 'app.py': '', 'pages/one.py': '', 'pages/two.py': '', 'tools/admin/app.py': '', '.streamlit/secrets.toml': 'a = "x"\n' });
  let home = tree.path('home');
  const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: () => undefined, home: () => home });
  const settings = { cwd: '', globalSecretsFile: '' };
  after(() => {
    workspace.dispose();
    tree.dispose();
  });

  test('files of one folder share their app; a nested app with its own .streamlit gets its folder', () => {
    const one = workspace.locationsFor(tree.path('pages/one.py'), tree.root, settings);
    assert.deepEqual(workspace.locationsFor(tree.path('pages/two.py'), tree.root, settings), one);
    assert.deepEqual(one, { home, cwd: tree.root });
    tree.write({ 'tools/admin/.streamlit/secrets.toml': 'b = 1\n' });
    workspace.invalidate(tree.path('tools/admin/.streamlit/secrets.toml'));
    assert.equal(workspace.locationsFor(tree.path('tools/admin/app.py'), tree.root, settings).entrypointDir, tree.path('tools/admin'));
  });

  test('a .streamlit folder appearing later moves the folder to its own app once something is invalidated', () => {
    assert.equal(workspace.locationsFor(tree.path('pages/one.py'), tree.root, settings).entrypointDir, undefined);
    tree.write({ 'pages/.streamlit/secrets.toml': 'c = 1\n' });
    workspace.invalidate(tree.path('pages/.streamlit/secrets.toml'));
    assert.equal(workspace.locationsFor(tree.path('pages/one.py'), tree.root, settings).entrypointDir, tree.path('pages'));
    tree.remove('pages/.streamlit');
    workspace.invalidate();
    assert.equal(workspace.locationsFor(tree.path('pages/one.py'), tree.root, settings).entrypointDir, undefined);
  });

  test('settings and the home folder are part of the answer', () => {
    assert.equal(workspace.locationsFor(tree.path('app.py'), tree.root, { cwd: 'tools', globalSecretsFile: '' }).cwd, tree.path('tools'));
    assert.equal(workspace.locationsFor(tree.path('app.py'), tree.root, { cwd: '', globalSecretsFile: '/etc/s.toml' }).globalSecretsFile, '/etc/s.toml');
    assert.equal(workspace.locationsFor(tree.path('app.py'), tree.root, settings).globalSecretsFile, undefined);
    home = tree.path('other-home');
    assert.equal(workspace.locationsFor(tree.path('app.py'), tree.root, settings).home, tree.path('other-home'));
  });

  test('answers are copies: changing one does not change the next', () => {
    const first = workspace.locationsFor(tree.path('app.py'), tree.root, settings);
    first.cwd = '/elsewhere';
    assert.equal(workspace.locationsFor(tree.path('app.py'), tree.root, settings).cwd, tree.root);
  });

  test('chains with the same locations share one merge; different ones do not', () => {
    const a = workspace.mergedFor(workspace.locationsFor(tree.path('pages/one.py'), tree.root, settings));
    const b = workspace.mergedFor(workspace.locationsFor(tree.path('pages/two.py'), tree.root, settings));
    const c = workspace.mergedFor(workspace.locationsFor(tree.path('tools/admin/app.py'), tree.root, settings));
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.ok(c.entries.has('b') && !a.entries.has('b'));
  });
});
