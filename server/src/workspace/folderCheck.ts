import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkSecretsFileGitStatus } from '../../../common/git/secretsGitStatus';
import { defaultSettings, type StreamlitSecretsSettings } from '../../../common/settings';
import { pathToUri } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import { createPythonSource } from '../python/pythonSource';
import { addSectionCalls, emptySectionCalls } from '../service/sectionCalls';
import { exampleDriftDiagnostics } from '../service/exampleDrift';
import { gitSafetyDiagnostics } from '../service/gitSafetyDiagnostics';
import type { MergedSecrets } from '../service/mergeSecrets';
import type { SecretsSourceSpec } from '../service/secretsChain';
import { sourceLabel } from '../service/sourceLabels';
import type { SecretNode } from '../toml/types';
import { readFileForAnalysis } from './fileReader';
import { isProjectSecretsFile } from './projectSecretsFile';
import { pythonFileDiagnostics } from './pythonFileDiagnostics';
import { skippedFolders } from './pythonReferenceIndex';
import { SecretsWorkspace, tooLargeMessage } from './secretsWorkspace';
import { filesUnder } from './workspaceFiles';
import { tomlFileDiagnostics, tomlFileKind, type TomlFileKind } from './tomlFileDiagnostics';

/** What `streamlit-secrets check` asks; the editor's defaults otherwise. */
export interface FolderCheckOptions {
  /** Ask git whether secrets files are ignored or tracked (hardened, no hooks); false reads `.gitignore` files. */
  git: boolean;
  /** Check the code against `secrets.toml.example` as the declared keys instead of the real secrets files. */
  example: boolean;
  settings?: StreamlitSecretsSettings;
  /** The home folder (the global secrets file); defaults as the server's. */
  home?: () => string | undefined;
  /** Called as files are checked (the CLI draws a progress line). */
  onProgress?: (done: number, total: number) => void;
}

export type CheckedFileKind = 'python' | TomlFileKind;

export interface CheckedFile {
  filePath: string;
  kind: CheckedFileKind;
  diagnostics: Diagnostic[];
}

export interface FolderCheckResult {
  /** Every file checked, in path order, with its diagnostics (possibly none). */
  files: CheckedFile[];
  /** `--example` only: the example files that served as the declared keys. */
  examplesUsed: string[];
  /** `--example` only: `$CWD` of apps whose code reads secrets but that have no example file. */
  appsWithoutExample: string[];
}

/** Names of the example files, nearest the app first. */
const exampleNames = ['secrets.toml.example', path.join('.streamlit', 'secrets.toml.example')];

/**
 * Every read the Python analysis recognises names `secrets`, `connection` or `login` (through
 * `st.`, an import or an alias of one): a file without those words has nothing to report.
 */
export const mayReadSecrets = /secrets|connection|login/;

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The files a check looks at under a folder: Python files and our TOML files. */
export function listFiles(folder: string): { python: string[]; toml: string[] } {
  const python: string[] = [];
  const toml: string[] = [];
  for (const full of filesUnder(folder, (name) => !skippedFolders.has(name))) {
    if (full.endsWith('.py')) python.push(full);
    else if (tomlFileKind({ uri: pathToUri(full), languageId: 'toml' }) !== undefined) toml.push(full);
  }
  return { python: python.sort(), toml: toml.sort() };
}

/** A file's text as the editor would show it (lossy UTF-8), or why it was not read. */
function readText(filePath: string): { text: string } | { diagnostic: Diagnostic } | undefined {
  const read = readFileForAnalysis(filePath);
  if (read.type === 'file') return { text: new TextDecoder().decode(read.bytes) };
  const at = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (read.type === 'too-large') {
    return { diagnostic: { range: at, severity: DiagnosticSeverity.Information, source: 'streamlit-secrets', code: 'file-too-large', message: `The ${tooLargeMessage(read.size).replace(/^the /, '')}.` } };
  }
  if (read.type === 'unreadable') {
    return { diagnostic: { range: at, severity: DiagnosticSeverity.Warning, source: 'streamlit-secrets', code: 'file-unreadable', message: `Cannot read the file: ${read.reason}.` } };
  }
  return undefined;
}

/** The example files `--example` uses for an app: at `$CWD` and at the entrypoint folder, in chain order. */
function exampleSources(cwd: string, entrypointDir: string | undefined): SecretsSourceSpec[] {
  return [cwd, ...(entrypointDir !== undefined ? [entrypointDir] : [])].map((dir) => {
    const existing = exampleNames.map((name) => path.join(dir, name)).find((candidate) => fs.existsSync(candidate));
    return { path: existing ?? path.join(dir, exampleNames[0]!), role: dir === cwd ? ('project' as const) : ('entrypoint' as const) };
  });
}

/**
 * The headless check behind `streamlit-secrets check`: every Streamlit app under `folder` with the
 * same analysis the editor runs on open files (Python reads, secrets and config files, git safety),
 * plus `secrets.toml.example` drift. `folder` plays the editor's workspace folder. Reads files,
 * runs git; never returns a value from a secrets file (diagnostics name keys and files only).
 */
export async function checkFolder(folder: string, options: FolderCheckOptions): Promise<FolderCheckResult> {
  const root = path.resolve(folder);
  const settings = options.settings ?? defaultSettings;
  const chainSettings = { cwd: settings.cwd, globalSecretsFile: settings.globalSecretsFile };
  const workspace = new SecretsWorkspace({ openDocument: () => undefined, onFilesChanged: () => undefined, watch: false, ...(options.home ? { home: options.home } : {}) });
  const { python, toml } = listFiles(root);
  const total = python.length + toml.length;
  let done = 0;
  const report = (): void => options.onProgress?.(++done, total);
  const byPath = new Map<string, CheckedFile>();
  const add = (filePath: string, kind: CheckedFileKind, diagnostics: Diagnostic[]): void => {
    const known = byPath.get(filePath);
    if (known === undefined) byPath.set(filePath, { filePath, kind, diagnostics: [...diagnostics] });
    else known.diagnostics.push(...diagnostics);
  };
  const examplesUsed = new Set<string>();
  /** `st.connection(...)` and `st.login(...)` calls (Python files are checked first). */
  const sectionCalls = emptySectionCalls();
  const appsWithoutExample = new Set<string>();

  const mergedForFile = (filePath: string, isPython: boolean): MergedSecrets => {
    const locations = workspace.chainLocationsOf(filePath, root, chainSettings, { isPython });
    if (!(options.example && isPython)) return workspace.mergedFor(locations);
    const sources = exampleSources(locations.cwd, locations.entrypointDir);
    const existing = sources.filter((source) => fs.existsSync(source.path));
    for (const source of existing) examplesUsed.add(source.path);
    if (existing.length === 0) appsWithoutExample.add(locations.cwd);
    return workspace.mergedFromTomlFiles({ ...locations, sources });
  };

  for (const filePath of python) {
    const read = readText(filePath);
    if (read !== undefined && 'diagnostic' in read) add(filePath, 'python', [read.diagnostic]);
    else if (read !== undefined) {
      const document = TextDocument.create(pathToUri(filePath), 'python', 0, read.text);
      let diagnostics: Diagnostic[] = [];
      if (mayReadSecrets.test(read.text)) {
        const source = createPythonSource(read.text);
        diagnostics = await pythonFileDiagnostics(document, source, {
          mergedFor: () => Promise.resolve(mergedForFile(filePath, true)),
          settings: () => Promise.resolve(settings),
        });
        // The analysis is cached per source: the section rules of secrets files read its calls.
        addSectionCalls(sectionCalls, analyzePythonSecrets(source), (offset) => `${path.relative(root, filePath)}:${document.positionAt(offset).line + 1}`);
      }
      add(filePath, 'python', diagnostics);
    }
    report();
  }

  const exampleFiles: { filePath: string; document: TextDocument }[] = [];
  for (const filePath of toml) {
    const kind = tomlFileKind({ uri: pathToUri(filePath), languageId: 'toml' })!;
    const read = readText(filePath);
    if (read !== undefined && 'diagnostic' in read) add(filePath, kind, [read.diagnostic]);
    else if (read !== undefined) {
      const document = TextDocument.create(pathToUri(filePath), kind === 'config' ? 'streamlit-config' : 'streamlit-secrets', 0, read.text);
      add(
        filePath,
        kind,
        await tomlFileDiagnostics(document, {
          mergedFor: () => Promise.resolve(mergedForFile(filePath, false)),
          fallbackCwd: () => Promise.resolve(path.resolve(root, settings.cwd || '.')),
          sectionCalls: () => sectionCalls,
        }),
      );
      if (kind === 'example') exampleFiles.push({ filePath, document });
      if (kind === 'secrets') {
        const project = await isProjectSecretsFile(filePath, { workspaceFolder: root, home: workspace.home(), mergedFor: () => Promise.resolve(mergedForFile(filePath, false)) });
        if (project) {
          const status = await checkSecretsFileGitStatus(filePath, { trusted: true, gitDisabled: !options.git, workspaceFolder: root });
          add(filePath, kind, gitSafetyDiagnostics(document, status));
        }
      }
    }
    report();
  }

  for (const example of exampleFiles) {
    for (const drift of exampleDrift(example, workspace, root, chainSettings)) add(drift.filePath, drift.kind, drift.diagnostics);
  }

  const files = [...byPath.values()].sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));
  for (const file of files) file.diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { files, examplesUsed: [...examplesUsed].sort(), appsWithoutExample: [...appsWithoutExample].sort() };
}

/**
 * Drift between an example and the project's secrets files of the app it sits in (not the global
 * file: that one is personal). Nothing is compared when the project has no secrets file (CI).
 */
function exampleDrift(
  example: { filePath: string; document: TextDocument },
  workspace: SecretsWorkspace,
  root: string,
  chainSettings: { cwd: string; globalSecretsFile: string },
): CheckedFile[] {
  const exampleRoot = workspace.mergedFromTomlFiles({ home: undefined, cwd: root, sources: [{ path: example.filePath, role: 'project' }] }).sources[0]?.root;
  if (exampleRoot === undefined) return [];
  const appFolder = path.basename(path.dirname(example.filePath)) === '.streamlit' ? path.dirname(path.dirname(example.filePath)) : path.dirname(example.filePath);
  const merged = workspace.mergedFor(workspace.locationsFor(appFolder, root, chainSettings, true));
  const project = merged.sources.filter((source) => source.spec.role !== 'global' && source.kind === 'file' && source.root?.kind === 'table' && source.text !== undefined);
  if (project.length === 0) return [];
  const exampleLabel = sourceLabel({ path: example.filePath, role: 'project' }, merged.chain);
  const found: CheckedFile[] = [];
  for (const source of project) {
    if (!isInside(root, source.spec.path)) continue;
    const document = TextDocument.create(pathToUri(source.spec.path), 'streamlit-secrets', 0, source.text!);
    const diagnostics = exampleDriftDiagnostics({ document, root: source.root, other: exampleRoot, otherLabel: exampleLabel, documentIs: 'secrets' });
    found.push({ filePath: source.spec.path, kind: 'secrets', diagnostics });
  }
  // The project's files as the app merges them (a later file replaces a whole top-level key).
  const children = new Map<string, SecretNode>();
  for (const source of project) for (const [key, node] of source.root!.children ?? []) children.set(key, node);
  const labels = project.map((source) => sourceLabel(source.spec, merged.chain)).join(', ');
  found.push({
    filePath: example.filePath,
    kind: 'example',
    diagnostics: exampleDriftDiagnostics({ document: example.document, root: exampleRoot, other: { kind: 'table', children }, otherLabel: labels, documentIs: 'example' }),
  });
  return found;
}

