import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStreamlitVersion, supports } from '../../../server/src/service/streamlitVersion';

describe('streamlitVersion', () => {
  test('parses release, patch-less and pre-release versions; rejects the rest', () => {
    assert.deepEqual(parseStreamlitVersion('1.46.1'), { major: 1, minor: 46, patch: 1 });
    assert.deepEqual(parseStreamlitVersion('1.38'), { major: 1, minor: 38, patch: 0 });
    assert.deepEqual(parseStreamlitVersion('v1.57.0rc1'), { major: 1, minor: 57, patch: 0 });
    assert.equal(parseStreamlitVersion('latest'), undefined);
  });

  test('gates features by version; an unknown version has the newest behaviour', () => {
    const v = (text: string) => parseStreamlitVersion(text)!;
    assert.equal(supports(v('1.45.9'), 'entrypointSecretsFile'), false);
    assert.equal(supports(v('1.46.0'), 'entrypointSecretsFile'), true);
    assert.equal(supports(v('1.58.2'), 'snowparkConnectionType'), true);
    assert.equal(supports(v('1.59.0'), 'snowparkConnectionType'), false);
    assert.equal(supports(undefined, 'entrypointSecretsFile'), true);
    assert.equal(supports(undefined, 'snowparkConnectionType'), false);
  });
});
