// Large secrets files are re-parsed and re-located run by run (topLevelChunks.ts): after an edit,
// only the runs of top-level tables that changed are parsed again. The composed answers must be
// exactly those of parsing the whole text — on a generated file full of traps for the line scan
// (headers inside multi-line strings and arrays, quoted and dotted headers, arrays of tables,
// tables split around others), then after every step of random edit sequences.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTOML } from 'toml-eslint-parser';
import { computeParsedSecretsToml, parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { locateSecretKeys, locateSecretKeysWhole, strictToml10Outcome } from '../../../server/src/toml/locateSecretKeys';
import { minChunkedLength, parseByTopLevelChunks, splitTopLevelChunks, type ChunkMemo } from '../../../server/src/toml/topLevelChunks';
import { seed } from '../robustness/seeds';

const runs = Number(process.env.ROBUSTNESS_RUNS ?? 400);

/**
 * A large, valid secrets file. `composable` constructs keep every top-level key in one run
 * (quoted and spaced headers, inline tables holding brackets, one group of [[jobs]]); `traps` are
 * what the line scan gets wrong (header-like lines inside multi-line strings and arrays, a table
 * continued after others), for which the whole text must be parsed instead.
 */
function largeSecrets(tables: number, kind: 'plain' | 'composable' | 'traps'): string {
  const lines = ['# generated', 'debug = true', 'log.level = "info"', ''];
  for (let i = 0; i < tables; i++) {
    const name = `svc_${String(i).padStart(4, '0')}`;
    lines.push(`[${name}]`, `host = "h${i}.example"`, `port = ${5000 + i}`, `password = "p${i}"`, `ratio = ${i}.5`);
    if (kind !== 'plain' && i % 37 === 17) lines.push(`inline = { a = 1, b = { c = "[x]" } }`, `list = [[1, 2], ["[y]"]]`);
    lines.push(`[${name}.replica]`, `host = "r${i}"`, `tags = ["a", "b"]`, '');
    if (kind === 'plain') continue;
    if (i % 23 === 7) lines.push(`["quoted key ${i}"]`, 'x = 1', '');
    if (i % 31 === 13) lines.push(`  [ 'lit_${i}' . inner ]`, 'y = 2', '');
    if (kind !== 'traps') continue;
    if (i % 17 === 3) lines.push(`note = """`, `[not_a_header_${i}]`, `text"""`, '');
    if (i % 19 === 5) lines.push('matrix = [', '  [1, 2],', '  [3, 4],', ']', '');
    if (i % 41 === 9) lines.push(`[svc_0000.late_${i}]`, 'z = 1', '');
  }
  if (kind !== 'plain') lines.push('[[jobs]]', 'name = "a"', '[[jobs]]', 'name = "b"', '');
  return lines.join('\n');
}

/** Whether the text is answered from its runs (not by the whole-text fallback). */
function composes(text: string): boolean {
  return parseByTopLevelChunks(text, computeParsedSecretsToml, () => undefined, new Map()) !== undefined;
}

/** Checks every chunked answer against the whole-text one. */
function assertSameAsWhole(text: string): void {
  assert.deepEqual(parseSecretsToml(text), computeParsedSecretsToml(text), 'parse differs from the whole-text parse');
  assert.deepEqual(locateSecretKeys(text), locateSecretKeysWhole(text), 'locations differ from the whole-text ones');
  let strict: string | undefined;
  try {
    parseTOML(text, { tomlVersion: '1.0' });
  } catch (error) {
    strict = (error as Error).message;
  }
  assert.equal(strictToml10Outcome(text).error?.message, strict, 'strict TOML 1.0 outcome differs');
}

/** Edits: mostly typing inside keys and values (the file stays valid), sometimes structure. */
const edits = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ at: fc.noBias(fc.nat()), remove: fc.constant(0), insert: fc.constantFrom('x', '1', 'ab', '_') }) },
    {
      weight: 2,
      arbitrary: fc.record({
        at: fc.noBias(fc.nat()),
        remove: fc.integer({ min: 0, max: 3 }),
        insert: fc.constantFrom('', '[', ']', '"', "'", '"""', '\n', '\n[svc_0001]\n', '\n[extra]\nk = 1\n', '=', ' = 1', '#', '.', '\n[[jobs]]\n'),
      }),
    },
  ),
  { minLength: 1, maxLength: 8 },
);

describe('parsing and locating large secrets files run by run', () => {
  test('the line scan groups headers by their first key and keeps root lines apart', () => {
    const text = 'a = 1\n[db]\nx = 1\n[db.replica]\ny = 2\n  [[jobs]]\nn = 1\n[[jobs]]\nn = 2\n["q"]\nz = 3\n[db.late]\n';
    const chunks = splitTopLevelChunks(text);
    assert.deepEqual(
      chunks.map((c) => [c.firstKey, text.slice(c.start, c.end)]),
      [
        [undefined, 'a = 1\n'],
        ['db', '[db]\nx = 1\n[db.replica]\ny = 2\n'],
        ['jobs', '  [[jobs]]\nn = 1\n[[jobs]]\nn = 2\n'],
        ['"q', '["q"]\nz = 3\n'],
        ['db', '[db.late]\n'],
      ],
    );
    // `db` in two runs: not composed (TOML's rules across runs would apply).
    assert.equal(parseByTopLevelChunks(text, computeParsedSecretsToml, () => undefined, new Map()), undefined);
  });

  test('a composed parse equals the whole parse and reuses unchanged runs', () => {
    const text = largeSecrets(60, 'plain');
    const first: ChunkMemo = new Map();
    const composed = parseByTopLevelChunks(text, computeParsedSecretsToml, () => undefined, first);
    assert.ok(composed !== undefined, 'a plain file of distinct tables composes');
    assert.deepEqual(composed, computeParsedSecretsToml(text));
    const edited = text.replace('port = 5007', 'port = 15007');
    let parsedRuns = 0;
    const second: ChunkMemo = new Map();
    const again = parseByTopLevelChunks(
      edited,
      (run) => {
        parsedRuns++;
        return computeParsedSecretsToml(run);
      },
      (run) => first.get(run),
      second,
    );
    assert.equal(parsedRuns, 1, 'only the edited run is parsed again');
    assert.deepEqual(again, computeParsedSecretsToml(edited));
    assert.equal(again!.root!.children!.get('svc_0008'), composed.root!.children!.get('svc_0008'), 'unchanged tables are reused as they are');
  });

  test('runs with warnings compose too (non-ASCII keys, merged inline tables, -0.0, spaced dots, dropped values), and an edit re-parses one run', () => {
    const warned = (i: number): string =>
      i % 4 === 0 ? `é${i} = 1\n` : i % 4 === 1 ? `t = { a = 1 }\nt.b = 2\nz = -0.0\n` : i % 4 === 2 ? `a .b = 1\n` : `l = [{ a = 1 }, 2]\n`;
    const text = largeSecrets(200, 'plain').replace(/^(\[svc_(\d+)\]\n)/gm, (header: string, _: string, n: string) => header + warned(Number(n)));
    assert.ok(text.length > minChunkedLength);
    const whole = computeParsedSecretsToml(text);
    assert.equal(whole.streamlitError, undefined);
    assert.deepEqual(new Set(whole.problems.map((p) => p.code)), new Set(['toml10-non-ascii-key', 'toml10-table-extension', 'streamlit-negative-zero', 'streamlit-dotted-key-space', 'streamlit-array-drops-values']));
    const first: ChunkMemo = new Map();
    assert.deepEqual(parseByTopLevelChunks(text, computeParsedSecretsToml, () => undefined, first), whole);
    const edited = text.replace('port = 5007', 'port = 15007');
    let parsedRuns = 0;
    const again = parseByTopLevelChunks(edited, (run) => (parsedRuns++, computeParsedSecretsToml(run)), (run) => first.get(run), new Map());
    assert.equal(parsedRuns, 1, 'only the edited run is parsed again');
    assert.deepEqual(again, computeParsedSecretsToml(edited));
    assertSameAsWhole(edited);
  });

  test('large files: parse, locations and the strict TOML 1.0 check equal the whole-text answers', () => {
    for (const [kind, eol] of [['plain', '\n'], ['composable', '\n'], ['traps', '\n'], ['composable', '\r\n'], ['traps', '\r\n']] as const) {
      const text = largeSecrets(400, kind).replace(/\n/g, eol);
      assert.ok(text.length > minChunkedLength);
      assert.equal(composes(text), kind !== 'traps', `${kind} ${JSON.stringify(eol)}: composed or not`);
      assertSameAsWhole(text);
      assert.ok(computeParsedSecretsToml(text).root?.children?.has('svc_0003'), `${kind}: valid TOML`);
    }
  });

  test('property: after each of a sequence of random edits, the answers equal the whole-text ones', () => {
    let composed = 0;
    let steps = 0;
    fc.assert(
      fc.property(fc.constantFrom('composable' as const, 'traps' as const), edits, (kind, sequence) => {
        let text = largeSecrets(150, kind);
        assert.ok(text.length > minChunkedLength, 'large enough to be parsed run by run');
        for (const step of sequence) {
          const at = step.at % (text.length + 1);
          text = text.slice(0, at) + step.insert + text.slice(Math.min(text.length, at + step.remove));
          assertSameAsWhole(text);
          steps++;
          if (composes(text)) composed++;
        }
      }),
      { seed, numRuns: Math.max(20, Math.floor(runs / 10)) },
    );
    // Both paths were exercised: edits that keep the file composable, and ones that do not.
    assert.ok(composed > steps / 10 && composed < steps, `${composed} of ${steps} edited texts composed`);
  });
});
