import { isPythonDocument } from '../documents';
import { pythonCodeActions } from '../service/pythonCodeActions';
import { diagnosticSource } from '../service/pythonDiagnostics';
import { addCodeActionProvider, codeActionCapabilities } from './codeActionProviders';
import type { Feature } from './feature';

/**
 * Quick fixes for Python diagnostics: add the missing key to the secrets file that decides it
 * (WorkspaceEdit), or create the project secrets file first (command
 * `streamlitSecrets.createProjectSecretsFile` with `{ folderUri, addKey }`); rewrite `.key` as `["key"]`.
 */
export const codeActionsFeature: Feature = {
  capabilities: codeActionCapabilities,
  register(context) {
    addCodeActionProvider(context, {
      name: 'python-secrets',
      async provide(document, params) {
        if (!isPythonDocument(document)) return [];
        const ours = params.context.diagnostics.filter((diagnostic) => diagnostic.source === diagnosticSource);
        if (ours.length === 0) return [];
        const merged = await context.mergedFor(document.uri);
        return merged === undefined ? [] : pythonCodeActions(document.uri, ours, merged);
      },
    });
  },
};
