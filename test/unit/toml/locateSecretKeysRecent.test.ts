// locateSecretKeys remembers its last few results by text (a large file is located once per edit,
// not once per diagnostic). The results must always be those of the text asked about.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { locateSecretKeys } from '../../../server/src/toml/locateSecretKeys';
import { keyPathId } from '../../../server/src/toml/types';

const keysOf = (text: string): string[] => [...locateSecretKeys(text).keys()].sort();
const slice = (text: string, id: string): string | undefined => {
  const range = locateSecretKeys(text).get(id)?.[0]?.keyRange;
  return range === undefined ? undefined : text.slice(range.start, range.end);
};

describe('locateSecretKeys: recent results by text', () => {
  test('asking again for the same text (even a different string object) gives the same answer', () => {
    const text = 'a = 1\n[b]\nc = "x"\n';
    const first = locateSecretKeys(text);
    const again = locateSecretKeys(['a = 1\n', '[b]\n', 'c = "x"\n'].join(''));
    assert.equal(again, first);
    assert.deepEqual([...first.keys()].sort(), [keyPathId(['a']), keyPathId(['b']), keyPathId(['b', 'c'])].sort());
  });

  test('an edited text is located afresh, never answered from an older version', () => {
    const before = '[db]\nuser = "u"\n';
    const after = '[db]\nuser = "u"\npassword = "p"\n';
    assert.equal(slice(before, keyPathId(['db', 'password'])), undefined);
    assert.equal(slice(after, keyPathId(['db', 'password'])), 'password');
    // Same length, different content: offsets must come from the new text.
    assert.equal(slice('[ab]\nk = 1\n', keyPathId(['ab', 'k'])), 'k');
    assert.equal(slice('[a]\nkk = 1\n', keyPathId(['a', 'kk'])), 'kk');
  });

  test('older texts pushed out of the recent results are still located correctly', () => {
    const texts = Array.from({ length: 10 }, (_, i) => `key_${i} = ${i}\n[t${i}]\nx = 1\n`);
    for (const text of texts) keysOf(text);
    texts.forEach((text, i) => assert.deepEqual(keysOf(text), [keyPathId([`key_${i}`]), keyPathId([`t${i}`]), keyPathId([`t${i}`, 'x'])].sort()));
  });
});
