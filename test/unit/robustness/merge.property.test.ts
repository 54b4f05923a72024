// Properties of the merged-secrets model (Streamlit's shallow `dict.update` merge) over random
// chains of random sources, checked against the rules in streamlit-secrets.md §2–3 stated
// independently here: merging is deterministic; a top-level key is won by exactly the last source
// defining it, or absent; `lost` paths never appear in the merged view; the env-var set is exactly
// the root keys whose value is str, int or float; and the load fails exactly when the rule says.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { lookupSecret, mergeSecrets, type LoadedSecretsSource } from '../../../server/src/service/mergeSecrets';
import { mergedSecretsResult } from '../../../server/src/service/mergedSecretsResult';
import type { SecretsChain } from '../../../server/src/service/secretsChain';
import type { SecretNode, SecretValueKind } from '../../../server/src/toml/types';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { assertNoCanary, canaries, documentText, seed, tomlSeeds } from './seeds';

const runs = Number(process.env.ROBUSTNESS_RUNS ?? 400);
// Few key names so that files collide often; '=' and '' exercise the env-var failure rule.
const keyArb = fc.constantFrom('a', 'b', 'db', 'api_key', 'x', 'my-key', 'user', 'port', '', 'k=v', 'n\0');
const scalarArb: fc.Arbitrary<SecretNode> = fc.oneof(
  fc.constantFrom(...canaries, 'plain', '', 'nul\0inside').map((value): SecretNode => ({ kind: 'string', value })),
  fc.bigInt({ min: -5n, max: 5n }).map((value): SecretNode => ({ kind: 'integer', value })),
  fc.double({ noNaN: true }).map((value): SecretNode => ({ kind: 'float', value })),
  fc.boolean().map((value): SecretNode => ({ kind: 'boolean', value })),
  fc.constantFrom<SecretValueKind>('offset-datetime', 'local-date', 'local-time', 'local-datetime').map((kind): SecretNode => ({ kind, value: '1979-05-27' })),
);
const nodeArb: fc.Arbitrary<SecretNode> = fc.letrec<{ node: SecretNode; table: SecretNode }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, tie('table'), fc.array(tie('node'), { maxLength: 3 }).map((items): SecretNode => ({ kind: 'array', items }))),
  table: fc.array(fc.tuple(keyArb, tie('node')), { maxLength: 4 }).map((pairs): SecretNode => ({ kind: 'table', children: new Map(pairs) })),
})).node;
const rootArb = fc.array(fc.tuple(keyArb, nodeArb), { maxLength: 6 }).map((pairs): SecretNode => ({ kind: 'table', children: new Map(pairs) }));

const sourceArb: fc.Arbitrary<LoadedSecretsSource> = fc.oneof(
  { weight: 5, arbitrary: rootArb.map((root) => ({ kind: 'file' as const, root })) },
  { weight: 1, arbitrary: rootArb.map((root) => ({ kind: 'directory' as const, root })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'missing' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'file' as const, error: 'invalid TOML at line 1, column 1' }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'invalid' as const, error: 'Invalid secrets path' }) },
).map((partial) => ({ ...partial, spec: { path: '/p', role: 'project' as const } }));

const chainArb = fc.array(sourceArb, { maxLength: 5 }).map((sources) => {
  sources.forEach((source, i) => (source.spec = { path: `/src${i}/secrets.toml`, role: i === 0 ? 'global' : 'project' }));
  const chain: SecretsChain = { home: '/home', cwd: '/cwd', sources: sources.map((s) => s.spec) };
  return { chain, sources };
});

/** Every path below `node` through tables, with the node there. */
function* walk(node: SecretNode, prefix: string[]): Generator<[string[], SecretNode]> {
  if (node.kind !== 'table') return;
  for (const [key, child] of node.children ?? []) {
    yield [[...prefix, key], child];
    yield* walk(child, [...prefix, key]);
  }
}

const exported = new Set(['string', 'integer', 'float']);

describe('robustness: merged-secrets model properties', () => {
  test('deterministic: same sources (even deep copies) give the same merge', () => {
    fc.assert(
      fc.property(chainArb, ({ chain, sources }) => {
        const first = mergeSecrets(chain, sources);
        assert.deepEqual(mergeSecrets(chain, sources), first);
        assert.deepEqual(mergeSecrets(structuredClone(chain), structuredClone(sources)), first);
      }),
      { seed, numRuns: runs },
    );
  });

  test('each top-level key is won by exactly the last source defining it, or absent; order is dict.update order', () => {
    fc.assert(
      fc.property(chainArb, ({ chain, sources }) => {
        const merged = mergeSecrets(chain, sources);
        const definers = new Map<string, number[]>();
        sources.forEach((source, index) => {
          for (const key of source.root?.children?.keys() ?? []) definers.set(key, [...(definers.get(key) ?? []), index]);
        });
        assert.deepEqual([...merged.entries.keys()], [...definers.keys()], 'keys or their order differ from dict.update');
        for (const [key, indexes] of definers) {
          const entry = merged.entries.get(key)!;
          assert.equal(entry.key, key);
          assert.equal(entry.winner, indexes[indexes.length - 1]);
          assert.deepEqual(entry.shadowed, indexes.slice(0, -1));
          assert.ok(!entry.shadowed.includes(entry.winner), 'winner also shadowed');
          assert.equal(entry.node, sources[entry.winner]!.root!.children!.get(key), 'value is not the winner’s');
        }
        assert.equal(merged.noSecretsFound, sources.every((s) => s.kind === 'missing'));
      }),
      { seed, numRuns: runs },
    );
  });

  test('lost paths are never in the merged view, and every shadowed path missing from it is reported lost', () => {
    fc.assert(
      fc.property(chainArb, ({ chain, sources }) => {
        const merged = mergeSecrets(chain, sources);
        for (const entry of merged.entries.values()) {
          const lostSet = new Set(entry.lost);
          for (const shadowIndex of entry.shadowed) {
            const shadowedNode = sources[shadowIndex]!.root!.children!.get(entry.key)!;
            for (const [path] of walk(shadowedNode, [entry.key])) {
              const inMerged = lookupSecret(merged, path) !== undefined;
              // A missing path is lost itself or lies under a lost ancestor (only the topmost is listed).
              const reported = path.some((_, i) => lostSet.has(formatPath(path.slice(0, i + 1))));
              if (!inMerged) assert.ok(reported, `missing path ${JSON.stringify(path)} not reported lost (${entry.lost})`);
            }
          }
          for (const dotted of entry.lost) {
            const path = parsePath(dotted);
            assert.equal(lookupSecret(merged, path), undefined, `lost path ${dotted} is in the merged view`);
            assert.equal(path[0], entry.key);
          }
        }
      }),
      { seed, numRuns: runs },
    );
  });

  test('the env-var set equals the rule; the load fails exactly when the rule says', () => {
    fc.assert(
      fc.property(chainArb, ({ chain, sources }) => {
        const merged = mergeSecrets(chain, sources);
        for (const entry of merged.entries.values()) assert.equal(entry.env, exported.has(entry.node.kind), `env of ${entry.key}`);
        const sourceError = sources.findIndex((s) => s.error !== undefined);
        const badKey = [...merged.entries.values()].find(
          (e) => exported.has(e.node.kind) && (e.key === '' || e.key.includes('=') || e.key.includes('\0') || (typeof e.node.value === 'string' && e.node.value.includes('\0'))),
        );
        if (sourceError >= 0) assert.equal(merged.loadError?.source, sourceError);
        else if (badKey) assert.equal(merged.loadError?.key, badKey.key);
        else assert.equal(merged.loadError, undefined);
        assertNoCanary(merged.loadError?.message, 'loadError');
      }),
      { seed, numRuns: runs },
    );
  });

  test('the mergedSecrets result never carries a value, whatever the revealCharacters setting', () => {
    fc.assert(
      fc.property(chainArb, fc.integer({ min: -3, max: 100 }), ({ chain, sources }, reveal) => {
        const result = mergedSecretsResult(mergeSecrets(chain, sources), reveal);
        assertNoCanary(JSON.stringify(result), 'mergedSecrets result');
      }),
      { seed, numRuns: runs },
    );
  });

  test('merging parsed mutated documents never throws', () => {
    const seeds = tomlSeeds();
    fc.assert(
      fc.property(fc.array(documentText(seeds), { minLength: 1, maxLength: 3 }), (texts) => {
        const sources: LoadedSecretsSource[] = texts.map((text, i) => {
          const parsed = parseSecretsToml(text);
          return { spec: { path: `/s${i}.toml`, role: 'project' }, kind: 'file', parsed, text, ...(parsed.root ? { root: parsed.root } : {}), ...(parsed.streamlitError ? { error: parsed.streamlitError } : {}) };
        });
        const merged = mergeSecrets({ home: undefined, cwd: '/', sources: sources.map((s) => s.spec) }, sources);
        assertNoCanary(JSON.stringify(mergedSecretsResult(merged, 8)), 'mergedSecrets result');
      }),
      { seed, numRuns: Math.ceil(runs / 2) },
    );
  });
});

function formatPath(path: string[]): string {
  return path.map((segment) => (/^[A-Za-z0-9_-]+$/.test(segment) ? segment : JSON.stringify(segment))).join('.');
}

/** Inverse of formatKeyPath for the key alphabet above (bare keys or JSON-quoted ones). */
function parsePath(dotted: string): string[] {
  const path: string[] = [];
  const re = /"(?:[^"\\]|\\.)*"|[A-Za-z0-9_-]+/g;
  for (const match of dotted.matchAll(re)) path.push(match[0].startsWith('"') ? (JSON.parse(match[0]) as string) : match[0]);
  return path;
}
