import * as path from 'node:path';
import { uriToPath } from '../documents';
import { forgetDiskFacts, tomlFileDiagnostics, tomlFileKind } from '../workspace/tomlFileDiagnostics';
import type { Feature } from './feature';

export { tomlFileKind, type TomlFileKind } from '../workspace/tomlFileDiagnostics';

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
        }),
    });
    context.documents.onDidClose((event) => {
      const filePath = uriToPath(event.document.uri);
      if (filePath !== undefined) forgetDiskFacts(filePath);
    });
  },
};
