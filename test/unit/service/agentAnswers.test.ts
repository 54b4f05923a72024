// The names-only answer agents get for an app (service/agentAnswers.ts): every key path, its type,
// provider, env export, local-only flag and the Python that reads it; never a value or its length.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeSecrets, type LoadedSecretsSource } from '../../../server/src/service/mergeSecrets';
import { agentApp, agentDiagnostic } from '../../../server/src/service/agentAnswers';
import type { SecretsChain } from '../../../server/src/service/secretsChain';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';

const home = '/home/alice';
const cwd = '/home/alice/work/shop';
const globalPath = `${home}/.streamlit/secrets.toml`;
const projectPath = `${cwd}/.streamlit/secrets.toml`;

function load(path: string, role: 'global' | 'project', text: string | undefined): LoadedSecretsSource {
  if (text === undefined) return { spec: { path, role }, kind: 'missing' };
  const parsed = parseSecretsToml(text);
  return { spec: { path, role }, kind: 'file', parsed, text, ...(parsed.root ? { root: parsed.root } : {}), ...(parsed.streamlitError ? { error: parsed.streamlitError } : {}) };
}

function appOf(globalText: string | undefined, projectText: string | undefined): ReturnType<typeof agentApp> {
  const chain: SecretsChain = { home, cwd, sources: [{ path: globalPath, role: 'global' }, { path: projectPath, role: 'project' }] };
  return agentApp(mergeSecrets(chain, [load(globalPath, 'global', globalText), load(projectPath, 'project', projectText)]), [`${cwd}/app.py`]);
}

describe('agentApp', () => {
  const globalText = 'token = "canary-global-token"\n[db]\nuser = "canary-global-user"\nport = 1\n';
  const projectText = [
    'api_key = "canary-api-key-0123456789"',
    'ratio = 0.5',
    'flag = true',
    'items = ["canary-item"]',
    '"my-key" = "canary-dashed"',
    'keys = "canary-reserved"',
    '_private = 1',
    '[db]',
    'user = "canary-project-user"',
    'class = "canary-keyword"',
    '"quo\\"te" = 2',
    '',
  ].join('\n');
  const app = appOf(globalText, projectText);
  const byPath = new Map(app.keys.map((key) => [key.path, key]));

  test('the chain: paths, labels, roles, existence', () => {
    assert.deepEqual(app.files, [
      { path: globalPath, label: '~/.streamlit/secrets.toml', role: 'global', exists: true },
      { path: projectPath, label: '.streamlit/secrets.toml', role: 'project', exists: true },
    ]);
    assert.deepEqual(app.entrypoints, [`${cwd}/app.py`]);
    assert.equal(app.noSecretsFound, false);
  });

  test('every key path in merge order, the winner providing each; the lost global db.port is not listed', () => {
    assert.deepEqual([...byPath.keys()], ['token', 'db', 'db.user', 'db.class', 'db."quo\\"te"', 'api_key', 'ratio', 'flag', 'items', 'my-key', 'keys', '_private']);
    assert.equal(byPath.get('token')!.file, '~/.streamlit/secrets.toml');
    assert.equal(byPath.get('db.user')!.file, '.streamlit/secrets.toml');
  });

  test('types, environment export (root str, int, float only) and local only (the global file alone)', () => {
    assert.deepEqual(
      ['token', 'api_key', 'ratio', 'flag', 'items', 'db', 'db.user', '_private'].map((key) => [key, byPath.get(key)!.pythonType, byPath.get(key)!.environmentVariable]),
      [['token', 'str', true], ['api_key', 'str', true], ['ratio', 'float', true], ['flag', 'bool', false], ['items', 'list', false], ['db', 'AttrDict', false], ['db.user', 'str', false], ['_private', 'int', true]],
    );
    assert.deepEqual(app.keys.filter((key) => key.localOnly).map((key) => key.path), ['token']);
  });

  test('how to read each key: item access always, attribute access only where Streamlit resolves it', () => {
    const reads = (path: string): [string, string | undefined] => [byPath.get(path)!.read, byPath.get(path)!.attributeRead];
    assert.deepEqual(reads('db.user'), ['st.secrets["db"]["user"]', 'st.secrets.db.user']);
    assert.deepEqual(reads('my-key'), ['st.secrets["my-key"]', undefined]);
    assert.deepEqual(reads('keys'), ['st.secrets["keys"]', undefined], 'a Mapping method at the root');
    assert.deepEqual(reads('_private'), ['st.secrets["_private"]', undefined]);
    assert.deepEqual(reads('db.class'), ['st.secrets["db"]["class"]', undefined], 'a Python keyword');
    assert.deepEqual(reads('db."quo\\"te"'), ['st.secrets["db"]["quo\\"te"]', undefined]);
  });

  test('no value, no length, no mask', () => {
    const text = JSON.stringify(app);
    for (const value of ['canary', '0123456789', '••', '0.5']) assert.ok(!text.includes(value), `the answer holds ${value}`);
    assert.ok(!/"(value|masked|length)"/.test(text));
  });

  test('a file Streamlit cannot load and no secrets at all are said, without the broken line', () => {
    const broken = appOf(undefined, 'ok = 1\nbad = "canary-unterminated\n');
    assert.match(broken.loadError!, /^\.streamlit\/secrets\.toml: /);
    assert.ok(!JSON.stringify(broken).includes('canary'));
    assert.equal(appOf(undefined, undefined).noSecretsFound, true);
  });
});

describe('agentDiagnostic', () => {
  test('1-based ranges, severity names, the code as a string', () => {
    assert.deepEqual(agentDiagnostic('/p/app.py', { range: { start: { line: 2, character: 21 }, end: { line: 2, character: 27 } }, severity: 2, code: 'missing-key', message: 'm' }), {
      file: '/p/app.py', line: 3, column: 22, endLine: 3, endColumn: 28, severity: 'warning', code: 'missing-key', message: 'm',
    });
  });
});
