// The Community Cloud export: one TOML document that loads back (in our Streamlit-compatible reader
// and in Streamlit's own parser, Debian's python3-toml) to exactly the merged secrets, on fixtures
// and on generated merges; warnings and the preview never carry a value.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { communityCloudExport, mergedRoot, sameSecrets } from '../../../server/src/service/communityCloudExport';
import { mergeSecrets, type LoadedSecretsSource } from '../../../server/src/service/mergeSecrets';
import { resolveSecretsChain } from '../../../server/src/service/secretsChain';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import type { SecretNode } from '../../../server/src/toml/types';
import { diffValue, oracleOnFiles } from '../../helpers/streamlitOracle';
import { mergedOf } from './secretsFixture';

const globalText = 'global_token = "EXPCANARY-global-1a2b3c"\nshared = "EXPCANARY-shared-global-4d5e"\n';
const projectText = [
  'shared = "EXPCANARY-shared-project-6f7g"',
  'weird = "tab\\there \\"q\\" \\\\ é 😀 \\u0001"',
  'big = 12345678901234567890',
  'f = 1.0',
  'exp = 1e300',
  'when = 1979-05-27T07:32:00Z',
  'day = 1979-05-27',
  'arr = [1, 2, 3]',
  'tables = [{ a = 1 }, { b = "x" }]',
  '"key with space" = true',
  '[db]',
  'user = "EXPCANARY-db-user-8h9i"',
  'url = "postgresql://localhost:5432/app"',
  'private_key_file = "~/keys/EXPCANARY-path-0j1k.pem"',
  '[db.nested]',
  'x = 1',
  '[auth]',
  'redirect_uri = "https://example.com/oauth2callback"',
  'cookie_secret = "EXPCANARY-cookie-2l3m"',
  '',
].join('\n');

describe('Community Cloud export', () => {
  test('the fixture merge round-trips, with each warning and a masked preview', () => {
    const merged = mergedOf(globalText, projectText);
    const result = communityCloudExport(merged);
    assert.ok(result.ok);
    const back = parseSecretsToml(result.toml);
    assert.equal(back.streamlitError, undefined);
    assert.ok(sameSecrets(back.root, mergedRoot(merged)));
    // The project's value of `shared` wins, as Streamlit's merge has it.
    assert.ok(result.toml.includes('EXPCANARY-shared-project-6f7g') && !result.toml.includes('EXPCANARY-shared-global-4d5e'));
    assert.deepEqual(
      result.warnings.map((warning) => `${warning.code} ${warning.keyPath.join('.')}`).sort(),
      ['auth-redirect-not-deployed auth.redirect_uri', 'local-file-path db.private_key_file', 'local-only global_token', 'points-at-this-machine db.url'],
    );
    assert.deepEqual(result.preview.find((entry) => entry.key === 'global_token'), {
      key: 'global_token', keyPath: ['global_token'], type: 'string', file: '~/.streamlit/secrets.toml', role: 'global', source: 'global file ~/.streamlit/secrets.toml',
    });
    assert.deepEqual(result.preview.find((entry) => entry.key === 'db'), {
      key: 'db', keyPath: ['db'], type: 'table (4 keys)', file: '.streamlit/secrets.toml', role: 'project', source: 'project file .streamlit/secrets.toml',
    });
    // Nested keys are listed by their dotted names, from the file of their top-level key.
    assert.deepEqual(
      result.preview.filter((entry) => entry.keyPath[0] === 'db').map((entry) => `${entry.key} ${entry.type} ${entry.role}`),
      ['db table (4 keys) project', 'db.user string project', 'db.url string project', 'db.private_key_file string project', 'db.nested table (1 key) project', 'db.nested.x integer project'],
    );
    const shown = JSON.stringify([result.warnings, result.preview]);
    assert.ok(!shown.includes('EXPCANARY'), 'warnings and preview name keys, never values');
  });

  test('nothing to export: no secrets file, or a file Streamlit cannot load', () => {
    assert.deepEqual(communityCloudExport(mergedOf(undefined, undefined)), { ok: false, reason: 'the app has no secrets file' });
    const broken = communityCloudExport(mergedOf(undefined, 'a = "EXPCANARY-broken\n'));
    assert.ok(!broken.ok && broken.reason.startsWith('Streamlit cannot load the secrets') && !broken.reason.includes('EXPCANARY'));
  });

  test('a localhost redirect_uri is one warning; a deployed one none', () => {
    const local = communityCloudExport(mergedOf(undefined, '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n'));
    assert.ok(local.ok);
    assert.deepEqual(local.warnings.map((warning) => warning.code), ['points-at-this-machine']);
    const deployed = communityCloudExport(mergedOf(undefined, '[auth]\nredirect_uri = "https://my-app.streamlit.app/oauth2callback"\nhost = "db.example.com"\nkey_file = "/etc/k.pem"\n'));
    assert.ok(deployed.ok);
    assert.deepEqual(deployed.warnings, []);
  });

  test('generated merges load back to the same values in our reader and in Streamlit\'s parser', () => {
    const keyArb = fc.oneof(fc.constantFrom('a', 'b', 'db', 'api_key', 'my-key', 'key with space', 'dotted.key', 'é', 'quote"d', "it's", 'back\\slash'), fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme-ascii' }));
    const stringArb = fc.string({ maxLength: 12, unit: 'grapheme' }).filter((text) => !text.includes('\0')).map((value): SecretNode => ({ kind: 'string', value }));
    const scalarArbs: fc.Arbitrary<SecretNode>[] = [
      stringArb,
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value): SecretNode => ({ kind: 'integer', value })),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Object.is(value, -0)).map((value): SecretNode => ({ kind: 'float', value })),
      fc.boolean().map((value): SecretNode => ({ kind: 'boolean', value })),
    ];
    // Streamlit's parser rejects arrays mixing types: one type per array.
    const arrayArb = fc.oneof(...scalarArbs.map((scalar) => fc.array(scalar, { maxLength: 3 }))).map((items): SecretNode => ({ kind: 'array', items }));
    const nodeArb: fc.Arbitrary<SecretNode> = fc.letrec<{ node: SecretNode; table: SecretNode }>((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, ...scalarArbs, arrayArb, tie('table')),
      table: fc.uniqueArray(fc.tuple(keyArb, tie('node')), { maxLength: 4, selector: ([key]) => key }).map((pairs): SecretNode => ({ kind: 'table', children: new Map(pairs) })),
    })).node;
    const rootArb = fc.uniqueArray(fc.tuple(keyArb.filter((key) => !key.includes('=')), nodeArb), { minLength: 1, maxLength: 5, selector: ([key]) => key }).map((pairs): SecretNode => ({ kind: 'table', children: new Map(pairs) }));
    const chain = resolveSecretsChain({ home: '/h', cwd: '/p', entrypointDir: '/p/app' }, []);

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'streamlit-secrets-export-'));
    const written: { file: string; root: SecretNode }[] = [];
    try {
      fc.assert(
        fc.property(fc.tuple(rootArb, rootArb, rootArb), (roots) => {
          const sources: LoadedSecretsSource[] = chain.sources.map((spec, index) => ({ spec, kind: 'file', root: roots[index]! }));
          const merged = mergeSecrets(chain, sources);
          const result = communityCloudExport(merged);
          if (merged.loadError !== undefined) return !result.ok;
          if (!result.ok && /cannot be written so that Streamlit's parser reads it back/.test(result.reason)) return true;
          assert.ok(result.ok, !result.ok ? result.reason : '');
          assert.ok(sameSecrets(parseSecretsToml(result.toml).root, mergedRoot(merged)));
          const file = path.join(scratch, `${written.length}.toml`);
          fs.writeFileSync(file, result.toml);
          written.push({ file, root: mergedRoot(merged) });
          return true;
        }),
        { numRuns: 150, seed: 1301 },
      );
      assert.ok(written.length > 60, `only ${written.length} merges were exported`);
      const verdicts = oracleOnFiles(written.map((item) => item.file));
      written.forEach((item, index) => {
        const verdict = verdicts[index]!;
        assert.ok(verdict.ok, `Streamlit's parser rejects ${fs.readFileSync(item.file, 'utf8')}`);
        assert.equal(diffValue(item.root, verdict.value!, 'root'), undefined, fs.readFileSync(item.file, 'utf8'));
      });
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
