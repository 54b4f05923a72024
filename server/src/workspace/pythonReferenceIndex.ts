import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Position } from 'vscode-languageserver-types';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import { createPythonSource } from '../python/pythonSource';
import type { PythonSecretsAnalysis } from '../python/types';
import type { ReadGuards } from '../python/readGuards';
import type { ReferenceReads } from '../service/accessTarget';

/** Folders never worth indexing: dependencies, environments, VCS data, caches. */
export const skippedFolders: ReadonlySet<string> = new Set(['node_modules', '.venv', 'venv', '.git', '__pycache__', 'site-packages', '.tox', '.mypy_cache', '.pytest_cache']);
/** Larger files are generated or vendored, not apps. */
const maxFileBytes = 1024 * 1024;
/** Work per turn of the event loop before yielding to requests (ms). */
const sliceMs = 8;

/** What the index keeps of one file: its reads and a way to turn offsets into positions. */
export interface IndexedPythonFile {
  filePath: string;
  analysis: ReferenceReads;
  positions: LinePositions;
}

/** Offsets → positions from line starts only (the file's text is not kept). */
export class LinePositions {
  private readonly starts: Uint32Array;

  constructor(text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    this.starts = Uint32Array.from(starts);
  }

  positionAt(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: offset - this.starts[low]! };
  }
}

/**
 * A background index of the workspace's Python files for find-references: scanned off the request
 * path in slices (`setImmediate`), kept fresh by file events and closed editors. Requests never
 * wait for it; they get what is indexed so far. Only files that read secrets are kept, and only
 * their analysis (no text, no tree).
 */
export class PythonReferenceIndex {
  /**
   * `isOpen`: files open in the editor are skipped — their buffers are what requests read, and a
   * large open file would otherwise be parsed a second time from disk, in one uninterruptible
   * slice. Closing one refreshes it (see the references feature).
   */
  constructor(private readonly options: { isOpen?: (filePath: string) => boolean } = {}) {}

  private readonly files = new Map<string, IndexedPythonFile>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly pendingDirs: string[] = [];
  private scheduled = false;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];
  /** Files analysed so far (for tests and measurements). */
  scanned = 0;

  /** (Re)scan the given workspace folders from scratch. */
  scanFolders(folders: readonly string[]): void {
    this.files.clear();
    this.queue.length = 0;
    this.queued.clear();
    this.pendingDirs.length = 0;
    this.pendingDirs.push(...folders);
    this.schedule();
  }

  /** A `.py` file was created or changed on disk (or closed in the editor): re-read it soon. */
  refresh(filePath: string): void {
    if (!/\.py$/.test(filePath) || this.isSkipped(filePath)) return;
    this.enqueue(filePath);
    this.schedule();
  }

  remove(filePath: string): void {
    this.files.delete(filePath);
    // A deleted folder: drop everything below it.
    const prefix = filePath + path.sep;
    for (const key of [...this.files.keys()]) if (key.startsWith(prefix)) this.files.delete(key);
  }

  /** Every indexed file that reads secrets (open files may be stale here: callers prefer buffers). */
  entries(): IterableIterator<IndexedPythonFile> {
    return this.files.values();
  }

  get busy(): boolean {
    return this.queue.length > 0 || this.pendingDirs.length > 0;
  }

  /** Resolves when the queue is empty (tests; requests never wait on it). */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.pendingDirs.length = 0;
  }

  private isSkipped(filePath: string): boolean {
    return filePath.split(path.sep).some((part) => skippedFolders.has(part));
  }

  private enqueue(filePath: string): void {
    if (this.queued.has(filePath)) return;
    this.queued.add(filePath);
    this.queue.push(filePath);
  }

  private schedule(): void {
    if (this.scheduled || this.disposed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.work();
    });
  }

  private work(): void {
    if (this.disposed) return;
    const deadline = Date.now() + sliceMs;
    while (Date.now() < deadline) {
      const dir = this.pendingDirs.pop();
      if (dir !== undefined) {
        this.listDir(dir);
        continue;
      }
      const file = this.queue.shift();
      if (file === undefined) break;
      this.queued.delete(file);
      this.indexFile(file);
    }
    if (this.busy) this.schedule();
    else {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private listDir(dir: string): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) this.pendingDirs.push(path.join(dir, entry.name));
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        this.enqueue(path.join(dir, entry.name));
      }
    }
  }

  private indexFile(filePath: string): void {
    if (this.options.isOpen?.(filePath)) {
      this.files.delete(filePath);
      return;
    }
    let text: string;
    try {
      const stat = fs.statSync(filePath);
      if (!stat.isFile() || stat.size > maxFileBytes) {
        this.files.delete(filePath);
        return;
      }
      text = fs.readFileSync(filePath, 'utf8');
    } catch {
      this.files.delete(filePath);
      return;
    }
    this.scanned++;
    // Cheap pre-filter: a file that never names these modules cannot read secrets.
    if (!/\b(streamlit|environ|getenv)\b/.test(text)) {
      this.files.delete(filePath);
      return;
    }
    try {
      const analysis = analyzePythonSecrets(createPythonSource(text));
      if (analysis.accesses.length === 0 && analysis.connections.length === 0 && analysis.logins.length === 0) {
        this.files.delete(filePath);
        return;
      }
      this.files.set(filePath, { filePath, analysis: referencesOnly(analysis), positions: new LinePositions(text) });
    } catch {
      this.files.delete(filePath);
    }
  }
}

/**
 * What find-references and the secrets files' connection check read of an indexed file: the keys
 * and ranges of its reads, its `st.connection` / `st.login` calls. The guards of each read and call, and the
 * ranges only diagnostics, hover and quick fixes use (of open files, analysed from their buffers)
 * are left out: the index holds thousands of files for as long as the server runs.
 */
function referencesOnly(analysis: PythonSecretsAnalysis): ReferenceReads {
  return {
    accesses: analysis.accesses.map(({ kind, segments, membershipKey }) => ({
      kind,
      segments: segments.map(({ key, range, inherited }) => (inherited === true ? { key, range, inherited } : { key, range })),
      ...(membershipKey === undefined ? {} : { membershipKey }),
    })),
    connections: analysis.connections.map(withoutGuards),
    logins: analysis.logins.map(withoutGuards),
  };
}

/** A call without the guards around it: the index names calls, it never judges them. */
function withoutGuards<T extends { guards?: ReadGuards }>(call: T): T {
  if (call.guards === undefined) return call;
  const copy = { ...call };
  delete copy.guards;
  return copy;
}
