// Differential test against Streamlit's own TOML parser (`toml` 0.10.2, Debian's python3-toml) on
// GENERATED inputs: TOML 1.1 constructs (smol-toml reads them, Streamlit does not), near-miss
// malformed documents, and valid files of the toml-test corpus with one structural mutation. On
// every input, "Streamlit loads it" must be our verdict too, and the loaded value must equal our
// `root`. Fixed seed (ROBUSTNESS_SEED): a failure prints the input to replay it. All inputs go to
// one Python process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { diffValue, oracleOnTexts } from '../../helpers/streamlitOracle';
import { listTomlFiles, tomlTestCorpus } from '../../helpers/tomlTestCorpus';
import { seed } from '../robustness/seeds';

const count = Number(process.env.ORACLE_RUNS ?? 400);

const key = fc.constantFrom('a', 'b', 'key', 'db_2', '"q k"', "'lit'", 'x-y');
const scalar = fc.constantFrom('1', '-2', '0x1F', '1_000', '3.5', '-0.0', '1e3', 'true', 'false', '"s"', "'lit'", '"a\\tb"', '""', '1979-05-27', '07:32:00', '1979-05-27T07:32:00Z', 'inf', 'nan');

/** Values as TOML 1.1 writes them and TOML 1.0 (and `toml` 0.10.2) does not, with their 1.0 neighbours. */
const toml11Value = fc.constantFrom(
  '"\\e"', '"a\\eb"', '"\\x41"', '"\\x4g"', '"\\xff"', '"\\u00e9"', '"\\U0001F600"', '"""\\e"""', '"""a\\x41\n"""', "'\\e'",
  '{ a = 1, }', '{ a = 1, b = 2, }', '{\n a = 1 }', '{ a = 1,\n b = 2 }', '{ a = 1 # c\n }', '{}', '{ a = [\n1, 2] }', '{ a = { b = 1, }, }', '{ a = "x", }',
  '07:32', '7:32:00', '07:32:00', '07:32:00.5', '1979-05-27T07:32', '1979-05-27 07:32', '1979-05-27T07:32Z', '1979-05-27T07:32:00', '[07:32]', '[{ a = 1, }]',
  '[{ a = 1 }, 2]', '[{ a = 1 }, "x", { b = 2 }]', '[2, { a = 1 }]', '[{ a = 1 },]', '[{ a = 1 }, [{ b = 1 }]]', '[{}, {}]',
);

/** A line `key = value`, sometimes with a comment. */
const line = (value: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.tuple(key, value, fc.constantFrom('', ' # note', '  ')).map(([k, v, c]) => `${k} = ${v}${c}`);

/** Small documents holding TOML 1.1 constructs: at the root, in a table, in an array of tables, in arrays and inline tables. */
const toml11Document = fc
  .tuple(
    fc.array(line(fc.oneof(scalar, toml11Value)), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('', '[t]\n', '[[arr]]\n', '[t.u]\n'),
    fc.array(line(fc.oneof({ weight: 1, arbitrary: scalar }, { weight: 3, arbitrary: toml11Value })), { minLength: 0, maxLength: 2 }),
    fc.constantFrom('', '\n', '\r\n'),
  )
  .map(([head, header, body, end]) => [...head.map((l, i) => l.replace(/^\S+/, `k${i}`)), header + body.map((l, i) => l.replace(/^\S+/, `m${i}`)).join('\n')].join('\n') + end);

/** A valid document from a small grammar (distinct keys). */
const value: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => `{ ${items.map((v, i) => `i${i} = ${v}`).join(', ')} }`),
  ),
})).value;
const validDocument = fc
  .tuple(fc.array(value, { maxLength: 4 }), fc.array(fc.tuple(fc.constantFrom('[s]', '[s.t]', '[[aot]]', '["q"]'), fc.array(value, { maxLength: 3 })), { maxLength: 3 }))
  .map(([root, tables]) => {
    const out = root.map((v, i) => `r${i} = ${v}`);
    tables.forEach(([header, values], t) => out.push(header.replace(/(\w+)\]/, `$1${t}]`), ...values.map((v, i) => `v${i} = ${v}`)));
    return out.join('\n') + '\n';
  });

/** One structural slip, as an editor makes it mid-typing: a bracket, quote, comma or line too many or missing. */
const slip = fc.tuple(fc.constantFrom('delete', 'insert', 'duplicate-line', 'truncate'), fc.nat(), fc.constantFrom(',', ']', '}', '[', '{', '"', "'", '=', '\n', '#', ' ', '.', '"""')).map(([op, at, text]) => ({ op, at, text }));
function applySlip(doc: string, s: { op: string; at: number; text: string }): string {
  if (doc.length === 0) return s.text;
  const structural = [...doc.matchAll(/[,\]}[{"'=\n#.]/g)].map((m) => m.index);
  const at = s.at % (doc.length + 1);
  switch (s.op) {
    case 'delete': {
      if (structural.length === 0) return doc;
      const i = structural[s.at % structural.length];
      return doc.slice(0, i) + doc.slice(i + 1);
    }
    case 'insert':
      return doc.slice(0, at) + s.text + doc.slice(at);
    case 'duplicate-line': {
      const lines = doc.split('\n');
      const i = s.at % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    default:
      return doc.slice(0, structural.length === 0 ? at : structural[s.at % structural.length] + 1);
  }
}
const nearMiss = fc.tuple(validDocument, fc.array(slip, { minLength: 1, maxLength: 2 })).map(([doc, slips]) => slips.reduce(applySlip, doc));

/**
 * Lines of TOML-ish tokens in any order: the shapes no grammar produces (quotes, brackets, `=`,
 * dots and escapes where a parser does not expect them), to find what `toml` 0.10.2 loads anyway.
 */
const token = fc.constantFrom(
  'a', 'b', 'k1', ' ', ' ', '\t', '=', ' = ', '.', ',', '"', "'", '"""', "'''", '[', ']', '[[', ']]', '{', '}', '#', '\\', '\\n', '\\u0041', '\\U0001F600',
  '1', '-1', '+1', '0', '01', '1_0', '1__0', '0x1f', '1.5', '1e5', '.5', '1.', 'inf', 'nan', 'true', 'True', 'false',
  '1979-05-27', 'T07:32:00', '07:32:00', '.123', 'Z', '+05:00', '-07:00', ':', 'é', '😀', '\u00a0', '\f',
);
const soupLine = fc.array(token, { minLength: 1, maxLength: 10 }).map((ts) => ts.join(''));
const tokenSoup = fc
  .tuple(fc.array(soupLine, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\r\n'), fc.constantFrom('', '\n'))
  .map(([lines, eol, end]) => lines.join(eol) + end);
/** A valid line, then a line of tokens: what the soup does inside a document. */
const soupAfterValid = fc.tuple(validDocument, soupLine, validDocument).map(([a, s, b]) => `${a}${s}\n${b}`);

const corpusValid = listTomlFiles(path.join(tomlTestCorpus(), 'valid')).map((file) => readFileSync(file, 'utf8'));
const corpusMutation = fc.tuple(fc.constantFrom(...corpusValid), slip).map(([doc, s]) => applySlip(doc, s));

/** Our verdict and value against the oracle's, on every input: every mismatch. */
function disagreements(generated: string[]): string[] {
  // A mutation may cut a surrogate pair; a file holds U+FFFD there (what the oracle reads).
  const inputs = generated.map((text) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
  const verdicts = oracleOnTexts(inputs);
  const out: string[] = [];
  inputs.forEach((text, i) => {
    const theirs = verdicts[i];
    const parsed = parseSecretsToml(text);
    const weLoad = parsed.root !== undefined;
    let mismatch: string | undefined;
    if (weLoad !== theirs.ok) mismatch = weLoad ? `we load it, Streamlit fails (${theirs.error})` : `Streamlit loads it, we do not (${parsed.streamlitError})`;
    else if (weLoad) mismatch = diffValue(parsed.root!, theirs.value!, 'root');
    if (mismatch !== undefined) out.push(`${JSON.stringify(text)}: ${mismatch}`);
  });
  return out;
}

test('generated TOML 1.1 constructs: Streamlit rejects them, and so do we (verdict and value equal)', () => {
  const inputs = fc.sample(toml11Document, { seed, numRuns: count });
  const mismatches = disagreements(inputs);
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${inputs.length} disagree with toml 0.10.2:\n${mismatches.join('\n')}`);
});

test('generated near-miss documents and mutated corpus files: verdict and value equal toml 0.10.2', () => {
  const inputs = [...fc.sample(nearMiss, { seed: seed + 1, numRuns: count }), ...fc.sample(corpusMutation, { seed: seed + 2, numRuns: count })];
  const mismatches = disagreements(inputs);
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${inputs.length} disagree with toml 0.10.2:\n${mismatches.join('\n')}`);
});

test('generated token soup (malformed shapes): verdict and value equal toml 0.10.2', () => {
  const inputs = [...fc.sample(tokenSoup, { seed: seed + 3, numRuns: count }), ...fc.sample(soupAfterValid, { seed: seed + 4, numRuns: count })];
  const mismatches = disagreements(inputs);
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${inputs.length} disagree with toml 0.10.2:\n${mismatches.join('\n')}`);
});

test('the rows of the issue: each as Streamlit has it', () => {
  const rows = ['esc = "\\e"', 'x = "\\x41"', 't = { a = 1, }', 't = { a = 1,\nb = 2 }', 't = 07:32', 'a = [{ a = 1 }, 2]', '[secrets]\nfiles = [', 'r = []\nr = []', 't = { i = inf }'];
  const verdicts = oracleOnTexts(rows);
  rows.forEach((text, i) => {
    const parsed = parseSecretsToml(text);
    assert.equal(parsed.root !== undefined, verdicts[i].ok, `${JSON.stringify(text)}: verdict`);
    if (parsed.root !== undefined) assert.equal(diffValue(parsed.root, verdicts[i].value!, 'root'), undefined, `${JSON.stringify(text)}: value`);
    else assert.ok(parsed.problems.some((p) => p.severity === 'error' && p.code !== 'toml-syntax'), `${JSON.stringify(text)}: a Streamlit-specific error`);
  });
  const dropped = parseSecretsToml('a = [{ a = 1 }, 2]');
  assert.deepEqual(dropped.problems.map((p) => [p.code, p.range]), [['streamlit-array-drops-values', { start: 4, end: 18 }]]);
  const unclosed = parseSecretsToml('[secrets]\nfiles = [');
  assert.deepEqual(unclosed.problems.map((p) => p.code), ['streamlit-unclosed-array']);
  assert.deepEqual(unclosed.root?.children?.get('secrets')?.children?.get('files'), { kind: 'array', items: [] });
});
