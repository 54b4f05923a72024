// A repository controls what the server reads (`[secrets] files`, secret directories, links):
// hostile trees generated here (never stored) must be read within the budgets of
// workspace/readBudget.ts, say what was skipped, never claim a Streamlit error for it, and keep
// the number of polled paths bounded.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { defaultSettings } from '../../../common/settings';
import { configFileDiagnostics } from '../../../server/src/service/configFileDiagnostics';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { computePythonDiagnostics } from '../../../server/src/service/pythonDiagnostics';
import { readFileForAnalysis, readSecretDirectory } from '../../../server/src/workspace/fileReader';
import { maxChainBytes, maxConfiguredSources, maxSecretDirectoryBytes, maxSecretDirectoryEntries, maxWatchedPaths } from '../../../server/src/service/readBudget';
import { SecretsWorkspace } from '../../../server/src/workspace/secretsWorkspace';
import { TempTree } from '../../helpers/tempProject';
import { python } from '../service/secretsFixture';

const trees: TempTree[] = [];
const workspaces: SecretsWorkspace[] = [];
after(() => {
  for (const workspace of workspaces) workspace.dispose();
  for (const tree of trees) tree.dispose();
});

function project(files: Record<string, string> = {}): { tree: TempTree; workspace: SecretsWorkspace; merged: () => ReturnType<SecretsWorkspace['mergedFor']> } {
  const tree = new TempTree(files);
  trees.push(tree);
  const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: () => undefined, home: () => tree.path('home') });
  workspaces.push(workspace);
  const merged = () => workspace.mergedFor(workspace.locationsFor(tree.path('app.py'), tree.root, { cwd: '', globalSecretsFile: '' }));
  return { tree, workspace, merged };
}

/** A file of `bytes` bytes written in 1 MB pieces (no large string in the test either). */
function bigFile(filePath: string, bytes: number, line = 'x'): void {
  const piece = Buffer.alloc(1024 * 1024, line);
  const fd = fs.openSync(filePath, 'w');
  try {
    for (let written = 0; written < bytes; written += piece.length) fs.writeSync(fd, piece, 0, Math.min(piece.length, bytes - written));
  } finally {
    fs.closeSync(fd);
  }
}

const readsMissingKey = 'import streamlit as st\nst.secrets["not_there"]\nst.secrets.s0\n';

describe('reading budgets', () => {
  test('1,000 symbolic links to one 5 MB file in a secret directory: one read, then it stops and says so', () => {
    const { tree, merged } = project({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = ["k8s"]\n' });
    bigFile(tree.path('big'), 5 * 1024 * 1024 - 16);
    for (let i = 0; i < 1000; i++) {
      fs.mkdirSync(tree.path('k8s', `s${i}`), { recursive: true });
      fs.symlinkSync(tree.path('big'), tree.path('k8s', `s${i}`, 'v'));
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const result = merged();
    const grown = process.memoryUsage().heapUsed - heapBefore;
    assert.equal(result.loadError, undefined, 'a budget is not a Streamlit error');
    assert.ok(result.incomplete !== undefined, 'the skipped part is reported');
    assert.match(result.incomplete.message, /larger than 8\.0 MB/);
    assert.equal(result.sources[0]!.kind, 'directory');
    assert.equal(result.entries.size, 1, 'only what fits is read');
    // What was read stays within the directory budget (texts are held as strings of the same length).
    assert.ok(grown < maxSecretDirectoryBytes * 3, `heap grew by ${grown} bytes`);
    // The Python side says nothing wrong about keys it cannot know.
    const { document, analysis, misreads } = python(readsMissingKey);
    assert.deepEqual(computePythonDiagnostics(document, analysis, misreads, result, defaultSettings), []);
  });

  test('a secret directory with more entries than the budget: the first ones are read, the rest is reported', () => {
    const { tree } = project();
    for (let i = 0; i < maxSecretDirectoryEntries + 10; i++) fs.mkdirSync(tree.path('k8s', `d${String(i).padStart(5, '0')}`), { recursive: true });
    fs.writeFileSync(tree.path('k8s', 'd00000', 'v'), 'value');
    const listing = readSecretDirectory(tree.path('k8s'));
    assert.ok('subfolders' in listing);
    assert.match(listing.incomplete ?? '', /more than 2,000 entries/);
    assert.ok(listing.subfolders.length <= maxSecretDirectoryEntries);
    assert.deepEqual(listing.subfolders[0], { name: 'd00000', files: [{ name: 'v', text: 'value' }] });
  });

  test('a chain of large TOML files: read up to the chain budget, the next one is skipped, not called broken', () => {
    const files = ['a.toml', 'b.toml', 'c.toml', 'd.toml'];
    const { tree, merged } = project({ 'app.py': '', '.streamlit/config.toml': `[secrets]\nfiles = ${JSON.stringify(files)}\n` });
    for (const [index, name] of files.entries()) {
      fs.writeFileSync(tree.path(name), `key${index} = "${'v'.repeat(4_500_000)}"\n`);
    }
    const result = merged();
    assert.equal(result.loadError, undefined);
    const read = result.sources.filter((source) => source.root !== undefined).length;
    assert.equal(read, Math.floor(maxChainBytes / 4_500_000));
    assert.match(result.sources[read]!.incomplete ?? '', /together are larger than 16\.0 MB/);
    assert.equal(result.incomplete?.source, read);
  });

  test('a secrets file over 5 MB: Streamlit still reads it, so it is skipped, not reported as failing', () => {
    const { tree, merged } = project({ 'app.py': '', '.streamlit/secrets.toml': '' });
    bigFile(tree.path('.streamlit/secrets.toml'), 6 * 1024 * 1024, '#');
    const result = merged();
    assert.equal(result.loadError, undefined);
    assert.match(result.incomplete?.message ?? '', /too large/);
    const { document, analysis, misreads } = python(readsMissingKey);
    assert.deepEqual(computePythonDiagnostics(document, analysis, misreads, result, defaultSettings), []);
  });

  test('100,000 entries in [secrets] files: the first 100 are read, the rest reported, watchers stay bounded', () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => `s${i}.toml`);
    const { tree, workspace, merged } = project({ 'app.py': '', '.streamlit/config.toml': `[secrets]\nfiles = ${JSON.stringify(entries)}\n` });
    const started = performance.now();
    const result = merged();
    const elapsed = performance.now() - started;
    assert.equal(result.sources.length, maxConfiguredSources);
    assert.match(result.incomplete?.message ?? '', /only the first 100 of the 100,000 entries/);
    assert.equal(result.noSecretsFound, false, 'unread entries may exist: "No secrets found" is not known');
    assert.ok(workspace.watchedPaths().length <= maxWatchedPaths, `${workspace.watchedPaths().length} paths polled`);
    console.log(`100,000 configured entries merged in ${elapsed.toFixed(0)} ms`);
    // The config.toml says what was skipped; only the entries that are read are checked one by one.
    const configPath = tree.path('.streamlit/config.toml');
    const text = fs.readFileSync(configPath, 'utf8');
    const statted: string[] = [];
    const diagnostics = configFileDiagnostics({
      document: TextDocument.create('file:///config.toml', 'streamlit-config', 1, text),
      filePath: configPath,
      parsed: parseSecretsToml(text),
      cwd: tree.root,
      pathKind: (p) => (statted.push(p), 'missing'),
      merged: result,
    });
    assert.equal(statted.length, maxConfiguredSources);
    const budget = diagnostics.find((d) => d.code === 'config-secrets-files-budget');
    assert.match(budget?.message ?? '', /only the first 100 of the 100,000 entries/);
    assert.equal(diagnostics.filter((d) => d.code === 'config-secrets-files-missing').length, maxConfiguredSources);
  });

  test('watchers follow the chain: a path that leaves it is no longer polled, and never more than the cap', () => {
    const { tree, workspace, merged } = project({ 'app.py': '', '.streamlit/config.toml': '[secrets]\nfiles = ["one.toml"]\n', 'one.toml': 'a = 1\n', 'two.toml': 'b = 1\n' });
    merged();
    assert.ok(workspace.watchedPaths().includes(tree.path('one.toml')));
    tree.write({ '.streamlit/config.toml': '[secrets]\nfiles = ["two.toml"]\n' });
    workspace.invalidate(tree.path('.streamlit/config.toml'));
    merged();
    assert.ok(workspace.watchedPaths().includes(tree.path('two.toml')));
    assert.ok(!workspace.watchedPaths().includes(tree.path('one.toml')), 'the path that left the chain is still polled');
    // Changed while nobody polled it, then back in the chain: read again, not the old parse.
    tree.write({ 'one.toml': 'a = 1\nchanged_meanwhile = 1\n' });
    tree.write({ '.streamlit/config.toml': '[secrets]\nfiles = ["one.toml"]\n' });
    workspace.invalidate(tree.path('.streamlit/config.toml'));
    assert.ok(merged().entries.has('changed_meanwhile'), 'a stale parse of an unpolled file was used');
    // Many secret-directory subfolders (each a watched path): the cap holds.
    for (let i = 0; i < maxWatchedPaths + 50; i++) tree.write({ [`k8s/s${i}/v`]: 'x' });
    tree.write({ '.streamlit/config.toml': '[secrets]\nfiles = ["k8s"]\n' });
    workspace.invalidate(tree.path('.streamlit/config.toml'));
    assert.equal(merged().entries.size, maxWatchedPaths + 50);
    assert.equal(workspace.watchedPaths().length, maxWatchedPaths);
  });

  test('a FIFO is refused at once, as a secrets file and inside a secret directory', () => {
    const { tree, merged } = project({ 'app.py': '', 'k8s/s/.keep': '' });
    fs.mkdirSync(tree.path('.streamlit'));
    execFileSync('mkfifo', [tree.path('.streamlit/secrets.toml'), tree.path('k8s/s/v')]);
    const read = readFileForAnalysis(tree.path('.streamlit/secrets.toml'));
    assert.deepEqual(read, { type: 'unreadable', reason: 'it is not a regular file' });
    assert.match(merged().loadError?.message ?? '', /not a regular file/);
    const listing = readSecretDirectory(tree.path('k8s'));
    assert.match('error' in listing ? listing.error : '', /not a regular file/);
  });
});
