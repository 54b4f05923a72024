import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { uriToPath } from '../documents';
import { configFileDiagnostics, type PathKind } from '../service/configFileDiagnostics';
import type { MergedSecrets } from '../service/mergeSecrets';
import type { SectionCalls } from '../service/sectionCalls';
import { secretsFileDiagnostics } from '../service/secretsFileDiagnostics';
import { decodeSecretsFile } from '../toml/decodeSecretsFile';
import { parseSecretsToml } from '../toml/parseSecretsToml';
import type { TomlProblem } from '../toml/types';
import { maxAnalysedFileBytes, readFileForAnalysis, statStamp } from './fileReader';
import { tooLargeMessage } from './secretsWorkspace';

export type TomlFileKind = 'secrets' | 'example' | 'config';

/** Which of our TOML files a document is, by language and by name (clients may send plain `toml`). */
export function tomlFileKind(document: Pick<TextDocument, 'uri' | 'languageId'>): TomlFileKind | undefined {
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

/** Forget what the disk said of a path (its editor closed). */
export function forgetDiskFacts(filePath: string): void {
  diskByPath.delete(filePath);
}

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

/** What the diagnostics of a TOML file need to know beyond its text. */
export interface TomlFileContext {
  /** The merged chain the file takes part in. */
  mergedFor(uri: string): Promise<MergedSecrets | undefined>;
  /** `$CWD` when no chain answers (a config.toml's relative `[secrets] files` resolve there). */
  fallbackCwd(filePath: string | undefined): Promise<string>;
  /** The workspace's `st.connection(...)` and `st.login(...)` calls known so far. */
  sectionCalls(): SectionCalls;
}

/**
 * Diagnostics of one secrets file (incl. the global one and `.example`) or `config.toml`: what
 * the editor shows and what `streamlit-secrets check` prints.
 */
export async function tomlFileDiagnostics(document: TextDocument, context: TomlFileContext): Promise<Diagnostic[]> {
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
    const cwd = merged?.chain.cwd ?? (await context.fallbackCwd(filePath));
    return configFileDiagnostics({ document, filePath: filePath ?? document.uri, parsed, decodeProblems: disk.decodeProblems, cwd, pathKind, ...(merged ? { merged } : {}) });
  }
  return secretsFileDiagnostics({ document, filePath: filePath ?? document.uri, parsed, ...disk, ...(merged ? { merged } : {}), sectionCalls: context.sectionCalls() });
}
