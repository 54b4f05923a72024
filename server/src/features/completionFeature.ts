import type { CompletionList } from 'vscode-languageserver';
import { isPythonDocument } from '../documents';
import { completionContextAt } from '../python/completionContext';
import { doComplete } from '../service/completion';
import type { Feature } from './feature';

/** Completion of `st.secrets` paths, `os.environ` keys and `st.connection` names in Python. */
export const completionFeature: Feature = {
  capabilities: { completionProvider: { triggerCharacters: ['.', '"', "'", '['], resolveProvider: false } },
  register(context) {
    context.connection.onCompletion((params, token) =>
      context.runSafe<CompletionList | null>('completion', token, null, async () => {
        const document = context.documents.get(params.textDocument.uri);
        if (document === undefined || !isPythonDocument(document)) return null;
        const completion = completionContextAt(context.pythonSources.get(document), document.offsetAt(params.position));
        if (completion === undefined) return null;
        const merged = await context.mergedFor(document.uri);
        if (merged === undefined) return null;
        const settings = await context.settingsFor(document.uri);
        return { isIncomplete: false, items: doComplete(document, completion, merged, { revealCharacters: settings.maskRevealCharacters }) };
      }),
    );
  },
};
