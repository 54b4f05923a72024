// The background reference index leaves files open in the editor to their buffers (requests read
// those) and picks them up from disk when they are closed.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PythonReferenceIndex } from '../../../server/src/workspace/pythonReferenceIndex';
import { TempTree } from '../../helpers/tempProject';

const reads = (key: string): string => `import streamlit as st\nvalue = st.secrets["${key}"]\n`;

describe('PythonReferenceIndex and open files', () => {
  const tree = new TempTree({ 'app.py': reads('a'), 'pages/page.py': reads('b') });
  after(() => tree.dispose());

  test('an open file is not indexed from disk; once closed and refreshed, it is', async () => {
    const open = new Set([tree.path('app.py')]);
    const index = new PythonReferenceIndex({ isOpen: (filePath) => open.has(filePath) });
    index.scanFolders([tree.root]);
    await index.whenIdle();
    assert.deepEqual([...index.entries()].map((file) => file.filePath), [tree.path('pages/page.py')]);
    open.clear();
    index.refresh(tree.path('app.py'));
    await index.whenIdle();
    assert.deepEqual([...index.entries()].map((file) => file.filePath).sort(), [tree.path('app.py'), tree.path('pages/page.py')]);
    index.dispose();
  });

  test('a file opened after it was indexed is dropped when refreshed, and without isOpen every file is indexed', async () => {
    const open = new Set<string>();
    const index = new PythonReferenceIndex({ isOpen: (filePath) => open.has(filePath) });
    index.scanFolders([tree.root]);
    await index.whenIdle();
    assert.equal([...index.entries()].length, 2);
    open.add(tree.path('pages/page.py'));
    index.refresh(tree.path('pages/page.py'));
    await index.whenIdle();
    assert.deepEqual([...index.entries()].map((file) => file.filePath), [tree.path('app.py')]);
    index.dispose();
    const plain = new PythonReferenceIndex();
    plain.scanFolders([tree.root]);
    await plain.whenIdle();
    assert.equal([...plain.entries()].length, 2);
    plain.dispose();
  });
});
