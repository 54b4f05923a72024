// Properties of the TOML reader over mutated and random documents: it never throws, always
// terminates quickly, gives ranges inside the document, never quotes a value in a message, and is
// deterministic. Seeded from the toml-test corpus and the repository's fixtures (see seeds.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeParsedSecretsToml, parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { locateSecretKeys } from '../../../server/src/toml/locateSecretKeys';
import { decodeSecretsFile } from '../../../server/src/toml/decodeSecretsFile';
import { keyPathId, type SecretNode } from '../../../server/src/toml/types';
import { assertNoCanary, assertRangeInside, canaries, documentBytes, documentText, seed, tomlSeeds } from './seeds';

const seeds = tomlSeeds();
const runs = Number(process.env.ROBUSTNESS_RUNS ?? 400);

/** Every key path through tables (not into arrays), root excluded. */
function tablePaths(node: SecretNode | undefined, prefix: string[] = []): string[][] {
  if (node?.kind !== 'table' || node.children === undefined) return [];
  const paths: string[][] = [];
  for (const [key, child] of node.children) {
    paths.push([...prefix, key]);
    paths.push(...tablePaths(child, [...prefix, key]));
  }
  return paths;
}

/** Fails a call that runs away (a hang), with generous wall-clock bounds: not a speed assertion. */
function timed<T>(work: () => T, budgetMs: number, what: string, input: string): T {
  const started = performance.now();
  const result = work();
  const elapsed = performance.now() - started;
  if (elapsed > budgetMs) throw new Error(`${what} took ${elapsed.toFixed(0)} ms (budget ${budgetMs} ms) on ${JSON.stringify(input.slice(0, 200))}`);
  return result;
}

describe('robustness: TOML reader properties', () => {
  test(`seeds: ${seeds.length} documents (corpus + fixtures + planted canaries)`, () => {
    assert.ok(seeds.length >= 20, 'too few seeds to be meaningful');
    assert.ok(seeds[0]!.includes(canaries[0]!));
  });

  test('parseSecretsToml: never throws, problem ranges inside the text, no quoted values, deterministic', () => {
    fc.assert(
      fc.property(documentText(seeds), (text) => {
        const parsed = timed(() => parseSecretsToml(text), 10_000, 'parseSecretsToml', text);
        for (const problem of parsed.problems) {
          assertRangeInside(problem.range, text.length, `problem ${problem.code}`);
          assertNoCanary(problem.message, `problem ${problem.code}`);
          assert.ok(['error', 'warning', 'information', 'hint'].includes(problem.severity));
          assert.ok(problem.message.length > 0 && problem.code.length > 0);
        }
        assertNoCanary(parsed.streamlitError, 'streamlitError');
        // A document Streamlit cannot load has a reason, and the reason is an error problem too.
        if (parsed.root === undefined) assert.ok(parsed.streamlitError !== undefined, 'no root and no streamlitError');
        if (parsed.streamlitError !== undefined) assert.ok(parsed.problems.some((p) => p.severity === 'error'), 'streamlitError without an error problem');
        assert.deepEqual(computeParsedSecretsToml(text), parsed, 'not deterministic');
      }),
      { seed, numRuns: runs },
    );
  });

  test('locateSecretKeys: never throws, every location inside the text, every parsed key located', () => {
    fc.assert(
      fc.property(documentText(seeds), (text) => {
        const locations = timed(() => locateSecretKeys(text), 10_000, 'locateSecretKeys', text);
        for (const [id, list] of locations) {
          assert.ok(Array.isArray(JSON.parse(id)), `bad key id ${id}`);
          for (const location of list) {
            assertRangeInside(location.keyRange, text.length, `keyRange of ${id}`);
            assertRangeInside(location.valueRange, text.length, `valueRange of ${id}`);
          }
        }
        // Every key Streamlit would load can be found in the text (hover, definition and
        // references depend on it).
        const { root } = parseSecretsToml(text);
        for (const keyPath of tablePaths(root)) {
          assert.ok(locations.has(keyPathId(keyPath)), `key ${JSON.stringify(keyPath)} parsed but not located in ${JSON.stringify(text.slice(0, 300))}`);
        }
      }),
      { seed, numRuns: runs },
    );
  });

  test('decodeSecretsFile: never throws; valid UTF-8 round-trips; damage is reported, not hidden', () => {
    fc.assert(
      fc.property(documentBytes(seeds), (bytes) => {
        const decoded = decodeSecretsFile(bytes);
        const hasNul = bytes.includes(0);
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
        } catch {
          valid = false;
        }
        if ('binary' in decoded) {
          assert.ok(hasNul && !valid, 'binary without a NUL byte, or valid UTF-8 called binary');
          assertNoCanary(decoded.problem.message, 'binary problem');
          return;
        }
        assert.ok(valid || !hasNul, 'NUL bytes in invalid UTF-8 decoded as text');
        if (valid) {
          assert.deepEqual(decoded.problems, []);
          assert.ok(Buffer.from(decoded.text, 'utf8').equals(Buffer.from(bytes)), 'text does not round-trip to the bytes');
        } else {
          assert.ok(decoded.problems.some((p) => p.code === 'invalid-utf8' && p.severity === 'error'), 'invalid UTF-8 not reported');
        }
        for (const problem of decoded.problems) {
          assertRangeInside(problem.range, decoded.text.length, problem.code);
          assertNoCanary(problem.message, problem.code);
        }
        // The decoded text must be parseable without an exception, whatever it holds.
        parseSecretsToml(decoded.text);
      }),
      { seed, numRuns: runs },
    );
  });

  test('deep nesting and long lines stay fast and never overflow the stack', () => {
    const cases = [
      '[' + Array.from({ length: 10_000 }, (_, i) => `k${i}`).join('.') + ']\nx = 1\n',
      'a = ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n',
      'a = ' + '{b = '.repeat(5_000) + '1' + '}'.repeat(5_000) + '\n',
      'a = ' + '['.repeat(10_000) + '\n',
      Array.from({ length: 10_000 }, (_, i) => `k${i}`).join('.') + ' = 1\n',
      `s = "${'x'.repeat(1_000_000)}"\n`,
      '"' + 'q'.repeat(200_000) + '\n',
      // Shapes that make `toml` 0.10.2's own reading quadratic (our model of it must stay linear).
      `a=${'x='.repeat(100_000)}1\n`,
      `a = '''\n${'line \\\n'.repeat(100_000)}'''\n`,
      `a = ["${'x,'.repeat(200_000)}"]\n`,
      `a = {${Array.from({ length: 50_000 }, (_, i) => `k${i} = x`).join(', ')}}\n`,
      `a = ${'-'.repeat(100_000)}=${'1979-05-27T07:32:00.x-='.repeat(20_000)}1\n`,
    ];
    for (const text of cases) {
      const parsed = timed(() => parseSecretsToml(text), 10_000, 'parseSecretsToml', text);
      for (const problem of parsed.problems) assertRangeInside(problem.range, text.length, problem.code);
      timed(() => locateSecretKeys(text), 10_000, 'locateSecretKeys', text);
    }
  });
});
