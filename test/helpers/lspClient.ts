// A real LSP client for tests: spawns `node server/out/server.js --stdio`, speaks the protocol over
// its stdin/stdout, answers `workspace/configuration`, collects diagnostics and records every byte
// the server writes (stdout and stderr) so that tests can audit it for leaked secret values.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import {
  CompletionRequest,
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type FileEvent,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { stopLanguageServer } from './stopServer';
import { readableCopyOf } from './otherUser';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const serverPath = path.join(repoRoot, 'server', 'out', 'server.js');

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  folders: string[];
  /** HOME of the server process (where the global secrets file lives); `env.HOME` overrides it. */
  home: string;
  /** Settings answered for `workspace/configuration` section `streamlitSecrets`. */
  settings?: Record<string, unknown>;
  initializationOptions?: Record<string, unknown>;
  /** Advertise `workspace.configuration` (default true). */
  configuration?: boolean;
  env?: Record<string, string | undefined>;
  /** Replace the environment instead of extending this process's (HOME is still set from `home`). */
  cleanEnv?: boolean;
  /** A command the server runs under, e.g. `['setpriv', '--reuid=65534', '--']` (its node is `process.execPath`). */
  wrapper?: string[];
  /** Advertise `completionList.itemDefaults` as vscode-languageclient does (default false). */
  completionItemDefaults?: boolean;
}

export function fileUri(filePath: string): string {
  return URI.file(filePath).toString();
}

export class LspTestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** Every diagnostics publication in order (with the document version it was computed for). */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  /** Everything the server wrote, byte for byte. */
  readonly written: Buffer[] = [];
  settings: Record<string, unknown>;
  /** What the server answered to `initialize` (its capabilities). */
  initializeResult: InitializeResult | undefined;
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
    options: StartOptions,
  ) {
    this.settings = options.settings ?? {};
  }

  static async start(options: StartOptions): Promise<LspTestClient> {
    const [command, ...prefix] = [...(options.wrapper ?? []), process.execPath];
    // `env: { HOME: undefined }` starts the server without a HOME.
    const env: Record<string, string | undefined> = { ...(options.cleanEnv ? {} : process.env), HOME: options.home, ...options.env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    // A server run as another user (a wrapper drops root) may not read the checkout: it runs a copy.
    const server = options.wrapper ? path.join(readableCopyOf(path.dirname(serverPath)), path.basename(serverPath)) : serverPath;
    const child = spawn(command!, [...prefix, server, '--stdio'], { env, stdio: 'pipe' });
    const reader = new StreamMessageReader(child.stdout);
    const writer = new StreamMessageWriter(child.stdin);
    const connection = createMessageConnection(reader, writer);
    const client = new LspTestClient(child, connection, options);
    child.stdout.on('data', (chunk: Buffer) => client.written.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => client.written.push(chunk));

    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => (item.section === 'streamlitSecrets' ? client.settings : null)),
    );
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.diagnostics.set(params.uri, params.diagnostics);
      client.published.push(params);
      client.changed();
    });
    connection.onNotification((method: string, params: unknown) => {
      client.notifications.push({ method, params });
      client.changed();
    });
    // Any other server→client request (e.g. window/workDoneProgress/create) is acknowledged.
    connection.onRequest(() => null);
    connection.listen();

    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: options.folders[0] ? fileUri(options.folders[0]) : null,
      workspaceFolders: options.folders.map((folder) => ({ uri: fileUri(folder), name: path.basename(folder) })),
      capabilities: {
        workspace: { configuration: options.configuration !== false, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] },
            ...(options.completionItemDefaults ? { completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] } } : {}),
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true },
        },
      },
      initializationOptions: options.initializationOptions ?? {},
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Resolves when `predicate` holds, checking after every message from the server. */
  async waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10000, what = 'condition'): Promise<T> {
    const immediate = predicate();
    if (immediate) return immediate;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        const value = predicate();
        if (value) {
          clearTimeout(timer);
          this.listeners.delete(check);
          resolve(value);
        }
      };
      this.listeners.add(check);
    });
  }

  /** Polls an async probe (e.g. a completion request) until it gives a truthy value. */
  async poll<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async open(filePath: string, text: string, languageId = filePath.endsWith('.py') ? 'python' : 'streamlit-secrets'): Promise<string> {
    const uri = fileUri(filePath);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  async change(uri: string, text: string, range?: Range): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: range ? [{ range, text }] : [{ text }],
    });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async filesChanged(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result = (await this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as
      | CompletionList
      | CompletionItem[]
      | null;
    if (result === null) return [];
    return Array.isArray(result) ? result : result.items;
  }

  async request<R>(method: string, params: unknown): Promise<R> {
    return (await this.connection.sendRequest(method, params)) as R;
  }

  /** All bytes the server has written so far, as text. */
  output(): string {
    return Buffer.concat(this.written).toString('utf8');
  }

  async stop(): Promise<void> {
    await stopLanguageServer(this.connection, this.process, 2000);
  }
}

/** `text` with a `|` marking the cursor → the text without it and the cursor's position. */
export function withCursor(marked: string): { text: string; position: Position; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return { text, offset, position: { line: before.length - 1, character: before[before.length - 1]!.length } };
}
