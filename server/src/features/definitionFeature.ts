import type { Location } from 'vscode-languageserver';
import { positionsOfText } from '../service/textPositions';
import { isPythonDocument, pathToUri } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import { findDefinitions, keyPathAtPython } from '../service/definition';
import type { Feature } from './feature';

/** Go to definition from a secrets read in Python: the winning file's key first, then the shadowed ones. */
export const definitionFeature: Feature = {
  capabilities: { definitionProvider: true },
  register(context) {
    context.connection.onDefinition((params, token) =>
      context.runSafe<Location[] | null>('definition', token, null, async () => {
        const document = context.documents.get(params.textDocument.uri);
        if (document === undefined || !isPythonDocument(document)) return null;
        const keyPath = keyPathAtPython(analyzePythonSecrets(context.pythonSources.get(document)), document.offsetAt(params.position));
        if (keyPath === undefined) return null;
        const merged = await context.mergedFor(document.uri);
        if (merged === undefined) return null;
        const locations = findDefinitions(merged, keyPath).map((definition) => {
          const text = positionsOfText(definition.text);
          return {
            uri: pathToUri(definition.filePath),
            range: { start: text.positionAt(definition.range.start), end: text.positionAt(definition.range.end) },
          };
        });
        return locations.length > 0 ? locations : null;
      }),
    );
  },
};
