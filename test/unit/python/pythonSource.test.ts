import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Tree, type TreeBuffer } from '@lezer/common';
import { analyzePythonSecrets } from '../../../server/src/python/analyzePythonSecrets';
import { completionContextAt } from '../../../server/src/python/completionContext';
import { createPythonSource, updatePythonSource, type PythonSource, type PythonSourceEdit } from '../../../server/src/python/pythonSource';
import { stImport } from './helpers';

function applyEdits(text: string, edits: readonly PythonSourceEdit[]): string {
  let result = text;
  for (const edit of edits) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

function update(previous: PythonSource, edits: PythonSourceEdit[]): PythonSource {
  return updatePythonSource(previous, applyEdits(previous.text, edits), edits);
}

/** Same analysis, same completion contexts and the same tree as a fresh parse of the same text. */
function assertSameAsFresh(incremental: PythonSource, probes: number[] = []): void {
  const fresh = createPythonSource(incremental.text);
  assert.equal(incremental.tree.length, incremental.text.length);
  assert.deepEqual(analyzePythonSecrets(incremental), analyzePythonSecrets(fresh), incremental.text);
  for (const offset of probes) {
    assert.deepEqual(completionContextAt(incremental, offset), completionContextAt(fresh, offset), `at ${offset} in ${JSON.stringify(incremental.text)}`);
  }
}

const block = (i: number): string =>
  [
    `def handler_${i}():`,
    `    user = st.secrets.db_${i}.user`,
    `    pw = st.secrets["db_${i}"]["password"]`,
    `    token = os.getenv("TOKEN_${i}")`,
    `    if "flag_${i}" in st.secrets:`,
    `        conn = st.connection("conn_${i}", type="sql")`,
    `    return user, pw, token  # comment ${i}`,
    '',
  ].join('\n');

function largeDocument(lines: number): string {
  const parts = [stImport];
  let count = 2;
  for (let i = 0; count < lines; i++) {
    parts.push(block(i) + '\n');
    count += 8;
  }
  return parts.join('');
}

/** The subtrees and buffers a lezer tree is built from. */
function treeParts(tree: Tree): Array<Tree | TreeBuffer> {
  const parts: Array<Tree | TreeBuffer> = [];
  const visit = (node: Tree | TreeBuffer): void => {
    parts.push(node);
    if (node instanceof Tree) for (const child of node.children) visit(child);
  };
  visit(tree);
  return parts;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('pythonSource', () => {
  test('createPythonSource parses the whole text', () => {
    const source = createPythonSource('x = 1\n');
    assert.equal(source.text, 'x = 1\n');
    assert.equal(source.tree.length, 6);
    assert.ok(source.fragments.length > 0);
  });

  test('a one-character edit is re-parsed incrementally and matches a fresh parse', () => {
    const before = createPythonSource(stImport + 'x = st.secrets.db\ny = 2\n');
    const at = before.text.indexOf('db') + 2;
    const after = update(before, [{ start: at, end: at, text: 'x' }]);
    assert.deepEqual(
      analyzePythonSecrets(after).accesses.map((a) => a.segments.map((s) => s.key)),
      [['dbx']],
    );
    assertSameAsFresh(after, [at + 1]);
  });

  test('several edits in LSP order (each relative to the previous result)', () => {
    const before = createPythonSource(stImport + 'a = st.secrets.one\nb = st.secrets.two\n');
    const edits: PythonSourceEdit[] = [
      { start: before.text.indexOf('one'), end: before.text.indexOf('one') + 3, text: 'first' },
      // After the first edit `two` moved two characters to the right.
      { start: before.text.indexOf('two') + 2, end: before.text.indexOf('two') + 5, text: 'second["k"]' },
      { start: 0, end: 0, text: '# header\n' },
    ];
    const after = update(before, edits);
    assert.equal(after.text, '# header\n' + stImport + 'a = st.secrets.first\nb = st.secrets.second["k"]\n');
    assert.deepEqual(
      analyzePythonSecrets(after).accesses.map((a) => a.segments.map((s) => s.key)),
      [['first'], ['second', 'k']],
    );
    assertSameAsFresh(after);
  });

  test('inconsistent edits fall back to a full parse', () => {
    const before = createPythonSource(stImport + 'st.secrets.a\n');
    const newText = stImport + 'st.secrets.b\nst.secrets.c\n';
    const after = updatePythonSource(before, newText, [{ start: 0, end: 1, text: '' }]);
    assert.equal(after.text, newText);
    assertSameAsFresh(after);
    const outOfRange = updatePythonSource(before, newText, [{ start: 5, end: 9999, text: '' }]);
    assert.deepEqual(analyzePythonSecrets(outOfRange), analyzePythonSecrets(createPythonSource(newText)));
  });

  test('no edits: same text, new version', () => {
    const before = createPythonSource(stImport + 'st.secrets.a\n');
    const after = updatePythonSource(before, before.text, []);
    assertSameAsFresh(after);
  });

  test('randomised edit sequences give the same results as fresh parses', () => {
    const snippets = [
      'st.secrets.',
      'st.secrets["',
      '["db"]',
      '.get("k")',
      '"',
      "'",
      '\n',
      '    ',
      '(',
      ')',
      ']',
      '#',
      'x = ',
      'def f(st):\n    ',
      'import streamlit as st\n',
      'from os import getenv\n',
      'os.environ["K"]',
      'getenv("A")',
      '"k" in st.secrets.db',
      'st.connection("c")',
      'if x:\n    ',
      '"""',
      'é😀',
    ];
    const base = stImport + block(0) + block(1) + block(2);
    for (let seed = 1; seed <= 20; seed++) {
      const next = random(seed);
      let source = createPythonSource(base);
      for (let step = 0; step < 15; step++) {
        const length = source.text.length;
        const edits: PythonSourceEdit[] = [];
        const count = 1 + Math.floor(next() * 2);
        let text = source.text;
        for (let e = 0; e < count; e++) {
          const start = Math.floor(next() * (text.length + 1));
          const kind = next();
          const end = kind < 0.4 ? start : Math.min(text.length, start + Math.floor(next() * 12));
          const inserted = kind < 0.8 ? snippets[Math.floor(next() * snippets.length)]! : '';
          edits.push({ start, end, text: inserted });
          text = applyEdits(text, [edits[edits.length - 1]!]);
        }
        source = update(source, edits);
        assert.equal(source.text, text);
        const probes = [0, 1, 2].map(() => Math.floor(next() * (source.text.length + 1)));
        try {
          assertSameAsFresh(source, probes);
        } catch (error) {
          throw new Error(`seed ${seed}, step ${step} (length ${length}): ${String(error)}`);
        }
      }
    }
  });
});

describe('pythonSource: a 20,000-line document', () => {
  const text = largeDocument(20_000);
  const parsed = createPythonSource(text);

  test('is analysed completely', () => {
    const lines = text.split('\n').length;
    assert.ok(lines >= 20_000, `${lines} lines`);
    const analysis = analyzePythonSecrets(parsed);
    const blocks = Math.ceil((20_000 - 2) / 8);
    // Per block: db_i.user, ["db_i"]["password"], getenv, "flag_i" in st.secrets.
    assert.equal(analysis.accesses.length, blocks * 4);
    assert.equal(analysis.connections.length, blocks);
    const last = analysis.accesses[analysis.accesses.length - 1]!;
    assert.equal(last.membershipKey?.key, `flag_${blocks - 1}`);
  });

  test('a one-character edit reuses the old tree and gives the same analysis', () => {
    const before = parsed;
    const at = text.lastIndexOf('db_') + 3;
    const after = update(before, [{ start: at, end: at, text: 'x' }]);
    // Incremental parsing keeps the untouched subtrees: most leaves of the new tree are the very same objects.
    const oldParts = new Set(treeParts(before.tree));
    const newParts = treeParts(after.tree);
    const reused = newParts.filter((part) => oldParts.has(part)).length;
    assert.ok(reused > newParts.length * 0.9, `${reused} of ${newParts.length} subtrees reused`);
    assertSameAsFresh(after, [at + 1]);

    // Typing a completion trigger in the middle of the file, then the rest of a key.
    const middle = text.indexOf('\n', Math.floor(text.length / 2)) + 1;
    let typing = updatePythonSource(after, after.text, []);
    typing = update(typing, [{ start: middle, end: middle, text: 'v = st.secrets.\n' }]);
    const dot = middle + 'v = st.secrets.'.length;
    assert.deepEqual(completionContextAt(typing, dot), { kind: 'secrets-attribute', parentPath: [], replaceRange: { start: dot, end: dot }, dotOffset: dot - 1 });
    typing = update(typing, [{ start: dot, end: dot, text: 'db_7' }]);
    assert.ok(
      analyzePythonSecrets(typing).accesses.some((a) => a.range.start === middle + 4 && a.segments[0]?.key === 'db_7'),
    );
    assertSameAsFresh(typing);
  });
});
