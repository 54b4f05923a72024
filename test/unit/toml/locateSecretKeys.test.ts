import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateSecretKeys } from '../../../server/src/toml/locateSecretKeys';
import { keyPathId } from '../../../server/src/toml/types';

function at(text: string, path: string[]) {
  const locs = locateSecretKeys(text).get(keyPathId(path)) ?? [];
  return locs.map((l) => [text.slice(l.keyRange.start, l.keyRange.end), text.slice(l.valueRange.start, l.valueRange.end)]);
}

test('dotted keys, headers, inline tables, arrays of tables', () => {
  const text = 'a.b = 1\n[c.d]\ne = {f = 2}\n[[g]]\nh = 3\n[[g]]\nh = 4\n';
  assert.deepEqual(at(text, ['a']), [['a', '1']]);
  assert.deepEqual(at(text, ['a', 'b']), [['b', '1']]);
  assert.deepEqual(at(text, ['c']), [['c', '[c.d]']]);
  assert.deepEqual(at(text, ['c', 'd']), [['d', '[c.d]']]);
  assert.deepEqual(at(text, ['c', 'd', 'e', 'f']), [['f', '2']]);
  assert.deepEqual(at(text, ['g']), [['g', '[[g]]'], ['g', '[[g]]']]);
  assert.deepEqual(at(text, ['g', 'h']), [['h', '3'], ['h', '4']]);
});

test('quoted keys are located by their value', () => {
  assert.deepEqual(at('"my key" = "v"', ['my key']), [['"my key"', '"v"']]);
});

test('keys Streamlit accepts but TOML 1.0 rejects', () => {
  assert.deepEqual(at('x = 1\nключ = 2', ['ключ']), [['ключ', '2']]);
  assert.deepEqual(at('\ufeffa = 1', ['\ufeffa']), [['\ufeffa', '1']]);
  const ext = 'a = {b = 1}\n[a.c]\nd = 2';
  assert.deepEqual(at(ext, ['a', 'c', 'd']), [['d', '2']]);
  assert.equal(at(ext, ['a']).length, 2);
});

test('never throws; best effort on broken documents', () => {
  assert.deepEqual(at('a = 1\nb = = 2\n', ['a']), [['a', '1']]);
  for (const text of ['', '[', 'a = "', '= 1', '\ufeff', 'a = [1, "x"]']) assert.doesNotThrow(() => locateSecretKeys(text));
});
