import type { MergedEntry, MergedSecrets } from './mergeSecrets';
import { formatKeyPath, nodeAt } from './secretNodes';
import { roleNames, sourceLabel } from './sourceLabels';

/**
 * Labels of a merge's sources, one per source. `sourceLabel` resolves paths and a completion list
 * names the source of every item, so they are computed once per merge (a merge is immutable).
 */
const labelCache = new WeakMap<MergedSecrets, string[]>();

export function sourceLabels(merged: MergedSecrets): string[] {
  let labels = labelCache.get(merged);
  if (labels === undefined) {
    labels = merged.sources.map((source) => sourceLabel(source.spec, merged.chain));
    labelCache.set(merged, labels);
  }
  return labels;
}

/** `~/.streamlit/secrets.toml`-style label of source `index`. */
export function labelOf(merged: MergedSecrets, index: number): string {
  return sourceLabels(merged)[index]!;
}

/** "the project file `.streamlit/secrets.toml`" */
export function describeSource(merged: MergedSecrets, index: number): string {
  return `the ${roleNames[merged.sources[index]!.spec.role]} file \`${labelOf(merged, index)}\``;
}

/** The files Streamlit looks in, as labels, each marked when it does not exist. */
export function searchedFiles(merged: MergedSecrets): string {
  if (merged.sources.length === 0) return '(no file: `secrets.files` is an empty list)';
  return merged.sources
    .map((source, index) => `${labelOf(merged, index)}${source.kind === 'missing' ? ' (missing)' : ''}`)
    .join(', ');
}

/**
 * A path that an earlier file defines but the merged view lacks because a later file replaced its
 * whole top-level value: which file defines it and which file hides it.
 */
export function lostDefinition(merged: MergedSecrets, keyPath: readonly string[]): { entry: MergedEntry; definedIn: number } | undefined {
  const entry = merged.entries.get(keyPath[0] ?? '');
  if (entry === undefined || keyPath.length < 2) return undefined;
  for (let i = entry.shadowed.length - 1; i >= 0; i--) {
    const index = entry.shadowed[i]!;
    if (nodeAt(merged.sources[index]!.root, keyPath) !== undefined) return { entry, definedIn: index };
  }
  return undefined;
}

/** One sentence on why the whole load fails, naming the file; never a value. */
export function loadErrorSentence(merged: MergedSecrets): string | undefined {
  const error = merged.loadError;
  if (error === undefined) return undefined;
  const where = error.source !== undefined ? ` in \`${labelOf(merged, error.source)}\`` : '';
  return `Streamlit cannot load the secrets${where}: ${error.message}. The app gets no secrets at all: every \`st.secrets\` read raises.`;
}

/** One sentence for a key not found while some source was not read in full (a budget). */
export function incompleteSentence(merged: MergedSecrets): string | undefined {
  if (merged.incomplete === undefined) return undefined;
  return 'Not every secrets source was read in full (a size or count limit of this extension; Streamlit reads them all): the key may be in what was skipped, so the read is not reported as an error. The merged view says what was skipped.';
}

/** Sentence on the files a top-level key hides and the sub-keys lost with them. */
export function shadowSentence(merged: MergedSecrets, entry: MergedEntry): string | undefined {
  if (entry.shadowed.length === 0) return undefined;
  const hidden = entry.shadowed.map((index) => `\`${labelOf(merged, index)}\``).join(', ');
  let sentence = `Hides \`${formatKeyPath([entry.key])}\` of ${hidden} (Streamlit merges whole top-level keys).`;
  if (entry.lost.length > 0) sentence += ` Sub-keys lost: ${entry.lost.map((p) => `\`${p}\``).join(', ')}.`;
  return sentence;
}
