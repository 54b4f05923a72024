// Entry point of the language server. Runs inside VS Code (node IPC) and on its own for any LSP
// client: `node server/out/server.js --stdio`. stdout carries the protocol: never write to it.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './startServer';

const connection = createConnection(ProposedFeatures.all);
// Over node IPC an editor extension started us; on its own (stdio, socket, pipe) the user did.
startServer(connection, { trustedWhenUnsaid: !process.argv.includes('--node-ipc') });
connection.listen();
