import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SyntaxNode } from '@lezer/common';
import { createPythonSource } from '../../../server/src/python/pythonSource';
import { decodeEscapes, readStringLiteral } from '../../../server/src/python/stringLiteral';
import { slice } from './helpers';

/** The first string literal of `code`, read back. */
function literalOf(code: string) {
  const source = createPythonSource(code);
  let found: SyntaxNode | undefined;
  source.tree.iterate({
    enter(ref) {
      if (found) return false;
      if (ref.name === 'String' || ref.name === 'FormatString') {
        found = ref.node;
        return false;
      }
      return undefined;
    },
  });
  assert.ok(found, code);
  const literal = readStringLiteral(found, code);
  assert.ok(literal, code);
  return { ...literal, content: slice(code, literal.contentRange), whole: slice(code, literal.literalRange) };
}

describe('readStringLiteral', () => {
  const cases: Array<[string, string | undefined, Partial<{ prefix: string; quote: string; long: boolean; terminated: boolean; content: string }>]> = [
    ['x = "abc"', 'abc', { prefix: '', quote: '"', long: false, terminated: true, content: 'abc' }],
    ["x = 'a\\'b'", "a'b", { quote: "'", terminated: true, content: "a\\'b" }],
    ['x = "a\\nb\\\\"', 'a\nb\\', { terminated: true }],
    ['x = r"a\\nb"', 'a\\nb', { prefix: 'r', terminated: true }],
    ['x = R"a\\"b"', 'a\\"b', { prefix: 'R', terminated: true }],
    ['x = u"é"', 'é', { prefix: 'u' }],
    ['x = b"abc"', undefined, { prefix: 'b', terminated: true }],
    ['x = rb"abc"', undefined, { prefix: 'rb' }],
    ['x = f"abc"', 'abc', { prefix: 'f', terminated: true }],
    ['x = f"a{{b}}"', 'a{b}', { prefix: 'f' }],
    ['x = f"a{b}"', undefined, { prefix: 'f', terminated: true }],
    ['x = """a\nb"""', 'a\nb', { long: true, terminated: true, content: 'a\nb' }],
    ["x = '''q'''", 'q', { long: true, quote: "'", terminated: true }],
    ['x = ""', '', { terminated: true, content: '' }],
    ['x = "abc\ny = 1', 'abc', { terminated: false, content: 'abc' }],
    ['x = "', '', { terminated: false, content: '' }],
    ['x = "abc\\"\n', 'abc"', { terminated: false, content: 'abc\\"' }],
    ['x = "a\\\\"\n', 'a\\', { terminated: true }],
    ['x = "\\N{BULLET}"', undefined, { terminated: true }],
    ['x = "\\x4"', undefined, { terminated: true }],
  ];
  for (const [code, value, expected] of cases) {
    test(JSON.stringify(code), () => {
      const literal = literalOf(code);
      assert.equal(literal.value, value);
      for (const [key, want] of Object.entries(expected)) assert.equal((literal as Record<string, unknown>)[key], want, key);
    });
  }

  test('decodeEscapes', () => {
    assert.equal(decodeEscapes('plain'), 'plain');
    assert.equal(decodeEscapes('\\t\\r\\n\\a\\b\\f\\v\\0'), '\t\r\n\x07\b\f\v\0');
    assert.equal(decodeEscapes('\\101\\x42\\u0043\\U0001F600'), 'ABC😀');
    assert.equal(decodeEscapes('a\\\nb'), 'ab');
    assert.equal(decodeEscapes('\\d\\q'), '\\d\\q');
    assert.equal(decodeEscapes('\\U00110000'), undefined);
  });
});
