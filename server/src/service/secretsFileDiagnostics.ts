// Diagnostics of a secrets file: what makes Streamlit's load fail (syntax, Streamlit-only parser
// limits, root keys that cannot become environment variables), what silently goes wrong (a root
// key overwriting PATH, a value that is not exported, a key hidden by the shallow merge) and what
// Streamlit's own readers of `[connections.*]` and `[auth]` require. Pure: the feature reads the
// files and passes what it read. Messages name keys and files, never values.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { TextRange } from '../textRange';
import { locateSecretKeys, strictToml10Outcome } from '../toml/locateSecretKeys';
import { keyPathId, type ParsedSecretsToml, type ProblemSeverity, type SecretKeyLocations, type SecretNode, type TomlProblem } from '../toml/types';
import { checkAuthTable } from './authRules';
import { checkConnectionsTable, type SectionProblem } from './connectionRules';
import type { SectionCalls } from './sectionCalls';
import { environmentExportError, type MergedSecrets } from './mergeSecrets';
import { formatKeyPath, lostPaths } from './secretNodes';
import { sourceLabel } from './sourceLabels';
import { labelOf, placeWords } from './provenance';

/** `source` of every diagnostic this extension publishes. */
export const diagnosticSource = 'streamlit-secrets';

/** Environment variables whose silent replacement breaks the app, the interpreter or its libraries. */
export const importantEnvironmentVariables: readonly string[] = [
  'PATH', 'HOME', 'USER', 'USERNAME', 'LOGNAME', 'SHELL', 'PWD', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TERM', 'TZ',
  'TMPDIR', 'TEMP', 'TMP', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'PYTHONIOENCODING', 'PYTHONUTF8', 'VIRTUAL_ENV',
  'CONDA_PREFIX', 'LD_LIBRARY_PATH', 'LD_PRELOAD', 'DYLD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
  'SYSTEMROOT', 'WINDIR', 'COMSPEC', 'PATHEXT', 'APPDATA', 'LOCALAPPDATA', 'USERPROFILE', 'PROGRAMDATA', 'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'GIT_DIR', 'NODE_OPTIONS',
];

export interface SecretsFileDiagnosticsInput {
  document: TextDocument;
  /** Absolute path of the file (to find it in the chain). */
  filePath: string;
  parsed: ParsedSecretsToml;
  /** Problems of the bytes on disk (non-UTF-8, binary) that the editor buffer cannot show. */
  decodeProblems?: TomlProblem[];
  /**
   * The buffer lacks a byte-order mark that the file on disk has (editors hide it): `parsed` was
   * made from `"\uFEFF" + text` and its ranges are one character right of the buffer's.
   */
  bomOnDisk?: boolean;
  /** The merged chain the file belongs to (for shadowing and load errors). */
  merged?: MergedSecrets;
  /** `secrets.toml.example`: only TOML problems (it is a template, Streamlit never reads it). */
  example?: boolean;
  /** The workspace's `st.connection(...)` and `st.login(...)` calls (none when absent). */
  sectionCalls?: SectionCalls;
  /** Environment variable names compare case-insensitively on Windows. */
  platform?: NodeJS.Platform;
}

const severities: Record<ProblemSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Builds diagnostics on one document; ranges are offsets into its text. */
export class DiagnosticBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private locations: SecretKeyLocations | undefined;

  constructor(
    readonly document: TextDocument,
    private readonly offsetShift = 0,
  ) {}

  add(range: TextRange, message: string, severity: ProblemSeverity, code: string, extra: { data?: unknown; related?: DiagnosticRelatedInformation[]; tags?: Diagnostic['tags'] } = {}): Diagnostic {
    const length = this.document.getText().length;
    const start = Math.max(0, Math.min(length, range.start - this.offsetShift));
    const end = Math.max(start, Math.min(length, range.end - this.offsetShift));
    const diagnostic: Diagnostic = {
      range: { start: this.document.positionAt(start), end: this.document.positionAt(end) },
      message,
      severity: severities[severity],
      source: diagnosticSource,
      code,
    };
    if (extra.data !== undefined) diagnostic.data = extra.data;
    if (extra.related !== undefined && extra.related.length > 0) diagnostic.relatedInformation = extra.related;
    if (extra.tags !== undefined) diagnostic.tags = extra.tags;
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  /** Where a key path is written (its key token), walking up to the nearest located ancestor. */
  keyRange(path: readonly string[], text: string): TextRange {
    this.locations ??= locateSecretKeys(text);
    for (let length = path.length; length > 0; length--) {
      const found = this.locations.get(keyPathId(path.slice(0, length)));
      if (found?.[0] !== undefined) return found[0].keyRange;
    }
    return firstLineRange(text);
  }

  /** Every place a key path is written (a table can be opened by several headers). */
  keyRanges(path: readonly string[], text: string): TextRange[] {
    this.locations ??= locateSecretKeys(text);
    return (this.locations.get(keyPathId(path)) ?? []).map((location) => location.keyRange);
  }
}

/** The first line of the text (at least one character when there is one), for file-wide notes. */
export function firstLineRange(text: string): TextRange {
  const newline = text.indexOf('\n');
  const end = newline < 0 ? text.length : newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline;
  return { start: 0, end };
}

function isImportantVariable(key: string, platform: NodeJS.Platform): boolean {
  if (importantEnvironmentVariables.includes(key) || key.startsWith('STREAMLIT_')) return true;
  if (platform === 'win32') {
    const upper = key.toUpperCase();
    return importantEnvironmentVariables.some((name) => name.toUpperCase() === upper) || upper.startsWith('STREAMLIT_');
  }
  return false;
}

function sectionProblemsToDiagnostics(problems: SectionProblem[], builder: DiagnosticBuilder, text: string): void {
  for (const problem of problems) {
    const data = problem.missingKey === undefined ? undefined : { path: problem.path, missingKey: problem.missingKey };
    builder.add(builder.keyRange(problem.path, text), problem.message, problem.severity, problem.code, data === undefined ? {} : { data });
  }
}

/** Root keys: those that make Streamlit's load fail, that overwrite a vital variable, that are not exported. */
function checkRootKeys(root: SecretNode, builder: DiagnosticBuilder, text: string, platform: NodeJS.Platform): void {
  for (const [key, node] of root.children ?? []) {
    const range = builder.keyRange([key], text);
    const exportError = environmentExportError(key, node);
    if (exportError !== undefined) {
      builder.add(range, `Streamlit cannot load secrets with this key: ${exportError} (os.environ raises), so the app gets no secrets at all.${key.includes('=') || key === '' ? ' Rename the key or move it into a table.' : ''}`, 'error', 'root-key-invalid');
      continue;
    }
    const exported = node.kind === 'string' || node.kind === 'integer' || node.kind === 'float';
    if (exported && isImportantVariable(key, platform)) {
      builder.add(
        range,
        `Streamlit copies root string and number secrets into os.environ, so "${key}" overwrites the ${key} environment variable of the app's process (and of every subprocess it starts). Move it into a table, e.g. [app] ${formatKeyPath([key])} = …`,
        'warning',
        'root-key-env-override',
      );
    } else if (!exported && node.kind !== 'table') {
      const what = node.kind === 'array' ? 'an array' : node.kind === 'boolean' ? 'a boolean' : `a ${node.kind.replace(/-/g, ' ')}`;
      builder.add(range, `"${key}" is ${what}: Streamlit exports only root strings, integers and floats to os.environ, so os.environ / os.getenv("${key}") will not see it (st.secrets does).`, 'hint', 'root-value-not-exported');
    }
  }
}

function shadowMessages(input: SecretsFileDiagnosticsInput, root: SecretNode, builder: DiagnosticBuilder, text: string): void {
  const merged = input.merged;
  if (merged === undefined) return;
  const index = merged.sources.findIndex((source) => source.spec.path === input.filePath);
  if (index < 0) return;
  const label = (i: number): string => labelOf(merged, i);
  const relatedAt = (i: number, path: readonly string[]): DiagnosticRelatedInformation | undefined => {
    const source = merged.sources[i]!;
    if (source.text === undefined) return undefined;
    const other = new DiagnosticBuilder(documentLike(source.text));
    const range = other.keyRange(path, source.text);
    const start = other.document.positionAt(range.start);
    const end = other.document.positionAt(range.end);
    return { location: { uri: URI.file(source.spec.path).toString(), range: { start, end } }, message: `${placeWords(merged, i, start.line)}: "${formatKeyPath(path)}"` };
  };
  for (const [key, node] of root.children ?? []) {
    const entry = merged.entries.get(key);
    if (entry === undefined) continue;
    const whole = key === 'connections' ? ' Every [connections.*] section of this file is ignored.' : key === 'auth' ? ' The whole [auth] table of this file, providers included, is ignored.' : '';
    if (entry.winner !== index && entry.shadowed.includes(index)) {
      const winnerNode = entry.node;
      const lost = lostPaths(node, winnerNode, [key]);
      const lostText = lost.length > 0 ? ` Lost from this file: ${lost.join(', ')}.` : '';
      const related = relatedAt(entry.winner, [key]);
      builder.add(
        builder.keyRange([key], text),
        `"${formatKeyPath([key])}" is replaced by ${label(entry.winner)}, which Streamlit reads later: Streamlit merges whole top-level keys, so the app gets that file's whole "${formatKeyPath([key])}" and nothing of this one.${whole}${lostText}`,
        'information',
        'shadowed-key',
        { ...(related ? { related: [related] } : {}), data: { key, winner: merged.sources[entry.winner]!.spec.path, lost } },
      );
    } else if (entry.winner === index && entry.shadowed.length > 0) {
      const parts: string[] = [];
      const related: DiagnosticRelatedInformation[] = [];
      const allLost: string[] = [];
      for (const shadowedIndex of entry.shadowed) {
        const shadowedNode = merged.sources[shadowedIndex]!.root?.children?.get(key);
        const lost = shadowedNode === undefined ? [] : lostPaths(shadowedNode, node, [key]);
        allLost.push(...lost);
        parts.push(lost.length > 0 ? `${label(shadowedIndex)} (its ${lost.join(', ')} ${lost.length === 1 ? 'is' : 'are'} lost)` : label(shadowedIndex));
        const info = relatedAt(shadowedIndex, [key]);
        if (info) related.push(info);
      }
      const hiddenWhole = key === 'connections' ? ' Every [connections.*] section there is hidden, not only the ones named here.' : key === 'auth' ? ' The whole [auth] table there is hidden, providers included.' : '';
      builder.add(
        builder.keyRange([key], text),
        `"${formatKeyPath([key])}" here replaces the whole "${formatKeyPath([key])}" of ${parts.join(' and ')}: Streamlit merges whole top-level keys.${hiddenWhole}`,
        'information',
        'shadows-key',
        { related, data: { key, shadowed: entry.shadowed.map((i) => merged.sources[i]!.spec.path), lost: allLost } },
      );
    }
  }
}

/** A problem that already says the file is not TOML 1.0 (the strict check would repeat it). */
export function alreadySaysNotToml10(problem: TomlProblem): boolean {
  return problem.severity === 'error' || problem.code.startsWith('toml10-') || problem.code === 'streamlit-loads-malformed';
}

/**
 * The reader accepts some TOML 1.1 syntax silently (times without seconds, `\\x` escapes, newlines
 * and trailing commas in inline tables, impossible dates). TOML 1.0 rejects them and so does the
 * TOML 0.5 parser Streamlit uses: checked with a strict TOML 1.0 parse when nothing else is wrong.
 */
export function strictToml10Problem(text: string, streamlitLoads: boolean): TomlProblem | undefined {
  const { error } = strictToml10Outcome(text.replace(/^\ufeff/, ''));
  if (error === undefined) return undefined;
  const index = error.index;
  if (index === undefined) return undefined;
  const offset = Math.max(0, Math.min(text.length, index + (text.charCodeAt(0) === 0xfeff ? 1 : 0)));
  const raw = error.message;
  // The library's messages are fixed sentences; anything else is not echoed (it could quote the file).
  const reason = /^[A-Za-z ,.()-]{3,120}$/.test(raw) ? raw.replace(/\.$/, '') : 'the syntax here is not valid TOML 1.0';
  const lineEnd = text.indexOf('\n', offset);
  const end = offset < text.length ? Math.max(offset + 1, Math.min(lineEnd < 0 ? text.length : lineEnd, offset + 1)) : offset;
  const range = { start: offset >= text.length && text.length > 0 ? text.length - 1 : offset, end };
  // Streamlit's verdict is parseSecretsToml's (a model of its parser): where it loads, say so.
  if (streamlitLoads) {
    const message = `Invalid TOML: ${reason}. TOML 1.0 does not allow this; Streamlit's TOML parser loads the file anyway, but other TOML tools reject it.`;
    return { range, message, severity: 'warning', code: 'toml10-syntax' };
  }
  return {
    range,
    message: `Invalid TOML: ${reason}. TOML 1.0 does not allow this (only the TOML 1.1 draft does), and neither does the TOML 0.5 parser Streamlit uses.`,
    severity: 'error',
    code: 'toml10-syntax',
  };
}

function documentLike(text: string): TextDocument {
  // Only positionAt/getText are used on other files' text.
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  return {
    uri: '',
    languageId: 'streamlit-secrets',
    version: 0,
    lineCount: lineStarts.length,
    getText: () => text,
    offsetAt: () => 0,
    positionAt(offset: number) {
      let low = 0;
      let high = lineStarts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (lineStarts[mid]! <= offset) low = mid;
        else high = mid - 1;
      }
      return { line: low, character: offset - lineStarts[low]! };
    },
  };
}

/** Diagnostics of one secrets file (or its `.example`). */
export function secretsFileDiagnostics(input: SecretsFileDiagnosticsInput): Diagnostic[] {
  const shift = input.bomOnDisk ? 1 : 0;
  const builder = new DiagnosticBuilder(input.document, shift);
  const text = input.bomOnDisk ? `\ufeff${input.document.getText()}` : input.document.getText();
  for (const problem of input.decodeProblems ?? []) builder.add({ start: shift, end: shift }, problem.message, problem.severity, problem.code);
  for (const problem of input.parsed.problems) builder.add(problem.range, problem.message, problem.severity, problem.code);
  if (!input.parsed.problems.some(alreadySaysNotToml10)) {
    const strict = strictToml10Problem(text, input.parsed.root !== undefined);
    if (strict !== undefined) builder.add(strict.range, strict.message, strict.severity, strict.code);
  }

  const root = input.parsed.root;
  if (input.example) return builder.diagnostics;

  const merged = input.merged;
  const index = merged?.sources.findIndex((source) => source.spec.path === input.filePath) ?? -1;
  if (merged !== undefined && index < 0 && (merged.chain.filesFromConfig !== undefined || merged.chain.filesFromRun !== undefined)) {
    const decidedBy =
      merged.chain.filesFromRun !== undefined
        ? `the run configuration ${merged.chain.filesFromRun} sets secrets.files`
        : `${sourceLabel({ path: merged.chain.filesFromConfig!, role: 'configured' }, merged.chain)} sets [secrets] files`;
    builder.add(firstLineRange(text), `Streamlit does not read this file: ${decidedBy}, which replaces the default list of secrets files.`, 'information', 'not-in-chain');
  }
  if (merged?.loadError !== undefined && merged.loadError.source !== undefined && merged.loadError.source !== index) {
    const failing = merged.sources[merged.loadError.source]!;
    builder.add(
      firstLineRange(text),
      `Streamlit cannot load ${sourceLabel(failing.spec, merged.chain)} (${merged.loadError.message}), and one failing file aborts the whole load: the app gets no secrets at all, this file's included.`,
      'warning',
      'secrets-load-error',
      { data: { path: failing.spec.path } },
    );
  }
  if (root === undefined || root.kind !== 'table') return builder.diagnostics;
  if (builder.diagnostics.some((diagnostic) => diagnostic.severity === DiagnosticSeverity.Error)) {
    // The file does not load: root-level advice would only add noise.
    return builder.diagnostics;
  }
  checkRootKeys(root, builder, text, input.platform ?? process.platform);
  const connections = root.children?.get('connections');
  if (connections !== undefined) sectionProblemsToDiagnostics(checkConnectionsTable(connections, input.sectionCalls, input.merged?.chain.streamlitVersion), builder, text);
  const auth = root.children?.get('auth');
  if (auth !== undefined) sectionProblemsToDiagnostics(checkAuthTable(auth, input.sectionCalls, input.merged?.chain.streamlitVersion), builder, text);
  shadowMessages(input, root, builder, text);
  return builder.diagnostics;
}
