import {
  MergedSecretsDetailRequestMethod,
  type MergedSecretsDetailParams,
  type MergedSecretsDetailResult,
} from '../../../common/protocol';
import { SecretsGitStatusCache } from '../../../common/git/secretsGitStatus';
import { mergedSecretsDetail, type SourceGitStatus } from '../service/mergedSecretsDetail';
import type { Feature } from './feature';

/** Git answers are kept this long: `.gitignore` edits are not watched, so they must expire. */
const GIT_STATUS_TTL_MS = 10_000;

const emptyResult: MergedSecretsDetailResult = { cwd: '', files: [], entries: [], noSecretsFound: true };

/** `streamlitSecrets/mergedSecretsDetail`: the model of the "which file won" view (masked). */
export const mergedSecretsDetailFeature: Feature = {
  register(context) {
    const gitCache = new SecretsGitStatusCache();
    // Not dropped on secrets edits (git would run on every keystroke); expires instead.
    let gitCacheStarted = Date.now();

    context.connection.onRequest(MergedSecretsDetailRequestMethod, (params: MergedSecretsDetailParams, token) =>
      context.runSafe<MergedSecretsDetailResult>('mergedSecretsDetail', token, emptyResult, async () => {
        const merged = await context.mergedFor(params.uri);
        if (merged === undefined) return emptyResult;
        const settings = await context.settingsFor(params.uri);
        if (params.refreshGit === true || Date.now() - gitCacheStarted > GIT_STATUS_TTL_MS) {
          gitCache.invalidate();
          gitCacheStarted = Date.now();
        }
        const gitStatus = new Map<string, SourceGitStatus>();
        await Promise.all(
          merged.sources
            .filter((source) => source.kind === 'file')
            .map(async (source) => {
              const filePath = source.spec.path;
              const folder = context.workspaceFolderOf(filePath);
              const status = await gitCache.get(filePath, { trusted: context.trusted, ...(folder ? { workspaceFolder: folder } : {}) });
              gitStatus.set(filePath, {
                ignored: status.ignored,
                tracked: status.tracked,
                ...(status.detail !== undefined ? { detail: status.detail } : {}),
              });
            }),
        );
        const workspaceFolder = context.workspaceFolderOf(merged.chain.cwd);
        return mergedSecretsDetail(merged, { revealCharacters: settings.maskRevealCharacters, gitStatus, ...(workspaceFolder ? { workspaceFolder } : {}) });
      }),
    );
  },
};
