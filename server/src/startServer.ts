import {
  type Connection,
  type InitializeParams,
  type InitializeResult,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
  type CompletionList,
} from 'vscode-languageserver';
import {
  MergedSecretsRequestMethod,
  WorkspaceTrustNotificationMethod,
  type MergedSecretsParams,
  type MergedSecretsResult,
  type WorkspaceTrustParams,
} from '../../common/protocol';
import { createDocuments, isPythonDocument, uriToPath } from './documents';
import { completionContextAt } from './python/completionContext';
import { runSafe } from './runSafe';
import { ServerContext } from './serverContext';
import { doComplete } from './service/completion';
import { mergedSecretsResult } from './service/mergedSecretsResult';

export function startServer(connection: Connection): void {
  const documents = createDocuments();
  const logger = { error: (message: string) => connection.console.error(message) };
  const context = new ServerContext(connection, documents, () => {
    void connection.sendNotification('streamlitSecrets/secretsChanged', {});
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    context.supportsConfiguration = params.capabilities.workspace?.configuration === true;
    const folders = params.workspaceFolders?.map((folder) => uriToPath(folder.uri)) ?? [];
    const rootPath = params.rootUri ? uriToPath(params.rootUri) : undefined;
    context.workspaceFolders = folders.filter((folder): folder is string => folder !== undefined);
    if (context.workspaceFolders.length === 0 && rootPath !== undefined) context.workspaceFolders = [rootPath];
    const options = (params.initializationOptions ?? {}) as { trusted?: unknown };
    context.trusted = options.trusted !== false;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '"', "'", '['], resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'streamlit-secrets-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (context.supportsConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'streamlitSecrets' }).catch(() => undefined);
    }
    connection.workspace.onDidChangeWorkspaceFolders((event) => {
      const removed = new Set(event.removed.map((folder) => uriToPath(folder.uri)));
      context.workspaceFolders = context.workspaceFolders.filter((folder) => !removed.has(folder));
      for (const added of event.added) {
        const folder = uriToPath(added.uri);
        if (folder !== undefined) context.workspaceFolders.push(folder);
      }
      context.workspace.invalidate();
    });
  });

  connection.onDidChangeConfiguration(() => {
    context.clearSettings();
    context.workspace.invalidate();
  });

  connection.onNotification(WorkspaceTrustNotificationMethod, (params: WorkspaceTrustParams) => {
    context.trusted = params.trusted === true;
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const filePath = uriToPath(change.uri);
      if (filePath !== undefined) context.workspace.invalidate(filePath);
    }
    void connection.sendNotification('streamlitSecrets/secretsChanged', {});
  });

  documents.onDidOpen((event) => {
    const filePath = context.trackOpen(event.document.uri);
    if (filePath !== undefined && !isPythonDocument(event.document)) context.workspace.invalidate(filePath);
  });
  documents.onDidChangeContent((event) => {
    if (isPythonDocument(event.document)) return;
    const filePath = uriToPath(event.document.uri);
    if (filePath !== undefined && context.workspace.isChainFile(filePath)) context.workspace.invalidate(filePath);
  });
  documents.onDidClose((event) => {
    const filePath = context.trackClose(event.document.uri);
    context.pythonSources.delete(event.document.uri);
    if (filePath !== undefined) context.workspace.invalidate(filePath);
  });

  connection.onCompletion((params, token) =>
    runSafe<CompletionList | null>(logger, 'completion', token, null, async () => {
      const document = documents.get(params.textDocument.uri);
      if (document === undefined || !isPythonDocument(document)) return null;
      const completion = completionContextAt(context.pythonSources.get(document), document.offsetAt(params.position));
      if (completion === undefined) return null;
      const merged = await context.mergedFor(document.uri);
      if (merged === undefined) return null;
      const settings = await context.settingsFor(document.uri);
      return { isIncomplete: false, items: doComplete(document, completion, merged, { revealCharacters: settings.maskRevealCharacters }) };
    }),
  );

  connection.onRequest(MergedSecretsRequestMethod, (params: MergedSecretsParams, token) =>
    runSafe<MergedSecretsResult>(logger, 'mergedSecrets', token, { files: [], entries: [] }, async () => {
      const merged = await context.mergedFor(params.uri);
      if (merged === undefined) return { files: [], entries: [] };
      const settings = await context.settingsFor(params.uri);
      return mergedSecretsResult(merged, settings.maskRevealCharacters);
    }),
  );

  connection.onShutdown(() => context.workspace.dispose());
  documents.listen(connection);
}
