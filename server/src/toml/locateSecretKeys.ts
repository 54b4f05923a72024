// Where each key of a secrets file is written. Lazy (definitions, hovers, secrets-file
// diagnostics), so a second parse here is fine; it reuses parseSecretsToml's Streamlit repairs so
// that keys Streamlit accepts (non-ASCII bare keys, a BOM key, extended inline tables) are found.
import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';
import type { TextRange } from '../textRange';
import { analyzeSecretsToml, toOriginalOffset } from './parseSecretsToml';
import type { PreparedToml } from './parseSecretsToml';
import { rememberRecentByText } from './recentByText';
import { keyPathId } from './types';
import type { KeyLocation, SecretKeyLocations } from './types';

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
  return locateRecent(text);
}

/**
 * The last few results, by text: diagnostics, hovers and definitions of one edit all ask for the
 * same file's locations (secrets-file diagnostics once per shadowed key of the other file). Larger
 * (pathological) files are not kept alive.
 */
const locateRecent = rememberRecentByText((text) => locateUncached(text), { size: 4, maxLength: 4 * 1024 * 1024 });

function locateUncached(text: string): SecretKeyLocations {
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
      const ast = parseBestEffort(segment);
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
function parseBestEffort(text: string): AST.TOMLProgram | undefined {
  try {
    return parseTOML(text, { tomlVersion: '1.0' });
  } catch {
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
