import * as path from 'node:path';
import { createPythonSource } from '../python/pythonSource';
import { findStreamlitApps, mayCallStreamlitApp, type StreamlitAppCall } from '../python/streamlitApps';
import { readFileForAnalysis } from './fileReader';
import { skippedFolders } from './pythonReferenceIndex';
import { filesUnder } from './workspaceFiles';

/** Bounds of the walk: an App file lives near the top of a project. */
const maxFiles = 5000;
const maxDepth = 6;
const maxFileBytes = 1024 * 1024;

/** One `st.App(…)` call found in the workspace, with the script it serves resolved. */
export interface FoundStreamlitApp {
  /** Absolute path of the file holding the call. */
  appFile: string;
  /** Its text (to turn the call's offsets into positions). */
  text: string;
  /** 1-based line of the call. */
  line: number;
  /** Absolute path of the script the App serves (relative to the App file's folder, as under `streamlit run`). */
  script: string;
  call: StreamlitAppCall;
}

/**
 * Finds `st.App(…)` calls in a workspace folder's Python files (any file: the App file is often
 * not the script it names). Open editor buffers win over the disk. One walk per folder, cached
 * until a Python file changes (`fileChanged`).
 */
export class StreamlitAppFinder {
  private readonly byFolder = new Map<string, FoundStreamlitApp[]>();
  /** Files that held a call at the last look, by path (a change to one of them matters). */
  private readonly appFiles = new Set<string>();

  constructor(private readonly openText: (filePath: string) => string | undefined) {}

  appsIn(folder: string): FoundStreamlitApp[] {
    let found = this.byFolder.get(folder);
    if (found === undefined) {
      found = [];
      for (const file of this.pythonFiles(folder)) found.push(...this.appsOfFile(file));
      this.byFolder.set(folder, found);
    }
    return found;
  }

  /**
   * A Python file changed (on disk or in the editor): whether the App calls may differ. Cheap for
   * files that neither held nor hold `App(`.
   */
  fileChanged(filePath: string, text?: string): boolean {
    // From disk (a save, a new or deleted file): only this file is read again, not the workspace.
    const current = text ?? this.openText(filePath) ?? readText(filePath) ?? '';
    // Nothing found yet: no chain depends on an earlier answer.
    if (this.byFolder.size === 0 || (!mayCallStreamlitApp(current) && !this.appFiles.has(filePath))) return false;
    const before = JSON.stringify(summary(this.cachedCalls(filePath)));
    const after = JSON.stringify(summary(this.callsOf(filePath, current)));
    if (before === after) return false;
    this.byFolder.clear();
    return true;
  }

  invalidate(): void {
    this.byFolder.clear();
  }

  private cachedCalls(filePath: string): FoundStreamlitApp[] {
    const all: FoundStreamlitApp[] = [];
    for (const apps of this.byFolder.values()) all.push(...apps.filter((app) => app.appFile === filePath));
    return all;
  }

  private callsOf(filePath: string, text: string): FoundStreamlitApp[] {
    if (!mayCallStreamlitApp(text)) return [];
    let calls: StreamlitAppCall[];
    try {
      calls = findStreamlitApps(createPythonSource(text));
    } catch {
      return [];
    }
    return calls.map((call) => ({
      appFile: filePath,
      text,
      line: text.slice(0, call.range.start).split('\n').length,
      script: path.resolve(path.dirname(filePath), call.script),
      call,
    }));
  }

  private appsOfFile(filePath: string): FoundStreamlitApp[] {
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
function summary(apps: readonly FoundStreamlitApp[]): unknown {
  return apps.map((app) => [app.line, app.script, app.call.secrets?.kind, app.call.secrets?.kind === 'literal' ? plain(app.call.secrets.root) : undefined]);
}

function plain(node: unknown): unknown {
  return JSON.parse(JSON.stringify(node, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value instanceof Map ? [...value] : value))) as unknown;
}
