import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { environmentExportError, sourceThatMayDefine, lookupSecret, mergeSecrets, type LoadedSecretsSource } from '../../../server/src/service/mergeSecrets';
import { resolveSecretsChain, type SourceRole } from '../../../server/src/service/secretsChain';
import { secretDirectoryToNode } from '../../../server/src/service/secretDirectory';
import { node, plain } from '../../helpers/secretNodes';

const chain = resolveSecretsChain({ home: '/h', cwd: '/p' }, []);

function source(path: string, value: Parameters<typeof node>[0] | undefined, extra: Partial<LoadedSecretsSource> = {}, role: SourceRole = 'project'): LoadedSecretsSource {
  return { spec: { path, role }, kind: value === undefined ? 'missing' : 'file', ...(value === undefined ? {} : { root: node(value) }), ...extra };
}

describe('mergeSecrets: shallow merge per top-level key', () => {
  const global = source('/h/.streamlit/secrets.toml', { db: { user: 'g', port: 5432n, opts: { ssl: true } }, api_key: 'x', only_global: 1.5 }, {}, 'global');
  const project = source('/p/.streamlit/secrets.toml', { db: { user: 'p' }, api_key: 'y', only_project: true });
  const merged = mergeSecrets(chain, [global, project]);

  test('the later file wins a key, with its whole value', () => {
    const db = merged.entries.get('db')!;
    assert.equal(db.winner, 1);
    assert.deepEqual(db.shadowed, [0]);
    assert.deepEqual(plain(db.node), { user: 'p' });
  });

  test('sub-keys of the shadowed table are lost', () => {
    assert.deepEqual(merged.entries.get('db')!.lost, ['db.port', 'db.opts']);
  });

  test('keys from one file only keep that file as the winner', () => {
    assert.equal(merged.entries.get('only_global')!.winner, 0);
    assert.equal(merged.entries.get('only_project')!.winner, 1);
    assert.deepEqual(merged.entries.get('only_global')!.shadowed, []);
  });

  test('order of keys follows dict.update (first definition keeps its place)', () => {
    assert.deepEqual([...merged.entries.keys()], ['db', 'api_key', 'only_global', 'only_project']);
  });

  test('a scalar replacing a table loses every sub-key; a table replacing a scalar loses nothing', () => {
    const m = mergeSecrets(chain, [source('/a.toml', { t: { a: 1n, b: 2n }, s: 'x' }), source('/b.toml', { t: 'flat', s: { k: 'v' } })]);
    assert.deepEqual(m.entries.get('t')!.lost, ['t.a', 't.b']);
    assert.deepEqual(m.entries.get('s')!.lost, []);
  });

  test('deep losses are reported at their topmost missing path, deduplicated across files', () => {
    const m = mergeSecrets(chain, [
      source('/a.toml', { c: { x: { y: 1n, z: 2n }, w: 1n } }),
      source('/b.toml', { c: { x: { y: 3n }, w: 1n } }),
      source('/c.toml', { c: { x: { y: 4n } } }),
    ]);
    const entry = m.entries.get('c')!;
    assert.equal(entry.winner, 2);
    assert.deepEqual(entry.shadowed, [0, 1]);
    assert.deepEqual(entry.lost, ['c.x.z', 'c.w']);
  });

  test('keys needing quotes are quoted in lost paths', () => {
    const m = mergeSecrets(chain, [source('/a.toml', { t: { 'my key': 1n, 'a.b': 2n } }), source('/b.toml', { t: {} })]);
    assert.deepEqual(m.entries.get('t')!.lost, ['t."my key"', 't."a.b"']);
  });

  test('one [connections.x] in the project file hides every global connection', () => {
    const m = mergeSecrets(chain, [
      source('/g.toml', { connections: { a: { url: 'u' }, b: { url: 'v' } } }),
      source('/p.toml', { connections: { c: { type: 'sql' } } }),
    ]);
    assert.deepEqual(m.entries.get('connections')!.lost, ['connections.a', 'connections.b']);
    assert.equal(lookupSecret(m, ['connections', 'a']), undefined);
    assert.ok(lookupSecret(m, ['connections', 'c', 'type']));
  });
});

describe('mergeSecrets: what exists and what fails', () => {
  test('no source exists: no secrets found', () => {
    const m = mergeSecrets(chain, [source('/a.toml', undefined), source('/b.toml', undefined)]);
    assert.equal(m.noSecretsFound, true);
    assert.equal(m.entries.size, 0);
  });

  test('an empty file counts as found', () => {
    const m = mergeSecrets(chain, [source('/a.toml', {})]);
    assert.equal(m.noSecretsFound, false);
  });

  test('a source that fails makes the whole load fail, but its neighbours still show', () => {
    const failing: LoadedSecretsSource = { spec: { path: '/b.toml', role: 'project' }, kind: 'file', error: 'invalid TOML at line 1, column 3' };
    const m = mergeSecrets(chain, [source('/a.toml', { k: 'v' }), failing]);
    assert.deepEqual(m.loadError, { source: 1, message: 'invalid TOML at line 1, column 3' });
    assert.ok(m.entries.has('k'));
  });

  test('the first failing source is the one reported', () => {
    const a: LoadedSecretsSource = { spec: { path: '/a', role: 'configured' }, kind: 'invalid', error: 'Invalid secrets path: /a' };
    const b: LoadedSecretsSource = { spec: { path: '/b.toml', role: 'configured' }, kind: 'file', error: 'bad' };
    assert.equal(mergeSecrets(chain, [a, b]).loadError?.source, 0);
  });
});

describe('environment variables', () => {
  const m = mergeSecrets(chain, [
    source('/a.toml', { s: 'x', i: 1n, f: 1.5, b: true, arr: [1n], t: { k: 'v' } }),
  ]);

  test('only root values of exact type str, int or float are exported', () => {
    const exported = [...m.entries.values()].filter((e) => e.env).map((e) => e.key);
    assert.deepEqual(exported, ['s', 'i', 'f']);
  });

  test('datetimes are not exported', () => {
    const dated = mergeSecrets(chain, [{ spec: { path: '/a.toml', role: 'project' }, kind: 'file', root: { kind: 'table', children: new Map([['d', { kind: 'local-date' as const, value: '2024-01-01' }]]) } }]);
    assert.equal(dated.entries.get('d')!.env, false);
  });

  test('a root key with "=", an empty root key, or a NUL in an exported value fails the whole load', () => {
    for (const bad of [{ 'a=b': 'x' }, { '': 'x' }, { k: 'a\0b' }] as Record<string, string>[]) {
      const failed = mergeSecrets(chain, [source('/a.toml', bad)]);
      assert.ok(failed.loadError, JSON.stringify(Object.keys(bad)));
      assert.ok(!failed.loadError.message.includes('a\0b'));
    }
  });

  test('the same names are harmless when the value is not exported', () => {
    assert.equal(environmentExportError('a=b', node({ x: 1n })), undefined);
    assert.equal(environmentExportError('', node(true)), undefined);
    assert.equal(mergeSecrets(chain, [source('/a.toml', { 'a=b': { x: 1n } })]).loadError, undefined);
  });

  test('the error message names the key, never the value', () => {
    const failed = mergeSecrets(chain, [source('/a.toml', { token: 'sekret\0value' })]);
    assert.match(failed.loadError!.message, /"token"/);
    assert.doesNotMatch(failed.loadError!.message, /sekret/);
  });
});

describe('secret directories', () => {
  test('each subfolder is a key; several files make a table; one file a plain string; none an empty table; text stripped', () => {
    const tree = secretDirectoryToNode({
      subfolders: [
        { name: 'db', files: [{ name: 'user', text: 'ann\n' }, { name: 'password', text: '  pw  ' }] },
        { name: 'api_key', files: [{ name: 'value', text: 'k\n' }] },
        { name: 'empty', files: [] },
      ],
    });
    assert.deepEqual(plain(tree), { api_key: 'k', db: { password: 'pw', user: 'ann' }, empty: {} });
  });
});

describe('st.App(secrets=…) as the last source (docs/streamlit-model.md §8)', () => {
  const appChain = resolveSecretsChain({ home: '/h', cwd: '/p', programmaticApp: { appFile: '/p/main.py', line: 3, folder: '/p' } }, []);
  const programmatic = (value: Parameters<typeof node>[0] | undefined, dynamic = false): LoadedSecretsSource => ({
    spec: { path: '/p/main.py', role: 'programmatic', line: 3 },
    kind: 'programmatic',
    ...(value === undefined ? {} : { root: node(value) }),
    programmatic: { text: '', keys: new Map(), dynamic },
  });

  test('the chain ends with it (1.57+), not before', () => {
    assert.deepEqual(appChain.sources.map((s) => s.role), ['global', 'project', 'programmatic']);
    const old = resolveSecretsChain({ home: '/h', cwd: '/p', programmaticApp: { appFile: '/p/main.py', line: 3, folder: '/p' }, streamlitVersion: { major: 1, minor: 56, patch: 0 } }, []);
    assert.deepEqual(old.sources.map((s) => s.role), ['global', 'project']);
  });

  test('merge_programmatic_secrets calls follow it, in file order (also after a secrets.files list); not before 1.57', () => {
    const secretsMerges = { folder: '/p', calls: [{ file: '/p/auth.py', line: 4 }, { file: '/p/auth.py', line: 9 }] };
    const chain = resolveSecretsChain({ home: '/h', cwd: '/p', programmaticApp: { appFile: '/p/main.py', line: 3, folder: '/p' }, secretsMerges }, []);
    assert.deepEqual(chain.sources.map((s) => [s.role, s.line]), [['global', undefined], ['project', undefined], ['programmatic', 3], ['runtime', 4], ['runtime', 9]]);
    const listed = resolveSecretsChain({ home: '/h', cwd: '/p', secretsMerges }, [{ configPath: '/p/.streamlit/config.toml', files: ['a.toml'] }]);
    assert.deepEqual(listed.sources.map((s) => s.role), ['configured', 'runtime', 'runtime']);
    const old = resolveSecretsChain({ home: '/h', cwd: '/p', secretsMerges, streamlitVersion: { major: 1, minor: 56, patch: 0 } }, []);
    assert.deepEqual(old.sources.map((s) => s.role), ['global', 'project']);
  });

  test('it wins whole top-level keys over the files and is not claimed as exported', () => {
    const merged = mergeSecrets(appChain, [source('/h/.streamlit/secrets.toml', undefined, {}, 'global'), source('/p/.streamlit/secrets.toml', { db: { user: 'f', port: 1n } }), programmatic({ db: { user: 'a' }, token: 't' })]);
    assert.equal(merged.entries.get('db')!.winner, 2);
    assert.deepEqual(merged.entries.get('db')!.lost, ['db.port']);
    assert.equal(merged.entries.get('token')!.env, false);
  });

  test('alone: a non-empty or unknowable dict raises no "No secrets found"; an empty one changes nothing', () => {
    const none = [source('/h/.streamlit/secrets.toml', undefined, {}, 'global'), source('/p/.streamlit/secrets.toml', undefined)];
    assert.equal(mergeSecrets(appChain, [...none, programmatic({ token: 't' })]).noSecretsFound, false);
    assert.equal(mergeSecrets(appChain, [...none, programmatic(undefined, true)]).noSecretsFound, false);
    assert.equal(mergeSecrets(appChain, [...none, programmatic({})]).noSecretsFound, true);
    const anyKey = mergeSecrets(appChain, [...none, programmatic(undefined, true)]);
    assert.deepEqual([sourceThatMayDefine(anyKey, 'a'), sourceThatMayDefine(anyKey, 'zzz'), sourceThatMayDefine(anyKey, undefined)], [2, 2, 2]);
    const literal = mergeSecrets(appChain, [...none, programmatic({ a: 1n })]);
    assert.deepEqual([sourceThatMayDefine(literal, 'a'), sourceThatMayDefine(literal, undefined)], [-1, -1]);
    const keysOnly = programmatic(undefined, true);
    keysOnly.programmatic!.topKeys = ['auth', 'api'];
    const someKeys = mergeSecrets(appChain, [...none, keysOnly]);
    assert.deepEqual([sourceThatMayDefine(someKeys, 'auth'), sourceThatMayDefine(someKeys, 'api'), sourceThatMayDefine(someKeys, 'db'), sourceThatMayDefine(someKeys, undefined)], [2, 2, -1, 2]);
  });
});
