import type { DocumentSymbol } from 'vscode-languageserver';
import { parseSecretsToml } from '../toml/parseSecretsToml';
import { secretsDocumentSymbols } from '../service/documentSymbols';
import type { Feature } from './feature';

const cache = new WeakMap<object, DocumentSymbol[]>();

/** Outline of a secrets file: keys nested like their tables, types as detail (never values). */
export const documentSymbolsFeature: Feature = {
  capabilities: { documentSymbolProvider: true },
  register(context) {
    context.connection.onDocumentSymbol((params, token) =>
      context.runSafe<DocumentSymbol[] | null>('documentSymbol', token, null, () => {
        const document = context.documents.get(params.textDocument.uri);
        if (document === undefined || document.languageId !== 'streamlit-secrets') return null;
        // TextDocument objects are replaced on every change, so they key the cache per version.
        let symbols = cache.get(document);
        if (symbols === undefined) {
          symbols = secretsDocumentSymbols(document, parseSecretsToml(document.getText()).root);
          cache.set(document, symbols);
        }
        return symbols;
      }),
    );
  },
};
