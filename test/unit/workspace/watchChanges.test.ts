// Changes on disk to what a chain reads are noticed by polling, including a change made right after
// the merge that read the path, before any poll ran: the first polled state is the one the merge saw.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { SecretsWorkspace } from '../../../server/src/workspace/secretsWorkspace';
import { TempTree } from '../../helpers/tempProject';

const trees: TempTree[] = [];
const workspaces: SecretsWorkspace[] = [];
after(() => {
  for (const workspace of workspaces) workspace.dispose();
  for (const tree of trees) tree.dispose();
});

function project(files: Record<string, string>) {
  const tree = new TempTree(files);
  trees.push(tree);
  const changed: string[][] = [];
  const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: (paths) => changed.push(paths), home: () => tree.path('home'), pollIntervalMs: 25 });
  workspaces.push(workspace);
  const merged = () => workspace.mergedFor(workspace.locationsFor(tree.path('app.py'), tree.root, { cwd: '', globalSecretsFile: '' }));
  return { tree, changed, merged };
}

/**
 * Holds every libuv thread-pool thread (4 unless UV_THREADPOOL_SIZE says otherwise) in an open() of
 * a FIFO that has no writer yet, so no asynchronous stat can run until `release()`: this makes the
 * race "changed before the watcher's first poll" happen every time instead of on a loaded machine.
 */
function occupyThreadPool(tree: TempTree): () => Promise<void> {
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const fifos = Array.from({ length: threads }, (_, i) => tree.path(`fifo-${i}`));
  for (const fifo of fifos) execFileSync('mkfifo', [fifo]);
  const opened = fifos.map((fifo) => fs.promises.open(fifo, 'r'));
  return async () => {
    // A reader is waiting on each FIFO, so a non-blocking open for writing succeeds and frees it.
    const writers = fifos.map((fifo) => fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    for (const handle of await Promise.all(opened)) await handle.close();
    for (const fd of writers) fs.closeSync(fd);
  };
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a secret folder created in the same tick as the merge that read its directory is noticed', async () => {
  const { tree, changed, merged } = project({ '.streamlit/config.toml': '[secrets]\nfiles = ["k8s"]\n', 'k8s/one/value': '1', 'app.py': '' });
  const release = occupyThreadPool(tree);
  assert.deepEqual([...merged().entries.keys()], ['one']);
  // The change lands before any poll of the directory could run.
  fs.mkdirSync(tree.path('k8s/two'));
  fs.writeFileSync(tree.path('k8s/two/value'), '2');
  await release();
  await until('the change to be reported', () => (changed.flat().includes(tree.path('k8s')) ? true : undefined));
  assert.deepEqual([...merged().entries.keys()].sort(), ['one', 'two']);
});

test('a secrets file rewritten in the same tick as the merge, then deleted, is noticed each time', async () => {
  const { tree, changed, merged } = project({ '.streamlit/secrets.toml': 'a = 1\n', 'app.py': '' });
  const release = occupyThreadPool(tree);
  assert.deepEqual([...merged().entries.keys()], ['a']);
  fs.writeFileSync(tree.path('.streamlit/secrets.toml'), 'a = 1\nb = 2\n');
  await release();
  await until('the rewrite', () => (changed.length > 0 ? true : undefined));
  assert.deepEqual([...merged().entries.keys()], ['a', 'b']);
  const seen = changed.length;
  fs.rmSync(tree.path('.streamlit/secrets.toml'));
  await until('the deletion', () => (changed.length > seen ? true : undefined));
  assert.equal(merged().noSecretsFound, true);
});
