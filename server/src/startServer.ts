import {
  type Connection,
  type InitializeParams,
  type InitializeResult,
  TextDocumentSyncKind,
  DidChangeConfigurationNotification,
} from 'vscode-languageserver';
import {
  PythonEnvironmentNotificationMethod,
  SecretsChangedNotificationMethod,
  WorkspaceTrustNotificationMethod,
  type PythonEnvironmentParams,
  type WorkspaceTrustParams,
} from '../../common/protocol';
import { createDocuments, isPythonDocument, uriToPath } from './documents';
import { features } from './features';
import { ServerContext } from './serverContext';

export interface StartServerOptions {
  /**
   * Whether a client that says nothing about workspace trust is trusted. True when the server was
   * started on its own (`--stdio`: the user ran it, for their editor); false when an editor
   * extension started it over node IPC, where our client always tells and silence means doubt.
   */
  trustedWhenUnsaid: boolean;
}

export function startServer(connection: Connection, options: StartServerOptions = { trustedWhenUnsaid: true }): void {
  const documents = createDocuments();
  const context = new ServerContext(connection, documents);
  context.onSecretsChanged(() => {
    void connection.sendNotification(SecretsChangedNotificationMethod, {});
  });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    context.supportsConfiguration = params.capabilities.workspace?.configuration === true;
    const defaults = params.capabilities.textDocument?.completion?.completionList?.itemDefaults ?? [];
    context.supportsCompletionItemDefaults = ['editRange', 'insertTextFormat', 'data'].every((name) => defaults.includes(name));
    const folders = params.workspaceFolders?.map((folder) => uriToPath(folder.uri)) ?? [];
    const rootPath = params.rootUri ? uriToPath(params.rootUri) : undefined;
    context.workspaceFolders = folders.filter((folder): folder is string => folder !== undefined);
    if (context.workspaceFolders.length === 0 && rootPath !== undefined) context.workspaceFolders = [rootPath];
    const initOptions = (params.initializationOptions ?? {}) as { trusted?: unknown };
    context.trusted = typeof initOptions.trusted === 'boolean' ? initOptions.trusted : options.trustedWhenUnsaid;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        ...Object.assign({}, ...features.map((feature) => feature.capabilities ?? {})),
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
    context.secretsChanged([]);
  });

  connection.onNotification(WorkspaceTrustNotificationMethod, (params: WorkspaceTrustParams) => {
    context.trusted = params.trusted === true;
    // Launch configurations count only when trusted: chains are decided anew.
    context.workspace.invalidate();
    context.secretsChanged([]);
  });

  connection.onNotification(PythonEnvironmentNotificationMethod, (params: PythonEnvironmentParams) => {
    const folder = typeof params?.folderUri === 'string' ? uriToPath(params.folderUri) : undefined;
    if (folder !== undefined) context.setPythonPrefix(folder, typeof params.prefix === 'string' && params.prefix !== '' ? params.prefix : undefined);
  });

  connection.onDidChangeWatchedFiles((params) => {
    // Python files (watched for the references index) do not touch any secrets chain.
    const python = params.changes.filter((change) => /\.py$/.test(change.uri));
    if (python.length > 0) context.pythonFilesChanged(python);
    if (python.length === params.changes.length) return;
    const paths: string[] = [];
    for (const change of params.changes) {
      if (/\.py$/.test(change.uri)) continue;
      const filePath = uriToPath(change.uri);
      if (filePath === undefined) continue;
      context.workspace.invalidate(filePath);
      paths.push(filePath);
    }
    context.secretsChanged(paths);
  });

  documents.onDidOpen((event) => {
    const filePath = context.trackOpen(event.document.uri);
    if (filePath !== undefined && !isPythonDocument(event.document)) context.workspace.invalidate(filePath);
  });
  // Fires on open too. A Python edit re-checks that file; a secrets/config edit every open file.
  documents.onDidChangeContent((event) => {
    const filePath = uriToPath(event.document.uri);
    if (!isPythonDocument(event.document) && filePath !== undefined && context.workspace.isChainFile(filePath)) {
      context.workspace.invalidate(filePath);
      context.secretsChanged([filePath]);
    } else if (filePath !== undefined && isPythonDocument(event.document) && context.workspace.pythonFileChanged(filePath, event.document.getText())) {
      // Its `st.App(secrets=…)` changed: every app it serves is re-checked.
      context.secretsChanged([filePath]);
    } else {
      context.diagnostics.schedule(event.document.uri);
    }
  });
  documents.onDidClose((event) => {
    const filePath = context.trackClose(event.document.uri);
    context.pythonSources.delete(event.document.uri);
    context.diagnostics.clear(event.document.uri);
    if (filePath !== undefined && !isPythonDocument(event.document)) {
      context.workspace.invalidate(filePath);
      context.secretsChanged([filePath]);
    }
  });

  for (const feature of features) feature.register(context);

  connection.onShutdown(() => context.workspace.dispose());
  documents.listen(connection);
}
