import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { StreamlitSecretsSettings } from '../../../common/settings';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import { findAttributeMisreads } from '../python/attributeMisreads';
import type { PythonSource } from '../python/pythonSource';
import { findSecretsMerges, findStreamlitApps, type ProgrammaticSecrets } from '../python/streamlitApps';
import type { MergedSecrets } from '../service/mergeSecrets';
import { programmaticListDiagnostics } from '../service/programmaticSecretsLists';
import { computePythonDiagnostics } from '../service/pythonDiagnostics';

export interface PythonFileContext {
  /** The merged secrets of the file's app (asked only when the file reads secrets). */
  mergedFor(): Promise<MergedSecrets | undefined>;
  settings(): Promise<Pick<StreamlitSecretsSettings, 'diagnostics'>>;
  /** The editor moved on: stop early. */
  cancelled?(): boolean;
}

/**
 * Diagnostics predicting Streamlit's runtime errors in one Python file (missing keys, unreachable
 * attributes, no secrets file, a load that fails, st.connection / st.login configuration): what
 * the editor shows and what `streamlit-secrets check` prints.
 */
export async function pythonFileDiagnostics(document: TextDocument, source: PythonSource, context: PythonFileContext): Promise<Diagnostic[]> {
  const analysis = analyzePythonSecrets(source);
  const misreads = findAttributeMisreads(source);
  const given = secretsGivenInCode(source);
  const reads = analysis.accesses.some((a) => a.kind === 'secrets') || analysis.wholeUses.length > 0 || misreads.length > 0 || analysis.connections.length > 0 || analysis.logins.length > 0;
  if (!reads && given.length === 0) return [];
  const merged = await context.mergedFor();
  if (merged === undefined || context.cancelled?.() === true) return [];
  const settings = await context.settings();
  const lists = programmaticListDiagnostics(document, given, merged.chain);
  return reads ? [...computePythonDiagnostics(document, analysis, misreads, merged, settings), ...lists] : lists;
}

/** The `st.App(secrets=…)` and `merge_programmatic_secrets(…)` secrets of this file (each finder skips files without its words). */
function secretsGivenInCode(source: PythonSource): { secrets: ProgrammaticSecrets }[] {
  return [...findStreamlitApps(source).flatMap((app) => (app.secrets === undefined ? [] : [{ secrets: app.secrets }])), ...findSecretsMerges(source)];
}
