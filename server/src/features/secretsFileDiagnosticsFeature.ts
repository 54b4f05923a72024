import * as path from 'node:path';
import { isPythonDocument, uriToPath } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import type { ConnectionCall } from '../python/types';
import type { ServerContext } from '../serverContext';
import { addUntypedConnectionCalls } from '../service/connectionRules';
import { forgetDiskFacts, tomlFileDiagnostics, tomlFileKind } from '../workspace/tomlFileDiagnostics';
import type { Feature } from './feature';
import { referenceIndexes } from './referencesFeature';

export { tomlFileKind, type TomlFileKind } from '../workspace/tomlFileDiagnostics';

/**
 * The workspace's `st.connection("<name>")` calls that pass no `type=`, per name, as `file:line`:
 * open Python files from their buffers, the rest from the references index (what it has so far — a
 * call not yet indexed only means a warning shown later, never a false one).
 */
function untypedCalls(context: ServerContext): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  const add = (filePath: string, analysis: { connections: readonly ConnectionCall[] }, positionAt: (offset: number) => { line: number }): void => {
    // Most files call no st.connection: the path is worked out only for a file that is named.
    if (analysis.connections.length === 0) return;
    const folder = context.workspaceFolderOf(filePath);
    const shown = folder === undefined ? path.basename(filePath) : path.relative(folder, filePath);
    addUntypedConnectionCalls(calls, analysis.connections, (offset) => `${shown}:${positionAt(offset).line + 1}`);
  };
  const seen = new Set<string>();
  for (const open of context.documents.all()) {
    const openPath = uriToPath(open.uri);
    if (openPath === undefined || !isPythonDocument(open)) continue;
    seen.add(openPath);
    add(openPath, analyzePythonSecrets(context.pythonSources.get(open)), (offset) => open.positionAt(offset));
  }
  for (const file of referenceIndexes.get(context)?.entries() ?? []) {
    if (!seen.has(file.filePath)) add(file.filePath, file.analysis, (offset) => file.positions.positionAt(offset));
  }
  return calls;
}

/** Diagnostics of secrets files (incl. the global one and `.example`) and of `config.toml`. */
export const secretsFileDiagnosticsFeature: Feature = {
  register(context) {
    context.diagnostics.add({
      name: 'secretsFile',
      appliesTo: (document) => tomlFileKind(document) !== undefined,
      provide: (document) =>
        tomlFileDiagnostics(document, {
          mergedFor: (uri) => context.mergedFor(uri),
          async fallbackCwd(filePath) {
            const settings = await context.settingsFor(document.uri);
            const folder = filePath === undefined ? undefined : context.workspaceFolderOf(filePath);
            return path.resolve(folder ?? path.dirname(path.dirname(filePath ?? '.')), settings.cwd || '.');
          },
          untypedConnectionCalls: () => untypedCalls(context),
        }),
    });
    // A secrets file's "no type" warning names the calls without type=: re-check open secrets files
    // when a Python buffer's st.connection calls change. Looked at on every change, not after the
    // debounce: the parse and analysis made here are the ones the file's diagnostics (and the parse
    // and name bindings, completions) reuse, so they are made while the debounce waits.
    const callSignatures = new Map<string, string>();
    context.documents.onDidClose((event) => {
      const filePath = uriToPath(event.document.uri);
      if (filePath !== undefined) forgetDiskFacts(filePath);
      callSignatures.delete(event.document.uri);
    });
    context.documents.onDidChangeContent((event) => {
      if (!isPythonDocument(event.document)) return;
      const document = event.document;
      const signature = JSON.stringify(
        analyzePythonSecrets(context.pythonSources.get(document)).connections.map((call) => [call.name, call.hasType, document.positionAt(call.range.start).line]),
      );
      const previous = callSignatures.get(document.uri);
      callSignatures.set(document.uri, signature);
      if (previous === signature || (previous === undefined && signature === '[]')) return;
      for (const open of context.documents.all()) if (tomlFileKind(open) === 'secrets') context.diagnostics.schedule(open.uri);
    });
  },
};
