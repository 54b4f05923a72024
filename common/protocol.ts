/**
 * Custom requests and notifications between the client and the language server.
 * Other tools and tests depend on these names and shapes: change them only compatibly.
 */

/**
 * `streamlitSecrets/mergedSecrets` — sent by the client (the "which file won" view, the report
 * command) and by tests. `uri` is any document or folder URI in the workspace: a Python file gets
 * the chain of its app (entrypoint), a folder or secrets file the chain of its workspace folder.
 */
export const MergedSecretsRequestMethod = 'streamlitSecrets/mergedSecrets';

export interface MergedSecretsParams {
  uri: string;
}

export interface MergedSecretsFile {
  /** Absolute file-system path of a secrets file or secret directory, in the order Streamlit reads them. */
  path: string;
  exists: boolean;
  /** Why Streamlit cannot load it (never contains a secret value). */
  error?: string;
  /** Why we did not read all of it (a size or count budget; Streamlit still reads it): its keys are not all known. */
  note?: string;
}

export interface MergedSecretsEntry {
  /** Top-level key. */
  key: string;
  /** Path of the file whose value Streamlit uses. */
  winner: string;
  /** Paths of earlier files that define the key too and are hidden by the winner. */
  shadowed: string[];
  /** Dotted paths that a shadowed file defines and the merged view no longer has. */
  lost: string[];
  /** TOML type of the value (`string`, `integer`, `table`, …). */
  type: string;
  /** Masked preview: never the value. */
  masked: string;
  /** Streamlit copies this key into `os.environ`. */
  env: boolean;
}

export interface MergedSecretsResult {
  files: MergedSecretsFile[];
  entries: MergedSecretsEntry[];
}

/**
 * Extra detail the extension's own views use, beyond the public contract above: returned by
 * `streamlitSecrets/mergedSecretsDetail` with the same params.
 */
export const MergedSecretsDetailRequestMethod = 'streamlitSecrets/mergedSecretsDetail';

export interface MergedSecretsDetailParams extends MergedSecretsParams {
  /** Ask git again instead of using the cached ignore/tracked status (the view's Refresh button). */
  refreshGit?: boolean;
}

export interface SecretTreeItem {
  key: string;
  /** Dotted path from the root. */
  path: string;
  type: string;
  masked: string;
  /** Where the key is written in the winning file (0-based line), when known. */
  location?: { path: string; line: number; character: number };
  children?: SecretTreeItem[];
}

export interface MergedSecretsDetailEntry extends MergedSecretsEntry {
  location?: { path: string; line: number; character: number };
  children?: SecretTreeItem[];
}

export interface MergedSecretsDetailFile extends MergedSecretsFile {
  /** `global`, `project`, `entrypoint` or `configured` (a `[secrets] files` entry). */
  role: string;
  /** Whether an ignore rule matches the file (existing files only; undefined when not checked). */
  gitIgnored?: boolean;
  /** Whether git's index holds it; undefined when unknown (untrusted workspace, no git). */
  gitTracked?: boolean;
  /** How the user knows the file: `~/.streamlit/secrets.toml`, a path relative to `$CWD`, or absolute. */
  label?: string;
  /** Why the git answer is limited (never contains file contents). */
  gitDetail?: string;
  /** A secret directory (Kubernetes style) rather than a `.toml` file. */
  directory?: boolean;
}

export interface MergedSecretsDetailResult {
  /** The folder Streamlit is assumed to run from, and the entrypoint folder when there is one. */
  cwd: string;
  entrypointDir?: string;
  files: MergedSecretsDetailFile[];
  entries: MergedSecretsDetailEntry[];
  /** Set when Streamlit's load fails as a whole (a parse error or an invalid root key): the app gets no secrets. */
  loadError?: string;
  /** No secrets file exists at all: every access raises. */
  noSecretsFound: boolean;
  /** Not every source was read in full (a budget): keys may exist that are not listed, and no read is called missing. */
  incomplete?: string;
  /** The Streamlit version modelled and where it came from, e.g. `1.46.1 (pinned in uv.lock)`. */
  streamlitVersion?: string;
  /** `.vscode/launch.json` configurations that run this app; the diagnostics follow the `used` one. */
  runConfigurations?: MergedSecretsRunConfiguration[];
}

export interface MergedSecretsRunConfiguration {
  name: string;
  /** Absolute path of the script given to `streamlit run`. */
  script: string;
  /** Its `$CWD`. */
  cwd: string;
  /** `secrets.files` as the configuration sets it (flags or STREAMLIT_SECRETS_FILES), when it does. */
  secretsFiles?: string[];
  used: boolean;
}

/**
 * `streamlitSecrets/revealValue` — sent by the client only on an explicit user action ("Reveal").
 * The answer is shown once and is never logged by either side.
 */
export const RevealValueRequestMethod = 'streamlitSecrets/revealValue';

export interface RevealValueParams {
  uri: string;
  /** Key path from the root of the merged view. */
  path: string[];
}

export interface RevealValueResult {
  found: boolean;
  /** The value as Streamlit would return it, rendered as TOML-like text. */
  text?: string;
}

/** Notification from the client: the workspace's trust changed (git runs only when trusted). */
export const WorkspaceTrustNotificationMethod = 'streamlitSecrets/workspaceTrust';

export interface WorkspaceTrustParams {
  trusted: boolean;
}

/**
 * Notification from the server: a secrets or config file of some chain changed (on disk or in an
 * editor). Views built on `mergedSecrets` refresh on it. No params.
 */
export const SecretsChangedNotificationMethod = 'streamlitSecrets/secretsChanged';

/**
 * Notification from the client: the Python interpreter the Python extension (`ms-python.python`)
 * selected for a workspace folder. `prefix` is its `sys.prefix`; the server looks there for the
 * installed Streamlit (`site-packages/streamlit-<v>.dist-info`). Absent prefix: none selected.
 */
export const PythonEnvironmentNotificationMethod = 'streamlitSecrets/pythonEnvironment';

export interface PythonEnvironmentParams {
  /** Workspace folder URI. */
  folderUri: string;
  prefix?: string;
}

/**
 * `streamlitSecrets/agentKeys` and `streamlitSecrets/agentCheck` — the answers of the language model
 * tools `streamlit_secrets_keys` and `streamlit_secrets_check` (common/agentTools.ts has their
 * shapes: `KeysAnswer`, `CheckAnswer`). `path` is a file or folder, absolute or relative to the first
 * workspace folder (default: that folder); only paths inside a workspace folder are answered. The
 * answers never hold a secret value, its length or a mask.
 */
export const AgentKeysRequestMethod = 'streamlitSecrets/agentKeys';
export const AgentCheckRequestMethod = 'streamlitSecrets/agentCheck';

export interface AgentToolParams {
  path?: string;
}

/** An answer, or why there is none (a path outside the workspace, a missing path). */
export type AgentToolResult<T> = { answer: T } | { error: string };

/**
 * `streamlitSecrets/communityCloudApps` — the apps the "Copy Secrets for Community Cloud" command
 * offers: one per distinct chain of secrets files, named by its entrypoint scripts. No params.
 */
export const CommunityCloudAppsRequestMethod = 'streamlitSecrets/communityCloudApps';

export interface CommunityCloudApp {
  /** The URI to export: an entrypoint script, or a workspace folder when no script reads secrets. */
  uri: string;
  /** Its scripts (absolute paths) sharing the chain; empty for a folder. */
  scripts: string[];
  /** The folder `streamlit run` starts in (`$CWD`). */
  cwd: string;
}

export interface CommunityCloudAppsResult {
  apps: CommunityCloudApp[];
}

/**
 * `streamlitSecrets/communityCloudExport` — the merged secrets of the app at `uri` (a Python file
 * inside a workspace folder, or a workspace folder) as one TOML document for Streamlit Community
 * Cloud's "Secrets" field: the same export as `streamlit-secrets export --for community-cloud`.
 * Without `includeText` the answer holds no value (a preview: keys, types, files, warnings); the
 * client asks with `includeText` only after the user confirms the copy, and never logs it.
 */
export const CommunityCloudExportRequestMethod = 'streamlitSecrets/communityCloudExport';

export interface CommunityCloudExportParams {
  uri: string;
  includeText?: boolean;
}

export interface CommunityCloudPreviewEntry {
  /** Dotted name (`db.user`). */
  key: string;
  keyPath: string[];
  /** TOML type, `table (3 keys)`, …: never the value. */
  type: string;
  /** Label of the local file the value comes from (`~/.streamlit/secrets.toml`, `.streamlit/secrets.toml`, …). */
  file: string;
  /** `global`, `project`, `entrypoint` or `configured`. */
  role: string;
  /** The file in words: `global file ~/.streamlit/secrets.toml`. */
  source: string;
}

export interface CommunityCloudWarning {
  keyPath: string[];
  code: 'local-only' | 'points-at-this-machine' | 'local-file-path' | 'auth-redirect-not-deployed';
  /** Names keys and files, never values. */
  message: string;
}

export type CommunityCloudExportResult =
  | {
      ok: true;
      preview: CommunityCloudPreviewEntry[];
      warnings: CommunityCloudWarning[];
      /** Top-level keys in the document. */
      keyCount: number;
      /** The TOML document (values!): only with `includeText`. */
      text?: string;
    }
  | { ok: false; reason: string };
