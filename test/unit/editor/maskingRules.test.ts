import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isTemplateFile, maskingStatusText, SHOWN_LINES_TIMEOUT, shownLinesTimeoutMs } from '../../../client/src/editor/maskingRules';

describe('masking rules', () => {
  test('the status bar says how many lines are shown; "Secrets masked" only when none is', () => {
    assert.equal(maskingStatusText(true, 0), '$(eye-closed) Secrets masked');
    assert.equal(maskingStatusText(true, 1), '$(eye) 1 line shown');
    assert.equal(maskingStatusText(true, 2), '$(eye) 2 lines shown');
    assert.equal(maskingStatusText(false, 0), '$(eye) Secrets visible');
    assert.equal(maskingStatusText(false, 3), '$(eye) Secrets visible');
  });

  test('templates (.example, .sample, .template) are never masked; real secrets files are', () => {
    for (const name of ['/p/.streamlit/secrets.toml.example', 'secrets.toml.sample', '/p/secrets.toml.TEMPLATE']) assert.ok(isTemplateFile(name), name);
    for (const name of ['/p/.streamlit/secrets.toml', '/p/example/.streamlit/secrets.toml', '/p/.streamlit/secrets.example.toml.bak']) assert.ok(!isTemplateFile(name), name);
  });

  test('shown lines mask again after the configured seconds, kept within bounds (never "never")', () => {
    assert.equal(shownLinesTimeoutMs(undefined), SHOWN_LINES_TIMEOUT.default * 1000);
    assert.equal(shownLinesTimeoutMs('10'), SHOWN_LINES_TIMEOUT.default * 1000);
    assert.equal(shownLinesTimeoutMs(Number.NaN), SHOWN_LINES_TIMEOUT.default * 1000);
    assert.equal(shownLinesTimeoutMs(12), 12_000);
    assert.equal(shownLinesTimeoutMs(7.5), 7_500);
    assert.equal(shownLinesTimeoutMs(0), SHOWN_LINES_TIMEOUT.minimum * 1000);
    assert.equal(shownLinesTimeoutMs(-1), SHOWN_LINES_TIMEOUT.minimum * 1000);
    assert.equal(shownLinesTimeoutMs(Number.POSITIVE_INFINITY), SHOWN_LINES_TIMEOUT.default * 1000);
    assert.equal(shownLinesTimeoutMs(86_400), SHOWN_LINES_TIMEOUT.maximum * 1000);
  });
});
