import {
  MergedSecretsRequestMethod,
  type MergedSecretsParams,
  type MergedSecretsResult,
} from '../../../common/protocol';
import { mergedSecretsResult } from '../service/mergedSecretsResult';
import type { Feature } from './feature';

/** `streamlitSecrets/mergedSecrets`: which file won each top-level key (masked). */
export const mergedSecretsFeature: Feature = {
  register(context) {
    context.connection.onRequest(MergedSecretsRequestMethod, (params: MergedSecretsParams, token) =>
      context.runSafe<MergedSecretsResult>('mergedSecrets', token, { files: [], entries: [] }, async () => {
        const merged = await context.mergedFor(params.uri);
        if (merged === undefined) return { files: [], entries: [] };
        const settings = await context.settingsFor(params.uri);
        return mergedSecretsResult(merged, settings.maskRevealCharacters);
      }),
    );
  },
};
