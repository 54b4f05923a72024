import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isPythonDocument, uriToPath } from '../documents';
import { analyzePythonSecrets } from '../python/analyzePythonSecrets';
import type { PythonSecretsAnalysis } from '../python/types';
import { configFileDiagnostics, type PathKind } from '../service/configFileDiagnostics';
import { secretsFileDiagnostics } from '../service/secretsFileDiagnostics';
import { decodeSecretsFile } from '../toml/decodeSecretsFile';
import { parseSecretsToml } from '../toml/parseSecretsToml';
import type { TomlProblem } from '../toml/types';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { maxAnalysedFileBytes, readFileForAnalysis, statStamp } from '../workspace/fileReader';
import { tooLargeMessage } from '../workspace/secretsWorkspace';
import type { ServerContext } from '../serverContext';
import type { Feature } from './feature';
import { referenceIndexes } from './referencesFeature';

export type TomlFileKind = 'secrets' | 'example' | 'config';

/** Which of our TOML files a document is, by language and by name (clients may send plain `toml`). */
export function tomlFileKind(document: TextDocument): TomlFileKind | undefined {
  const filePath = uriToPath(document.uri) ?? document.uri;
  const base = path.basename(filePath);
  const inStreamlitDir = path.basename(path.dirname(filePath)) === '.streamlit';
  if (base.endsWith('.toml.example')) return 'example';
  if (document.languageId === 'streamlit-config' || (inStreamlitDir && base === 'config.toml')) return 'config';
  if (document.languageId === 'streamlit-secrets' || (inStreamlitDir && base === 'secrets.toml')) return 'secrets';
  return undefined;
}

/**
 * What the bytes on disk say that the editor buffer cannot: a byte-order mark (editors hide it),
 * invalid UTF-8 or NUL bytes (the buffer holds a lossy decoding). Streamlit reads the disk.
 */
function diskFacts(filePath: string | undefined, text: string): { decodeProblems: TomlProblem[]; bomOnDisk: boolean } {
  if (filePath === undefined) return { decodeProblems: [], bomOnDisk: false };
  const disk = decodedDisk(filePath);
  return { decodeProblems: disk.decodeProblems, bomOnDisk: disk.startsWithBom && text.charCodeAt(0) !== 0xfeff };
}

/**
 * The disk's bytes change only when the file is saved or replaced, not on each keystroke of the
 * buffer: what they say is kept per path and stat stamp, and read again when the stamp changes.
 */
const diskByPath = new Map<string, { stamp: string; decodeProblems: TomlProblem[]; startsWithBom: boolean }>();

function decodedDisk(filePath: string): { decodeProblems: TomlProblem[]; startsWithBom: boolean } {
  let stamp: string;
  try {
    stamp = statStamp(fs.statSync(filePath));
  } catch {
    diskByPath.delete(filePath);
    return { decodeProblems: [], startsWithBom: false };
  }
  const cached = diskByPath.get(filePath);
  if (cached?.stamp === stamp) return cached;
  const read = readFileForAnalysis(filePath);
  let facts: { decodeProblems: TomlProblem[]; startsWithBom: boolean } = { decodeProblems: [], startsWithBom: false };
  if (read.type === 'file') {
    const decoded = decodeSecretsFile(read.bytes);
    facts =
      'binary' in decoded
        ? { decodeProblems: [{ ...decoded.problem, message: `${decoded.problem.message} (the file on disk)` }], startsWithBom: false }
        : {
            decodeProblems: decoded.problems.map((problem) => ({ ...problem, message: `${problem.message} (the file on disk)` })),
            startsWithBom: decoded.text.charCodeAt(0) === 0xfeff,
          };
  }
  diskByPath.set(filePath, { stamp, ...facts });
  return facts;
}

function pathKind(target: string): PathKind {
  try {
    const stat = fs.statSync(target);
    return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'missing' : 'other';
  }
}

async function provide(document: TextDocument, context: ServerContext): Promise<ReturnType<typeof secretsFileDiagnostics>> {
  const kind = tomlFileKind(document);
  const filePath = uriToPath(document.uri);
  const text = document.getText();
  if (text.length > maxAnalysedFileBytes) {
    // Parsing a buffer this size takes seconds to minutes; say so instead of stalling.
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: 'streamlit-secrets', code: 'file-too-large', message: `This ${tooLargeMessage(text.length).replace(/^the /, '')}.` }];
  }
  const disk = diskFacts(filePath, text);
  // Shared with the merge: parseSecretsToml remembers recent texts, so an open file is parsed once.
  const parsed = parseSecretsToml(disk.bomOnDisk ? `\ufeff${text}` : text);
  if (kind === 'example') return secretsFileDiagnostics({ document, filePath: filePath ?? document.uri, parsed, ...disk, example: true });
  const merged = filePath === undefined ? undefined : await context.mergedFor(document.uri);
  if (kind === 'config') {
    const settings = await context.settingsFor(document.uri);
    const folder = filePath === undefined ? undefined : context.workspaceFolderOf(filePath);
    const cwd = merged?.chain.cwd ?? path.resolve(folder ?? path.dirname(path.dirname(filePath ?? '.')), settings.cwd || '.');
    return configFileDiagnostics({ document, filePath: filePath ?? document.uri, parsed, decodeProblems: disk.decodeProblems, cwd, pathKind, ...(merged ? { merged } : {}) });
  }
  const untypedConnectionCalls = untypedCalls(context);
  return secretsFileDiagnostics({ document, filePath: filePath ?? document.uri, parsed, ...disk, ...(merged ? { merged } : {}), untypedConnectionCalls });
}

/**
 * The workspace's `st.connection("<name>")` calls that pass no `type=`, per name, as `file:line`:
 * open Python files from their buffers, the rest from the references index (what it has so far — a
 * call not yet indexed only means a warning shown later, never a false one).
 */
function untypedCalls(context: ServerContext): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  const add = (filePath: string, analysis: PythonSecretsAnalysis, positionAt: (offset: number) => { line: number }): void => {
    for (const call of analysis.connections) {
      if (call.name === undefined || call.hasType) continue;
      const folder = context.workspaceFolderOf(filePath);
      const label = `${folder === undefined ? path.basename(filePath) : path.relative(folder, filePath)}:${positionAt(call.range.start).line + 1}`;
      const list = calls.get(call.name);
      if (list === undefined) calls.set(call.name, [label]);
      else list.push(label);
    }
  };
  const seen = new Set<string>();
  for (const open of context.documents.all()) {
    const openPath = uriToPath(open.uri);
    if (openPath === undefined || !isPythonDocument(open)) continue;
    seen.add(openPath);
    add(openPath, analyzePythonSecrets(context.pythonSources.get(open)), (offset) => open.positionAt(offset));
  }
  for (const file of referenceIndexes.get(context)?.entries() ?? []) {
    if (!seen.has(file.filePath)) add(file.filePath, file.analysis, (offset) => file.positions.positionAt(offset));
  }
  return calls;
}

/** Diagnostics of secrets files (incl. the global one and `.example`) and of `config.toml`. */
export const secretsFileDiagnosticsFeature: Feature = {
  register(context) {
    context.diagnostics.add({
      name: 'secretsFile',
      appliesTo: (document) => tomlFileKind(document) !== undefined,
      provide: (document) => provide(document, context),
    });
    context.documents.onDidClose((event) => {
      const filePath = uriToPath(event.document.uri);
      if (filePath !== undefined) diskByPath.delete(filePath);
      callSignatures.delete(event.document.uri);
    });
    // A secrets file's "no type" warning names the calls without type=: re-check open secrets files
    // when a Python buffer's st.connection calls change.
    const callSignatures = new Map<string, string>();
    context.documents.onDidChangeContent((event) => {
      if (!isPythonDocument(event.document)) return;
      const document = event.document;
      const signature = JSON.stringify(
        analyzePythonSecrets(context.pythonSources.get(document)).connections.map((call) => [call.name, call.hasType, document.positionAt(call.range.start).line]),
      );
      const previous = callSignatures.get(document.uri);
      callSignatures.set(document.uri, signature);
      if (previous === signature || (previous === undefined && signature === '[]')) return;
      for (const open of context.documents.all()) if (tomlFileKind(open) === 'secrets') context.diagnostics.schedule(open.uri);
    });
  },
};
