import { isPythonDocument } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import { findAttributeMisreads } from '../python/attributeMisreads';
import { computePythonDiagnostics } from '../service/pythonDiagnostics';
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
      async provide(document, ctx, token) {
        const source = ctx.pythonSources.get(document);
        const analysis = analyzePythonSecrets(source);
        const misreads = findAttributeMisreads(source);
        if (analysis.accesses.every((a) => a.kind !== 'secrets') && analysis.wholeUses.length === 0 && misreads.length === 0 && analysis.connections.length === 0 && analysis.logins.length === 0) return [];
        const merged = await ctx.mergedFor(document.uri);
        if (merged === undefined || token.isCancellationRequested) return [];
        const settings = await ctx.settingsFor(document.uri);
        return computePythonDiagnostics(document, analysis, misreads, merged, settings);
      },
    });
  },
};
