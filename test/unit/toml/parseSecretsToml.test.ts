import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSecretsFile, parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import type { SecretNode } from '../../../server/src/toml/types';

function child(node: SecretNode | undefined, ...path: string[]): SecretNode | undefined {
  let n = node;
  for (const k of path) n = n?.children?.get(k);
  return n;
}

function only(text: string, code: string) {
  const r = parseSecretsToml(text);
  const p = r.problems.find((x) => x.code === code);
  assert.ok(p, `expected problem ${code}, got ${JSON.stringify(r.problems.map((x) => x.code))}`);
  return { r, p };
}

describe('parseSecretsToml: values', () => {
  test('builds kinds, keeps integers and floats apart', () => {
    const r = parseSecretsToml('i = 1\nf = 1.0\ns = "x"\nb = true\n[t]\na = [1, 2]\n');
    assert.equal(r.problems.length, 0);
    assert.deepEqual(child(r.root, 'i'), { kind: 'integer', value: 1n });
    assert.deepEqual(child(r.root, 'f'), { kind: 'float', value: 1 });
    assert.equal(child(r.root, 's')?.value, 'x');
    assert.equal(child(r.root, 'b')?.value, true);
    assert.equal(child(r.root, 't', 'a')?.items?.length, 2);
  });
  test('datetimes become their text as Python writes them (isoformat) with the right kind', () => {
    const r = parseSecretsToml('a = 1979-05-27T07:32:00-07:00\nb = 1979-05-27T07:32:00\nc = 1979-05-27\nd = 07:32:00\n');
    assert.deepEqual(child(r.root, 'a'), { kind: 'offset-datetime', value: '1979-05-27T07:32:00-07:00' });
    assert.equal(child(r.root, 'b')?.kind, 'local-datetime');
    assert.deepEqual(child(r.root, 'c'), { kind: 'local-date', value: '1979-05-27' });
    assert.equal(child(r.root, 'd')?.kind, 'local-time');
  });
  test('CRLF inside multi-line strings becomes LF (Python reads with universal newlines)', () => {
    assert.equal(child(parseSecretsToml('k = """a\r\nb"""\r\n').root, 'k')?.value, 'a\nb');
  });
});

describe('parseSecretsToml: Streamlit rejects what TOML 1.0 accepts', () => {
  for (const [text, code, start, end] of [
    ['a = [1, "x"]', 'streamlit-mixed-array', 4, 12],
    ['a = [1, 2.0]', 'streamlit-mixed-array', 4, 12],
    ['a = [true, "x"]', 'streamlit-mixed-array', 4, 15],
    ['x = 1\na = ["x", {y = 1}]', 'streamlit-mixed-array', 10, 24],
    ['s = """a""""', 'streamlit-multiline-quotes', 4, 12],
    ['d = 0e0', 'streamlit-zero-exponent', 4, 7],
    ['fruit. color = 1', 'streamlit-dotted-key-space', 0, 12],
    ["[''] \nx = 1", 'streamlit-empty-key', 1, 3],
    ['\ufeff# comment\na = 1', 'streamlit-bom', 0, 1],
  ] as const) {
    test(JSON.stringify(text), () => {
      const { r, p } = only(text, code);
      assert.equal(r.root, undefined);
      assert.equal(p.severity, 'error');
      assert.ok(p.message.startsWith('Streamlit cannot load this file: '));
      assert.deepEqual(p.range, { start, end });
      assert.ok(r.streamlitError && /line \d+, column \d+/.test(r.streamlitError));
    });
  }
  test('arrays of arrays and offset/local datetimes mixed are fine for Streamlit', () => {
    assert.ok(parseSecretsToml('a = [[1, 2], ["x"]]\nb = [1979-05-27T07:32:00Z, 1979-05-27T07:32:00]').root);
  });
});

describe('parseSecretsToml: Streamlit accepts what TOML 1.0 rejects', () => {
  test('non-ASCII bare key', () => {
    const { r, p } = only('ключ = 1\nb.ключ2 = 2', 'toml10-non-ascii-key');
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range, { start: 0, end: 4 });
    assert.equal(child(r.root, 'ключ')?.value, 1n);
    assert.equal(child(r.root, 'b', 'ключ2')?.value, 2n);
    assert.equal(r.streamlitError, undefined);
  });
  test('many non-ASCII bare keys, in statements, dotted keys, inline tables and arrays: each warned once, every value kept', () => {
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) lines.push(`é${i} = "x${i}"`, `t${i}.ü${i} = ${i}`, `i${i} = { ö = [1, 2], "q" = { ä${i} = true } } # é`);
    lines.push('s = """', 'ß = 1', '"""', 'd = 1979-05-27 07:32:00', 'ø = 1');
    const r = parseSecretsToml(lines.join('\n'));
    assert.equal(r.streamlitError, undefined);
    assert.equal(r.problems.filter((x) => x.code === 'toml10-non-ascii-key').length, 300 * 4 + 1);
    assert.equal(child(r.root, 'é299')?.value, 'x299');
    assert.equal(child(r.root, 't7', 'ü7')?.value, 7n);
    assert.equal(child(r.root, 'i5', 'q', 'ä5')?.value, true);
    assert.equal(child(r.root, 's')?.value, 'ß = 1\n', 'a key-like line inside a multi-line string is not a key');
    assert.equal(child(r.root, 'ø')?.value, 1n);
  });
  test('a key defined twice is reported at its second definition, however many follow (Streamlit stops there)', () => {
    const r = parseSecretsToml('a = 1\n' + 'a = 1\n'.repeat(500));
    assert.equal(r.root, undefined);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].code, 'streamlit-duplicate-key');
    assert.deepEqual(r.problems[0].range, { start: 6, end: 11 });
    const merged = parseSecretsToml('t = {a = 1}\nt.b = 2\nt.c = 3\nt = {a = 2}\n');
    assert.equal(merged.problems.find((x) => x.code === 'streamlit-duplicate-key')?.range.start, 28);
  });
  test('many extensions of inline tables: all merged, one warning for each line TOML 1.0 rejects', () => {
    const r = parseSecretsToml('t = {a = 1}\n' + Array.from({ length: 400 }, (_, i) => `t.b${i} = ${i}\n`).join('') + Array.from({ length: 400 }, (_, i) => `u${i} = {w = 1}\nu${i}.x = 1\n`).join(''));
    assert.equal(r.streamlitError, undefined);
    assert.equal(r.problems.filter((x) => x.code === 'toml10-table-extension').length, 401);
    assert.equal(child(r.root, 't')?.children?.size, 401);
    assert.equal(child(r.root, 't', 'b399')?.value, 399n);
    assert.deepEqual([...(child(r.root, 'u399')?.children?.keys() ?? [])], ['w', 'x']);
  });
  test('non-ASCII table header is an error for both', () => {
    const r = parseSecretsToml('[ключ]\na = 1');
    assert.equal(r.root, undefined);
    assert.equal(r.problems[0].code, 'toml-syntax');
  });
  test('extending an inline table with [a.c] or a dotted key', () => {
    const { r, p } = only('a = {b = 1}\n[a.c]\nd = 2', 'toml10-table-extension');
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range, { start: 12, end: 17 });
    assert.equal(child(r.root, 'a', 'b')?.value, 1n);
    assert.equal(child(r.root, 'a', 'c', 'd')?.value, 2n);
    const dotted = parseSecretsToml('[product]\ntype = { name = "Nail" }\ntype.edible = false');
    assert.equal(child(dotted.root, 'product', 'type', 'edible')?.value, false);
  });
  test('re-opening a table is still an error, as in Streamlit', () => {
    assert.equal(parseSecretsToml('a = {b = 1}\n[a]\ny = 2').root, undefined);
    assert.equal(parseSecretsToml('a = {b = 1}\na.b = 2').root, undefined);
  });
  test('BOM becomes part of the first key', () => {
    const { r, p } = only('\ufeffa = 1\nb = 2', 'streamlit-bom-key');
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.range, { start: 0, end: 2 });
    assert.equal(child(r.root, '\ufeffa')?.value, 1n);
    assert.equal(child(r.root, 'a'), undefined);
  });
  test('-0.0 loads as 0.0', () => {
    const { r, p } = only('x = -0.0', 'streamlit-negative-zero');
    assert.deepEqual(p.range, { start: 4, end: 8 });
    assert.ok(Object.is(child(r.root, 'x')?.value, 0));
  });
});

describe('parseSecretsToml: syntax errors', () => {
  test('range and streamlitError', () => {
    const r = parseSecretsToml('x = 1\ny = = 2');
    assert.equal(r.root, undefined);
    assert.deepEqual(r.problems.map((p) => [p.code, p.severity, p.range.start, p.range.end]), [['toml-syntax', 'error', 10, 11]]);
    assert.equal(r.streamlitError, 'invalid TOML at line 2, column 5: invalid value');
  });
  test('error at end of file stays inside the document', () => {
    for (const text of ['a = ', 'a = "x', '[a', 'a']) {
      const r = parseSecretsToml(text);
      assert.equal(r.root, undefined, text);
      for (const p of r.problems) assert.ok(p.range.end <= text.length && p.range.end > p.range.start, text);
    }
  });
});

describe('parseSecretsToml: messages never contain file text', () => {
  const canary = 'CANARY7f3a';
  const docs = [
    `a = "${canary}1"\nb = "${canary}2" x`,
    `a = "${canary}"\n${canary} = = 1`,
    `k = """${canary}`,
    `k = '${canary}`,
    `[${canary}\nx = 1`,
    `k = [1, "${canary}"]`,
    `k = """${canary}""""`,
    `${canary}ключ = "${canary}"`,
    `\ufeff${canary} = "${canary}"`,
    `k = ${canary}`,
    `k = 1979-05-27T99:${canary}`,
    `k = "\\u${canary}"`,
    `k = "${canary}\\q"`,
    `a = {b = "${canary}"}\n[a]\nc = "${canary}"`,
    `x = "${canary}"\n${canary}. ${canary} = 1`,
    `[${canary}]\n[${canary}]`,
  ];
  for (const doc of docs) {
    test(JSON.stringify(doc.slice(0, 30)), () => {
      const r = parseSecretsToml(doc);
      for (const m of [...r.problems.map((p) => p.message), r.streamlitError ?? '']) {
        assert.ok(!m.includes('CANARY') && !m.includes('7f3a'), m);
      }
      assert.ok(r.problems.length > 0 || r.root !== undefined);
    });
  }
});

describe('decodeSecretsFile', () => {
  test('keeps a BOM', () => {
    const r = decodeSecretsFile(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x3d, 0x31]));
    assert.ok(!('binary' in r));
    if (!('binary' in r)) assert.equal(r.text, '\ufeffa=1');
  });
  test('NUL bytes with invalid UTF-8 mean binary', () => {
    const r = decodeSecretsFile(new Uint8Array([0x61, 0x00, 0xff, 0x62]));
    assert.ok('binary' in r && r.problem.severity === 'error');
  });
  test('NUL bytes in valid UTF-8 are text: Streamlit reads them (a NUL in a comment loads)', () => {
    const r = decodeSecretsFile(new Uint8Array([0x61, 0x3d, 0x31, 0x20, 0x23, 0x00, 0x0a]));
    assert.ok(!('binary' in r));
    if (!('binary' in r)) {
      assert.deepEqual(r.problems, []);
      assert.equal(parseSecretsToml(r.text).root?.children?.get('a')?.value, 1n);
    }
  });
  test('invalid UTF-8 is an error, with best-effort text', () => {
    const r = decodeSecretsFile(new Uint8Array([0x61, 0x3d, 0x22, 0xff, 0x22]));
    assert.ok(!('binary' in r));
    if (!('binary' in r)) {
      assert.equal(r.problems[0].code, 'invalid-utf8');
      assert.match(r.problems[0].message, /UTF-8/);
      assert.deepEqual(r.problems[0].range, { start: 3, end: 4 });
    }
  });
});
