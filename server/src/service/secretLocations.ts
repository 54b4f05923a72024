import * as path from 'node:path';
import { locateSecretKeys } from '../toml/locateSecretKeys';
import { keyPathId, type KeyLocation, type SecretKeyLocations } from '../toml/types';
import type { LoadedSecretsSource, MergedSecrets } from './mergeSecrets';

// Key locations are computed lazily (a second parse) and only for the files a request needs;
// the cache follows the parsed text, which the workspace keeps once per content version. Many small
// files (one per app) stay cached; large ones are left to `locateSecretKeys`, which remembers the
// latest few texts anyway — each version of a 5,000-key file holds thousands of locations.
const byText = new Map<string, SecretKeyLocations>();
const maxCached = 32;
const maxCachedChars = 64 * 1024;
const maxCachedTextLength = 16 * 1024;
let cachedChars = 0;

/** Every definition site of every key path of a secrets file's text (cached per text). */
export function keyLocationsOf(text: string): SecretKeyLocations {
  let found = byText.get(text);
  if (found === undefined) {
    found = locateSecretKeys(text);
    if (text.length > maxCachedTextLength) return found;
    while (byText.size > 0 && (byText.size >= maxCached || cachedChars + text.length > maxCachedChars)) {
      const oldest = byText.keys().next().value as string;
      byText.delete(oldest);
      cachedChars -= oldest.length;
    }
    byText.set(text, found);
    cachedChars += text.length;
  } else {
    // Keep recently used texts: move to the end.
    byText.delete(text);
    byText.set(text, found);
  }
  return found;
}

/** Where `keyPath` is written in a source of the chain (first definition first); [] if unknown. */
export function locationsInSource(source: LoadedSecretsSource, keyPath: readonly string[]): KeyLocation[] {
  if (source.programmatic !== undefined) return source.programmatic.keys.get(keyPathId(keyPath)) ?? [];
  if (source.kind !== 'file' || source.text === undefined) return [];
  return keyLocationsOf(source.text).get(keyPathId(keyPath)) ?? [];
}

/** Index into `merged.sources` of the source read from `filePath`, or -1. */
export function sourceIndexOf(merged: MergedSecrets, filePath: string): number {
  const wanted = path.resolve(filePath);
  return merged.sources.findIndex((source) => path.resolve(source.spec.path) === wanted);
}

/** The key path whose key (or, failing that, value/header) range holds `offset`: the innermost one. */
export function keyPathAt(text: string, offset: number): { path: string[]; location: KeyLocation; onKey: boolean } | undefined {
  let best: { path: string[]; location: KeyLocation; onKey: boolean; size: number } | undefined;
  for (const [id, locations] of keyLocationsOf(text)) {
    for (const location of locations) {
      for (const [range, onKey] of [[location.keyRange, true], [location.valueRange, false]] as const) {
        if (offset < range.start || offset > range.end) continue;
        const size = range.end - range.start;
        // A key wins over a value range of the same size; smaller ranges win (innermost).
        if (best === undefined || size < best.size || (size === best.size && onKey && !best.onKey)) {
          best = { path: JSON.parse(id) as string[], location, onKey, size };
        }
      }
    }
  }
  if (best === undefined) return undefined;
  // On a table header's value range (`[a.b]`), the header names the whole path of its last key.
  return { path: best.path, location: best.location, onKey: best.onKey };
}
