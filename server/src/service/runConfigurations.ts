// How the user runs Streamlit from VS Code: `.vscode/launch.json` configurations decide `$CWD`, the
// entrypoint, `secrets.files` (flags or STREAMLIT_SECRETS_FILES) — docs/streamlit-model.md §1.
// Pure: the workspace layer reads launch.json and env files and passes their text.
import * as path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';

export interface StreamlitRunConfiguration {
  /** The configuration's `name`. */
  name: string;
  /** Absolute path of the script `streamlit run` is given. */
  script: string;
  /** Absolute `$CWD` (the configuration's `cwd`, default the workspace folder). */
  cwd: string;
  /** `secrets.files` as the run sets it (flags beat the environment), when it does. */
  secretsFiles?: string[];
  /** Where `secretsFiles` came from: `--secrets.files`, `env` or the env file. */
  secretsFilesFrom?: string;
}

export interface LaunchJsonResult {
  configurations: StreamlitRunConfiguration[];
  /** Env files the configurations name (absolute), to read and pass to `withEnvFiles`. */
  envFiles: string[];
  /** Set when launch.json cannot be parsed at all (never contains file content). */
  error?: string;
}

type Json = Record<string, unknown>;

/** `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}` and `${env:X}` (X from the server's env is not known: left empty). */
function substitute(value: string, workspaceFolder: string, home: string | undefined): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name === 'workspaceFolder' || name === 'workspaceRoot') return workspaceFolder;
    if (name === 'workspaceFolderBasename') return path.basename(workspaceFolder);
    if (name === 'userHome' && home !== undefined) return home;
    if (name === 'pathSeparator' || name === '/') return path.sep;
    return whole;
  });
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

/** The arguments after `streamlit` when a configuration runs it: `run <script> …`. */
function streamlitArgs(config: Json): string[] | undefined {
  const args = strings(config.args) ?? (typeof config.args === 'string' ? config.args.split(/\s+/).filter(Boolean) : undefined) ?? [];
  if (config.module === 'streamlit') return args;
  const program = typeof config.program === 'string' ? config.program : undefined;
  // `"program": ".../bin/streamlit"` (the console script) is the same as the module.
  if (program !== undefined && /(^|[\\/])streamlit(\.exe)?$/i.test(program)) return args;
  // `python -m streamlit run …` written out in args (e.g. a `"program"` of python, or a task-like form).
  const index = args.findIndex((arg, i) => arg === '-m' && args[i + 1] === 'streamlit');
  return index >= 0 ? args.slice(index + 2) : undefined;
}

/** `--secrets.files a.toml --secrets.files=b.toml` → both, in order; none → undefined. */
function secretsFilesFlags(args: readonly string[]): string[] | undefined {
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--secrets.files' && i + 1 < args.length) files.push(args[++i]!);
    else if (arg.startsWith('--secrets.files=')) files.push(arg.slice('--secrets.files='.length));
  }
  return files.length > 0 ? files : undefined;
}

/**
 * The configurations of a launch.json that run `streamlit run <script>`, in file order. JSONC:
 * comments and trailing commas are fine. Configurations of other kinds are skipped.
 */
export function streamlitRunConfigurations(
  text: string,
  workspaceFolder: string,
  home: string | undefined,
  envFileTexts: ReadonlyMap<string, string> = new Map(),
): LaunchJsonResult {
  const errors: ParseError[] = [];
  const parsed = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  const root = parsed !== null && typeof parsed === 'object' ? (parsed as Json) : undefined;
  const list = Array.isArray(root?.configurations) ? (root.configurations as unknown[]) : [];
  const result: LaunchJsonResult = { configurations: [], envFiles: [] };
  if (root === undefined) result.error = 'launch.json cannot be parsed';
  const sub = (value: string): string => substitute(value, workspaceFolder, home);
  list.forEach((item, index) => {
    if (item === null || typeof item !== 'object') return;
    const config = item as Json;
    const args = streamlitArgs(config)?.map(sub);
    if (args === undefined || args[0] !== 'run' || args[1] === undefined) return;
    const cwd = path.resolve(workspaceFolder, typeof config.cwd === 'string' ? sub(config.cwd) : '.');
    const run: StreamlitRunConfiguration = {
      name: typeof config.name === 'string' ? config.name : `configuration ${index + 1}`,
      script: path.resolve(cwd, args[1]),
      cwd,
    };
    const flags = secretsFilesFlags(args.slice(2));
    if (flags !== undefined) {
      run.secretsFiles = flags;
      run.secretsFilesFrom = '--secrets.files';
    } else {
      // debugpy: `env` overrides the env file. Click splits a multiple option's variable on whitespace.
      const env = config.env !== null && typeof config.env === 'object' ? (config.env as Json) : {};
      let value = typeof env.STREAMLIT_SECRETS_FILES === 'string' ? env.STREAMLIT_SECRETS_FILES : undefined;
      let from = 'env';
      if (value === undefined && typeof config.envFile === 'string') {
        const envFile = path.resolve(workspaceFolder, sub(config.envFile));
        if (!result.envFiles.includes(envFile)) result.envFiles.push(envFile);
        const envText = envFileTexts.get(envFile);
        value = envText === undefined ? undefined : parseDotenv(envText).STREAMLIT_SECRETS_FILES;
        from = path.basename(envFile);
      }
      if (value !== undefined) {
        run.secretsFiles = sub(value).split(/\s+/).filter(Boolean);
        run.secretsFilesFrom = from;
      }
    }
    result.configurations.push(run);
  });
  return result;
}

/**
 * The configurations that run the app a Python file belongs to: those whose script's folder is the
 * nearest one above (or holding) the file. First in launch.json first.
 */
export function runConfigurationsFor(filePath: string, configurations: readonly StreamlitRunConfiguration[]): StreamlitRunConfiguration[] {
  return nearestScripts(filePath, configurations);
}

/** The items whose `script` is the file, else those whose script folder is the nearest one holding it. */
export function nearestScripts<T extends { script: string }>(filePath: string, configurations: readonly T[]): T[] {
  let best: T[] = [];
  let bestDepth = -1;
  const exact = configurations.filter((config) => path.resolve(config.script) === path.resolve(filePath));
  if (exact.length > 0) return exact;
  for (const config of configurations) {
    const folder = path.dirname(config.script);
    const relative = path.relative(folder, filePath);
    if (relative.startsWith('..') || path.isAbsolute(relative)) continue;
    const depth = folder.split(/[\\/]/).length;
    if (depth > bestDepth) {
      best = [config];
      bestDepth = depth;
    } else if (depth === bestDepth) {
      best.push(config);
    }
  }
  return best;
}
