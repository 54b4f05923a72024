import type { CompletionItem, CompletionList } from 'vscode-languageserver';
import { isPythonDocument } from '../documents';
import { completionContextAt } from '../python/completionContext';
import { completionItemUri, doComplete, resolveCompletionItem } from '../service/completion';
import type { Feature } from './feature';

/**
 * Completion of `st.secrets` paths, `os.environ` keys and `st.connection` names in Python. The
 * list carries labels, types and files; each item's masked preview comes with `completionItem/resolve`.
 */
export const completionFeature: Feature = {
  capabilities: { completionProvider: { triggerCharacters: ['.', '"', "'", '['], resolveProvider: true } },
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
        return doComplete(document, completion, merged, { revealCharacters: settings.maskRevealCharacters, itemDefaults: context.supportsCompletionItemDefaults });
      }),
    );
    context.connection.onCompletionResolve((item, token) =>
      context.runSafe<CompletionItem>('completionResolve', token, item, async () => {
        const uri = completionItemUri(item);
        if (uri === undefined) return item;
        const merged = await context.mergedFor(uri);
        if (merged === undefined) return item;
        const settings = await context.settingsFor(uri);
        return resolveCompletionItem(item, merged, { revealCharacters: settings.maskRevealCharacters });
      }),
    );
  },
};
