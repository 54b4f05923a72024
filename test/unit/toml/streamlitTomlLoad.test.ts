// Focused cases of each way `toml` 0.10.2 (Streamlit's TOML parser) departs from TOML 1.0, each
// checked three ways: the verdict written here, Debian's python3-toml (the oracle) agreeing with
// it, and our model (loadLikeStreamlit, and parseSecretsToml's diagnostics) agreeing with both.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { loadLikeStreamlit, locateLikeStreamlit } from '../../../server/src/toml/streamlitTomlLoad';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { locateSecretKeys } from '../../../server/src/toml/locateSecretKeys';
import { keyPathId } from '../../../server/src/toml/types';
import type { SecretNode } from '../../../server/src/toml/types';
import { diffValue, oracleOnTexts } from '../../helpers/streamlitOracle';

const CANARY = 'CANARY9d1e';
const ABSENT = Symbol('absent');

interface Case {
  /** What the case shows. */
  what: string;
  text: string;
  /** Streamlit's verdict (the oracle must agree). */
  loads: boolean;
  /** Facts about the loaded value: a path of keys and the scalar value there (ABSENT: no such key). */
  expect?: [string[], unknown][];
}

const cases: Case[] = [
  // 1. Fractions of a second of a local time.
  { what: '3–6 digits are microseconds, 1–2 are dropped, more are cut', text: 't = 07:32:00.123\nu = 07:32:00.5\nv = 07:32:00.1234567\n', loads: true, expect: [[['t'], '07:32:00.000123'], [['u'], '07:32:00'], [['v'], '07:32:00.123456']] },
  // 2. A multi-line basic string closed with blanks or a comment after it.
  { what: 'a comment after a closing """ loses the document', text: `a = """x\ny"""  # c\nb = "${CANARY}"\n`, loads: true, expect: [[['a'], ABSENT], [['b'], ABSENT]] },
  { what: 'blanks after a closing """ skip the escape check', text: 'a = """x\ny"""  \nb = "\\e"\n', loads: true, expect: [[['b'], ABSENT]] },
  // 3. Malformed documents loaded as a truncated or mangled value.
  { what: 'an array never closed loads what it holds', text: `a = [1,\nb = "${CANARY}"\n`, loads: false },
  { what: 'an array never closed at the end of the file', text: 'a = [1,', loads: true },
  { what: 'a double sign is read by int()', text: 'n = --5\n', loads: true, expect: [[['n'], 5n]] },
  { what: 'a lower-case z offset is dropped', text: 'd = 1979-05-27T07:32:00z\n', loads: true, expect: [[['d'], '1979-05-27T07:32:00']] },
  { what: 'a date-time with a broken fraction keeps the date and time', text: 'd = 1979-05-27T07:32:00.\n', loads: true, expect: [[['d'], '1979-05-27T07:32:00']] },
  { what: 'a table header re-opened', text: '[a]\nb = 1\n[a]\n', loads: false },
  { what: 'two values on a line', text: 'x = 1 2\n', loads: false },
  { what: 'an inline table never closed', text: 't = { a = 1\nb = 2\n', loads: false },
  // 4. Key names.
  { what: 'a quoted key is unescaped (only the simple escapes)', text: '"a\\"b" = 1\n', loads: true, expect: [[['a"b'], 1n]] },
  { what: 'quoted dotted parts are cut at quotes, escapes kept', text: 'a."b\\"c" = 1\n', loads: true, expect: [[['a', 'b\\', 'c'], 1n]] },
  { what: 'blanks between quoted dotted parts are refused', text: '"x" . "y" = 1\n', loads: false },
  { what: 'a "#" inside a quoted key is not a comment', text: 'k = "#" # c\n"a#b" = 1\n', loads: true, expect: [[['a#b'], 1n], [['k'], '#']] },
  // 5. Quotes next to a multi-line delimiter.
  { what: 'a quote right after the opening """', text: 'a = """"x"""\n', loads: false },
  { what: 'two quotes before the closing """', text: 'a = """x"""""\n', loads: true },
  // 6. Braces inside strings of an array of inline tables.
  { what: 'a brace inside a string of an inline table in an array', text: 'a = [{ s = "}" }, { t = 2 }]\n', loads: true },
  // Limits of Python itself.
  { what: 'more than 4300 digits: int() refuses', text: `n = ${'1'.repeat(4301)}\n`, loads: false },
  { what: '331 nested inline tables load', text: `a = ${'{b = '.repeat(331)}1${'}'.repeat(331)}\n`, loads: true },
  { what: '332 nested inline tables exceed the recursion limit', text: `a = ${'{b = '.repeat(332)}1${'}'.repeat(332)}\n`, loads: false },
  { what: '499 nested arrays exceed the recursion limit', text: `a = ${'['.repeat(499)}${']'.repeat(499)}\n`, loads: false },
  { what: 'a NUL in a comment is text', text: 'a = 1 # \u0000\n', loads: true, expect: [[['a'], 1n]] },
  { what: 'a lone CR ends a line (universal newlines)', text: 'a = 1\rb = 2\r', loads: true, expect: [[['b'], 2n]] },
];

function at(root: SecretNode | undefined, path: string[]): SecretNode | undefined {
  let node = root;
  for (const key of path) node = node?.children?.get(key);
  return node;
}

describe('toml 0.10.2 model: focused cases with their oracle verdict', () => {
  const verdicts = oracleOnTexts(cases.map((c) => c.text));
  cases.forEach((c, i) => {
    test(c.what, () => {
      assert.equal(verdicts[i].ok, c.loads, 'the oracle disagrees with the verdict written here');
      const ours = loadLikeStreamlit(c.text);
      assert.equal(ours.ok, c.loads, ours.ok ? 'we load it' : `we fail: ${ours.reason}`);
      const parsed = parseSecretsToml(c.text);
      assert.equal(parsed.root !== undefined, c.loads, 'parseSecretsToml verdict');
      for (const p of parsed.problems) assert.ok(!p.message.includes(CANARY), `a value in a message: ${p.message}`);
      if (!ours.ok) {
        assert.ok(parsed.problems.some((p) => p.severity === 'error'), 'a failed load has an error');
        assert.ok(parsed.streamlitError !== undefined && !parsed.streamlitError.includes(CANARY));
        return;
      }
      assert.equal(diffValue(ours.root, verdicts[i].value!, 'root'), undefined);
      assert.equal(diffValue(parsed.root!, verdicts[i].value!, 'root'), undefined);
      // Streamlit loads it: no diagnostic may say the load fails.
      assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error'), []);
      assert.equal(parsed.streamlitError, undefined);
      for (const [path, value] of c.expect ?? []) {
        const node = at(parsed.root, path);
        if (value === ABSENT) assert.equal(node, undefined, path.join('.'));
        else assert.equal(node?.value, value, path.join('.'));
      }
    });
  });
});

describe('diagnostics where Streamlit loads what TOML 1.0 rejects', () => {
  test('a syntax error becomes a warning saying Streamlit loads the file its own way', () => {
    const parsed = parseSecretsToml(`key = "${CANARY}"\na = [1,`);
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.severity]), [['streamlit-loads-malformed', 'warning']]);
    assert.match(parsed.problems[0].message, /loads the file anyway/);
    assert.doesNotMatch(parsed.problems[0].message, /no secrets|cannot load/i);
  });
  test('valid TOML that Streamlit reads differently gets a warning, not an error', () => {
    const parsed = parseSecretsToml('t = 07:32:00.123\n');
    assert.deepEqual(parsed.problems.map((p) => [p.code, p.severity, p.range]), [['streamlit-reads-differently', 'warning', { start: 0, end: 1 }]]);
  });
  test('valid TOML that Streamlit rejects is an error at the line its parser stops on', () => {
    const text = 'ok = 1\na = """"x"""\n';
    const parsed = parseSecretsToml(text);
    assert.equal(parsed.root, undefined);
    assert.ok(parsed.problems.some((p) => p.severity === 'error'));
  });
});

describe('key locations of what only Streamlit reads', () => {
  test('keys after a syntax error that Streamlit reads past are located', () => {
    const text = 'a = 1\nb = 1 # \u007f\nc = [1,';
    const locations = locateSecretKeys(text);
    for (const key of ['a', 'b', 'c']) assert.ok(locations.has(keyPathId([key])), key);
    const c = locations.get(keyPathId(['c']))![0];
    assert.equal(text.slice(c.keyRange.start, c.keyRange.end), 'c');
  });
  test('dotted keys, headers and inline tables, with CRLF line ends', () => {
    const text = '[t.u]\r\nx.y = { z = 1 }\r\n';
    const locations = locateLikeStreamlit(text);
    const keyText = (path: string[]): string => {
      const l = locations.get(keyPathId(path))![0];
      return text.slice(l.keyRange.start, l.keyRange.end);
    };
    assert.equal(keyText(['t']), '[t.u]');
    assert.equal(keyText(['t', 'u', 'x', 'y']), 'x.y');
    assert.equal(keyText(['t', 'u', 'x', 'y', 'z']), 'z');
  });
});

describe('arrays as toml 0.10.2 types them', () => {
  test('a date and a date-time share one type: no mixed-array problem at all', () => {
    const parsed = parseSecretsToml('a = [1979-05-27, 1979-05-27T07:32:00]\n');
    assert.deepEqual(parsed.root?.children?.get('a')?.items?.map((i) => i.kind), ['local-date', 'local-datetime']);
    assert.deepEqual(parsed.problems, []);
  });
});
