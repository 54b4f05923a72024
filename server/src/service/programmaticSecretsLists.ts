import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProgrammaticSecrets } from '../python/streamlitApps';
import { keyPathId, type SecretNode } from '../toml/types';
import { diagnosticSource } from './pythonDiagnostics';
import { formatKeyPath } from './secretNodes';
import type { SecretsChain } from './secretsChain';
import { formatStreamlitVersion, supports } from './streamlitVersion';

/**
 * Lists in secrets given in code are accepted from Streamlit 1.59 (docs/streamlit-model.md §8):
 * with a known 1.57 or 1.58, each list of a literal dict gets a warning. Unknown version: the
 * newest rules, nothing to say. The value is never quoted; the key path is.
 */
export function programmaticListDiagnostics(document: TextDocument, calls: readonly { secrets: ProgrammaticSecrets }[], chain: SecretsChain): Diagnostic[] {
  const version = chain.streamlitVersion;
  if (version === undefined || !supports(version, 'programmaticSecrets') || supports(version, 'programmaticSecretsLists')) return [];
  const diagnostics: Diagnostic[] = [];
  for (const { secrets } of calls) {
    if (secrets.kind !== 'literal') continue;
    const visit = (node: SecretNode, keyPath: string[]): void => {
      if (node.kind === 'array' && keyPath.length > 0) {
        const location = secrets.keys.get(keyPathId(keyPath))?.[0];
        if (location === undefined) return;
        diagnostics.push({
          range: { start: document.positionAt(location.valueRange.start), end: document.positionAt(location.valueRange.end) },
          severity: DiagnosticSeverity.Warning,
          source: diagnosticSource,
          code: 'programmatic-list',
          message: `${formatKeyPath(keyPath)} is a list: Streamlit accepts lists in secrets given in code only from 1.59, and this app runs ${formatStreamlitVersion(version)}.`,
        });
        return;
      }
      for (const [key, child] of node.children ?? []) visit(child, [...keyPath, key]);
    };
    visit(secrets.root, []);
  }
  return diagnostics;
}
