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
  type SecretsSourceSpec,
} from '../service/secretsChain';
import { formatStreamlitVersion } from '../service/streamlitVersion';
import { nearestScripts, runConfigurationsFor } from '../service/runConfigurations';
import { StreamlitAppFinder } from './streamlitApps';
import { StreamlitEnvironment } from './streamlitEnvironment';
import { isDirectory, maxAnalysedFileBytes, pathKind, readFileForAnalysis, readSecretDirectory } from './fileReader';

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
  /**
   * Whether a folder is one the editor opened: only those are searched for launch configurations,
   * virtual environments, lockfiles and `st.App` files (never `/` for a file outside every folder).
   * Defaults to every folder.
   */
  isWorkspaceFolder?: (folder: string) => boolean;
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
}

const maxCachedLocations = 10_000;

/** The cache key of a chain: its locations in a fixed order. */
function chainKey(locations: ChainLocations): string {
  const version = locations.streamlitVersion === undefined ? '' : formatStreamlitVersion(locations.streamlitVersion);
  const extra = JSON.stringify([locations.secretsFilesFromRun, locations.streamlitVersionSource, locations.runConfiguration, locations.programmaticApp]);
  return `${locations.home ?? ''}\0${locations.cwd}\0${locations.entrypointDir ?? ''}\0${locations.globalSecretsFile ?? ''}\0${version}\0${extra}`;
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
  private readonly streamlitDirs = new Map<string, boolean>();
  /** `locationsFor` answers by folder; cleared with `streamlitDirs` (they depend on it). */
  private readonly locationsCache = new Map<string, ChainLocations>();
  /** Which Streamlit each folder runs and how (venv, lockfiles, launch.json). */
  private readonly environment = new StreamlitEnvironment((filePath) => this.watch(filePath));
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
    const cacheKey = [place, folder, settings.cwd, settings.globalSecretsFile, home ?? '', settings.streamlitVersion, settings.launchConfiguration, settings.pythonPrefix].join('\0');
    const known = this.locationsCache.get(cacheKey);
    if (known !== undefined) return { ...known };
    const target = isFolder ? path.join(filePath, '__folder__') : filePath;
    let cwd = path.resolve(folder, settings.cwd || '.');
    let entrypointDir = findEntrypointDir(target, folder, (dir) => this.hasStreamlitDir(dir));
    const locations: ChainLocations = { home, cwd };
    const searchable = workspaceFolder !== undefined && (this.options.isWorkspaceFolder?.(workspaceFolder) ?? true) ? workspaceFolder : undefined;
    if (searchable !== undefined) {
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

  /** The merged secrets for an app chain, recomputed only when one of its files changed. */
  mergedFor(locations: ChainLocations): MergedSecrets {
    const key = chainKey(locations);
    const cached = this.merged.get(key);
    if (cached !== undefined && cached.generation === this.generation) return cached.merged;

    const configs: ConfiguredSecretsFiles[] = configFilePaths(locations).map((configPath) => ({
      configPath,
      files: this.readSecretsFilesSetting(configPath),
    }));
    const chain = resolveSecretsChain(locations, configs);
    const sources = chain.sources.map((spec) => (spec.role === 'programmatic' ? this.loadProgrammatic(spec, locations) : this.loadSource(spec)));
    const merged = mergeSecrets(chain, sources);
    this.merged.set(key, { generation: this.generation, merged });
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
    return this.watched.has(filePath) || path.basename(path.dirname(filePath)) === '.streamlit';
  }

  dispose(): void {
    this.disposed = true;
    for (const stop of this.watched.values()) stop();
    this.watched.clear();
    if (this.changeTimer) clearTimeout(this.changeTimer);
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
    this.watch(configPath);
    const file = this.parseFile(configPath);
    // A config.toml Streamlit cannot parse is ignored as a whole (docs/streamlit-model.md §1).
    if (file?.error !== undefined) return undefined;
    const secrets = file?.parsed?.root?.children?.get('secrets');
    const files = secrets?.kind === 'table' ? secrets.children?.get('files') : undefined;
    return secretsFilesOption(files);
  }

  /** Reads and parses a TOML file once per content version (buffer version or disk stamp). */
  private parseFile(filePath: string): ParsedFile | undefined {
    const open = this.options.openDocument(filePath);
    const cached = this.parsedFiles.get(filePath);
    if (open !== undefined) {
      const stamp = `buffer:${open.version}`;
      if (cached?.stamp === stamp) return cached;
      if (open.text.length > maxAnalysedFileBytes) {
        // Same limit as on disk: a huge buffer would stall every request that merges this chain.
        const file: ParsedFile = { stamp, parsed: undefined, text: undefined, error: tooLargeMessage(open.text.length) };
        this.parsedFiles.set(filePath, file);
        return file;
      }
      const parsed = parseSecretsToml(open.text);
      const file: ParsedFile = { stamp, parsed, text: open.text, error: parsed.streamlitError };
      this.parsedFiles.set(filePath, file);
      return file;
    }
    if (cached !== undefined && cached.stamp.startsWith('disk:')) return cached;
    const read = readFileForAnalysis(filePath);
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
          error: tooLargeMessage(read.size),
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
    const folder = locations.programmaticApp?.folder ?? path.dirname(spec.path);
    const app = this.apps.appsIn(folder).find((found) => found.appFile === spec.path && found.line === spec.line);
    const secrets = app?.call.secrets;
    if (app === undefined || secrets === undefined) return { spec, kind: 'missing' };
    if (secrets.kind === 'dynamic') return { spec, kind: 'programmatic', programmatic: { text: app.text, keys: new Map(), dynamic: true } };
    return { spec, kind: 'programmatic', root: secrets.root, programmatic: { text: app.text, keys: secrets.keys, dynamic: false } };
  }

  private loadSource(spec: SecretsSourceSpec): LoadedSecretsSource {
    this.watch(spec.path);
    const isToml = spec.path.endsWith('.toml');
    if (isToml) {
      const open = this.options.openDocument(spec.path);
      // A stat, not a read: the content comes from the parse cache, read once per version.
      const kind = open === undefined ? pathKind(spec.path) : 'other';
      if (kind === 'missing') return { spec, kind: 'missing' };
      if (kind === 'directory') {
        return { spec, kind: 'invalid', error: 'this path is a folder, not a secrets file: Streamlit fails to open it' };
      }
      const file = this.parseFile(spec.path);
      if (file === undefined) return { spec, kind: 'missing' };
      const source: LoadedSecretsSource = { spec, kind: 'file' };
      if (file.parsed !== undefined) source.parsed = file.parsed;
      if (file.parsed?.root !== undefined) source.root = file.parsed.root;
      if (file.text !== undefined) source.text = file.text;
      if (file.error !== undefined) source.error = file.error;
      if (open !== undefined) source.version = open.version;
      return source;
    }
    if (!isDirectory(spec.path)) {
      return { spec, kind: 'invalid', error: `Invalid secrets path: ${spec.entry ?? spec.path}: path is not a .toml file or a directory` };
    }
    const listing = readSecretDirectory(spec.path, spec.entry ?? spec.path);
    for (const sub of 'subfolders' in listing ? listing.subfolders : []) this.watch(path.join(spec.path, sub.name));
    if ('error' in listing) return { spec, kind: 'directory', error: listing.error };
    const source: LoadedSecretsSource = { spec, kind: 'directory', root: secretDirectoryToNode(listing) };
    if (!secretDirectoryHasFiles(listing)) source.empty = true;
    return source;
  }

  /**
   * Polls a path's metadata (cheap: a stat per interval). Polling rather than fs.watch because the
   * files may not exist yet, may live outside the workspace, and must work for any LSP client.
   */
  private watch(filePath: string): void {
    if (this.disposed || this.watched.has(filePath)) return;
    const listener = (current: fs.Stats, previous: fs.Stats): void => {
      if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino && current.nlink === previous.nlink) return;
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
    };
    const interval = this.options.pollIntervalMs ?? 400;
    fs.watchFile(filePath, { interval, persistent: false }, listener);
    this.watched.set(filePath, () => fs.unwatchFile(filePath, listener));
  }
}
