// "Copy Secrets for Community Cloud" over LSP (streamlitSecrets/communityCloudApps and
// communityCloudExport) from the spawned server: the apps to choose from, a preview without values,
// the text only when asked for, the same document as the CLI's export, and nothing in the server's logs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommunityCloudAppsResult, CommunityCloudExportResult } from '../../common/protocol';
import { mergedRoot, sameSecrets } from '../../server/src/service/communityCloudExport';
import { parseSecretsToml } from '../../server/src/toml/parseSecretsToml';
import { mergedSecretsOfApp } from '../../server/src/workspace/appSecrets';
import { pathToUri } from '../../server/src/documents';
import { withProject } from '../helpers/lspProject';

const values = ['CLOUDCANARY-token-3a7f', 'CLOUDCANARY-user-8b1c', 'CLOUDCANARY-global-2e9d', 'CLOUDCANARY-admin-6d4a'];

describe('Community Cloud export over LSP', () => {
  test('apps by chain, a masked preview, the text only on request, equal to the merged values; no value logged', async () => {
    await withProject(
      {
        project: {
          '.streamlit/secrets.toml': `token = "${values[0]}"\n[db]\nuser = "${values[1]}"\nurl = "http://localhost:5432"\n`,
          'app.py': 'import streamlit as st\nst.write(st.secrets.token)\n',
          'pages/other.py': 'import streamlit as st\nst.write(st.secrets.db)\n',
          'admin/.streamlit/secrets.toml': `admin_key = "${values[3]}"\n`,
          'admin/admin_app.py': 'import streamlit as st\nst.write(st.secrets.admin_key)\n',
          'tool.py': 'print("hello")\n',
        },
        home: { '.streamlit/secrets.toml': `from_home = "${values[2]}"\n` },
      },
      async ({ client, project, home }) => {
        const { apps } = await client.request<CommunityCloudAppsResult>('streamlitSecrets/communityCloudApps', {});
        // app.py and pages/other.py read the same files; the admin app adds its own folder's file (Streamlit 1.46+).
        assert.deepEqual(
          apps.map((app) => app.scripts),
          [[project.path('admin/admin_app.py')], [project.path('app.py'), project.path('pages/other.py')]],
        );
        const main = apps[1]!;
        const preview = await client.request<CommunityCloudExportResult>('streamlitSecrets/communityCloudExport', { uri: main.uri });
        assert.ok(preview.ok, JSON.stringify(preview));
        assert.equal(preview.text, undefined, 'no text without includeText');
        assert.equal(preview.keyCount, 3);
        assert.deepEqual(
          preview.preview.map((entry) => `${entry.key} ${entry.type} ${entry.role}`),
          ['from_home string global', 'token string project', 'db table (2 keys) project', 'db.user string project', 'db.url string project'],
        );
        assert.deepEqual(preview.warnings.map((warning) => `${warning.code} ${warning.keyPath.join('.')}`).sort(), ['local-only from_home', 'points-at-this-machine db.url']);

        const outside = await client.request<CommunityCloudExportResult>('streamlitSecrets/communityCloudExport', { uri: pathToUri(home.path('.streamlit')), includeText: true });
        assert.deepEqual(outside, { ok: false, reason: 'the app is not inside a workspace folder' });

        const before = client.output();
        const exported = await client.request<CommunityCloudExportResult>('streamlitSecrets/communityCloudExport', { uri: main.uri, includeText: true });
        assert.ok(exported.ok && exported.text !== undefined);
        // The same document the CLI writes, loading back to the merged values.
        const merged = mergedSecretsOfApp(project.path('app.py'), project.root, undefined, () => home.root);
        const back = parseSecretsToml(exported.text);
        assert.ok(sameSecrets(back.root, mergedRoot(merged)));

        assert.ok(exported.text.includes(values[0]!) && exported.text.includes(values[2]!));
        // Until the text was asked for, nothing the server wrote held a value; then only that answer did.
        const after = client.output().replace(JSON.stringify(exported.text).slice(1, -1), '');
        for (const value of values) {
          assert.ok(!before.includes(value), `the server wrote ${value} before the text was asked for`);
          assert.ok(!after.includes(value), `the server wrote ${value} outside the export answer`);
        }
      },
    );
  });

  test('nothing to export: no secrets file, or one Streamlit cannot load', async () => {
    await withProject({ project: { 'app.py': 'import streamlit as st\nst.secrets.a\n' } }, async ({ client, project }) => {
      const none = await client.request<CommunityCloudExportResult>('streamlitSecrets/communityCloudExport', { uri: pathToUri(project.path('app.py')), includeText: true });
      assert.deepEqual(none, { ok: false, reason: 'the app has no secrets file' });
    });
    await withProject({ project: { 'app.py': 'import streamlit as st\nst.secrets.a\n', '.streamlit/secrets.toml': 'a = "CLOUDCANARY-broken\n' } }, async ({ client, project }) => {
      const broken = await client.request<CommunityCloudExportResult>('streamlitSecrets/communityCloudExport', { uri: pathToUri(project.path('app.py')), includeText: true });
      assert.ok(!broken.ok && broken.reason.startsWith('Streamlit cannot load the secrets') && !broken.reason.includes('CLOUDCANARY'), JSON.stringify(broken));
    });
  });
});
