import * as path from 'node:path';
import type { CancellationToken, Connection, FileEvent } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver';
import { normalizeSettings, SettingsSection, type StreamlitSecretsSettings } from '../../common/settings';
import type { MergedSecrets } from './service/mergeSecrets';
import { PythonSources, uriToPath } from './documents';
import { SecretsWorkspace } from './workspace/secretsWorkspace';
import { runSafe } from './runSafe';
import { DiagnosticsScheduler } from './features/diagnosticsScheduler';

/**
 * What every handler needs: open documents, parsed Python sources, the secrets workspace and the
 * settings pulled per resource. Handlers stay thin: get a document, get the cached model, call a
 * service function.
 */
export class ServerContext {
  readonly pythonSources = new PythonSources();
  readonly workspace: SecretsWorkspace;
  /** Publishes diagnostics of open documents; features add their providers to it. */
  readonly diagnostics: DiagnosticsScheduler;
  private readonly secretsListeners: ((paths: string[]) => void)[] = [];
  private readonly pythonFileListeners: ((changes: FileEvent[]) => void)[] = [];
  workspaceFolders: string[] = [];
  supportsConfiguration = false;
  /** The client applies a completion list's `itemDefaults` (editRange, insertTextFormat, data). */
  supportsCompletionItemDefaults = false;
  /** Git runs only in a trusted workspace; the client tells (when it does not: see StartServerOptions). */
  trusted = true;
  private readonly settingsCache = new Map<string, Promise<StreamlitSecretsSettings>>();
  /** Absolute path → URI of the open document, so the buffer wins over the disk. */
  private readonly openPaths = new Map<string, string>();
  /** `sys.prefix` of the interpreter the Python extension selected, by workspace folder path. */
  private readonly pythonPrefixes = new Map<string, string>();

  constructor(
    readonly connection: Connection,
    readonly documents: TextDocuments<TextDocument>,
  ) {
    this.diagnostics = new DiagnosticsScheduler(this);
    this.workspace = new SecretsWorkspace({
      openDocument: (filePath) => {
        const uri = this.openPaths.get(filePath);
        const document = uri === undefined ? undefined : documents.get(uri);
        return document === undefined ? undefined : { text: document.getText(), version: document.version };
      },
      onFilesChanged: (paths) => this.secretsChanged(paths),
      isWorkspaceFolder: (folder) => this.workspaceFolders.includes(folder),
      runConfigurationsAllowed: () => this.trusted,
    });
  }

  /** Listeners run after any secrets or config file changed (on disk or in an editor buffer). */
  onSecretsChanged(listener: (paths: string[]) => void): void {
    this.secretsListeners.push(listener);
  }

  /** Something that secrets chains read has changed: re-check every open document, tell listeners. */
  secretsChanged(paths: string[]): void {
    this.diagnostics.scheduleAll();
    for (const listener of this.secretsListeners) listener(paths);
  }

  /** Listeners run when `.py` files change on disk (`workspace/didChangeWatchedFiles`). */
  onPythonFilesChanged(listener: (changes: FileEvent[]) => void): void {
    this.pythonFileListeners.push(listener);
  }

  pythonFilesChanged(changes: FileEvent[]): void {
    for (const listener of this.pythonFileListeners) listener(changes);
    // An `st.App(secrets=…)` file changed: the chains of the apps it serves change with it.
    let appsChanged = false;
    for (const change of changes) {
      const filePath = uriToPath(change.uri);
      if (filePath !== undefined && this.workspace.pythonFileChanged(filePath)) appsChanged = true;
    }
    if (appsChanged) this.secretsChanged([]);
  }

  /** Runs a handler so that it can neither crash the server nor leak (see `runSafe`). */
  runSafe<T>(name: string, token: CancellationToken | undefined, fallback: T, work: () => T | Promise<T>): Promise<T> {
    return runSafe({ error: (message) => this.connection.console.error(message) }, name, token, fallback, work);
  }

  trackOpen(uri: string): string | undefined {
    const filePath = uriToPath(uri);
    if (filePath !== undefined) this.openPaths.set(filePath, uri);
    return filePath;
  }

  trackClose(uri: string): string | undefined {
    const filePath = uriToPath(uri);
    if (filePath !== undefined && this.openPaths.get(filePath) === uri) this.openPaths.delete(filePath);
    return filePath;
  }

  openUris(): string[] {
    return [...this.openPaths.values()];
  }

  /** The client tells which interpreter a folder uses: its Streamlit may be another version. */
  setPythonPrefix(folder: string, prefix: string | undefined): void {
    if (prefix === undefined) this.pythonPrefixes.delete(folder);
    else this.pythonPrefixes.set(folder, prefix);
    this.workspace.invalidate();
    this.secretsChanged([]);
  }

  /** The workspace folder holding a path (the innermost one in a multi-root workspace). */
  workspaceFolderOf(filePath: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.workspaceFolders) {
      const relative = path.relative(folder, filePath);
      if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
      if (best === undefined || folder.length > best.length) best = folder;
    }
    return best;
  }

  async settingsFor(uri: string): Promise<StreamlitSecretsSettings> {
    if (!this.supportsConfiguration) return normalizeSettings(undefined);
    const filePath = uriToPath(uri);
    const folder = filePath === undefined ? undefined : this.workspaceFolderOf(filePath);
    const cacheKey = folder ?? uri;
    let pending = this.settingsCache.get(cacheKey);
    if (pending === undefined) {
      pending = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: SettingsSection })
        .then(normalizeSettings, () => normalizeSettings(undefined));
      this.settingsCache.set(cacheKey, pending);
    }
    return pending;
  }

  clearSettings(): void {
    this.settingsCache.clear();
  }

  /**
   * The merged secrets that apply to a file or folder: a Python file gets its app's chain; a
   * file inside a `.streamlit/` folder or a folder gets the chain of the app that folder holds.
   */
  async mergedFor(uri: string): Promise<MergedSecrets | undefined> {
    const filePath = uriToPath(uri);
    if (filePath === undefined) return undefined;
    const settings = await this.settingsFor(uri);
    const folder = this.workspaceFolderOf(filePath);
    const isPython = this.documents.get(uri) !== undefined || /\.pyi?$/.test(filePath);
    const pythonPrefix = folder === undefined ? undefined : this.pythonPrefixes.get(folder);
    const chainSettings = {
      cwd: settings.cwd,
      globalSecretsFile: settings.globalSecretsFile,
      streamlitVersion: settings.streamlitVersion,
      launchConfiguration: settings.launchConfiguration,
      ...(pythonPrefix !== undefined ? { pythonPrefix } : {}),
    };
    const firstFolder = this.workspaceFolders[0];
    const locations = this.workspace.chainLocationsOf(filePath, folder, chainSettings, { isPython, ...(firstFolder !== undefined ? { firstFolder } : {}) });
    return this.workspace.mergedFor(locations);
  }
}
