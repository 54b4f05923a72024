import { CancellationTokenSource, type CancellationToken, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ServerContext } from '../serverContext';

/** A source of diagnostics for some open documents (Python code, secrets files, config files). */
export interface DiagnosticProvider {
  name: string;
  appliesTo(document: TextDocument): boolean;
  provide(document: TextDocument, context: ServerContext, token: CancellationToken): Promise<Diagnostic[]> | Diagnostic[];
}

/**
 * Computes and publishes the diagnostics of open documents: debounced per document, a newer run
 * cancels an older one, and every provider's answer is combined into one publication per URI.
 * Any change to a secrets or config file re-checks every open document (its chain may include it).
 */
export class DiagnosticsScheduler {
  private readonly providers: DiagnosticProvider[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, CancellationTokenSource>();
  /** Resolves when no run is pending (tests and the benchmark wait on it). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly context: ServerContext,
    private readonly delayMs = 120,
  ) {}

  add(provider: DiagnosticProvider): void {
    this.providers.push(provider);
  }

  schedule(uri: string, delayMs = this.delayMs): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.running.get(uri)?.cancel();
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.run(uri);
      }, delayMs),
    );
  }

  scheduleAll(delayMs = this.delayMs): void {
    for (const document of this.context.documents.all()) this.schedule(document.uri, delayMs);
  }

  clear(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.running.get(uri)?.cancel();
    void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.notifyIfIdle();
  }

  private async run(uri: string): Promise<void> {
    const document = this.context.documents.get(uri);
    if (document === undefined) return this.notifyIfIdle();
    const source = new CancellationTokenSource();
    this.running.set(uri, source);
    const version = document.version;
    const diagnostics: Diagnostic[] = [];
    for (const provider of this.providers) {
      if (!provider.appliesTo(document)) continue;
      const found = await this.context.runSafe<Diagnostic[]>(`diagnostics:${provider.name}`, undefined, [], () =>
        provider.provide(document, this.context, source.token),
      );
      if (source.token.isCancellationRequested) break;
      diagnostics.push(...found);
    }
    if (this.running.get(uri) === source) this.running.delete(uri);
    const current = this.context.documents.get(uri);
    if (!source.token.isCancellationRequested && current?.version === version) {
      await this.context.connection.sendDiagnostics({ uri, version, diagnostics });
    }
    source.dispose();
    this.notifyIfIdle();
  }

  private notifyIfIdle(): void {
    if (this.timers.size > 0 || this.running.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  whenIdle(): Promise<void> {
    if (this.timers.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
