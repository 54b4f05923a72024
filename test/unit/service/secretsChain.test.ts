import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { configFilePaths, findEntrypointDir, resolveSecretsChain, secretsFilesOption } from '../../../server/src/service/secretsChain';
import { parseStreamlitVersion } from '../../../server/src/service/streamlitVersion';

const home = '/home/ann';
const cwd = '/srv/project';

describe('resolveSecretsChain', () => {
  test('default order: global, then $CWD, then the entrypoint folder', () => {
    const chain = resolveSecretsChain({ home, cwd, entrypointDir: '/srv/project/apps/shop' }, []);
    assert.deepEqual(
      chain.sources.map((s) => [s.role, s.path]),
      [
        ['global', '/home/ann/.streamlit/secrets.toml'],
        ['project', '/srv/project/.streamlit/secrets.toml'],
        ['entrypoint', '/srv/project/apps/shop/.streamlit/secrets.toml'],
      ],
    );
  });

  test('the entrypoint file is not read twice when the entrypoint folder is $CWD', () => {
    const chain = resolveSecretsChain({ home, cwd, entrypointDir: '/srv/project/' }, []);
    assert.deepEqual(chain.sources.map((s) => s.role), ['global', 'project']);
  });

  test('no home folder: no global file', () => {
    const chain = resolveSecretsChain({ home: undefined, cwd }, []);
    assert.deepEqual(chain.sources.map((s) => s.path), ['/srv/project/.streamlit/secrets.toml']);
  });

  test('a setting can point the global file elsewhere', () => {
    const chain = resolveSecretsChain({ home, cwd, globalSecretsFile: '/etc/app/secrets.toml' }, []);
    assert.equal(chain.sources[0]!.path, '/etc/app/secrets.toml');
    assert.equal(chain.sources[0]!.role, 'global');
  });

  test('the global-file setting expands ~ (it is ours, not Streamlit\'s)', () => {
    const chain = resolveSecretsChain({ home, cwd, globalSecretsFile: '~/vault/secrets.toml' }, []);
    assert.equal(chain.sources[0]!.path, '/home/ann/vault/secrets.toml');
    const relative = resolveSecretsChain({ home, cwd, globalSecretsFile: 'conf/global.toml' }, []);
    assert.equal(relative.sources[0]!.path, '/srv/project/conf/global.toml');
  });

  test('secrets.files replaces the default list; relative to $CWD; ~ is not expanded', () => {
    const chain = resolveSecretsChain({ home, cwd, entrypointDir: '/srv/project/app' }, [
      { configPath: '/home/ann/.streamlit/config.toml', files: undefined },
      { configPath: '/srv/project/.streamlit/config.toml', files: ['conf/a.toml', '/abs/b.toml', '~/c.toml', 'k8s'] },
    ]);
    assert.deepEqual(
      chain.sources.map((s) => s.path),
      ['/srv/project/conf/a.toml', '/abs/b.toml', '/srv/project/~/c.toml', '/srv/project/k8s'],
    );
    assert.ok(chain.sources.every((s) => s.role === 'configured'));
    assert.equal(chain.filesFromConfig, '/srv/project/.streamlit/config.toml');
  });

  test('the last config file that sets secrets.files wins', () => {
    const chain = resolveSecretsChain({ home, cwd, entrypointDir: '/srv/project/app' }, [
      { configPath: '/home/ann/.streamlit/config.toml', files: ['global-list.toml'] },
      { configPath: '/srv/project/.streamlit/config.toml', files: undefined },
      { configPath: '/srv/project/app/.streamlit/config.toml', files: ['app-list.toml'] },
    ]);
    assert.deepEqual(chain.sources.map((s) => s.path), ['/srv/project/app-list.toml']);
  });

  test('an empty secrets.files list means no sources at all', () => {
    const chain = resolveSecretsChain({ home, cwd }, [{ configPath: '/srv/project/.streamlit/config.toml', files: [] }]);
    assert.deepEqual(chain.sources, []);
  });

  test('config files are read from the same three places', () => {
    assert.deepEqual(configFilePaths({ home, cwd, entrypointDir: '/srv/project/app' }), [
      '/home/ann/.streamlit/config.toml',
      '/srv/project/.streamlit/config.toml',
      '/srv/project/app/.streamlit/config.toml',
    ]);
  });
});

describe('findEntrypointDir', () => {
  const dirs = new Set(['/ws', '/ws/apps/shop']);
  const has = (folder: string): boolean => dirs.has(folder);

  test('nearest folder with .streamlit/, walking up from the file', () => {
    assert.equal(findEntrypointDir('/ws/apps/shop/app.py', '/ws', has), '/ws/apps/shop');
  });

  test('pages belong to the app above them', () => {
    assert.equal(findEntrypointDir('/ws/apps/shop/pages/1_orders.py', '/ws', has), '/ws/apps/shop');
  });

  test('stops at the workspace folder', () => {
    assert.equal(findEntrypointDir('/ws/tools/x.py', '/ws', has), '/ws');
    assert.equal(findEntrypointDir('/ws/tools/x.py', '/ws', () => false), undefined);
  });

  test('a file outside the workspace folder has no entrypoint', () => {
    assert.equal(findEntrypointDir('/elsewhere/a.py', '/ws', () => true), undefined);
  });

  test('works with platform separators', () => {
    const file = path.join('/ws', 'a', 'b', 'c.py');
    assert.equal(findEntrypointDir(file, '/ws', (folder) => folder === path.join('/ws', 'a')), path.join('/ws', 'a'));
  });
});

describe('resolveSecretsChain by Streamlit version', () => {
  const v = (text: string) => parseStreamlitVersion(text)!;
  const entrypointDir = '/srv/project/apps/shop';

  test('the global file is read from 1.21', () => {
    assert.deepEqual(resolveSecretsChain({ home, cwd, streamlitVersion: v('1.20.0') }, []).sources.map((s) => s.role), ['project']);
    assert.deepEqual(resolveSecretsChain({ home, cwd, streamlitVersion: v('1.21.0') }, []).sources.map((s) => s.role), ['global', 'project']);
  });

  test('the entrypoint folder\'s files (secrets and config) are read from 1.46', () => {
    const before = { home, cwd, entrypointDir, streamlitVersion: v('1.45.1') };
    assert.deepEqual(resolveSecretsChain(before, []).sources.map((s) => s.role), ['global', 'project']);
    assert.equal(configFilePaths(before).length, 2);
    const from = { ...before, streamlitVersion: v('1.46.0') };
    assert.deepEqual(resolveSecretsChain(from, []).sources.map((s) => s.role), ['global', 'project', 'entrypoint']);
    assert.equal(configFilePaths(from).length, 3);
  });

  test('[secrets] files applies from 1.38', () => {
    const configs = [{ configPath: '/srv/project/.streamlit/config.toml', files: ['a.toml'] }];
    assert.equal(resolveSecretsChain({ home, cwd, streamlitVersion: v('1.37.0') }, configs).filesFromConfig, undefined);
    assert.equal(resolveSecretsChain({ home, cwd, streamlitVersion: v('1.38.0') }, configs).filesFromConfig, '/srv/project/.streamlit/config.toml');
  });

  test('secrets.files from the run configuration beats every config.toml, relative to $CWD', () => {
    const configs = [{ configPath: '/srv/project/.streamlit/config.toml', files: ['a.toml'] }];
    const chain = resolveSecretsChain({ home, cwd, secretsFilesFromRun: { files: ['run.toml'], origin: 'launch.json "App"' } }, configs);
    assert.deepEqual(chain.sources.map((s) => [s.path, s.entry]), [['/srv/project/run.toml', 'run.toml']]);
    assert.equal(chain.filesFromRun, 'launch.json "App"');
    assert.equal(chain.filesFromConfig, undefined);
  });
});

describe('secretsFilesOption', () => {
  test('a list gives its string entries; a string its characters; anything else the default list', () => {
    assert.deepEqual(secretsFilesOption({ kind: 'array', items: [{ kind: 'string', value: 'a.toml' }, { kind: 'integer', value: 1n }] }), ['a.toml']);
    assert.deepEqual(secretsFilesOption({ kind: 'string', value: 'ab' }), ['a', 'b']);
    assert.deepEqual(secretsFilesOption({ kind: 'string', value: '' }), []);
    assert.equal(secretsFilesOption({ kind: 'integer', value: 3n }), undefined);
    assert.equal(secretsFilesOption(undefined), undefined);
  });
});
