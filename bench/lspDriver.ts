// A minimal LSP client for the benchmark: spawns a server (`node <script> --stdio`), times the
// spawn → initialize round trip, answers `workspace/configuration`, records diagnostics with their
// arrival time, and reads the server's peak memory from /proc.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver-protocol/node';
import {
  ConfigurationRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  type Diagnostic,
  type InitializeResult,
  type Range,
  type ServerCapabilities,
} from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { stopLanguageServer } from '../test/helpers/stopServer';

export interface DriverOptions {
  script: string;
  folder: string;
  home: string;
  /** Extra node flags (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  env?: Record<string, string>;
}

export interface PublishedDiagnostics {
  version: number | undefined;
  diagnostics: Diagnostic[];
  at: number;
}

export function fileUri(filePath: string): string {
  return URI.file(filePath).toString();
}

export class BenchClient {
  capabilities: ServerCapabilities = {};
  /** Milliseconds from spawn to the initialize answer. */
  coldStartMs = 0;
  readonly published = new Map<string, PublishedDiagnostics[]>();
  /** First lines of the errors and warnings the server logged (window/logMessage). */
  readonly logged: string[] = [];
  private readonly versions = new Map<string, number>();
  private readonly waiters = new Set<() => void>();
  private stderr = '';

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: DriverOptions): Promise<BenchClient> {
    const started = performance.now();
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script, '--stdio'], {
      env: { ...process.env, ...options.env, HOME: options.home },
      stdio: 'pipe',
      cwd: options.folder,
    });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new BenchClient(child, connection);
    child.stderr.on('data', (chunk: Buffer) => {
      client.stderr = (client.stderr + chunk.toString('utf8')).slice(-4000);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === 'streamlitSecrets' ? {} : null)));
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = client.published.get(params.uri) ?? [];
      list.push({ version: params.version, diagnostics: params.diagnostics, at: performance.now() });
      client.published.set(params.uri, list);
      for (const wake of [...client.waiters]) wake();
    });
    connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      if (params.type <= 2) client.logged.push(params.message.split('\n')[0]!.slice(0, 200));
    });
    connection.onNotification(() => undefined);
    connection.onRequest(() => null);
    connection.listen();
    const result: InitializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: fileUri(options.folder),
      workspaceFolders: [{ uri: fileUri(options.folder), name: path.basename(options.folder) }],
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          // As vscode-languageclient 9 asks (VS Code): lists may send what items share once.
          completion: {
            completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] },
            completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
          },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
        },
      },
      initializationOptions: {},
    });
    client.coldStartMs = performance.now() - started;
    client.capabilities = result.capabilities;
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(filePath: string, text: string, languageId: string): Promise<string> {
    const uri = fileUri(filePath);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
    return uri;
  }

  /** Sends one incremental edit; returns the new version. */
  async edit(uri: string, range: Range, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    return version;
  }

  version(uri: string): number {
    return this.versions.get(uri) ?? 0;
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Resolves with the first diagnostics published for `uri` at `version` (or later). */
  diagnosticsFor(uri: string, version: number, timeoutMs = 60000): Promise<PublishedDiagnostics> {
    const find = (): PublishedDiagnostics | undefined =>
      (this.published.get(uri) ?? []).find((entry) => entry.version === undefined ? false : entry.version >= version);
    const found = find();
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no diagnostics for version ${version} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (): void => {
        const hit = find();
        if (!hit) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(hit);
      };
      this.waiters.add(check);
    });
  }

  /** Peak resident memory (VmHWM) of the server process, in bytes; undefined off Linux. */
  peakMemoryBytes(): number | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  stderrTail(): string {
    return this.stderr;
  }

  async stop(): Promise<void> {
    await stopLanguageServer(this.connection, this.child, 3000);
  }
}
