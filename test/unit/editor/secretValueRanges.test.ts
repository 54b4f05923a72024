// The value ranges the editor masks: every scalar value (multi-line strings, arrays, inline tables
// included) and nothing else — keys, headers and comments stay visible. Checked on hand-written
// cases, and against the TextMate grammar as an independent oracle on every TOML 1.0 fixture.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { findMaskedValueRanges, findSecretValueRanges, splitByLines } from '../../../client/src/editor/secretValueRanges';
import { corpusValidDir, isKeyScope } from '../grammar/corpus';
import { fixturesDir, tokenize } from '../grammar/tokenize';

/** The masked texts, in order. */
function masked(text: string): string[] {
  return findSecretValueRanges(text).map((range) => text.slice(range.start, range.end));
}

/** The text with every masked character replaced by `*` (line breaks kept). */
function censor(text: string): string {
  // Offsets are UTF-16 code units.
  const units = text.split('');
  for (const range of findSecretValueRanges(text)) for (let i = range.start; i < range.end; i++) if (units[i] !== '\n' && units[i] !== '\r') units[i] = '*';
  return units.join('');
}

describe('findSecretValueRanges', () => {
  test('scalars after key = are masked; keys, headers and comments are not', () => {
    const text = '# top comment\ntitle = "hello" # trailing\n[db]\nport = 5432\nratio=0.5\non = true\nwhen = 1979-05-27 07:32:00Z  # c\n';
    assert.equal(censor(text), '# top comment\ntitle = ******* # trailing\n[db]\nport = ****\nratio=***\non = ****\nwhen = ******************** # c\n'.replace('******************** # c', '********************  # c'));
  });

  test('quoted and dotted keys, literal strings, escapes', () => {
    assert.deepEqual(masked(`"a = b".'c#d' = 'lit#eral'\nx = "q\\"uote # not a comment"\n`), ["'lit#eral'", '"q\\"uote # not a comment"']);
  });

  test('multi-line strings are masked whole, across lines, including the quotes that end them', () => {
    const text = 'key = """\nline one\nline "two" ""\n"""\npem = \'\'\'\n-----BEGIN-----\n\'\'\'\nafter = 1\nfour = """a""""\n';
    assert.deepEqual(masked(text), ['"""\nline one\nline "two" ""\n"""', "'''\n-----BEGIN-----\n'''", '1', '"""a""""']);
  });

  test('escaped quotes and line-ending backslashes inside a multi-line basic string', () => {
    assert.deepEqual(masked('k = """a\\"""b\\\n  c"""\nz = 2\n'), ['"""a\\"""b\\\n  c"""', '2']);
  });

  test('arrays: each item masked, brackets, commas and comments visible, across lines', () => {
    const text = 'hosts = [\n  "alpha", # first\n  "beta",\n  [1, 2],\n]\n';
    assert.equal(censor(text), 'hosts = [\n  *******, # first\n  ******,\n  [*, *],\n]\n');
  });

  test('inline tables: keys visible, values masked, nested', () => {
    const text = 'db = { user = "u", password = "p w", opts = { ssl = true, ports = [1, 2] } }\n';
    assert.equal(censor(text), 'db = { user = ***, password = *****, opts = { ssl = ****, ports = [*, *] } }\n');
  });

  test('arrays of inline tables and array tables', () => {
    const text = '[[users]]\nname = "a"\nroles = [{ role = "admin" }, { role = "ro" }]\n';
    assert.deepEqual(masked(text), ['"a"', '"admin"', '"ro"']);
  });

  test('CRLF line endings', () => {
    assert.deepEqual(masked('a = 1\r\nb = """x\r\ny"""\r\n# c\r\n'), ['1', '"""x\r\ny"""']);
  });

  test('broken text errs towards masking: unterminated strings run to the line or file end', () => {
    assert.deepEqual(masked('a = "unterminated\nb = 2\n'), ['"unterminated', '2']);
    assert.deepEqual(masked('a = """never closed\nsecret line\n'), ['"""never closed\nsecret line\n']);
    assert.deepEqual(masked('a = [1, "two"\nb = 3'), ['1', '"two"', 'b = 3'].slice(0, 2).concat(['b = 3']));
    assert.deepEqual(masked('no equals sign here\nk = v\n'), ['v']);
    assert.deepEqual(masked('k =\nj = ""\n'), ['""']);
  });

  test('a value typed half way, and a BOM', () => {
    assert.deepEqual(masked('\uFEFFtoken = "abc'), ['"abc']);
    assert.deepEqual(masked('token = sk-live-1234 # oops, no quotes'), ['sk-live-1234']);
  });

  test('pathological nesting never recurses without bound and still masks', () => {
    const deep = `a = ${'['.repeat(5000)}"deep-secret"${']'.repeat(5000)}\nb = 1\n`;
    const ranges = masked(deep);
    assert.ok(ranges.some((r) => r.includes('deep-secret')));
    assert.equal(ranges[ranges.length - 1], '1');
  });

  test('a large file: every value found, in order, no range overlapping another', () => {
    const big = Array.from({ length: 20000 }, (_, n) => `key_${n} = "value-${n}" # note\n[t${n}]\nx = [1, { y = 2 }]\n`).join('');
    const ranges = findSecretValueRanges(big);
    assert.equal(ranges.length, 20000 * 3);
    for (let k = 1; k < ranges.length; k++) assert.ok(ranges[k]!.start >= ranges[k - 1]!.end);
    assert.equal(big.slice(ranges[3 * 19999]!.start, ranges[3 * 19999]!.end), '"value-19999"');
  });
});

describe('splitByLines', () => {
  test('one piece per line with line-relative columns, revealed lines and empty pieces dropped', () => {
    const text = 'a = 1\nk = """\nfirst\n\nlast"""\nz = "zz"\n';
    const ranges = findSecretValueRanges(text);
    assert.deepEqual(splitByLines(ranges, text), [
      { line: 0, start: 4, end: 5 },
      { line: 1, start: 4, end: 7 },
      { line: 2, start: 0, end: 5 },
      { line: 4, start: 0, end: 7 },
      { line: 5, start: 4, end: 8 },
    ]);
    assert.deepEqual(
      splitByLines(ranges, text, new Set([2, 5])).map((piece) => piece.line),
      [0, 1, 4],
    );
  });

  test('CRLF and CR line breaks', () => {
    const text = 'k = """a\r\nbb\rccc"""\r\nz = 1';
    assert.deepEqual(splitByLines(findSecretValueRanges(text), text), [
      { line: 0, start: 4, end: 8 },
      { line: 1, start: 0, end: 2 },
      { line: 2, start: 0, end: 6 },
      { line: 3, start: 4, end: 5 },
    ]);
  });
});

const valueScope = (scope: string): boolean =>
  scope.startsWith('string.') || scope.startsWith('constant.numeric.') || scope.startsWith('constant.language.') || scope.startsWith('constant.other.time.');

function tomlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tomlFiles(full);
    return name.endsWith('.toml') ? [full] : [];
  });
}

describe('findSecretValueRanges agrees with the TOML grammar (independent oracle)', () => {
  const files = [...tomlFiles(corpusValidDir()), ...tomlFiles(fixturesDir).filter((file) => !file.endsWith('invalid.toml'))];

  test(`on ${files.length} files: every value token masked, every key and comment token visible`, async () => {
    assert.ok(files.length > 200, `only ${files.length} fixtures`);
    const failures: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const lines = await tokenize(text);
      // Mask per (line, column), through the same per-line split the editor uses.
      const maskedColumns = new Map<number, boolean[]>();
      for (const piece of splitByLines(findSecretValueRanges(text), text)) {
        const row = maskedColumns.get(piece.line) ?? [];
        for (let c = piece.start; c < piece.end; c++) row[c] = true;
        maskedColumns.set(piece.line, row);
      }
      for (const line of lines) {
        for (const token of line.tokens) {
          if (token.text.trim() === '' || token.scopes.some((s) => s.startsWith('invalid.'))) continue;
          const row = maskedColumns.get(token.line) ?? [];
          const all = Array.from({ length: token.endIndex - token.startIndex }, (_, k) => row[token.startIndex + k] === true);
          const isKey = token.scopes.some(isKeyScope);
          const isComment = token.scopes.some((s) => s.startsWith('comment.'));
          const isValue = !isKey && !isComment && token.scopes.some(valueScope);
          if (isValue && !all.every(Boolean)) failures.push(`${path.basename(file)}:${token.line + 1} value ${JSON.stringify(token.text)} not masked`);
          if ((isKey || isComment) && all.some(Boolean)) failures.push(`${path.basename(file)}:${token.line + 1} ${isKey ? 'key' : 'comment'} ${JSON.stringify(token.text)} masked`);
        }
      }
    }
    assert.deepEqual(failures.slice(0, 20), []);
  });
});

describe('findMaskedValueRanges', () => {
  test('an empty string stays visible as "" (it must not look like a secret); every other value is masked', () => {
    const text = 'a = ""\nb = \'\'\nc = """"""\nd = "x"\ne = " "\nf = { g = "", h = "y" }\n';
    const masked = findMaskedValueRanges(text).map((range) => text.slice(range.start, range.end));
    assert.deepEqual(masked, ['"x"', '" "', '"y"']);
  });
});
