import type { Location } from 'vscode-languageserver';
import { positionsOfText } from '../service/textPositions';
import { isPythonDocument, pathToUri } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import { findDefinitions, keyPathAtPython } from '../service/definition';
import type { Feature } from './feature';

/**
 * Go to definition from a secrets read in Python: one location, the winning file's key (or, for a
 * key the merge lost, the nearest file that defines it). One location makes VS Code jump straight
 * to the masked editor; several would be listed with each line's text, values included. The
 * shadowed definitions are shown by the hover, the Secrets view and the report instead.
 */
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
        const definition = findDefinitions(merged, keyPath)[0];
        if (definition === undefined) return null;
        // An `st.App(secrets={…})` literal lives in a Python file, which nothing masks: its line would
        // be drawn with the value in Peek's list and the Ctrl+hover preview. The hover names the place.
        if (merged.sources.find((source) => source.spec.path === definition.filePath)?.kind === 'programmatic') return null;
        const text = positionsOfText(definition.text);
        return [{ uri: pathToUri(definition.filePath), range: { start: text.positionAt(definition.range.start), end: text.positionAt(definition.range.end) } }];
      }),
    );
  },
};
