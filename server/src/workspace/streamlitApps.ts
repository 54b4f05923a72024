import * as path from 'node:path';
import { createPythonSource } from '../python/pythonSource';
import { findSecretsMerges, findStreamlitApps, mayCallStreamlitApp, mayMergeSecrets, type SecretsMergeCall, type StreamlitAppCall } from '../python/streamlitApps';
import { readFileForAnalysis } from './fileReader';
import { skippedFolders } from './pythonReferenceIndex';
import { filesUnder } from './workspaceFiles';

/** Bounds of the walk: an App file lives near the top of a project. */
const maxFiles = 5000;
const maxDepth = 6;
const maxFileBytes = 1024 * 1024;

interface FoundCall {
  /** Absolute path of the file holding the call. */
  appFile: string;
  /** Its text (to turn the call's offsets into positions). */
  text: string;
  /** 1-based line of the call. */
  line: number;
}

/** One `st.App(…)` call found in the workspace, with the script it serves resolved. */
export interface FoundStreamlitApp extends FoundCall {
  kind: 'app';
  /** Absolute path of the script the App serves (relative to the App file's folder, as under `streamlit run`). */
  script: string;
  call: StreamlitAppCall;
}

/** One `st.secrets.merge_programmatic_secrets(…)` call found in the workspace. */
export interface FoundSecretsMerge extends FoundCall {
  kind: 'merge';
  call: SecretsMergeCall;
}

/** Secrets given in code: by `st.App(secrets=…)` or by a merge call (docs/streamlit-model.md §8). */
export type FoundProgrammaticSecrets = FoundStreamlitApp | FoundSecretsMerge;

const mayGiveSecrets = (text: string): boolean => mayCallStreamlitApp(text) || mayMergeSecrets(text);

/**
 * Finds `st.App(…)` and `….merge_programmatic_secrets(…)` calls in a workspace folder's Python
 * files (any file: the App file is often not the script it names). Open editor buffers win over
 * the disk. One walk per folder, cached until a Python file changes (`fileChanged`).
 */
export class StreamlitAppFinder {
  private readonly byFolder = new Map<string, FoundProgrammaticSecrets[]>();
  /** Files that held a call at the last look, by path (a change to one of them matters). */
  private readonly appFiles = new Set<string>();

  constructor(private readonly openText: (filePath: string) => string | undefined) {}

  /** Every call of the folder that gives secrets in code, in file order. */
  callsIn(folder: string): FoundProgrammaticSecrets[] {
    let found = this.byFolder.get(folder);
    if (found === undefined) {
      found = [];
      for (const file of this.pythonFiles(folder)) found.push(...this.callsOfFile(file));
      this.byFolder.set(folder, found);
    }
    return found;
  }

  appsIn(folder: string): FoundStreamlitApp[] {
    return this.callsIn(folder).filter((found): found is FoundStreamlitApp => found.kind === 'app');
  }

  mergesIn(folder: string): FoundSecretsMerge[] {
    return this.callsIn(folder).filter((found): found is FoundSecretsMerge => found.kind === 'merge');
  }

  /**
   * A Python file changed (on disk or in the editor): whether the calls giving secrets may differ. Cheap for
   * files that neither held nor hold such a call.
   */
  fileChanged(filePath: string, text?: string): boolean {
    // From disk (a save, a new or deleted file): only this file is read again, not the workspace.
    const current = text ?? this.openText(filePath) ?? readText(filePath) ?? '';
    // Nothing found yet: no chain depends on an earlier answer.
    if (this.byFolder.size === 0 || (!mayGiveSecrets(current) && !this.appFiles.has(filePath))) return false;
    const before = JSON.stringify(summary(this.cachedCalls(filePath)));
    const after = JSON.stringify(summary(this.callsOf(filePath, current)));
    if (before === after) return false;
    this.byFolder.clear();
    return true;
  }

  invalidate(): void {
    this.byFolder.clear();
  }

  private cachedCalls(filePath: string): FoundProgrammaticSecrets[] {
    const all: FoundProgrammaticSecrets[] = [];
    for (const apps of this.byFolder.values()) all.push(...apps.filter((app) => app.appFile === filePath));
    return all;
  }

  private callsOf(filePath: string, text: string): FoundProgrammaticSecrets[] {
    if (!mayGiveSecrets(text)) return [];
    let apps: StreamlitAppCall[];
    let merges: SecretsMergeCall[];
    try {
      const source = createPythonSource(text);
      apps = findStreamlitApps(source);
      merges = findSecretsMerges(source);
    } catch {
      return [];
    }
    const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
    const found: FoundProgrammaticSecrets[] = [
      ...apps.map((call): FoundStreamlitApp => ({ kind: 'app', appFile: filePath, text, line: lineOf(call.range.start), script: path.resolve(path.dirname(filePath), call.script), call })),
      ...merges.map((call): FoundSecretsMerge => ({ kind: 'merge', appFile: filePath, text, line: lineOf(call.range.start), call })),
    ];
    return found.sort((a, b) => a.call.range.start - b.call.range.start);
  }

  private callsOfFile(filePath: string): FoundProgrammaticSecrets[] {
    const text = this.openText(filePath) ?? readText(filePath);
    if (text === undefined) return [];
    const apps = this.callsOf(filePath, text);
    if (apps.length > 0) this.appFiles.add(filePath);
    else this.appFiles.delete(filePath);
    return apps;
  }

  private pythonFiles(folder: string): string[] {
    const files: string[] = [];
    // Also `env` (a virtual environment) and hidden folders: never where the App file is.
    const enter = (name: string, depth: number): boolean => !skippedFolders.has(name) && name !== 'env' && !name.startsWith('.') && depth <= maxDepth;
    for (const file of filesUnder(folder, enter)) {
      if (!file.endsWith('.py')) continue;
      files.push(file);
      if (files.length >= maxFiles) break;
    }
    return files;
  }

}

function readText(filePath: string): string | undefined {
  const read = readFileForAnalysis(filePath);
  return read.type === 'file' && read.bytes.length <= maxFileBytes ? Buffer.from(read.bytes).toString('utf8') : undefined;
}

/** What of a file's calls matters to a chain (bigint-safe, values included: they are masked later). */
function summary(calls: readonly FoundProgrammaticSecrets[]): unknown {
  return calls.map((found) => [found.kind, found.line, found.kind === 'app' ? found.script : undefined, found.call.secrets?.kind, found.call.secrets?.kind === 'literal' ? plain(found.call.secrets.root) : undefined]);
}

function plain(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value instanceof Map ? [...value] : value))) as unknown;
}
