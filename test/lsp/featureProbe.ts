// Generic drivers for the robustness and leak-audit suites: read what the server advertises in its
// initialize result and call EVERY advertised provider at every interesting position of a document,
// so features landing later are covered without touching these tests. Each request is raced
// against a time bound; a slow or missing answer fails the test.
import type { Diagnostic, Position, ServerCapabilities } from 'vscode-languageserver-protocol';
import { MergedSecretsDetailRequestMethod, MergedSecretsRequestMethod } from '../../common/protocol';
import type { LspTestClient } from '../helpers/lspClient';

export interface ProbeRecord {
  method: string;
  params: unknown;
  result: unknown;
  ms: number;
}

/** Longest any single request may take before the test fails (a hang, not a slow answer). */
export const requestBoundMs = Number(process.env.LSP_REQUEST_BOUND_MS ?? 5000);

export async function timedRequest(client: LspTestClient, method: string, params: unknown, boundMs = requestBoundMs): Promise<ProbeRecord> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${method} did not answer within ${boundMs} ms: ${JSON.stringify(params).slice(0, 300)}`)), boundMs);
  });
  try {
    const result = await Promise.race([client.request<unknown>(method, params), timeout]);
    return { method, params, result, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** The start of every token (word or punctuation run) and every line end: where features act. */
export function tokenPositions(text: string, limit = Infinity): Position[] {
  const positions: Position[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((line, lineIndex) => {
    const re = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
    for (const match of line.matchAll(re)) positions.push({ line: lineIndex, character: match.index });
    positions.push({ line: lineIndex, character: line.length });
  });
  if (positions.length <= limit) return positions;
  const step = positions.length / limit;
  return Array.from({ length: limit }, (_, i) => positions[Math.floor(i * step)]!);
}

/** Which advertised capabilities this probe knows how to call (the rest are listed as unprobed). */
const positional: Record<string, string> = {
  completionProvider: 'textDocument/completion',
  hoverProvider: 'textDocument/hover',
  definitionProvider: 'textDocument/definition',
  declarationProvider: 'textDocument/declaration',
  typeDefinitionProvider: 'textDocument/typeDefinition',
  implementationProvider: 'textDocument/implementation',
  referencesProvider: 'textDocument/references',
  documentHighlightProvider: 'textDocument/documentHighlight',
  signatureHelpProvider: 'textDocument/signatureHelp',
  renameProvider: 'textDocument/prepareRename',
};
const whole: Record<string, string> = {
  documentSymbolProvider: 'textDocument/documentSymbol',
  foldingRangeProvider: 'textDocument/foldingRange',
  documentLinkProvider: 'textDocument/documentLink',
  codeLensProvider: 'textDocument/codeLens',
  colorProvider: 'textDocument/documentColor',
};
const handledElsewhere = new Set(['textDocumentSync', 'workspace', 'codeActionProvider', 'inlayHintProvider', 'semanticTokensProvider', 'executeCommandProvider', 'diagnosticProvider', 'positionEncoding']);

export function advertised(capabilities: ServerCapabilities | undefined): string[] {
  return Object.entries(capabilities ?? {})
    .filter(([, value]) => value !== undefined && value !== false && value !== null)
    .map(([name]) => name);
}

/** Advertised capabilities that `probeDocument` does not call (reported, so a gap is visible). */
export function unprobed(capabilities: ServerCapabilities | undefined): string[] {
  return advertised(capabilities).filter((name) => !(name in positional) && !(name in whole) && !handledElsewhere.has(name));
}

export interface ProbeOptions {
  /** At most this many positions per document (evenly spread); default all. */
  maxPositions?: number;
  diagnostics?: Diagnostic[];
}

/**
 * Calls every advertised provider on one open document: positional ones at every token start,
 * whole-document ones once, code actions for every line and every diagnostic, resolve requests for
 * what they return, and the custom merged-secrets requests. Returns every answer.
 */
export async function probeDocument(client: LspTestClient, uri: string, text: string, options: ProbeOptions = {}): Promise<ProbeRecord[]> {
  const capabilities = client.initializeResult?.capabilities ?? {};
  const names = advertised(capabilities);
  const records: ProbeRecord[] = [];
  const textDocument = { uri };
  const positions = tokenPositions(text, options.maxPositions);
  for (const position of positions) {
    for (const name of names) {
      const method = positional[name];
      if (method === undefined) continue;
      const params = method === 'textDocument/references' ? { textDocument, position, context: { includeDeclaration: true } } : { textDocument, position };
      const record = await timedRequest(client, method, params);
      records.push(record);
      if (name === 'completionProvider' && (capabilities.completionProvider as { resolveProvider?: boolean }).resolveProvider) {
        const items = Array.isArray(record.result) ? record.result : ((record.result as { items?: unknown[] } | null)?.items ?? []);
        for (const item of items.slice(0, 5)) records.push(await timedRequest(client, 'completionItem/resolve', item));
      }
      if (name === 'renameProvider' && record.result) {
        records.push(await timedRequest(client, 'textDocument/rename', { textDocument, position, newName: 'renamed_key' }));
      }
    }
  }
  for (const name of names) {
    const method = whole[name];
    if (method !== undefined) records.push(await timedRequest(client, method, { textDocument }));
  }
  const lineCount = text.split(/\r\n|\r|\n/).length;
  if (capabilities.codeActionProvider) {
    const diagnostics = options.diagnostics ?? client.diagnostics.get(uri) ?? [];
    const ranges = [
      ...diagnostics.map((d) => ({ range: d.range, diagnostics: [d] })),
      ...Array.from({ length: Math.min(lineCount, options.maxPositions ?? Infinity) }, (_, line) => ({
        range: { start: { line, character: 0 }, end: { line, character: 10_000 } },
        diagnostics: diagnostics.filter((d) => d.range.start.line <= line && d.range.end.line >= line),
      })),
    ];
    const resolves = typeof capabilities.codeActionProvider === 'object' && capabilities.codeActionProvider.resolveProvider === true;
    for (const { range, diagnostics: inRange } of ranges) {
      const record = await timedRequest(client, 'textDocument/codeAction', { textDocument, range, context: { diagnostics: inRange } });
      records.push(record);
      if (resolves && Array.isArray(record.result)) {
        for (const action of record.result.slice(0, 5)) records.push(await timedRequest(client, 'codeAction/resolve', action));
      }
    }
  }
  if (capabilities.inlayHintProvider) {
    records.push(await timedRequest(client, 'textDocument/inlayHint', { textDocument, range: { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } } }));
  }
  if (capabilities.semanticTokensProvider) records.push(await timedRequest(client, 'textDocument/semanticTokens/full', { textDocument }));
  if (capabilities.diagnosticProvider) records.push(await timedRequest(client, 'textDocument/diagnostic', { textDocument }));
  records.push(await timedRequest(client, MergedSecretsRequestMethod, { uri }));
  records.push(await timedRequest(client, MergedSecretsDetailRequestMethod, { uri }));
  return records;
}

/** Waits until diagnostics were published for the given version of a document. */
export async function diagnosticsFor(client: LspTestClient, uri: string, version: number, timeoutMs = 10_000): Promise<Diagnostic[]> {
  const found = await client.waitFor(
    () => [...client.published].reverse().find((p) => p.uri === uri && (p.version === undefined || p.version >= version)),
    timeoutMs,
    `diagnostics of ${uri} version ${version}`,
  );
  return found.diagnostics;
}

/** Throws unless every diagnostic's range lies inside `text` (lines and UTF-16 columns). */
export function assertDiagnosticsInside(diagnostics: Diagnostic[], text: string, what: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  for (const diagnostic of diagnostics) {
    for (const end of [diagnostic.range.start, diagnostic.range.end]) {
      const line = lines[end.line];
      if (line === undefined || end.character < 0 || end.character > line.length) {
        throw new Error(`${what}: diagnostic ${JSON.stringify(diagnostic.range)} (${diagnostic.message}) lies outside the document (${lines.length} lines)`);
      }
    }
    const { start, end } = diagnostic.range;
    if (start.line > end.line || (start.line === end.line && start.character > end.character)) throw new Error(`${what}: inverted range ${JSON.stringify(diagnostic.range)}`);
  }
}
