// Where each key of a secrets file is written. Lazy (definitions, hovers, secrets-file
// diagnostics), so a second parse here is fine; it reuses parseSecretsToml's Streamlit repairs so
// that keys Streamlit accepts (non-ASCII bare keys, a BOM key, extended inline tables) are found.
import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import type { TextRange } from '../textRange';
import { analyzeSecretsToml, parseSecretsToml, toOriginalOffset } from './parseSecretsToml';
import { locateLikeStreamlit } from './streamlitTomlLoad';
import type { PreparedToml } from './parseSecretsToml';
import { rememberRecentByText } from './recentByText';
import { minChunkedLength, splitTopLevelChunks } from './topLevelChunks';
import { keyPathId } from './types';
import type { KeyLocation, SecretKeyLocations, SecretNode } from './types';

/** Same limit as the workspace's `maxAnalysedFileBytes` (this module does no I/O, so it keeps its own). */
export const maxLocatedTextLength = 5 * 1024 * 1024;

/**
 * Every definition site of every key path: `a.b = 1` defines `a` and `a.b`; `[a.b]` defines `a`
 * and `a.b`; keys inside `[[arrays.of.tables]]` are listed under the array's path without an
 * index (all elements share one path). Best effort on broken documents; never throws.
 */
export function locateSecretKeys(text: string): SecretKeyLocations {
  // The workspace does not analyse files this large either; locating keys in one takes seconds.
  if (text.length > maxLocatedTextLength) return new Map();
  return locateRecent(text).locations;
}

/** One text's key locations, with the outcome of a strict TOML 1.0 parse of it when one was made. */
interface Located {
  locations: SecretKeyLocations;
  toml10?: Toml10Outcome;
}

/**
 * The last few results, by text: diagnostics, hovers and definitions of one edit all ask for the
 * same file's locations (secrets-file diagnostics once per shadowed key of the other file). Larger
 * (pathological) files are not kept alive.
 */
const locateRecent = rememberRecentByText((text) => locateUncached(text), { size: 3, maxLength: 4 * 1024 * 1024 });

function locateUncached(text: string): Located {
  if (text.length >= minChunkedLength && text.charCodeAt(0) !== 0xfeff) {
    const composed = locateByChunks(text);
    // Every run is valid TOML 1.0 and no top-level key spans two: so is the whole text.
    if (composed !== undefined) return { locations: withStreamlitOnlyKeys(text, composed), toml10: {} };
  }
  const located: Located = { locations: new Map() };
  located.locations = withStreamlitOnlyKeys(text, locateWhole(text, (outcome) => (located.toml10 = outcome)));
  return located;
}

/** Locations from one parse of the whole text, nothing remembered (tests compare it with `locateSecretKeys`). */
export function locateSecretKeysWhole(text: string): SecretKeyLocations {
  return withStreamlitOnlyKeys(text, locateWhole(text, () => undefined));
}

/**
 * Keys Streamlit loads that the TOML 1.0 reading does not have (a malformed file `toml` 0.10.2
 * loads anyway, a key name it keeps verbatim) are located where `toml` 0.10.2 reads them.
 */
function withStreamlitOnlyKeys(text: string, locations: SecretKeyLocations): SecretKeyLocations {
  const root = parseSecretsToml(text).root;
  if (root === undefined || everyTableKeyLocated(root, [], locations)) return locations;
  for (const [id, list] of locateLikeStreamlit(text)) if (!locations.has(id)) locations.set(id, list);
  return locations;
}

function everyTableKeyLocated(node: SecretNode, path: string[], locations: SecretKeyLocations): boolean {
  if (node.kind !== 'table' || node.children === undefined) return true;
  for (const [key, child] of node.children) {
    const childPath = [...path, key];
    if (!locations.has(keyPathId(childPath)) || !everyTableKeyLocated(child, childPath, locations)) return false;
  }
  return true;
}

/** Key locations of one run of a large text (topLevelChunks.ts), relative to the run. */
interface LocatedChunk {
  locations: SecretKeyLocations;
  /** The run parsed as strict TOML 1.0 without repairs: its locations are exact. */
  clean: boolean;
  /** Top-level keys the run defines. */
  topLevel: string[];
}

/** Located runs of the last two large texts (the project and the global file, say). */
let olderLocated = new Map<string, LocatedChunk>();
let newerLocated = new Map<string, LocatedChunk>();

/**
 * Locations of a large text from its runs of top-level tables, the unchanged runs reused from the
 * previous versions: after a one-character edit, one small run is parsed instead of the file.
 * Undefined (locate the whole text) unless every run parses cleanly and no top-level key is
 * defined in two runs — then the text is valid TOML 1.0 exactly when its runs are, and each run's
 * keys are located as in the whole text, shifted by where the run starts.
 */
function locateByChunks(text: string): SecretKeyLocations | undefined {
  const chunks = splitTopLevelChunks(text);
  if (chunks.length < 2) return undefined;
  const next = new Map<string, LocatedChunk>();
  const result: SecretKeyLocations = new Map();
  const topLevel = new Set<string>();
  try {
    for (const chunk of chunks) {
      const chunkText = text.slice(chunk.start, chunk.end);
      let located = next.get(chunkText) ?? newerLocated.get(chunkText) ?? olderLocated.get(chunkText);
      if (located === undefined) {
        let clean = false;
        const locations = locateWhole(chunkText, (outcome) => (clean = outcome.error === undefined));
        const keys = [...locations.keys()].map((id) => JSON.parse(id) as string[]).filter((path) => path.length === 1).map((path) => path[0]!);
        located = { locations, clean, topLevel: keys };
      }
      next.set(chunkText, located);
      if (!located.clean) return undefined;
      for (const key of located.topLevel) {
        if (topLevel.has(key)) return undefined;
        topLevel.add(key);
      }
      const shift = chunk.start;
      for (const [id, list] of located.locations) {
        const shifted = list.map((l) => ({
          keyRange: { start: l.keyRange.start + shift, end: l.keyRange.end + shift },
          valueRange: { start: l.valueRange.start + shift, end: l.valueRange.end + shift },
        }));
        const existing = result.get(id);
        if (existing === undefined) result.set(id, shifted);
        else existing.push(...shifted);
      }
    }
  } finally {
    olderLocated = newerLocated;
    newerLocated = next;
  }
  return result;
}

/** Locates keys in one parse of the whole text; `record` gets the strict TOML 1.0 outcome when the text is parsed as is. */
function locateWhole(text: string, record: (outcome: Toml10Outcome) => void): SecretKeyLocations {
  const locations: SecretKeyLocations = new Map();
  try {
    const analysis = analyzeSecretsToml(text);
    const prepared = analysis.prepared;
    const cuts = [0, ...analysis.splits.map((s) => s.start), prepared.text.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const context = i === 0 ? [] : analysis.splits[i - 1].context;
      const injected = context.length === 0 ? '' : `[${context.map((k) => JSON.stringify(k)).join('.')}]\n`;
      const shift = cuts[i] - injected.length;
      const segment = injected + prepared.text.slice(cuts[i], cuts[i + 1]);
      // A text with no repairs and no splits is parsed whole: its TOML 1.0 outcome is remembered
      // for the strict check of the secrets-file diagnostics (one syntax tree per edit, not two).
      const whole = cuts.length === 2 && prepared.text === text && text.charCodeAt(0) !== 0xfeff;
      const ast = parseBestEffort(segment, whole ? record : undefined);
      if (ast === undefined) continue;
      const add = (path: string[], keyRange: [number, number], valueRange: [number, number]): void => {
        if (keyRange[0] < injected.length) return; // the synthetic header itself
        const location: KeyLocation = {
          keyRange: toOriginal(prepared, keyRange, shift),
          valueRange: toOriginal(prepared, valueRange, shift),
        };
        const id = keyPathId(path);
        const list = locations.get(id);
        if (list) list.push(location);
        else locations.set(id, [location]);
      };
      collect(ast, segment, add);
    }
  } catch {
    // Best effort: whatever was located so far.
  }
  return locations;
}

function toOriginal(prepared: PreparedToml, r: [number, number], shift: number): TextRange {
  return { start: toOriginalOffset(prepared, r[0] + shift), end: toOriginalOffset(prepared, r[1] + shift) };
}

/** Parses; on a syntax error, retries with the text cut before the offending line. */
function parseBestEffort(text: string, record?: (outcome: Toml10Outcome) => void): AST.TOMLProgram | undefined {
  try {
    const ast = parseTOML(text, { tomlVersion: '1.0' });
    record?.({});
    return ast;
  } catch (error) {
    record?.(toml10Failure(error));
    // Streamlit's parser accepts some escapes TOML 1.0 rejects (`"\x33"`); TOML 1.1 reads them, so
    // keys on such lines are still located.
  }
  try {
    return parseTOML(text, { tomlVersion: '1.1' });
  } catch (e) {
    const index = typeof (e as { index?: unknown }).index === 'number' ? (e as { index: number }).index : -1;
    const cut = index > 0 ? text.lastIndexOf('\n', index - 1) + 1 : 0;
    if (cut <= 0) return undefined;
    try {
      return parseTOML(text.slice(0, cut), { tomlVersion: '1.0' });
    } catch {
      return undefined;
    }
  }
}

/** How a strict TOML 1.0 parse of a whole text ended: no error, or the parser's error. */
export interface Toml10Outcome {
  error?: { index: number | undefined; message: string };
}

function toml10Failure(error: unknown): Toml10Outcome {
  const index = (error as { index?: unknown }).index;
  return { error: { index: typeof index === 'number' ? index : undefined, message: error instanceof Error ? error.message : '' } };
}

/**
 * Parses `text` as strict TOML 1.0 (toml-eslint-parser). Locating keys parses the same text with
 * the same parser, so this asks for the (remembered) locations first and reuses that parse's
 * outcome: a large secrets file then costs one syntax tree per edit instead of two.
 */
export function strictToml10Outcome(text: string): Toml10Outcome {
  // Remembered with the locations (kept for the same texts), also when this parse had to make it.
  const located: Located | undefined = text.length <= maxLocatedTextLength ? locateRecent(text) : undefined;
  if (located?.toml10 !== undefined) return located.toml10;
  let outcome: Toml10Outcome;
  try {
    parseTOML(text, { tomlVersion: '1.0' });
    outcome = {};
  } catch (error) {
    outcome = toml10Failure(error);
  }
  if (located !== undefined) located.toml10 = outcome;
  return outcome;
}

type Add = (path: string[], keyRange: [number, number], valueRange: [number, number]) => void;

function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

/**
 * Keys nested deeper than this are not located: each location copies its path, so a 10,000-part
 * dotted key would cost 50 million copies (seconds) for positions nobody can use.
 */
const maxLocatedDepth = 256;

function collect(ast: AST.TOMLProgram, text: string, add: Add): void {
  const keyValue = (kv: AST.TOMLKeyValue, base: string[]): void => {
    const path = [...base];
    for (const k of kv.key.keys) {
      if (path.length >= maxLocatedDepth) return;
      path.push(keyName(k));
      add([...path], k.range, kv.value.range);
    }
    if (kv.value.type === 'TOMLInlineTable') for (const inner of kv.value.body) keyValue(inner, path);
  };
  for (const item of ast.body[0].body) {
    if (item.type === 'TOMLKeyValue') {
      keyValue(item, []);
      continue;
    }
    const closing = item.kind === 'array' ? ']]' : ']';
    const end = text.indexOf(closing, item.key.range[1]);
    const header: [number, number] = [item.range[0], end < 0 ? item.key.range[1] : end + closing.length];
    const path: string[] = [];
    for (const k of item.key.keys) {
      if (path.length >= maxLocatedDepth) break;
      path.push(keyName(k));
      add([...path], k.range, header);
    }
    for (const kv of item.body) keyValue(kv, path);
  }
}
