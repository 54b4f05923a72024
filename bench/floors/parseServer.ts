// Floor for diagnostics and re-merge: keeps documents in sync like the real server, and on every
// change only parses the whole text — Python with lezer (from scratch), TOML with smol-toml — then
// publishes empty diagnostics at once (no debounce, no analysis). Completion answers the
// top-level keys of the last TOML parse, dressed as the real server's items (`bench/canned`) so
// the answer has the same size: the least work that can give the same fresh completions.
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type CompletionList } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parser } from '@lezer/python';
import { parse as parseToml } from 'smol-toml';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let topLevelKeys: string[] = [];
let lastParseMs = 0;
/** Items shaped like the real server's (set by the benchmark): the answer carries the same payload. */
let cannedItems: Record<string, unknown>[] = [];
/** The real answer's `itemDefaults` (LSP 3.17), sent along the same way. */
let cannedDefaults: unknown;

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, completionProvider: {} },
}));

documents.onDidChangeContent(({ document }) => {
  const text = document.getText();
  const started = performance.now();
  if (document.uri.endsWith('.py')) {
    const tree = parser.parse(text);
    lastParseMs = performance.now() - started;
    if (tree.length !== text.length) throw new Error('incomplete parse');
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: [] });
  } else {
    try {
      topLevelKeys = Object.keys(parseToml(text, { integersAsBigInt: true }));
    } catch {
      topLevelKeys = [];
    }
    lastParseMs = performance.now() - started;
  }
});

connection.onRequest('bench/canned', (params: { completion: { items: Record<string, unknown>[]; itemDefaults?: unknown } | null }) => {
  cannedItems = params.completion?.items ?? [];
  cannedDefaults = params.completion?.itemDefaults;
  return null;
});
connection.onRequest('bench/lastParseMs', () => lastParseMs);
connection.onCompletion(() => ({
  isIncomplete: false,
  ...(cannedDefaults === undefined ? {} : { itemDefaults: cannedDefaults as CompletionList['itemDefaults'] }),
  items: topLevelKeys.map((label, index) => ({ ...(cannedItems[index % Math.max(1, cannedItems.length)] ?? {}), label })),
}));
documents.listen(connection);
connection.listen();
