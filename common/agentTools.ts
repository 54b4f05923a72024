/**
 * The two tools coding agents get (VS Code language model tools and `streamlit-secrets mcp`): their
 * names, descriptions and answer shapes. Other tools and tests depend on these: change them only
 * compatibly. No answer ever holds a secret value, its length or a mask of it.
 */

export const keysToolName = 'streamlit_secrets_keys';
export const checkToolName = 'streamlit_secrets_check';

const noValues =
  'Secret values are never available through this tool (no value, length or mask): code must read secrets at run time through st.secrets, never embed a value, and you should not open or print the secrets files themselves.';

export const keysToolDescription = [
  'Lists the Streamlit secrets (st.secrets) an app can read, names only, for a Python file, a secrets file or a folder.',
  'Returns JSON: for each app, its chain of secrets files (path, role: global, project, app, secrets.files, st.App or merge_programmatic_secrets, whether it exists, why Streamlit cannot load it) and every key path with its TOML type and Python type,',
  'the file that provides it, whether Streamlit also exports it as an environment variable, whether it is local only (only the global ~/.streamlit/secrets.toml has it, so a deployed app will not),',
  'and the exact Python expression that reads it (st.secrets["db"]["user"], and the attribute form st.secrets.db.user where that works).',
  'Use it before writing code that reads secrets, instead of guessing key names.',
  noValues,
].join(' ');

export const checkToolDescription = [
  'Checks Streamlit secrets use for a Python file, a secrets file or a folder, exactly as the editor does, and returns the problems as JSON diagnostics (file, 1-based line and column range, severity, code, message):',
  'reads of keys the merged secrets lack (KeyError at run time), attribute access that cannot reach a key, st.connection and st.login configuration problems, secrets files Streamlit cannot load, secrets files git would commit, and secrets.toml.example drift.',
  noValues,
].join(' ');

export const pathInputDescription = 'A Python file, secrets file or folder (absolute, or relative to the workspace). Default: the workspace folder.';

export interface AgentFile {
  /** Absolute path. */
  path: string;
  /** How Streamlit's users name it: relative to `$CWD`, `~/…`, or absolute. */
  label: string;
  /** `global`, `project`, `app` (the entrypoint's folder) or `secrets.files` (a config.toml entry). */
  role: string;
  exists: boolean;
  /** Why Streamlit cannot load it (never a value). */
  error?: string;
  note?: string;
}

export interface AgentKey {
  /** Dotted TOML path, e.g. `db.user`. */
  path: string;
  segments: string[];
  /** TOML type (`string`, `integer`, `table`, …). */
  type: string;
  /** The Python type code receives (`str`, `int`, `AttrDict`, …). */
  pythonType: string;
  /** Label of the file whose value Streamlit uses. */
  file: string;
  /** Streamlit copies it into `os.environ` (root keys of type str, int or float). */
  environmentVariable: boolean;
  /** Only the global secrets file defines it: a deployed app will not have it. */
  localOnly: boolean;
  /** `st.secrets["db"]["user"]`. */
  read: string;
  /** `st.secrets.db.user`, when attribute access reaches the key. */
  attributeRead?: string;
}

export interface AgentApp {
  /** Where `streamlit run` is assumed to start (Streamlit's `$CWD`). */
  cwd: string;
  /** The entrypoint's folder when it has its own `.streamlit/` (Streamlit 1.46+). */
  entrypointDir?: string;
  /** Python files of this app that read secrets (absolute). */
  entrypoints: string[];
  files: AgentFile[];
  keys: AgentKey[];
  /** Every file is missing: every st.secrets access raises. */
  noSecretsFound: boolean;
  /** Why Streamlit's load fails as a whole (never a value). */
  loadError?: string;
  /** Not every file was read in full: keys may exist that are not listed. */
  incomplete?: string;
}

export interface KeysAnswer {
  path: string;
  apps: AgentApp[];
  notes: string[];
}

export interface AgentDiagnostic {
  /** Absolute path. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

export interface CheckAnswer {
  path: string;
  diagnostics: AgentDiagnostic[];
  summary: { errors: number; warnings: number; information: number; hints: number; filesChecked: number };
  notes: string[];
}
