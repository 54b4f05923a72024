import {
  CommunityCloudAppsRequestMethod,
  CommunityCloudExportRequestMethod,
  type CommunityCloudApp,
  type CommunityCloudAppsResult,
  type CommunityCloudExportParams,
  type CommunityCloudExportResult,
} from '../../../common/protocol';
import { pathToUri, uriToPath } from '../documents';
import { communityCloudExport } from '../service/communityCloudExport';
import { readsSecrets } from '../workspace/agentTools';
import { listFiles } from '../workspace/folderCheck';
import type { Feature } from './feature';

/** Enough apps for a quick pick; a bigger workspace still gets its first ones. */
const maxScripts = 500;

/**
 * "Copy Secrets for Community Cloud": the apps to choose from, and the export of one — the same
 * service as `streamlit-secrets export --for community-cloud`, on the editor's chains (open
 * buffers, launch configurations, settings as trust allows). The value text is sent only when
 * `includeText` asks for it (after the user confirmed), and nothing here logs params or results.
 */
export const communityCloudExportFeature: Feature = {
  register(context) {
    context.connection.onRequest(CommunityCloudAppsRequestMethod, (_params: unknown, token) =>
      context.runSafe<CommunityCloudAppsResult>('communityCloudApps', token, { apps: [] }, async () => {
        const apps = new Map<string, CommunityCloudApp>();
        for (const folder of context.workspaceFolders) {
          const scripts = listFiles(folder).python.filter(readsSecrets).slice(0, maxScripts);
          for (const script of scripts) {
            const uri = pathToUri(script);
            const merged = await context.mergedFor(uri);
            if (merged === undefined) continue;
            // Scripts whose chains read the same files are one app for the export.
            const chain = JSON.stringify([merged.chain.cwd, merged.sources.map((source) => source.spec.path)]);
            const known = apps.get(chain);
            if (known !== undefined) known.scripts.push(script);
            else apps.set(chain, { uri, scripts: [script], cwd: merged.chain.cwd });
          }
          if (scripts.length === 0) apps.set(`folder ${folder}`, { uri: pathToUri(folder), scripts: [], cwd: folder });
        }
        return { apps: [...apps.values()] };
      }),
    );

    context.connection.onRequest(CommunityCloudExportRequestMethod, (params: CommunityCloudExportParams, token) =>
      context.runSafe<CommunityCloudExportResult>('communityCloudExport', token, { ok: false, reason: 'the export failed' }, async () => {
        const filePath = typeof params?.uri === 'string' ? uriToPath(params.uri) : undefined;
        // Only an app of the workspace: no client or link makes the server export files of its choosing.
        if (filePath === undefined || context.workspaceFolderOf(filePath) === undefined) return { ok: false, reason: 'the app is not inside a workspace folder' };
        const merged = await context.mergedFor(params.uri);
        if (merged === undefined) return { ok: false, reason: 'the app has no secrets file' };
        const result = communityCloudExport(merged);
        if (!result.ok) return result;
        const { toml, preview, warnings } = result;
        return { ok: true, preview, warnings, keyCount: merged.entries.size, ...(params.includeText === true ? { text: toml } : {}) };
      }),
    );
  },
};
