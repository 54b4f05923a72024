// Floor for the references index: answers `textDocument/references` after only reading every
// Python file of the workspace folder (no parsing), and returns no locations. `bench/readAndParse`
// also parses each file (the least any Python-aware index must do), for comparison.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { parser } from '@lezer/python';

const connection = createConnection(ProposedFeatures.all);
let root: string | undefined;

connection.onInitialize((params) => {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  root = uri ? URI.parse(uri).fsPath : undefined;
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.None, referencesProvider: true } };
});

function readAll(dir: string, parse = false): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) bytes += readAll(full, parse);
    else if (entry.isFile() && entry.name.endsWith('.py')) {
      const text = fs.readFileSync(full, 'utf8');
      bytes += parse ? parser.parse(text).length : text.length;
    }
  }
  return bytes;
}

connection.onReferences(() => {
  if (root !== undefined) readAll(root);
  return [];
});
// Not a floor of the budget: reading AND parsing every file with lezer, to show what any index
// that understands Python costs at least.
connection.onRequest('bench/readAndParse', () => (root === undefined ? 0 : readAll(root, true)));
connection.listen();
