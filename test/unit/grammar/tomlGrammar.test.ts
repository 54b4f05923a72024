// Tests of syntaxes/toml.tmLanguage.json, tokenised with vscode-textmate + vscode-oniguruma:
//   1. fixtures/*.toml carry inline scope assertions (see assertions.ts);
//   2. every document of the TOML 1.0 conformance corpus (toml-test valid/) tokenises without an
//      `invalid.*` token, and the keys, string values and scalar kinds rebuilt from the scopes alone
//      equal the corpus's expected X.json;
//   3. every line that starts at the top level tokenises the same on its own as in its document
//      (key lines, headers and values never depend on earlier lines);
//   4. no line stops early, the whole corpus tokenises quickly, and so do long pathological lines.
// Run: node --import tsx --test test/unit/grammar/tomlGrammar.test.ts
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { checkAssertions, parseFixture } from './assertions';
import { corpusValidDir, expected, extract } from './corpus';
import { ROOT_SCOPE, describeLine, fixturesDir, grammarPath, tokenize, type TokenizedLine } from './tokenize';
import { withinCpuBudget } from '../../helpers/cpuBudget';

/**
 * Corpus files allowed to deviate from the checks below, with the reason. Keep it minimal; fix the
 * grammar instead whenever possible. (Currently empty: every valid/ file passes every check.)
 */
const CORPUS_EXCEPTIONS: ReadonlyMap<string, string> = new Map<string, string>([]);

/** Budget for tokenising the whole corpus once (it takes well under a second). */
const CORPUS_BUDGET_MS = 5000;

function listFiles(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) return listFiles(p, ext);
      return name.endsWith(ext) ? [p] : [];
    });
}

/** Lines of a document that start at the top level but tokenise differently on their own. */
async function contextDependentLines(lines: TokenizedLine[]): Promise<string[]> {
  const diffs: string[] = [];
  for (const line of lines) {
    if (!line.startsAtTopLevel) continue;
    const [alone] = await tokenize(line.text);
    const render = (l: TokenizedLine) => l.tokens.map((t) => `${t.startIndex}-${t.endIndex} ${t.scopes.join(' ')}`);
    if (JSON.stringify(render(alone)) !== JSON.stringify(render(line))) diffs.push(`line ${line.tokens[0]?.line}: ${line.text}`);
  }
  return diffs;
}

const crlfToLf = (s: string): string => s.replace(/\r\n/g, '\n');
const sortedUnique = (xs: string[]): string[] => [...new Set(xs.map(crlfToLf))].sort();
const sorted = (xs: string[]): string[] => xs.map(crlfToLf).sort();

describe('TOML grammar: the grammar file', () => {
  const grammar = JSON.parse(readFileSync(grammarPath, 'utf8')) as Record<string, unknown>;

  test('has its own root scope (never plain source.toml) and every scope name ends in .toml', () => {
    assert.equal(grammar.scopeName, ROOT_SCOPE);
    assert.notEqual(grammar.scopeName, 'source.toml');
    // Still below source.toml, so themes' `source.toml` rules apply to it.
    assert.ok(ROOT_SCOPE.startsWith('source.toml.'));
    const bad: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if ((k === 'name' || k === 'contentName') && typeof child === 'string' && v !== grammar) {
            for (const scope of child.split(/\s+/)) if (!scope.endsWith('.toml')) bad.push(scope);
          }
          walk(child);
        }
      }
    };
    walk(grammar.repository);
    walk(grammar.patterns);
    assert.deepEqual(bad, []);
  });

  test('package.json registers this grammar under its own scope for both languages the extension owns', () => {
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(grammarPath), '..', 'package.json'), 'utf8')) as {
      contributes: { grammars: { language?: string; scopeName: string; path: string }[] };
    };
    const ours = manifest.contributes.grammars.filter((g) => path.resolve(path.dirname(grammarPath), '..', g.path) === grammarPath);
    assert.deepEqual(ours.map((g) => g.language).sort(), ['streamlit-config', 'streamlit-secrets']);
    for (const g of ours) assert.equal(g.scopeName, grammar.scopeName);
    // No contribution may claim the shared `source.toml` scope (another TOML extension's grammar could replace ours).
    assert.ok(manifest.contributes.grammars.every((g) => g.scopeName !== 'source.toml'));
  });

  test('every include points to a repository rule', () => {
    const repo = grammar.repository as Record<string, unknown>;
    const missing: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (k === 'include' && typeof child === 'string' && child.startsWith('#') && !(child.slice(1) in repo)) missing.push(child);
          walk(child);
        }
      }
    };
    walk(grammar);
    assert.deepEqual(missing, []);
  });
});

describe('TOML grammar: fixtures with inline scope assertions', () => {
  const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.toml')).sort();

  test('fixtures exist', () => {
    assert.ok(files.length >= 8, `only ${files.length} fixtures in ${fixturesDir}`);
  });

  for (const file of files) {
    test(file, async () => {
      const fixture = parseFixture(readFileSync(path.join(fixturesDir, file), 'utf8'));
      assert.ok(fixture.assertions.length > 0, 'fixture has no assertions');
      const lines = await tokenize(fixture.source);
      assert.ok(!lines.some((l) => l.stoppedEarly), 'tokenizer stopped early');
      assert.deepEqual(await contextDependentLines(lines), [], 'top-level lines must tokenise the same on their own');
      const failures = checkAssertions(lines, fixture.assertions);
      assert.deepEqual(failures, [], failures.join('\n'));
      // Outside the invalid-* fixtures, nothing may be marked invalid.
      if (!file.startsWith('invalid')) {
        const invalid = lines.filter((l) => l.tokens.some((t) => t.scopes.some((s) => s.startsWith('invalid.'))));
        assert.deepEqual(invalid.map((l) => `${l.text}\n${describeLine(l)}`), []);
      }
    });
  }
});

describe('TOML grammar: toml-test corpus (valid/)', () => {
  const dir = corpusValidDir(); // throws, failing the suite, when the corpus is missing
  const files = listFiles(dir, '.toml');
  let passed = 0;
  let elapsedMs = 0;

  test('corpus is present', () => {
    assert.ok(files.length >= 200, `expected the full corpus, found ${files.length} files in ${dir}`);
  });

  for (const file of files) {
    const name = path.relative(dir, file).split(path.sep).join('/');
    test(name, async () => {
      const text = readFileSync(file, 'utf8');
      const start = performance.now();
      const lines = await tokenize(text);
      elapsedMs += performance.now() - start;
      const exception = CORPUS_EXCEPTIONS.get(name);
      if (exception) return;

      const stopped = lines.filter((l) => l.stoppedEarly).map((l) => l.text);
      assert.deepEqual(stopped, [], 'tokenizer stopped early');

      const got = extract(lines);
      assert.deepEqual(
        got.invalid.map((t) => `${t.line + 1}:${t.startIndex + 1} ${JSON.stringify(t.text)} ${t.scopes.join(' ')}`),
        [],
        'invalid tokens in a valid document',
      );

      const want = expected(JSON.parse(readFileSync(file.replace(/\.toml$/, '.json'), 'utf8')));
      // Every key (and table-header part) is in a key scope, and nothing else is.
      assert.deepEqual(sortedUnique(got.keys), sortedUnique(want.keys), 'keys');
      // Every string value's text is in a string scope, with exactly TOML's boundaries.
      assert.deepEqual(sorted(got.strings), sorted(want.strings), 'string values');
      // One scalar token of the right kind for each non-string value.
      assert.deepEqual(got.counts, want.counts, 'scalar kinds');
      assert.deepEqual(await contextDependentLines(lines), [], 'top-level lines must tokenise the same on their own');
      passed++;
    });
  }

  test('summary: every file passes and the corpus tokenises fast', () => {
    const checked = files.length - CORPUS_EXCEPTIONS.size;
    console.log(`toml-test valid/: ${passed}/${checked} files pass (${CORPUS_EXCEPTIONS.size} excepted), tokenised in ${elapsedMs.toFixed(0)} ms`);
    assert.equal(passed, checked);
    assert.ok(elapsedMs < CORPUS_BUDGET_MS, `corpus took ${elapsedMs.toFixed(0)} ms`);
  });
});

describe('TOML grammar: documents built in the test', () => {
  test('CRLF line endings and a byte order mark', async () => {
    const doc = ['\uFEFFa = 1', '[t]', 'b = """x\\', '  y"""', '[[u]]', "c = '''", "z'''", ''].join('\r\n');
    const lines = await tokenize(doc);
    const got = extract(lines);
    assert.deepEqual(got.invalid, []);
    assert.deepEqual(got.keys, ['a', 't', 'b', 'u', 'c']);
    assert.deepEqual(got.strings, ['xy', 'z']);
    assert.equal(got.counts.integer, 1);
  });

  test('an empty document and a document without a final newline', async () => {
    assert.deepEqual((await tokenize('')).map((l) => l.tokens.map((t) => t.scopes)), [[[ROOT_SCOPE]]]);
    const got = extract(await tokenize('k = "v"'));
    assert.deepEqual([got.keys, got.strings, got.invalid], [['k'], ['v'], []]);
  });

  test('long and pathological lines never stop the tokenizer early', async () => {
    const cases: Record<string, string> = {
      'array of 10000 numbers': `a = [${'1, '.repeat(10_000)}]`,
      'inline table of 5000 entries': `t = {${Array.from({ length: 5000 }, (_, i) => `k${i} = ${i}`).join(', ')}}`,
      '50000-character string': `s = "${'x'.repeat(50_000)}"`,
      '5000 escapes': `s = "${'\\u00e9'.repeat(5000)}"`,
      'unclosed inline table of dotted junk': `t = {${'a.'.repeat(5000)}`,
      '2000-part dotted key': `${Array.from({ length: 2000 }, (_, i) => `k${i}`).join('.')} = 1`,
      '5000 lines of entries': Array.from({ length: 5000 }, (_, i) => `key_${i} = "value ${i}" # comment`).join('\n'),
      'deeply nested arrays': `a = ${'['.repeat(500)}1${']'.repeat(500)}`,
    };
    for (const [name, text] of Object.entries(cases)) {
      // A runaway guard in CPU time (speed itself is the benchmark's business).
      const lines = await withinCpuBudget(() => tokenize(text), 3000, name);
      assert.ok(!lines.some((l) => l.stoppedEarly), `${name}: tokenizer stopped early`);
    }
  });
});
