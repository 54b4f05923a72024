// Test helper: loads syntaxes/toml.tmLanguage.json with vscode-textmate + vscode-oniguruma (the
// same engine VS Code uses) and tokenises text line by line, the way the editor does.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export const repoRoot = path.resolve(__dirname, '../../..');
export const grammarPath = path.join(repoRoot, 'syntaxes', 'toml.tmLanguage.json');
export const fixturesDir = path.join(__dirname, 'fixtures');

/**
 * Per-line time limit handed to vscode-textmate; a line that hits it reports `stoppedEarly`.
 * Generous on purpose: it catches catastrophic backtracking (which takes far longer), not speed —
 * a busy machine must not make the test fail; speed is measured in the benchmark.
 */
export const LINE_TIME_LIMIT_MS = 10_000;

export interface Token {
  /** 0-based line number. */
  line: number;
  /** 0-based start and end (exclusive) columns, in UTF-16 code units (as in the editor). */
  startIndex: number;
  endIndex: number;
  text: string;
  /** Scope stack, outermost first (the first is always the root scope, `source.toml.streamlit`). */
  scopes: string[];
}

export interface TokenizedLine {
  text: string;
  tokens: Token[];
  stoppedEarly: boolean;
  /** Whether the line starts at the top level of the document (not inside a multi-line construct). */
  startsAtTopLevel: boolean;
}

/**
 * The grammar's root scope. Unique to this extension: another TOML extension registering
 * `source.toml` too would otherwise make the last registration win and swap grammars.
 */
export const ROOT_SCOPE = 'source.toml.streamlit';

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

/** The TOML grammar, loaded once per process. */
export function loadGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(path.join(repoRoot, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === ROOT_SCOPE ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    const grammar = await registry.loadGrammar(ROOT_SCOPE);
    if (!grammar) throw new Error(`${ROOT_SCOPE} grammar failed to load`);
    return grammar;
  })();
  return grammarPromise;
}

/** Splits on every line terminator, as the editor does (the terminators are not part of any line). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Tokenises a whole document and returns, per line, its tokens with text and scopes. */
export async function tokenize(text: string): Promise<TokenizedLine[]> {
  const grammar = await loadGrammar();
  const result: TokenizedLine[] = [];
  let state: vsctm.StateStack = vsctm.INITIAL;
  splitLines(text).forEach((lineText, line) => {
    const startsAtTopLevel = state.depth === vsctm.INITIAL.depth;
    const r = grammar.tokenizeLine(lineText, state, LINE_TIME_LIMIT_MS);
    state = r.ruleStack;
    const tokens = r.tokens
      .map((t) => {
        const endIndex = Math.min(t.endIndex, lineText.length);
        return { line, startIndex: t.startIndex, endIndex, text: lineText.slice(t.startIndex, endIndex), scopes: t.scopes };
      })
      .filter((t) => t.endIndex > t.startIndex || lineText.length === 0);
    result.push({ text: lineText, tokens, stoppedEarly: r.stoppedEarly, startsAtTopLevel });
  });
  return result;
}

/** The token covering a column of a tokenised line. */
export function tokenAt(line: TokenizedLine, column: number): Token | undefined {
  return line.tokens.find((t) => t.startIndex <= column && column < t.endIndex);
}

/** Compact rendering of a tokenised line, handy in assertion messages. */
export function describeLine(line: TokenizedLine): string {
  return line.tokens.map((t) => `  ${JSON.stringify(t.text)}: ${t.scopes.slice(1).join(' ')}`).join('\n');
}
