// Floor for cold start and request round trips: a `vscode-languageserver` server that does nothing.
// It answers completion and hover at once with whatever the benchmark told it to (`bench/canned`),
// so the floor of a request carries the same payload as the real answer.
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';

const connection = createConnection(ProposedFeatures.all);
let canned: { completion: unknown; hover: unknown } = { completion: null, hover: null };

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.None, completionProvider: {}, hoverProvider: true },
}));
connection.onRequest('bench/canned', (params: { completion: unknown; hover: unknown }) => {
  canned = params;
  return null;
});
connection.onCompletion(() => canned.completion as null);
connection.onHover(() => canned.hover as null);
connection.listen();
