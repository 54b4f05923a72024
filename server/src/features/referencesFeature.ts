import * as path from 'node:path';
import { FileChangeType, type Location } from 'vscode-languageserver';
import { isPythonDocument, pathToUri, uriToPath } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import type { ServerContext } from '../serverContext';
import { keyPathAtPython } from '../service/definition';
import { findSecretReferences, secretsKeyPathAt } from '../service/references';
import { sourceIndexOf } from '../service/secretLocations';
import { PythonReferenceIndex } from '../workspace/pythonReferenceIndex';
import type { Feature } from './feature';

/** The index of each server (one per context), for tests run in-process. */
export const referenceIndexes = new WeakMap<ServerContext, PythonReferenceIndex>();

/**
 * Find references of a secrets key: every read in the workspace's Python files whose app chain
 * includes the file (open files from their buffers, the rest from the background index — a
 * request never waits for indexing). Never the key's declarations, even when the client asks
 * for them: VS Code lists each location with its line's text, and a declaration's line holds the
 * value. Go to definition, the hover and the Secrets view lead to the declarations.
 */
export const referencesFeature: Feature = {
  capabilities: { referencesProvider: true },
  register(context) {
    const index = new PythonReferenceIndex({ isOpen: (filePath) => context.documents.get(pathToUri(filePath)) !== undefined });
    referenceIndexes.set(context, index);
    let scannedFolders = '';
    const ensureScanned = (): void => {
      const folders = context.workspaceFolders.join('\0');
      if (folders === scannedFolders) return;
      scannedFolders = folders;
      index.scanFolders(context.workspaceFolders);
    };
    context.documents.onDidOpen(() => ensureScanned());
    context.documents.onDidClose((event) => {
      const filePath = uriToPath(event.document.uri);
      // The buffer may have differed from the disk: read the file again.
      if (filePath !== undefined && isPythonDocument(event.document)) index.refresh(filePath);
    });
    context.onPythonFilesChanged((changes) => {
      ensureScanned();
      for (const change of changes) {
        const filePath = uriToPath(change.uri);
        if (filePath === undefined) continue;
        if (change.type === FileChangeType.Deleted) index.remove(filePath);
        else index.refresh(filePath);
      }
    });

    context.connection.onReferences((params, token) =>
      context.runSafe<Location[] | null>('references', token, null, async () => {
        ensureScanned();
        const document = context.documents.get(params.textDocument.uri);
        if (document === undefined) return null;
        const offset = document.offsetAt(params.position);
        const merged = await context.mergedFor(document.uri);
        if (merged === undefined) return null;
        let keyPath: string[] | undefined;
        let secretsFile: string | undefined;
        if (isPythonDocument(document)) {
          keyPath = keyPathAtPython(analyzePythonSecrets(context.pythonSources.get(document)), offset);
          const entry = keyPath === undefined ? undefined : merged.entries.get(keyPath[0]!);
          secretsFile = entry === undefined ? undefined : merged.sources[entry.winner]!.spec.path;
        } else if (document.languageId === 'streamlit-secrets') {
          keyPath = secretsKeyPathAt(document.getText(), offset);
          secretsFile = uriToPath(document.uri);
        }
        if (keyPath === undefined) return null;

        const locations: Location[] = [];
        const seen = new Set<string>();
        const chainIncludes = async (pythonUri: string): Promise<boolean> => {
          if (secretsFile === undefined) return true;
          // The read's app must read this file, and this file must define the key there (as the
          // winner or as a definition the winner hides).
          const chain = await context.mergedFor(pythonUri);
          const index = chain === undefined ? -1 : sourceIndexOf(chain, secretsFile);
          const entry = index < 0 ? undefined : chain!.entries.get(keyPath![0]!);
          return entry !== undefined && (entry.winner === index || entry.shadowed.includes(index));
        };
        // Open Python documents: their buffers are the truth.
        for (const open of context.documents.all()) {
          if (!isPythonDocument(open)) continue;
          const openPath = uriToPath(open.uri);
          if (openPath !== undefined) seen.add(openPath);
          const found = findSecretReferences(analyzePythonSecrets(context.pythonSources.get(open)), keyPath);
          if (found.length === 0 || !(await chainIncludes(open.uri))) continue;
          for (const ref of found) locations.push({ uri: open.uri, range: { start: open.positionAt(ref.range.start), end: open.positionAt(ref.range.end) } });
        }
        // A Python file's chain depends on its folder only: ask once per folder, not per file.
        const includedByFolder = new Map<string, boolean>();
        for (const file of [...index.entries()]) {
          if (token.isCancellationRequested) break;
          if (seen.has(file.filePath)) continue;
          const found = findSecretReferences(file.analysis, keyPath);
          if (found.length === 0) continue;
          const uri = pathToUri(file.filePath);
          const folder = path.dirname(file.filePath);
          let included = includedByFolder.get(folder);
          if (included === undefined) {
            included = await chainIncludes(uri);
            includedByFolder.set(folder, included);
          }
          if (!included) continue;
          for (const ref of found) locations.push({ uri, range: { start: file.positions.positionAt(ref.range.start), end: file.positions.positionAt(ref.range.end) } });
        }
        return locations;
      }),
    );
  },
};
