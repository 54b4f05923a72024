import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runConfigurationsFor, streamlitRunConfigurations } from '../../../server/src/service/runConfigurations';

const folder = '/w';

describe('launch.json configurations that run Streamlit', () => {
  test('JSONC (comments, trailing commas); module form with cwd, args and env; other configurations skipped', () => {
    const launch = `{
      // comments are fine
      "version": "0.2.0",
      "configurations": [
        { "name": "Tests", "type": "debugpy", "request": "launch", "module": "pytest" },
        {
          "name": "Shop",
          "type": "debugpy",
          "request": "launch",
          "module": "streamlit",
          "cwd": "\${workspaceFolder}/apps",
          "args": ["run", "shop/app.py", "--server.port", "8502", "--secrets.files", "conf/a.toml", "--secrets.files=conf/b.toml"],
          "env": { "STREAMLIT_SECRETS_FILES": "ignored.toml" },
        },
      ],
    }`;
    const result = streamlitRunConfigurations(launch, folder, '/home/ann');
    assert.equal(result.error, undefined);
    assert.deepEqual(result.configurations, [
      { name: 'Shop', script: '/w/apps/shop/app.py', cwd: '/w/apps', secretsFiles: ['conf/a.toml', 'conf/b.toml'], secretsFilesFrom: '--secrets.files' },
    ]);
  });

  test('STREAMLIT_SECRETS_FILES from env (split on whitespace like click), else from the env file', () => {
    const launch = JSON.stringify({
      configurations: [
        { name: 'Env', module: 'streamlit', args: ['run', 'app.py'], env: { STREAMLIT_SECRETS_FILES: 'a.toml  b.toml' } },
        { name: 'EnvFile', module: 'streamlit', args: ['run', 'app.py'], envFile: '${workspaceFolder}/.env' },
      ],
    });
    const first = streamlitRunConfigurations(launch, folder, undefined);
    assert.deepEqual(first.configurations[0]!.secretsFiles, ['a.toml', 'b.toml']);
    assert.equal(first.configurations[1]!.secretsFiles, undefined);
    assert.deepEqual(first.envFiles, ['/w/.env']);
    const second = streamlitRunConfigurations(launch, folder, undefined, new Map([['/w/.env', '# x\nSTREAMLIT_SECRETS_FILES="k8s conf/c.toml"\n']]));
    assert.deepEqual(second.configurations[1]!.secretsFiles, ['k8s', 'conf/c.toml']);
    assert.equal(second.configurations[1]!.secretsFilesFrom, '.env');
  });

  test('program forms: the streamlit console script, or python -m streamlit run in args; cwd defaults to the folder', () => {
    const launch = JSON.stringify({
      configurations: [
        { name: 'Script', program: '${workspaceFolder}/.venv/bin/streamlit', args: ['run', 'main.py'] },
        { name: 'Python', program: '/usr/bin/python3', args: ['-m', 'streamlit', 'run', 'other.py'] },
        { name: 'Not streamlit', program: '${workspaceFolder}/main.py' },
      ],
    });
    const result = streamlitRunConfigurations(launch, folder, undefined);
    assert.deepEqual(result.configurations.map((run) => [run.name, run.script, run.cwd]), [
      ['Script', '/w/main.py', '/w'],
      ['Python', '/w/other.py', '/w'],
    ]);
  });

  test('a launch.json that is not JSON says so and gives no configuration', () => {
    const result = streamlitRunConfigurations('[[[', folder, undefined);
    assert.deepEqual(result.configurations, []);
  });

  test('a file belongs to the configurations of its script, else of the nearest script folder above it', () => {
    const runs = streamlitRunConfigurations(
      JSON.stringify({
        configurations: [
          { name: 'A', module: 'streamlit', args: ['run', 'app.py'] },
          { name: 'A2', module: 'streamlit', args: ['run', '../app.py'], cwd: 'sub' },
          { name: 'Admin', module: 'streamlit', args: ['run', 'admin/admin.py'] },
        ],
      }),
      folder,
      undefined,
    ).configurations;
    assert.deepEqual(runConfigurationsFor('/w/app.py', runs).map((run) => [run.name, run.cwd]), [['A', '/w'], ['A2', '/w/sub']]);
    assert.deepEqual(runConfigurationsFor('/w/pages/one.py', runs).map((run) => run.name), ['A', 'A2']);
    assert.deepEqual(runConfigurationsFor('/w/admin/pages/x.py', runs).map((run) => run.name), ['Admin']);
    assert.deepEqual(runConfigurationsFor('/elsewhere/x.py', runs), []);
  });
});
