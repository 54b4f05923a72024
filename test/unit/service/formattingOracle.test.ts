// The formatter's promise, checked against Streamlit's own TOML parser (`toml` 0.10.2, Debian's
// python3-toml, test/unit/toml/streamlitOracle.py): for every file Streamlit loads — the whole
// toml-test corpus and generated secrets files with messy spacing, comments and CRLF — the file we
// format loads to exactly the same value.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatStreamlitToml } from '../../../server/src/service/formatting';
import { loadTomlFormatter, type TomlFormatter } from '../../../server/src/toml/tomlFormatter';
import { decodeSecretsFile } from '../../../server/src/toml/parseSecretsToml';
import { listTomlFiles, tomlTestCorpus } from '../../helpers/tomlTestCorpus';

const PYTHON = '/usr/bin/python3'; // Debian's, which sees python3-toml
const oracle = path.join(__dirname, '..', 'toml', 'streamlitOracle.py');

let formatter: TomlFormatter;
before(async () => {
  formatter = await loadTomlFormatter();
});

interface Verdict {
  ok: boolean;
  value?: unknown;
}

function streamlitLoads(files: string[]): Verdict[] {
  const run = spawnSync(PYTHON, [oracle], { input: files.join('\n') + '\n', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(run.status, 0, `oracle failed: ${String(run.stderr)}`);
  const verdicts = String(run.stdout).trim().split('\n').map((line) => JSON.parse(line) as Verdict);
  assert.equal(verdicts.length, files.length);
  return verdicts;
}

/**
 * Formats every text, writes the results that differ into a temporary folder and asks Streamlit's
 * parser about originals and results. Returns how many files changed; fails on any value change.
 */
function checkRoundTrip(originals: { name: string; file: string; text: string }[]): { formattedCount: number; refused: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'format-oracle-'));
  try {
    const pairs: { name: string; original: string; formatted: string }[] = [];
    let refused = 0;
    originals.forEach(({ name, file, text }, i) => {
      const document = TextDocument.create('file:///p/.streamlit/secrets.toml', 'streamlit-secrets', 1, text);
      const outcome = formatStreamlitToml(document, formatter);
      if (outcome.notFormatted !== undefined) refused++;
      if (outcome.edits.length === 0) return;
      const formatted = path.join(dir, `${i}.toml`);
      writeFileSync(formatted, TextDocument.applyEdits(document, outcome.edits));
      pairs.push({ name, original: file, formatted });
    });
    const verdicts = streamlitLoads(pairs.flatMap((pair) => [pair.original, pair.formatted]));
    const changed: string[] = [];
    pairs.forEach((pair, i) => {
      const before = verdicts[2 * i]!;
      const after = verdicts[2 * i + 1]!;
      if (!before.ok) return; // Streamlit does not load the original: nothing to keep
      if (!after.ok) changed.push(`${pair.name}: Streamlit loads the original but not the formatted file`);
      else if (JSON.stringify(after.value) !== JSON.stringify(before.value)) changed.push(`${pair.name}: the formatted file loads to another value`);
    });
    assert.deepEqual(changed, []);
    return { formattedCount: pairs.length, refused };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('toml-test corpus: every file Streamlit loads loads to the same value once formatted', () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} missing: install Debian's python3-toml (scripts/install-test-deps.sh)`);
  const corpus = tomlTestCorpus();
  const files = [...listTomlFiles(path.join(corpus, 'valid')), ...listTomlFiles(path.join(corpus, 'invalid'))];
  assert.ok(files.length > 500, 'corpus looks incomplete');
  const originals = files.flatMap((file) => {
    const decoded = decodeSecretsFile(readFileSync(file));
    return 'binary' in decoded ? [] : [{ name: path.relative(corpus, file), file, text: decoded.text }];
  });
  const { formattedCount } = checkRoundTrip(originals);
  assert.ok(formattedCount > 80, `the formatter changed only ${formattedCount} corpus files: the check would prove little`);
});

// Generated secrets files: what people write, written untidily.
const bareKey = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/);
const anyKey = fc.oneof(bareKey, fc.string({ maxLength: 8 }).map((key) => JSON.stringify(key)));
const space = fc.constantFrom('', ' ', '  ', '\t');
const scalar = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => Number.isFinite(n)).map((n) => (Number.isInteger(n) ? `${n}.0` : String(n))),
  fc.boolean().map(String),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.stringMatching(/^[a-zA-Z0-9 #=\[\]{}.,"]{0,12}$/).map((s) => `'${s}'`),
  fc.constant('1979-05-27T07:32:00Z'),
  fc.constant('"""\nmulti\n  line\n"""'),
);
const array = fc.array(fc.integer().map(String), { maxLength: 4 }).chain((items) => fc.tuple(space, space).map(([a, b]) => `[${a}${items.join(`,${b}`)}${a}]`));
const inlineTable = fc.array(fc.tuple(bareKey, scalar), { maxLength: 3 }).map((pairs) => `{${pairs.map(([k, v]) => `${k}=${v}`).join(',  ')}}`);
const value = fc.oneof(scalar, array, inlineTable);
const comment = fc.option(fc.stringMatching(/^[a-z ]{0,10}$/).map((text) => `#${text}`), { nil: '' });
const entry = fc.tuple(space, anyKey, space, space, value, space, comment).map(([a, k, b, c, v, d, cm]) => `${a}${k}${b}=${c}${v}${d}${cm}`);
const blankLines = fc.integer({ min: 0, max: 4 }).map((n) => '\n'.repeat(n));
const section = fc.tuple(fc.constantFrom('[', '[['), bareKey, fc.array(entry, { maxLength: 4 }), blankLines).map(([open, name, entries, blank]) => [`${open}${name}${open === '[' ? ']' : ']]'}`, ...entries].join('\n') + blank);
const secretsFile = fc
  .tuple(fc.array(entry, { maxLength: 5 }), fc.array(section, { maxLength: 4 }), fc.boolean())
  .map(([root, sections, crlf]) => {
    const text = [...root, ...sections].join('\n') + '\n';
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

test('generated secrets files: every file Streamlit loads loads to the same value once formatted', () => {
  assert.ok(existsSync(PYTHON), `${PYTHON} missing: install Debian's python3-toml (scripts/install-test-deps.sh)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'format-generated-'));
  try {
    const texts = fc.sample(secretsFile, { numRuns: 400, seed: 17 });
    const originals = texts.map((text, i) => {
      const file = path.join(dir, `${i}.toml`);
      writeFileSync(file, text);
      return { name: `generated #${i}`, file, text };
    });
    const loads = streamlitLoads(originals.map((o) => o.file)).filter((v) => v.ok).length;
    assert.ok(loads > 100, `only ${loads} generated files load in Streamlit: the generator is off`);
    const { formattedCount } = checkRoundTrip(originals);
    assert.ok(formattedCount > 100, `the formatter changed only ${formattedCount} generated files`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
