// Untrusted means untrusted: a cloned repository's own `.vscode/settings.json` must not point the
// server at files or folders of its choosing, nor unmask values; VS Code ignores the settings
// listed in `restrictedConfigurations` until the workspace is trusted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SHOWN_LINES_TIMEOUT } from '../../../client/src/editor/maskingRules';
import { repoRoot } from '../../helpers/lspClient';

interface SettingSchema {
  type?: string;
  enum?: unknown[];
  scope?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } | { properties: Record<string, SettingSchema> }[] };
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations?: string[] } };
};

describe('settings in an untrusted workspace', () => {
  const restricted = new Set(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? []);
  // One object, or categories (the Settings editor's groups).
  const configuration = manifest.contributes.configuration;
  const settings = Object.assign({}, ...(Array.isArray(configuration) ? configuration : [configuration]).map((category) => category.properties)) as Record<string, SettingSchema>;

  test('every free-form text setting a workspace can set (a path, a folder) is restricted', () => {
    const freeText = Object.entries(settings).filter(([, schema]) => schema.type === 'string' && schema.enum === undefined && schema.scope !== 'application' && schema.scope !== 'machine');
    assert.ok(freeText.length >= 2, 'the settings that name files were not found');
    for (const [name] of freeText) assert.ok(restricted.has(name), `${name} is honoured from an untrusted workspace`);
    assert.ok(restricted.has('streamlitSecrets.cwd') && restricted.has('streamlitSecrets.globalSecretsFile'));
  });

  test('the settings that unmask characters of values or keep lines shown longer are restricted too', () => {
    assert.ok(restricted.has('streamlitSecrets.maskRevealCharacters'));
    assert.ok(restricted.has('streamlitSecrets.maskShownLinesAfter'));
  });

  test('the seconds shown lines stay shown: the manifest and the code agree on default and bounds', () => {
    const schema = settings['streamlitSecrets.maskShownLinesAfter'] as SettingSchema & { default?: number; minimum?: number; maximum?: number };
    assert.deepEqual({ default: schema.default, minimum: schema.minimum, maximum: schema.maximum }, { ...SHOWN_LINES_TIMEOUT });
  });

  test('every restricted name is a real setting (a typo would restrict nothing)', () => {
    for (const name of restricted) assert.ok(name in settings, `${name} is not a contributed setting`);
  });
});
