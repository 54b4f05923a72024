// Floor for the references index: answers `textDocument/references` after only reading every
// Python file of the workspace folder (no parsing), and returns no locations.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';

const connection = createConnection(ProposedFeatures.all);
let root: string | undefined;

connection.onInitialize((params) => {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
  root = uri ? URI.parse(uri).fsPath : undefined;
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.None, referencesProvider: true } };
});

function readAll(dir: string): number {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) bytes += readAll(full);
    else if (entry.isFile() && entry.name.endsWith('.py')) bytes += fs.readFileSync(full, 'utf8').length;
  }
  return bytes;
}

connection.onReferences(() => {
  if (root !== undefined) readAll(root);
  return [];
});
connection.listen();
