import type { Hover } from 'vscode-languageserver';
import { isPythonDocument, uriToPath } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import { doHover } from '../service/hover';
import { doSecretsFileHover } from '../service/secretsFileHover';
import type { Feature } from './feature';

/**
 * Hovers: on a secrets read in Python (masked value, provenance, env export) and on a key in a
 * secrets file (wins or shadowed, lost sub-keys). Values are masked; revealing is a command link
 * (`command:streamlitSecrets.revealValue?…`), which the client must trust explicitly.
 */
export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register(context) {
    context.connection.onHover((params, token) =>
      context.runSafe<Hover | null>('hover', token, null, async () => {
        const document = context.documents.get(params.textDocument.uri);
        if (document === undefined) return null;
        const offset = document.offsetAt(params.position);
        const settings = await context.settingsFor(document.uri);
        const options = { revealCharacters: settings.maskRevealCharacters };
        if (isPythonDocument(document)) {
          const analysis = analyzePythonSecrets(context.pythonSources.get(document));
          if (analysis.accesses.length === 0 && analysis.connections.length === 0) return null;
          const merged = await context.mergedFor(document.uri);
          return merged === undefined ? null : doHover(document, analysis, offset, merged, options);
        }
        if (document.languageId !== 'streamlit-secrets') return null;
        const filePath = uriToPath(document.uri);
        const merged = await context.mergedFor(document.uri);
        if (filePath === undefined || merged === undefined) return null;
        return doSecretsFileHover(document, offset, merged, filePath, options);
      }),
    );
  },
};
