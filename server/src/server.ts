// Entry point of the language server. Runs inside VS Code (node IPC) and on its own for any LSP
// client: `node server/out/server.js --stdio`. stdout carries the protocol: never write to it.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './startServer';

const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
