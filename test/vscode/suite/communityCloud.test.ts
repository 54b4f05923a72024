// "Streamlit Secrets: Copy Secrets for Community Cloud" in a real VS Code: the masked preview the user
// confirms (keys, types, files, warnings: no value), then the clipboard holds a TOML document that our
// Streamlit-compatible reader loads back to the app's merged values. Cancel copies nothing.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { PreviewItem, PreviewPresenter } from '../../../client/src/commands/copyForCommunityCloud';
import { mergedRoot, sameSecrets } from '../../../server/src/service/communityCloudExport';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';
import { mergedSecretsOfApp } from '../../../server/src/workspace/appSecrets';
import { activateExtension, fixtureUri, workspaceFolder } from './helpers';

interface Api {
  setCommunityCloudPresenter(presenter: PreviewPresenter | undefined): void;
}

/** Every value of the fixture's secrets files (workspace and HOME). */
const fixtureValues = ['fixture-project', 'db.fixture.invalid', '5432', 'fixture-password-123', 'fixture-api-key-456', 'sqlite', 'sqlite:///fixture.db', 'fixture-global-token-789', 'fixture-global-user', 'shadowed-by-project.invalid'];

function shownText(item: PreviewItem): string {
  return [item.label, item.description ?? '', item.detail ?? ''].join('\n');
}

describe('Copy Secrets for Community Cloud', () => {
  let api: Api;
  before(async () => {
    api = (await activateExtension()).exports as Api;
  });
  after(() => api.setCommunityCloudPresenter(undefined));

  it('shows a masked preview, then copies TOML that loads back to the merged values', async function () {
    this.timeout(60_000);
    const seen: { title: string; items: PreviewItem[] }[] = [];
    api.setCommunityCloudPresenter(async (title, items) => {
      seen.push({ title, items });
      return true;
    });
    await vscode.env.clipboard.writeText('before');
    await vscode.commands.executeCommand('streamlitSecrets.copyForCommunityCloud', fixtureUri('app.py'));
    assert.equal(seen.length, 1, 'the preview was shown once');
    const { title, items } = seen[0]!;
    assert.ok(title.includes('app.py'), title);
    const texts = items.map(shownText);
    for (const text of [title, ...texts]) {
      for (const value of fixtureValues) assert.ok(!text.includes(value), `the preview shows the value ${value}: ${text}`);
    }
    const row = (key: string): PreviewItem | undefined => items.find((item) => item.label.trim() === key);
    assert.match(row('db.password')?.description ?? '', /^string/);
    assert.match(row('db.password')?.detail ?? '', /project file \.streamlit\/secrets\.toml/);
    assert.match(row('db.port')?.description ?? '', /^integer/);
    assert.match(row('global_token')?.description ?? '', /local only/);
    assert.match(row('global_token')?.detail ?? '', /global file ~\/\.streamlit\/secrets\.toml/);
    assert.ok(items.some((item) => item.action === 'copy') && items.some((item) => item.action === 'cancel'));
    assert.ok(texts.some((text) => text.includes('$(warning) global_token')), 'the local-only warning is in the preview');

    const copied = await vscode.env.clipboard.readText();
    const back = parseSecretsToml(copied);
    assert.equal(back.streamlitError, undefined);
    const merged = mergedSecretsOfApp(fixtureUri('app.py').fsPath, workspaceFolder().uri.fsPath, undefined, () => os.homedir());
    assert.ok(merged.entries.has('global_token') && merged.entries.has('db'), 'the reference merge read both fixture files');
    assert.ok(sameSecrets(back.root, mergedRoot(merged)), 'the clipboard loads back to the merged values');
  });

  it('cancel copies nothing', async function () {
    this.timeout(60_000);
    let asked = 0;
    api.setCommunityCloudPresenter(async () => {
      asked++;
      return false;
    });
    await vscode.env.clipboard.writeText('untouched');
    await vscode.commands.executeCommand('streamlitSecrets.copyForCommunityCloud', fixtureUri('app.py'));
    assert.equal(asked, 1);
    assert.equal(await vscode.env.clipboard.readText(), 'untouched');
  });
});
