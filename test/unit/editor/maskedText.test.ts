import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VALUE_MASK, maskSecretsText } from '../../../client/src/editor/maskedText';

describe('maskSecretsText (what Peek and the definition preview show of a secrets file)', () => {
  const text = '# comment = "kept"\ntoken = "s3cr3t-value"\n[db]\npassword = "hunter2"\nport = 5432\ninline = { user = "alice", pw = "pw-xyz" }\nmulti = """\nline-one\nline-two"""\n';

  test('every value becomes the mask; keys, headers, comments and line structure stay', () => {
    const masked = maskSecretsText(text).text;
    for (const value of ['s3cr3t-value', 'hunter2', '5432', 'alice', 'pw-xyz', 'line-one', 'line-two']) assert.ok(!masked.includes(value), `${value} in ${masked}`);
    assert.equal(masked.split('\n').length, text.split('\n').length);
    assert.equal(masked.split('\n')[1], `token = ${VALUE_MASK}`);
    assert.equal(masked.split('\n')[2], '[db]');
    assert.equal(masked.split('\n')[0], '# comment = "kept"');
    assert.equal(masked.split('\n')[5], `inline = { user = ${VALUE_MASK}, pw = ${VALUE_MASK} }`);
    assert.equal(maskSecretsText('a = 1\r\nb = 2').text, `a = ${VALUE_MASK}\r\nb = ${VALUE_MASK}`);
  });

  test('columns map both ways: keys after a value on the same line land on the same key', () => {
    const masked = maskSecretsText(text);
    const line = 5;
    const realLine = text.split('\n')[line]!;
    const maskedLine = masked.text.split('\n')[line]!;
    const pw = realLine.indexOf('pw =');
    assert.equal(masked.toMasked(line, pw), maskedLine.indexOf('pw ='));
    assert.equal(masked.toReal(line, maskedLine.indexOf('pw =')), pw);
    // Before any value nothing moves; inside a value → the start of the mask / of the value.
    assert.equal(masked.toMasked(line, 0), 0);
    assert.equal(masked.toMasked(line, realLine.indexOf('alice')), maskedLine.indexOf(VALUE_MASK));
    assert.equal(masked.toReal(line, maskedLine.indexOf(VALUE_MASK) + 3), realLine.indexOf('"alice"'));
    // The end of the line maps to the end of the line.
    assert.equal(masked.toMasked(line, realLine.length), maskedLine.length);
    assert.equal(masked.toReal(line, maskedLine.length), realLine.length);
  });
});
