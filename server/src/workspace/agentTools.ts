import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentApp, CheckAnswer, KeysAnswer } from '../../../common/agentTools';
import { defaultSettings, type StreamlitSecretsSettings } from '../../../common/settings';
import { agentApp, agentDiagnostic, localOnlyMeaning } from '../service/agentAnswers';
import { checkFolder } from './folderCheck';
import { listFiles, mayReadSecrets } from './folderCheck';
import { readFileForAnalysis } from './fileReader';
import { SecretsWorkspace } from './secretsWorkspace';

/** How the agent tools look at a path: the folder playing the workspace folder, and the rest as the editor's. */
export interface AgentToolOptions {
  /** The workspace folder (where `streamlit run` starts unless `settings.cwd` says otherwise). */
  workspaceFolder: string;
  settings?: StreamlitSecretsSettings;
  home?: () => string | undefined;
  /** Ask git about ignored and tracked files (false in an untrusted workspace). */
  git: boolean;
}

const valuesNote = 'No secret value is available through this tool. Read secrets in code through st.secrets at run time; never write a value into code, and do not open the secrets files.';

function inside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The folder that plays the workspace folder for `target`: the given one when `target` is inside it. */
function folderFor(target: string, options: AgentToolOptions): string {
  const workspaceFolder = path.resolve(options.workspaceFolder);
  if (inside(workspaceFolder, target)) return workspaceFolder;
  return fs.statSync(target).isDirectory() ? target : path.dirname(target);
}

/** A Python file that may read secrets (the same cheap test the check uses). */
export function readsSecrets(filePath: string): boolean {
  const read = readFileForAnalysis(filePath);
  return read.type === 'file' && mayReadSecrets.test(new TextDecoder().decode(read.bytes));
}

/**
 * `streamlit_secrets_keys`: the apps at `target` (a Python file: its app; a secrets file: the app
 * its folder holds; a folder: every app whose Python files read secrets, else the folder's own) and
 * their keys, names only. Reads files; never returns a value.
 */
export function secretKeysFor(target: string, options: AgentToolOptions): KeysAnswer {
  const resolved = path.resolve(options.workspaceFolder, target);
  if (!fs.existsSync(resolved)) throw new Error(`no such file or folder: ${target}`);
  const folder = folderFor(resolved, options);
  const settings = options.settings ?? defaultSettings;
  const chainSettings = { cwd: settings.cwd, globalSecretsFile: settings.globalSecretsFile };
  const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: () => undefined, watch: false, ...(options.home ? { home: options.home } : {}) });
  const apps = new Map<string, { locations: ReturnType<SecretsWorkspace['chainLocationsOf']>; entrypoints: string[] }>();
  const addApp = (locations: ReturnType<SecretsWorkspace['chainLocationsOf']>, entrypoint?: string): void => {
    const key = `${locations.cwd}\0${locations.entrypointDir ?? ''}`;
    const known = apps.get(key) ?? { locations, entrypoints: [] };
    if (entrypoint !== undefined) known.entrypoints.push(entrypoint);
    apps.set(key, known);
  };
  if (fs.statSync(resolved).isDirectory()) {
    for (const python of listFiles(resolved).python) {
      if (readsSecrets(python)) addApp(workspace.chainLocationsOf(python, folder, chainSettings, { isPython: true }), python);
    }
    if (apps.size === 0) addApp(workspace.locationsFor(resolved, folder, chainSettings, true));
  } else {
    const isPython = /\.pyi?$/.test(resolved);
    addApp(workspace.chainLocationsOf(resolved, folder, chainSettings, { isPython }), isPython ? resolved : undefined);
  }
  const answer: AgentApp[] = [...apps.values()].map(({ locations, entrypoints }) => agentApp(workspace.mergedFor(locations), entrypoints));
  return { path: resolved, apps: answer, notes: [valuesNote, localOnlyMeaning] };
}

/**
 * `streamlit_secrets_check`: the diagnostics the editor shows for `target` (a folder: every file
 * under it; a file: its own), from the same headless analysis as `streamlit-secrets check`.
 */
export async function secretsCheckFor(target: string, options: AgentToolOptions): Promise<CheckAnswer> {
  const resolved = path.resolve(options.workspaceFolder, target);
  if (!fs.existsSync(resolved)) throw new Error(`no such file or folder: ${target}`);
  const isFolder = fs.statSync(resolved).isDirectory();
  const folder = isFolder ? resolved : folderFor(resolved, options);
  const result = await checkFolder(folder, { git: options.git, example: false, ...(options.settings ? { settings: options.settings } : {}), ...(options.home ? { home: options.home } : {}) });
  const files = isFolder ? result.files : result.files.filter((file) => file.filePath === resolved);
  const diagnostics = files.flatMap((file) => file.diagnostics.map((diagnostic) => agentDiagnostic(file.filePath, diagnostic)));
  const count = (severity: string): number => diagnostics.filter((item) => item.severity === severity).length;
  return {
    path: resolved,
    diagnostics,
    summary: { errors: count('error'), warnings: count('warning'), information: count('information'), hints: count('hint'), filesChecked: files.length },
    notes: [valuesNote, ...(options.git ? [] : ['git was not asked (untrusted or disabled): whether secrets files are tracked is not known.'])],
  };
}
