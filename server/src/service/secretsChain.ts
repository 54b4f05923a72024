import * as path from 'node:path';
import type { SecretNode } from '../toml/types';
import type { StreamlitRunConfiguration } from './runConfigurations';
import { supports, type StreamlitVersion } from './streamlitVersion';
import type { StreamlitVersionSourceKind } from './streamlitVersionPins';

/**
 * Which default location a secrets source comes from, or `configured` for a `[secrets] files`
 * entry; secrets given in code: `programmatic` (`st.App(secrets=…)`) and `runtime`
 * (`st.secrets.merge_programmatic_secrets(…)`).
 */
export type SourceRole = 'global' | 'project' | 'entrypoint' | 'configured' | 'programmatic' | 'runtime';

export interface SecretsSourceSpec {
  /** Absolute path of a `.toml` file or a Kubernetes-style secret directory. */
  path: string;
  role: SourceRole;
  /** The config.toml whose `[secrets] files` named this source (role `configured`). */
  configPath?: string;
  /** A configured entry as written: Streamlit's messages name it so, unresolved. */
  entry?: string;
  /** Roles `programmatic` and `runtime`: the 1-based line of the call in the file `path`. */
  line?: number;
}

export interface ConfiguredSecretsFiles {
  /** Absolute path of the config.toml. */
  configPath: string;
  /** Its `[secrets] files` list when it sets one (strings only), else undefined. */
  files: string[] | undefined;
}

export interface ChainLocations {
  /** The home folder (`Path.home()`), or undefined when there is none. */
  home: string | undefined;
  /** A user setting naming the global secrets file instead of `~/.streamlit/secrets.toml`. */
  globalSecretsFile?: string;
  /** Where `streamlit run` is assumed to start (`$CWD`). */
  cwd: string;
  /** Folder of the entrypoint script's `.streamlit/` (Streamlit 1.46+), when it differs from cwd. */
  entrypointDir?: string;
  /** The Streamlit version the user runs, when known (undefined: the newest rules apply). */
  streamlitVersion?: StreamlitVersion;
  /**
   * `secrets.files` set by how the app is run (`--secrets.files` flags or `STREAMLIT_SECRETS_FILES`
   * in a launch configuration): it beats every config.toml (docs/streamlit-model.md §1).
   */
  secretsFilesFromRun?: { files: string[]; origin: string };
  /** Where the modelled version came from (for the view and the report). */
  streamlitVersionSource?: { source: StreamlitVersionSourceKind; path?: string };
  /** The launch configuration that decided `cwd` and the entrypoint, and others for the same app. */
  runConfiguration?: { used: StreamlitRunConfiguration; others: StreamlitRunConfiguration[] };
  /** The `st.App(…, secrets=…)` call serving this app (1.57+), the last source of the chain (§8). */
  programmaticApp?: { appFile: string; line: number; folder: string };
  /**
   * `st.secrets.merge_programmatic_secrets(…)` calls in the app's workspace folder (1.57+, §8):
   * merged over everything else when they run, in file order.
   */
  secretsMerges?: { folder: string; calls: { file: string; line: number }[] };
}

export interface SecretsChain extends ChainLocations {
  /** The sources Streamlit reads, first to last (later wins). */
  sources: SecretsSourceSpec[];
  /** The config.toml that decided the list when a user list replaced the default one. */
  filesFromConfig?: string;
  /** The run configuration that decided the list (it beats every config.toml). */
  filesFromRun?: string;
}

function streamlitDir(folder: string): string {
  return path.join(folder, '.streamlit');
}

function sameEntrypoint(locations: ChainLocations): string | undefined {
  const { entrypointDir, cwd } = locations;
  // Before 1.46 Streamlit reads nothing from the entrypoint folder (§7).
  if (entrypointDir === undefined || !supports(locations.streamlitVersion, 'entrypointSecretsFile')) return undefined;
  return path.resolve(entrypointDir) === path.resolve(cwd) ? undefined : entrypointDir;
}

/** The config.toml files Streamlit reads, first to last (later wins): global, `$CWD`, entrypoint. */
export function configFilePaths(locations: ChainLocations): string[] {
  const paths: string[] = [];
  if (locations.home !== undefined) paths.push(path.join(streamlitDir(locations.home), 'config.toml'));
  paths.push(path.join(streamlitDir(locations.cwd), 'config.toml'));
  const entrypoint = sameEntrypoint(locations);
  if (entrypoint !== undefined) paths.push(path.join(streamlitDir(entrypoint), 'config.toml'));
  return paths;
}

/**
 * The secrets sources Streamlit reads for an app, in order. A `[secrets] files` list in the last
 * config.toml that sets one replaces the default list; its relative entries resolve against `$CWD`
 * and `~` is not expanded (Streamlit does not expand it either).
 */
export function resolveSecretsChain(locations: ChainLocations, configs: readonly ConfiguredSecretsFiles[]): SecretsChain {
  const version = locations.streamlitVersion;
  const fromRun = supports(version, 'secretsFilesOption') ? locations.secretsFilesFromRun : undefined;
  if (fromRun !== undefined) {
    return withProgrammatic({
      ...locations,
      filesFromRun: fromRun.origin,
      sources: fromRun.files.map((entry) => ({ path: path.resolve(locations.cwd, entry), role: 'configured' as const, entry })),
    });
  }
  let configured: ConfiguredSecretsFiles | undefined;
  // `[secrets] files` exists from 1.38 (§7); an older Streamlit ignores it.
  if (supports(version, 'secretsFilesOption')) {
    for (const config of configs) {
      if (config.files !== undefined) configured = config;
    }
  }
  if (configured?.files !== undefined) {
    const configPath = configured.configPath;
    return withProgrammatic({
      ...locations,
      filesFromConfig: configPath,
      sources: configured.files.map((entry) => ({
        path: path.resolve(locations.cwd, entry),
        role: 'configured' as const,
        configPath,
        entry,
      })),
    });
  }
  const sources: SecretsSourceSpec[] = [];
  if (!supports(version, 'globalSecretsFile')) {
    // Before 1.21 only `$CWD/.streamlit/secrets.toml` is read (§1).
  } else if (locations.globalSecretsFile) {
    // Our own setting, unlike Streamlit's `secrets.files`, expands a leading `~`.
    const setting = locations.globalSecretsFile;
    const expanded = /^~(?=$|[\\/])/.test(setting) && locations.home !== undefined ? path.join(locations.home, setting.slice(1)) : setting;
    sources.push({ path: path.resolve(locations.cwd, expanded), role: 'global' });
  } else if (locations.home !== undefined) {
    sources.push({ path: path.join(streamlitDir(locations.home), 'secrets.toml'), role: 'global' });
  }
  sources.push({ path: path.join(streamlitDir(locations.cwd), 'secrets.toml'), role: 'project' });
  const entrypoint = sameEntrypoint(locations);
  if (entrypoint !== undefined) sources.push({ path: path.join(streamlitDir(entrypoint), 'secrets.toml'), role: 'entrypoint' });
  return withProgrammatic({ ...locations, sources });
}

/** `st.App(secrets=…)`, then merge calls, are merged over every file (1.57+, docs/streamlit-model.md §8). */
function withProgrammatic(chain: SecretsChain): SecretsChain {
  if (!supports(chain.streamlitVersion, 'programmaticSecrets')) return chain;
  const app = chain.programmaticApp;
  const merges = chain.secretsMerges?.calls ?? [];
  if (app === undefined && merges.length === 0) return chain;
  const given: SecretsSourceSpec[] = [
    ...(app === undefined ? [] : [{ path: app.appFile, role: 'programmatic' as const, line: app.line }]),
    ...merges.map((call) => ({ path: call.file, role: 'runtime' as const, line: call.line })),
  ];
  return { ...chain, sources: [...chain.sources, ...given] };
}

/**
 * The entrypoint folder for a Python file: the nearest folder, walking up from the file's folder
 * to the workspace folder (both included), that holds a `.streamlit/` folder. Pages in `pages/`
 * thereby belong to the app above them. `hasStreamlitDir` is the only outside knowledge needed.
 */
export function findEntrypointDir(
  filePath: string,
  workspaceFolder: string,
  hasStreamlitDir: (folder: string) => boolean,
): string | undefined {
  const root = path.resolve(workspaceFolder);
  let folder = path.dirname(path.resolve(filePath));
  const relative = path.relative(root, folder);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  for (;;) {
    if (hasStreamlitDir(folder)) return folder;
    if (folder === root) return undefined;
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/**
 * The list Streamlit iterates for a `[secrets] files` value: a list's string entries, or — for a
 * string — its characters, one path each (Streamlit iterates whatever it is given, §1). Anything
 * else is left to Streamlit's own error, not modelled: undefined (the default list).
 */
export function secretsFilesOption(value: SecretNode | undefined): string[] | undefined {
  if (value?.kind === 'string' && typeof value.value === 'string') return Array.from(value.value);
  if (value?.kind !== 'array') return undefined;
  return (value.items ?? []).flatMap((item) => (item.kind === 'string' && typeof item.value === 'string' ? [item.value] : []));
}
