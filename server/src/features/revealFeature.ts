import { RevealValueRequestMethod, type RevealValueParams, type RevealValueResult } from '../../../common/protocol';
import { uriToPath } from '../documents';
import { mayReveal, revealValue } from '../service/reveal';
import type { Feature } from './feature';

/**
 * `streamlitSecrets/revealValue`: the one request that answers with a value, sent only on an
 * explicit user action. Nothing here logs params or results (runSafe logs error classes only).
 */
export const revealFeature: Feature = {
  register(context) {
    context.connection.onRequest(RevealValueRequestMethod, (params: RevealValueParams, token) =>
      context.runSafe<RevealValueResult>('revealValue', token, { found: false }, async () => {
        if (typeof params?.uri !== 'string' || !Array.isArray(params.path) || !params.path.every((k) => typeof k === 'string')) return { found: false };
        const filePath = uriToPath(params.uri);
        if (filePath === undefined) return { found: false };
        const insideWorkspace = (p: string): boolean => context.workspaceFolderOf(p) !== undefined;
        // A `.toml` answers with its own values (it must be a source of a workspace chain); a Python
        // file or an app folder (the merged view) with the merged ones.
        const isSecretsFile = filePath.endsWith('.toml');
        if (!isSecretsFile && !insideWorkspace(filePath)) return { found: false };
        const merged = await context.mergedFor(params.uri);
        if (merged === undefined || !mayReveal(merged, filePath, isSecretsFile, insideWorkspace)) return { found: false };
        return revealValue(merged, params.path, isSecretsFile ? filePath : undefined);
      }),
    );
  },
};
