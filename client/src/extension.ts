import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { WorkspaceTrustNotificationMethod } from '../../common/protocol';
import { createRedactedTraceChannel } from './redactedTraceChannel';
import { clientFeatures } from './features';
import { startMasking } from './editor/masking';
import { startMaskedDefinitions } from './editor/maskedDefinitions';
import { serverExecArgv } from '../../common/serverExecArgv';

let client: LanguageClient | undefined;

/** Documents the language server reads: Python code and the secrets/config files it merges. */
export const documentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { scheme: 'file', language: 'streamlit-secrets' },
  { scheme: 'file', language: 'streamlit-config' },
];

/** What `activate` returns: used by the extension test suite. */
export interface StreamlitSecretsApi {
  client: LanguageClient;
  [feature: string]: unknown;
}

export async function activate(context: vscode.ExtensionContext): Promise<StreamlitSecretsApi> {
  // First, before the language server starts: values of secrets files already open get hidden now.
  const masking = startMasking(context);
  const maskedDefinitions = startMaskedDefinitions(context);
  const serverModule = context.asAbsolutePath(path.join('server', 'out', 'server.js'));
  const serverOptions: ServerOptions = {
    // Memory-saving V8 heap settings (common/serverExecArgv.ts, measured in bench/results.md).
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...serverExecArgv] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = vscode.window.createOutputChannel('Streamlit Secrets');
  const traceOutputChannel = createRedactedTraceChannel('Streamlit Secrets (protocol trace)');
  const clientOptions: LanguageClientOptions = {
    documentSelector,
    outputChannel,
    traceOutputChannel,
    synchronize: {
      // Secrets and config files inside the workspace (the server polls those outside it), and
      // Python files for the server's find-references index.
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/.streamlit/**'), vscode.workspace.createFileSystemWatcher('**/*.py')],
    },
    // Hovers carry a `command:streamlitSecrets.revealValue?…` link; only that command is trusted.
    markdown: { isTrusted: { enabledCommands: ['streamlitSecrets.revealValue'] } },
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    middleware: { provideDefinition: maskedDefinitions.provideDefinition },
  };
  const followTraceSetting = (): void => {
    if (vscode.workspace.getConfiguration('streamlitSecrets').get('trace.server', 'off') === 'off') traceOutputChannel.close();
    else traceOutputChannel.open();
  };
  followTraceSetting();
  client = new LanguageClient('streamlitSecrets', 'Streamlit Secrets', serverOptions, clientOptions);
  await client.start();

  context.subscriptions.push(
    outputChannel,
    traceOutputChannel,
    // The trace channel exists only while tracing is on.
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('streamlitSecrets.trace.server')) followTraceSetting();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(WorkspaceTrustNotificationMethod, { trusted: true });
    }),
  );
  const api: StreamlitSecretsApi = { client, ...masking };
  for (const feature of clientFeatures) {
    const exported = await feature({ extension: context, client, output: outputChannel });
    if (exported) Object.assign(api, exported);
  }
  return api;
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
