// Differential test of the merge against Streamlit itself: random secrets files with overlapping
// keys are merged by Streamlit's parser (`toml` 0.10.2, Debian's python3-toml) with `dict.update`,
// and by our parse + merge; the merged views must be equal, key order included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'smol-toml';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { mergeSecrets, type LoadedSecretsSource } from '../../../server/src/service/mergeSecrets';
import { resolveSecretsChain } from '../../../server/src/service/secretsChain';
import type { SecretNode } from '../../../server/src/toml/types';

const PYTHON = '/usr/bin/python3'; // Debian's, which sees python3-toml

type Tagged = { bool: boolean } | { int: string } | { float: number } | { str: string } | { list: Tagged[] } | { dict: [string, Tagged][] } | { error: string };

function tag(node: SecretNode): Tagged {
  switch (node.kind) {
    case 'boolean':
      return { bool: node.value as boolean };
    case 'integer':
      return { int: String(node.value) };
    case 'float':
      return { float: node.value as number };
    case 'string':
      return { str: node.value as string };
    case 'array':
      return { list: (node.items ?? []).map(tag) };
    case 'table':
      return { dict: [...(node.children ?? new Map())].map(([key, child]) => [key, tag(child)] as [string, Tagged]) };
    default:
      return { str: String(node.value) };
  }
}

// Few key names, so that files overlap (shadowing) at every level.
const keyName = fc.constantFrom('db', 'api_key', 'connections', 'auth', 'user', 'port', 'a', 'b', 'my-key');
// toml 0.10.2 misreads a basic string that starts with an escaped quote (`"\\"a"` loads as ''):
// a parser quirk outside the merge's concern, so such strings are not generated here.
const text = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019 _-."\'\\#=[]é'.split('')), maxLength: 12 })
  .filter((s) => !s.startsWith('"'));
const scalar = fc.oneof(
  text,
  fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }),
  fc.integer({ min: -4000, max: 4000 }).map((n) => n / 8 + 0.5),
  fc.boolean(),
);
// Arrays are homogeneous (Streamlit rejects mixed arrays; that case is covered by parser tests).
const array = fc.oneof(fc.array(text, { maxLength: 3 }), fc.array(fc.boolean(), { maxLength: 3 }));
const { table } = fc.letrec((tie) => ({
  table: fc.dictionary(keyName, fc.oneof({ depthSize: 'small', maxDepth: 3 }, scalar, array, tie('table')), { maxKeys: 4 }),
}));
const files = fc.array(table, { minLength: 1, maxLength: 3 });

test('merging random overlapping secrets files gives what Streamlit gives', () => {
  const cases = fc.sample(files, { numRuns: 250, seed: 20261122 }).map((tables) =>
    tables.map((value) => stringify(value as Record<string, unknown>)),
  );
  const run = spawnSync(PYTHON, [path.join(__dirname, 'mergeOracle.py')], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `the oracle failed (is python3-toml installed?): ${run.stderr}`);
  const expected = JSON.parse(run.stdout) as Tagged[];
  const chain = resolveSecretsChain({ home: undefined, cwd: '/p' }, []);

  let shadowingCases = 0;
  cases.forEach((texts, index) => {
    const sources: LoadedSecretsSource[] = texts.map((t, i) => {
      const parsed = parseSecretsToml(t);
      return { spec: { path: `/p/${i}.toml`, role: 'configured' }, kind: 'file', parsed, ...(parsed.root ? { root: parsed.root } : {}), ...(parsed.streamlitError ? { error: parsed.streamlitError } : {}) };
    });
    const merged = mergeSecrets(chain, sources);
    const want = expected[index]!;
    if ('error' in want) {
      assert.ok(merged.loadError, `case ${index}: Streamlit fails (${want.error}) but we load:\n${texts.join('\n---\n')}`);
      return;
    }
    assert.equal(merged.loadError, undefined, `case ${index}: we fail but Streamlit loads:\n${texts.join('\n---\n')}`);
    const ours: Tagged = { dict: [...merged.entries.values()].map((entry) => [entry.key, tag(entry.node)] as [string, Tagged]) };
    assert.deepEqual(ours, want, `case ${index}:\n${texts.join('\n---\n')}`);
    if ([...merged.entries.values()].some((entry) => entry.shadowed.length > 0)) shadowingCases++;
  });
  // The generator must actually exercise shadowing, or this test proves little.
  assert.ok(shadowingCases > 50, `only ${shadowingCases} cases shadow a key`);
});
