import * as path from 'node:path';
import { isPythonDocument, uriToPath } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import type { ConnectionCall, LoginCall } from '../python/types';
import type { ServerContext } from '../serverContext';
import { addSectionCalls, emptySectionCalls, type SectionCalls } from '../service/sectionCalls';
import { forgetDiskFacts, tomlFileDiagnostics, tomlFileKind } from '../workspace/tomlFileDiagnostics';
import type { Feature } from './feature';
import { referenceIndexes } from './referencesFeature';

export { tomlFileKind, type TomlFileKind } from '../workspace/tomlFileDiagnostics';

/**
 * The workspace's `st.connection(...)` and `st.login(...)` calls, as `file:line`: open Python files
 * from their buffers, the rest from the references index (what it has so far — a call not yet
 * indexed only means a finding shown later, or milder until then, never a false one).
 */
function sectionCallsOf(context: ServerContext): SectionCalls {
  const calls = emptySectionCalls();
  const add = (filePath: string, analysis: { connections: readonly ConnectionCall[]; logins: readonly LoginCall[] }, positionAt: (offset: number) => { line: number }): void => {
    // Most files call neither: the path is worked out only for a file that is named.
    if (analysis.connections.length === 0 && analysis.logins.length === 0) return;
    const folder = context.workspaceFolderOf(filePath);
    const shown = folder === undefined ? path.basename(filePath) : path.relative(folder, filePath);
    addSectionCalls(calls, analysis, (offset) => `${shown}:${positionAt(offset).line + 1}`);
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
      provide: (document) => {
        // Calls still being indexed: check again once the index has them all.
        const index = referenceIndexes.get(context);
        if (index?.busy === true) void index.whenIdle().then(() => context.diagnostics.schedule(document.uri));
        return tomlFileDiagnostics(document, {
          mergedFor: (uri) => context.mergedFor(uri),
          async fallbackCwd(filePath) {
            const settings = await context.settingsFor(document.uri);
            const folder = filePath === undefined ? undefined : context.workspaceFolderOf(filePath);
            return path.resolve(folder ?? path.dirname(path.dirname(filePath ?? '.')), settings.cwd || '.');
          },
          sectionCalls: () => sectionCallsOf(context),
        });
      },
    });
    // A secrets file's section rules depend on the calls (a "no type" warning names those without
    // type=; a section no call reads gets information only): re-check open secrets files when a
    // Python buffer's st.connection / st.login calls change. Looked at on every change, not after
    // the debounce: the parse and analysis made here are the ones the file's diagnostics (and the
    // parse and name bindings, completions) reuse, so they are made while the debounce waits.
    const callSignatures = new Map<string, string>();
    context.documents.onDidClose((event) => {
      const filePath = uriToPath(event.document.uri);
      if (filePath !== undefined) forgetDiskFacts(filePath);
      callSignatures.delete(event.document.uri);
    });
    context.documents.onDidChangeContent((event) => {
      if (!isPythonDocument(event.document)) return;
      const document = event.document;
      const analysis = analyzePythonSecrets(context.pythonSources.get(document));
      const signature = JSON.stringify([
        analysis.connections.map((call) => [call.name, call.hasType, call.settingsInCall === true, document.positionAt(call.range.start).line]),
        analysis.logins.map((call) => [call.provider, call.providerUnknown === true, document.positionAt(call.range.start).line]),
      ]);
      const previous = callSignatures.get(document.uri);
      callSignatures.set(document.uri, signature);
      if (previous === signature || (previous === undefined && signature === '[[],[]]')) return;
      for (const open of context.documents.all()) if (tomlFileKind(open) === 'secrets') context.diagnostics.schedule(open.uri);
    });
  },
};
