import type { MergedEntry, MergedSecrets } from './mergeSecrets';
import { md } from './markdown';
import { formatKeyPath, nodeAt } from './secretNodes';
import { roleNames, sourceLabel } from './sourceLabels';

// The words every face uses for the files of a chain. Plain text (diagnostics, code action titles)
// and markdown (hovers, completion details) come from the same sentences: markdown only wraps
// repository text (file labels, key names, parser messages) in `md.code`/`md.text`.

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

/** "global file ~/.streamlit/secrets.toml" (plain text). */
export function fileWords(merged: MergedSecrets, index: number): string {
  return `${roleNames[merged.sources[index]!.spec.role]} ${labelOf(merged, index)}`;
}

/** "global file ~/.streamlit/secrets.toml, line 7" (plain text; `line` is 0-based). */
export function placeWords(merged: MergedSecrets, index: number, line: number): string {
  return `${fileWords(merged, index)}, line ${line + 1}`;
}

/** "global file `~/.streamlit/secrets.toml`" (markdown). */
export function fileMarkdown(merged: MergedSecrets, index: number): string {
  return `${roleNames[merged.sources[index]!.spec.role]} ${md.code(labelOf(merged, index))}`;
}

/** "the project file `.streamlit/secrets.toml`" (markdown). */
export function describeSource(merged: MergedSecrets, index: number): string {
  return `the ${fileMarkdown(merged, index)}`;
}

/** The files Streamlit reads, as markdown labels, each marked when it does not exist. */
export function searchedFiles(merged: MergedSecrets): string {
  if (merged.sources.length === 0) return 'no file (`secrets.files` is an empty list)';
  return merged.sources
    .map((source, index) => `${md.code(labelOf(merged, index))}${source.kind === 'missing' ? ' (missing)' : ''}`)
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

/** One sentence (markdown) on why the whole load fails, naming the file; never a value. */
export function loadErrorSentence(merged: MergedSecrets): string | undefined {
  const error = merged.loadError;
  if (error === undefined) return undefined;
  const where = error.source !== undefined ? ` (${fileMarkdown(merged, error.source)})` : '';
  return `Streamlit cannot load the secrets${where}: ${md.text(error.message)}. The app gets no secrets at all: every \`st.secrets\` read raises.`;
}

/** One sentence for a key not found while some source was not read in full (a budget). */
export function incompleteSentence(merged: MergedSecrets): string | undefined {
  if (merged.incomplete === undefined) return undefined;
  return 'Not every secrets source was read in full (a size or count limit of this extension; Streamlit reads them all): the key may be in what was skipped, so the read is not reported as an error. The merged view says what was skipped.';
}

/** `a`, `b` and 2 more (markdown code spans). */
export function keyList(paths: readonly string[], shown = 5): string {
  const listed = paths.slice(0, shown).map((p) => md.code(p));
  if (paths.length > shown) listed.push(`${paths.length - shown} more`);
  return listed.join(', ');
}

/**
 * What a winning top-level key replaces (markdown): "Replaces `db` of the global file
 * `~/.streamlit/secrets.toml` (Streamlit merges whole top-level keys); sub-keys lost: `db.port`."
 */
export function shadowSentence(merged: MergedSecrets, entry: MergedEntry): string | undefined {
  if (entry.shadowed.length === 0) return undefined;
  const replaced = entry.shadowed.map((index) => `the ${fileMarkdown(merged, index)}`).join(' and ');
  let sentence = `Replaces ${md.code(formatKeyPath([entry.key]))} of ${replaced} (Streamlit merges whole top-level keys)`;
  if (entry.lost.length > 0) sentence += `; ${entry.lost.length === 1 ? 'sub-key' : 'sub-keys'} lost: ${keyList(entry.lost)}`;
  return `${sentence}.`;
}
