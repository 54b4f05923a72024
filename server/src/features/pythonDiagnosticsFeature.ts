import { isPythonDocument } from '../documents';
import { pythonFileDiagnostics } from '../workspace/pythonFileDiagnostics';
import type { Feature } from './feature';

/**
 * Python diagnostics predicting Streamlit's runtime errors (missing keys, unreachable attributes,
 * no secrets file, a load that fails, st.connection / st.login configuration). The scheduler
 * re-runs them when the Python file or any secrets/config file changes.
 */
export const pythonDiagnosticsFeature: Feature = {
  register(context) {
    context.diagnostics.add({
      name: 'python-secrets',
      appliesTo: isPythonDocument,
      provide: (document, ctx, token) =>
        pythonFileDiagnostics(document, ctx.pythonSources.get(document), {
          mergedFor: () => ctx.mergedFor(document.uri),
          settings: () => ctx.settingsFor(document.uri),
          cancelled: () => token.isCancellationRequested,
        }),
    });
  },
};
