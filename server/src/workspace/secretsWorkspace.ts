import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeSecretsFile } from '../toml/decodeSecretsFile';
import { parseSecretsToml } from '../toml/parseSecretsToml';
import type { ParsedSecretsToml } from '../toml/types';
import { mergeSecrets, type LoadedSecretsSource, type MergedSecrets } from '../service/mergeSecrets';
import { secretDirectoryHasFiles, secretDirectoryToNode } from '../service/secretDirectory';
import {
  configFilePaths,
  findEntrypointDir,
  resolveSecretsChain,
  secretsFilesOption,
  type ChainLocations,
  type ConfiguredSecretsFiles,
  type SecretsChain,
  type SecretsSourceSpec,
} from '../service/secretsChain';
import { formatStreamlitVersion } from '../service/streamlitVersion';
import { nearestScripts, runConfigurationsFor } from '../service/runConfigurations';
import { StreamlitAppFinder } from './streamlitApps';
import { StreamlitEnvironment } from './streamlitEnvironment';
import { isDirectory, pathKind, readFileForAnalysis, readSecretDirectory, statStamp } from './fileReader';
import { formatBytes, maxAnalysedFileBytes, maxChainBytes, maxConfiguredSources, maxWatchedPaths, ReadBudget } from '../service/readBudget';

export function tooLargeMessage(size: number): string {
  return `the file is too large to check (${(size / 1024 / 1024).toFixed(1)} MB); its keys are not shown`;
}

/** The text of a file open in the editor: its buffer wins over the disk. */
export interface OpenDocumentText {
  text: string;
  version: number;
}

export interface SecretsWorkspaceOptions {
  /** The editor buffer of an open file, by absolute path. */
  openDocument(filePath: string): OpenDocumentText | undefined;
  /** Called (not more than once per batch) when files of some chain changed on disk. */
  onFilesChanged(paths: string[]): void;
  /** The home folder; defaults to `os.homedir()` (Python's `Path.home()` also reads `$HOME` first). */
  home?: () => string | undefined;
  /** Polling interval for files watched on disk, in ms. */
  pollIntervalMs?: number;
  /** Watch the files of every chain read (the server); a one-shot check (the CLI) does not. */
  watch?: boolean;
  /**
   * Whether a folder is one the editor opened: only those are searched for launch configurations,
   * virtual environments, lockfiles and `st.App` files (never `/` for a file outside every folder).
   * Defaults to every folder.
   */
  isWorkspaceFolder?: (folder: string) => boolean;
  /**
   * Whether `.vscode/launch.json` may decide `$CWD` and `secrets.files`: only in a trusted workspace,
   * since an untrusted repository could otherwise point the chain anywhere, as the restricted
   * settings `cwd` and `globalSecretsFile` could. Defaults to yes.
   */
  runConfigurationsAllowed?: () => boolean;
}

export interface ChainSettings {
  cwd: string;
  globalSecretsFile: string;
  /** `streamlitSecrets.streamlitVersion`: overrides every detected version. */
  streamlitVersion?: string;
  /** `streamlitSecrets.launchConfiguration`: the launch configuration to model when several run one app. */
  launchConfiguration?: string;
  /** `sys.prefix` of the interpreter the Python extension selected, when the client knows it. */
  pythonPrefix?: string;
}

interface ParsedFile {
  stamp: string;
  parsed: ParsedSecretsToml | undefined;
  text: string | undefined;
  error: string | undefined;
  /** Not read (too large): Streamlit reads it, we do not know its keys. */
  incomplete?: string;
}

const budgetMessage = `not read: the app's secrets sources together are larger than ${formatBytes(maxChainBytes)}`;

const maxCachedLocations = 10_000;

/** The cache key of a chain: its locations in a fixed order. */
function chainKey(locations: ChainLocations): string {
  const version = locations.streamlitVersion === undefined ? '' : formatStreamlitVersion(locations.streamlitVersion);
  const extra = JSON.stringify([locations.secretsFilesFromRun, locations.streamlitVersionSource, locations.runConfiguration, locations.programmaticApp, locations.secretsMerges]);
  return `${locations.home ?? ''}\0${locations.cwd}\0${locations.entrypointDir ?? ''}\0${locations.globalSecretsFile ?? ''}\0${version}\0${extra}`;
}

function currentStamp(filePath: string): string | undefined {
  try {
    return statStamp(fs.statSync(filePath));
  } catch {
    return undefined;
  }
}

function defaultHome(): string | undefined {
  const fromEnv = process.env.HOME;
  if (fromEnv) return fromEnv;
  try {
    return os.homedir() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * All secrets sources of a workspace, read through one cache: parses each file once per content
 * version, merges per app chain, and watches every file of every chain it has read (including
 * the global file outside the workspace) so that changes are picked up without a reload.
 */
export class SecretsWorkspace {
  private readonly parsedFiles = new Map<string, ParsedFile>();
  private readonly merged = new Map<string, { generation: number; merged: MergedSecrets }>();
  private readonly watched = new Map<string, () => void>();
  /** Every path each chain read at its last merge (configs first): what is worth watching. */
  private readonly chainPaths = new Map<string, string[]>();
  private allChainPaths = new Set<string>();
  private readonly streamlitDirs = new Map<string, boolean>();
  /** `locationsFor` answers by folder; cleared with `streamlitDirs` (they depend on it). */
  private readonly locationsCache = new Map<string, ChainLocations>();
  /** Files the environment consulted (launch.json, venvs, lockfiles): always watched. */
  private readonly environmentPaths = new Set<string>();
  /** Which Streamlit each folder runs and how (venv, lockfiles, launch.json). */
  private readonly environment = new StreamlitEnvironment((filePath) => {
    this.environmentPaths.add(filePath);
    this.watch(filePath);
  });
  /** `st.App(…)` calls of the workspace's Python files. */
  private readonly apps = new StreamlitAppFinder((filePath) => this.options.openDocument(filePath)?.text);
  private generation = 0;
  private pendingChanges = new Set<string>();
  private changeTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly options: SecretsWorkspaceOptions) {}

  home(): string | undefined {
    return (this.options.home ?? defaultHome)();
  }

  /** The chain locations for a file (Python file, secrets file or folder) in a workspace folder. */
  locationsFor(filePath: string, workspaceFolder: string | undefined, settings: ChainSettings, isFolder = false): ChainLocations {
    const folder = workspaceFolder ?? (isFolder ? filePath : path.dirname(filePath));
    // Everything below depends on the file's folder only: files of one folder share one answer
    // (find-references asks for every indexed file; every request asks for its document).
    const home = this.home();
    const directory = isFolder ? filePath : path.dirname(filePath);
    // A launch configuration is chosen per script, so a Python file is its own key.
    const place = isFolder ? directory : filePath;
    const runsAllowed = this.options.runConfigurationsAllowed?.() ?? true;
    const cacheKey = [place, folder, settings.cwd, settings.globalSecretsFile, home ?? '', settings.streamlitVersion, settings.launchConfiguration, settings.pythonPrefix, runsAllowed].join('\0');
    const known = this.locationsCache.get(cacheKey);
    if (known !== undefined) return { ...known };
    const target = isFolder ? path.join(filePath, '__folder__') : filePath;
    let cwd = path.resolve(folder, settings.cwd || '.');
    let entrypointDir = findEntrypointDir(target, folder, (dir) => this.hasStreamlitDir(dir));
    const locations: ChainLocations = { home, cwd };
    const searchable = workspaceFolder !== undefined && (this.options.isWorkspaceFolder?.(workspaceFolder) ?? true) ? workspaceFolder : undefined;
    if (searchable !== undefined && runsAllowed) {
      // How the app is run (docs/streamlit-model.md §1): the named configuration, else the first.
      const runs = runConfigurationsFor(target, this.environment.runConfigurations(searchable, home).configurations);
      const used = runs.find((run) => run.name === settings.launchConfiguration) ?? runs[0];
      if (used !== undefined) {
        locations.runConfiguration = { used, others: runs.filter((run) => run !== used) };
        // An explicit `streamlitSecrets.cwd` setting still wins over the configuration.
        if (!settings.cwd) cwd = used.cwd;
        entrypointDir = path.dirname(used.script);
        if (used.secretsFiles !== undefined) locations.secretsFilesFromRun = { files: used.secretsFiles, origin: `"${used.name}" (${used.secretsFilesFrom})` };
      }
    }
    locations.cwd = cwd;
    if (searchable !== undefined) {
      // The `st.App(…)` serving this app, when one names its script (§8).
      const app = nearestScripts(target, this.apps.appsIn(searchable))[0];
      if (app !== undefined) locations.programmaticApp = { appFile: app.appFile, line: app.line, folder: searchable };
      // Merge calls: which app imports the file is beyond static reach, so every app of the folder.
      const merges = this.apps.mergesIn(searchable);
      if (merges.length > 0) locations.secretsMerges = { folder: searchable, calls: merges.map((merge) => ({ file: merge.appFile, line: merge.line })) };
    }
    const fromSetting = settings.streamlitVersion ?? '';
    const detected =
      searchable !== undefined ? this.environment.versionFor(searchable, fromSetting, settings.pythonPrefix) : StreamlitEnvironment.versionFromSetting(fromSetting);
    if (detected !== undefined) {
      locations.streamlitVersion = detected.version;
      locations.streamlitVersionSource = detected.path === undefined ? { source: detected.source } : { source: detected.source, path: detected.path };
    }
    if (settings.globalSecretsFile) locations.globalSecretsFile = settings.globalSecretsFile;
    if (entrypointDir !== undefined && path.resolve(entrypointDir) !== cwd) locations.entrypointDir = entrypointDir;
    if (this.locationsCache.size >= maxCachedLocations) this.locationsCache.clear();
    this.locationsCache.set(cacheKey, locations);
    return { ...locations };
  }

  /**
   * The chain locations of any file: a Python file gets its app's chain; a file inside a
   * `.streamlit/` folder or a folder gets the chain of the app that folder holds; the global file
   * (outside every workspace folder) takes part in every app's chain and is shown in `firstFolder`'s.
   */
  chainLocationsOf(filePath: string, folder: string | undefined, settings: ChainSettings, options: { isPython: boolean; firstFolder?: string }): ChainLocations {
    const home = this.home();
    const isGlobalFile = home !== undefined && filePath === path.join(home, '.streamlit', 'secrets.toml');
    if (isGlobalFile && folder === undefined && options.firstFolder !== undefined) {
      return this.locationsFor(options.firstFolder, options.firstFolder, settings, true);
    }
    if (path.basename(path.dirname(filePath)) === '.streamlit') return this.locationsFor(path.dirname(path.dirname(filePath)), folder, settings, true);
    if (options.isPython) return this.locationsFor(filePath, folder, settings);
    return this.locationsFor(filePath, folder ?? filePath, settings, true);
  }

  /**
   * The merge of a chain whose every source is read as a TOML file whatever its name: the CLI's
   * `--example` puts `secrets.toml.example` files in place of the real ones. Nothing is watched.
   */
  mergedFromTomlFiles(chain: SecretsChain): MergedSecrets {
    const budget = new ReadBudget(maxChainBytes);
    return mergeSecrets(chain, chain.sources.map((spec) => this.loadTomlSource(spec, budget, [])));
  }

  /** The merged secrets for an app chain, recomputed only when one of its files changed. */
  mergedFor(locations: ChainLocations): MergedSecrets {
    const key = chainKey(locations);
    const cached = this.merged.get(key);
    if (cached !== undefined && cached.generation === this.generation) return cached.merged;

    const read: string[] = [];
    let listed = 0;
    const configs: ConfiguredSecretsFiles[] = configFilePaths(locations).map((configPath) => {
      read.push(configPath);
      const files = this.readSecretsFilesSetting(configPath);
      if (files !== undefined) listed = files.length;
      return { configPath, files: files?.slice(0, maxConfiguredSources) };
    });
    const chain = resolveSecretsChain(locations, configs);
    const budget = new ReadBudget(maxChainBytes);
    const sources = chain.sources.map((spec) => (spec.role === 'programmatic' || spec.role === 'runtime' ? this.loadProgrammatic(spec, locations) : this.loadSource(spec, budget, read)));
    const merged = mergeSecrets(chain, sources);
    if (chain.filesFromConfig !== undefined && listed > maxConfiguredSources) {
      // Sources we never looked at may define any key, and may exist.
      merged.incomplete ??= { message: `only the first ${maxConfiguredSources} of the ${listed.toLocaleString('en-US')} entries of [secrets] files were read` };
      merged.noSecretsFound = false;
    }
    this.merged.set(key, { generation: this.generation, merged });
    this.chainPaths.set(key, read);
    this.updateWatchers();
    return merged;
  }

  /** Every path (sources and config files) of chains merged so far: what is watched. */
  watchedPaths(): string[] {
    return [...this.watched.keys()];
  }

  /** Forget what is known of a path (a file changed, was opened or closed in the editor). */
  invalidate(filePath?: string): void {
    this.generation++;
    this.locationsCache.clear();
    if (filePath === undefined) {
      this.parsedFiles.clear();
      this.streamlitDirs.clear();
      // Settings or folders changed: chains are decided anew; their next merges say what to watch.
      this.chainPaths.clear();
      this.environment.invalidate();
      this.apps.invalidate();
      return;
    }
    if (this.environment.owns(filePath)) this.environment.invalidate();
    this.parsedFiles.delete(filePath);
    // A `.streamlit` folder appearing or vanishing changes which app a Python file belongs to.
    this.streamlitDirs.clear();
  }

  /** Is the path one that some chain reads (a source or a config file)? */
  isChainFile(filePath: string): boolean {
    return this.allChainPaths.has(filePath) || path.basename(path.dirname(filePath)) === '.streamlit';
  }

  dispose(): void {
    this.disposed = true;
    for (const stop of this.watched.values()) stop();
    this.watched.clear();
    if (this.changeTimer) clearTimeout(this.changeTimer);
  }

  /**
   * Watches what the chains read now, at most `maxWatchedPaths` (configs and the first sources of
   * each chain come first), and stops watching paths no chain reads any more. Paths past the cap
   * are still re-read after any other change or a client file event (`.streamlit/**`).
   */
  private updateWatchers(): void {
    const wanted = new Set<string>(this.environmentPaths);
    for (const paths of this.chainPaths.values()) for (const filePath of paths) wanted.add(filePath);
    this.allChainPaths = wanted;
    for (const [filePath, stop] of this.watched) {
      if (wanted.has(filePath)) continue;
      stop();
      this.watched.delete(filePath);
    }
    for (const filePath of wanted) {
      if (this.watched.size >= maxWatchedPaths) break;
      this.watch(filePath);
    }
  }

  private hasStreamlitDir(folder: string): boolean {
    let known = this.streamlitDirs.get(folder);
    if (known === undefined) {
      known = isDirectory(path.join(folder, '.streamlit'));
      this.streamlitDirs.set(folder, known);
    }
    return known;
  }

  private readSecretsFilesSetting(configPath: string): string[] | undefined {
    const file = this.parseFile(configPath);
    // A config.toml Streamlit cannot parse is ignored as a whole (docs/streamlit-model.md §1).
    if (file?.error !== undefined) return undefined;
    const secrets = file?.parsed?.root?.children?.get('secrets');
    const files = secrets?.kind === 'table' ? secrets.children?.get('files') : undefined;
    return secretsFilesOption(files);
  }

  /**
   * Reads and parses a TOML file once per content version (buffer version or disk stamp). With a
   * budget, the file's size is taken from it first; a file that does not fit is not read
   * (`budgetMessage`, never cached: another chain may have room for it).
   */
  private parseFile(filePath: string, budget?: ReadBudget): ParsedFile | undefined {
    const file = this.parseFileUncounted(filePath, budget);
    if (budget === undefined || file?.text === undefined || budget.takeBytes(file.text.length)) return file;
    return { stamp: 'budget', parsed: undefined, text: undefined, error: undefined, incomplete: budgetMessage };
  }

  private parseFileUncounted(filePath: string, budget: ReadBudget | undefined): ParsedFile | undefined {
    const open = this.options.openDocument(filePath);
    const cached = this.parsedFiles.get(filePath);
    if (open !== undefined) {
      const stamp = `buffer:${open.version}`;
      if (cached?.stamp === stamp) return cached;
      if (open.text.length > maxAnalysedFileBytes) {
        // Same limit as on disk: a huge buffer would stall every request that merges this chain.
        const file: ParsedFile = { stamp, parsed: undefined, text: undefined, error: undefined, incomplete: tooLargeMessage(open.text.length) };
        this.parsedFiles.set(filePath, file);
        return file;
      }
      const parsed = parseSecretsToml(open.text);
      const file: ParsedFile = { stamp, parsed, text: open.text, error: parsed.streamlitError };
      this.parsedFiles.set(filePath, file);
      return file;
    }
    // A polled path's cache is dropped when it changes; any other (past the polling budget, or no
    // longer in a chain) is checked with a stat before its cached parse is trusted.
    if (cached !== undefined && cached.stamp.startsWith('disk:') && (this.watched.has(filePath) || cached.stamp === `disk:${currentStamp(filePath)}`)) return cached;
    const room = budget === undefined ? maxAnalysedFileBytes : Math.min(maxAnalysedFileBytes, budget.remainingBytes);
    const read = readFileForAnalysis(filePath, room);
    if (read.type === 'too-large' && read.size <= maxAnalysedFileBytes) {
      return { stamp: 'budget', parsed: undefined, text: undefined, error: undefined, incomplete: budgetMessage };
    }
    let file: ParsedFile | undefined;
    switch (read.type) {
      case 'missing':
      case 'directory':
        file = undefined;
        break;
      case 'unreadable':
        file = { stamp: 'disk:unreadable', parsed: undefined, text: undefined, error: `cannot read the file: ${read.reason}` };
        break;
      case 'too-large':
        file = {
          stamp: `disk:${read.stamp}`,
          parsed: undefined,
          text: undefined,
          error: undefined,
          incomplete: tooLargeMessage(read.size),
        };
        break;
      case 'file': {
        const decoded = decodeSecretsFile(read.bytes);
        if ('binary' in decoded) {
          file = { stamp: `disk:${read.stamp}`, parsed: undefined, text: undefined, error: decoded.problem.message };
        } else {
          const parsed = parseSecretsToml(decoded.text);
          const decodeError = decoded.problems.find((problem) => problem.severity === 'error');
          file = { stamp: `disk:${read.stamp}`, parsed, text: decoded.text, error: decodeError?.message ?? parsed.streamlitError };
        }
        break;
      }
    }
    if (file === undefined) this.parsedFiles.delete(filePath);
    else this.parsedFiles.set(filePath, file);
    return file;
  }

  /** A Python file changed on disk or in the editor: true when some chain's `st.App` secrets may differ. */
  pythonFileChanged(filePath: string, text?: string): boolean {
    if (!this.apps.fileChanged(filePath, text)) return false;
    this.generation++;
    this.locationsCache.clear();
    return true;
  }

  private loadProgrammatic(spec: SecretsSourceSpec, locations: ChainLocations): LoadedSecretsSource {
    const folder = (spec.role === 'runtime' ? locations.secretsMerges?.folder : locations.programmaticApp?.folder) ?? path.dirname(spec.path);
    const kind = spec.role === 'runtime' ? 'merge' : 'app';
    const app = this.apps.callsIn(folder).find((found) => found.kind === kind && found.appFile === spec.path && found.line === spec.line);
    const secrets = app?.call.secrets;
    if (app === undefined || secrets === undefined) return { spec, kind: 'missing' };
    if (secrets.kind === 'dynamic') {
      return { spec, kind: 'programmatic', programmatic: { text: app.text, keys: new Map(), dynamic: true, ...(secrets.topKeys !== undefined ? { topKeys: secrets.topKeys } : {}) } };
    }
    return { spec, kind: 'programmatic', root: secrets.root, programmatic: { text: app.text, keys: secrets.keys, dynamic: false } };
  }

  private loadSource(spec: SecretsSourceSpec, budget: ReadBudget, read: string[]): LoadedSecretsSource {
    if (spec.path.endsWith('.toml')) return this.loadTomlSource(spec, budget, read);
    read.push(spec.path);
    if (!isDirectory(spec.path)) {
      return { spec, kind: 'invalid', error: `Invalid secrets path: ${spec.entry ?? spec.path}: path is not a .toml file or a directory` };
    }
    const listing = readSecretDirectory(spec.path, budget, spec.entry ?? spec.path);
    if ('error' in listing) return { spec, kind: 'directory', error: listing.error };
    for (const sub of listing.subfolders) read.push(path.join(spec.path, sub.name));
    const source: LoadedSecretsSource = { spec, kind: 'directory', root: secretDirectoryToNode(listing) };
    if (listing.incomplete !== undefined) source.incomplete = `not fully read: ${listing.incomplete}`;
    if (!secretDirectoryHasFiles(listing)) source.empty = true;
    return source;
  }
  private loadTomlSource(spec: SecretsSourceSpec, budget: ReadBudget, read: string[]): LoadedSecretsSource {
    read.push(spec.path);
    const open = this.options.openDocument(spec.path);
    // A stat, not a read: the content comes from the parse cache, read once per version.
    const kind = open === undefined ? pathKind(spec.path) : 'other';
    if (kind === 'missing') return { spec, kind: 'missing' };
    if (kind === 'directory') {
      return { spec, kind: 'invalid', error: 'this path is a folder, not a secrets file: Streamlit fails to open it' };
    }
    const file = this.parseFile(spec.path, budget);
    if (file === undefined) return { spec, kind: 'missing' };
    const source: LoadedSecretsSource = { spec, kind: 'file' };
    if (file.incomplete !== undefined) source.incomplete = file.incomplete;
    if (file.parsed !== undefined) source.parsed = file.parsed;
    if (file.parsed?.root !== undefined) source.root = file.parsed.root;
    if (file.text !== undefined) source.text = file.text;
    if (file.error !== undefined) source.error = file.error;
    if (open !== undefined) source.version = open.version;
    return source;
  }


  /**
   * Polls a path's metadata (cheap: a stat per interval). Polling rather than fs.watch because the
   * files may not exist yet, may live outside the workspace, and must work for any LSP client. The
   * first state is taken now, synchronously, right after the chain read the path: fs.watchFile would
   * take it on its own first poll, later, and miss a change made in between (a new secret folder
   * created just after the first merge went unnoticed on a loaded machine).
   */
  private watch(filePath: string): void {
    if (this.options.watch === false || this.disposed || this.watched.has(filePath)) return;
    let last = statSignature(() => fs.statSync(filePath));
    let polling = false;
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      fs.stat(filePath, (error, stats) => {
        polling = false;
        const now = error ? `missing:${error.code ?? ''}` : statSignature(() => stats);
        if (now === last || !this.watched.has(filePath)) return;
        last = now;
        this.fileChanged(filePath);
      });
    }, this.options.pollIntervalMs ?? 400);
    timer.unref();
    this.watched.set(filePath, () => clearInterval(timer));
  }

  private fileChanged(filePath: string): void {
    this.invalidate(filePath);
    this.pendingChanges.add(filePath);
    if (this.changeTimer === undefined) {
      this.changeTimer = setTimeout(() => {
        this.changeTimer = undefined;
        const paths = [...this.pendingChanges];
        this.pendingChanges.clear();
        this.options.onFilesChanged(paths);
      }, 20);
    }
  }
}

/** What a poll compares (fileReader's stamp): a file replaced, rewritten, resized, linked or removed changes it. */
function statSignature(stat: () => fs.Stats): string {
  try {
    return statStamp(stat());
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}
