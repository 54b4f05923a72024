import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeStreamlitVersion,
  versionFromDistInfo,
  versionFromPackageLock,
  versionFromPipfileLock,
  versionFromPyproject,
  versionFromRequirements,
} from '../../../server/src/service/streamlitVersionPins';
import { formatStreamlitVersion, parseStreamlitVersion, type StreamlitVersion } from '../../../server/src/service/streamlitVersion';

const text = (version: StreamlitVersion | undefined) => (version === undefined ? undefined : formatStreamlitVersion(version));

describe('where the Streamlit version is written', () => {
  test('a dist-info folder in site-packages', () => {
    assert.equal(text(versionFromDistInfo('streamlit-1.46.1.dist-info')), '1.46.1');
    assert.equal(text(versionFromDistInfo('streamlit-1.57.0rc2.dist-info')), '1.57.0');
    assert.equal(versionFromDistInfo('streamlit_aggrid-1.0.5.dist-info'), undefined);
    assert.equal(versionFromDistInfo('streamlit'), undefined);
  });

  test('uv.lock and poetry.lock: the [[package]] named streamlit, not its neighbours', () => {
    const lock = [
      'version = 1',
      '[[package]]',
      'name = "streamlit-aggrid"',
      'version = "1.0.5"',
      '',
      '[[package]]',
      'name = "streamlit"',
      'version = "1.44.1"',
      'source = { registry = "https://pypi.org/simple" }',
      '[package.metadata]',
      'requires-dist = []',
      '',
      '[[package]]',
      'name = "toml"',
      'version = "0.10.2"',
    ].join('\n');
    assert.equal(text(versionFromPackageLock(lock)), '1.44.1');
    assert.equal(versionFromPackageLock('[[package]]\nname = "toml"\nversion = "0.10.2"\n'), undefined);
  });

  test('Pipfile.lock: default (or develop) streamlit ==version', () => {
    assert.equal(text(versionFromPipfileLock(JSON.stringify({ default: { streamlit: { version: '==1.38.0' } } }))), '1.38.0');
    assert.equal(text(versionFromPipfileLock(JSON.stringify({ default: {}, develop: { streamlit: { version: '==1.21.1' } } }))), '1.21.1');
    assert.equal(versionFromPipfileLock('{ not json'), undefined);
  });

  test('requirements: an exact pin, with extras, markers and comments; a range is not a pin', () => {
    assert.equal(text(versionFromRequirements('pandas==2.2.0\nstreamlit==1.46.1  # the app\n')), '1.46.1');
    assert.equal(text(versionFromRequirements('streamlit[snowflake]===1.45.0 ; python_version >= "3.9"\n')), '1.45.0');
    assert.equal(versionFromRequirements('streamlit>=1.40\n'), undefined);
    assert.equal(versionFromRequirements('streamlit~=1.40.0\n'), undefined);
    assert.equal(versionFromRequirements('streamlit-aggrid==1.0.5\n'), undefined);
    assert.equal(versionFromRequirements('# streamlit==1.2.0\n'), undefined);
  });

  test('pyproject.toml: a PEP 508 pin or an exact Poetry version; ranges are not pins', () => {
    assert.equal(text(versionFromPyproject('[project]\ndependencies = ["pandas", "streamlit==1.50.0"]\n')), '1.50.0');
    assert.equal(text(versionFromPyproject('[tool.poetry.dependencies]\nstreamlit = "1.39.0"\n')), '1.39.0');
    assert.equal(text(versionFromPyproject('[tool.poetry.dependencies]\nstreamlit = { version = "==1.41.1", extras = ["x"] }\n')), '1.41.1');
    assert.equal(versionFromPyproject('[tool.poetry.dependencies]\nstreamlit = "^1.39"\n'), undefined);
    assert.equal(versionFromPyproject('[project]\ndependencies = ["streamlit>=1.40"]\n'), undefined);
  });

  test('the view names the version and its source; unknown says the newest rules apply', () => {
    const version = parseStreamlitVersion('1.46.1')!;
    assert.equal(describeStreamlitVersion({ version, source: 'uv.lock', path: '/w/uv.lock' }, '/w'), '1.46.1 (pinned in uv.lock)');
    assert.equal(describeStreamlitVersion({ version, source: 'virtual-environment', path: '/w/.venv' }, '/w'), '1.46.1 (installed in the virtual environment .venv)');
    assert.equal(describeStreamlitVersion({ version, source: 'setting' }, '/w'), '1.46.1 (from the setting streamlitSecrets.streamlitVersion)');
    assert.match(describeStreamlitVersion(undefined, '/w'), /newest/);
  });
});
