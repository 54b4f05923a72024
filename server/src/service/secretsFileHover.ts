import { MarkupKind, Range, type Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { environCode, maskedBlock, revealMarkdown, typeWords, type HoverOptions } from './hover';
import { md } from './markdown';
import type { MergedSecrets } from './mergeSecrets';
import { describeSource, keyList, loadErrorSentence, searchedFiles, shadowSentence } from './provenance';
import { keyPathAt, sourceIndexOf } from './secretLocations';
import { formatKeyPath, lostPaths, nodeAt } from './secretNodes';

/**
 * Hover on a key in a secrets file, leading with what matters: whether the app reads this value or
 * which file replaces it; then the masked value, what it replaces and the sub-keys the shallow merge
 * loses, env-var export, the reveal link. Each fact once.
 */
export function doSecretsFileHover(
  document: TextDocument,
  offset: number,
  merged: MergedSecrets,
  filePath: string,
  options: HoverOptions,
): Hover | null {
  const at = keyPathAt(document.getText(), offset);
  if (at === undefined) return null;
  const keyPath = at.path;
  const top = keyPath[0]!;
  const range = Range.create(document.positionAt(at.location.keyRange.start), document.positionAt(at.location.keyRange.end));
  const key = md.code(formatKeyPath(keyPath));
  const hover = (lines: string[]): Hover => ({ contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range });
  const index = sourceIndexOf(merged, filePath);
  if (index < 0) return hover([`${key} — Streamlit does not read this file for this app`, `It reads: ${searchedFiles(merged)}.`]);
  const source = merged.sources[index]!;
  const node = nodeAt(source.root, keyPath);
  const entry = merged.entries.get(top);
  const lines: string[] = [];
  const failing = loadErrorSentence(merged);
  const topCode = md.code(formatKeyPath([top]));
  if (entry !== undefined && entry.winner === index) {
    lines.push(`${key} — ${node === undefined ? '' : `${typeWords(node)}, `}✔ the app reads it from this file`);
    if (failing) lines.push(`⚠ ${failing}`);
    if (node !== undefined) lines.push(maskedBlock(keyPath, node, options.revealCharacters));
    const shadow = shadowSentence(merged, entry);
    if (shadow) lines.push(shadow);
    if (keyPath.length === 1) {
      lines.push(entry.env ? `Also in ${environCode(top)} once the secrets load.` : 'Not in `os.environ` (Streamlit exports only top-level strings, integers and floats).');
    }
  } else if (entry !== undefined) {
    lines.push(`${key} — ✘ replaced by ${describeSource(merged, entry.winner)}: the app never sees this value`);
    if (failing) lines.push(`⚠ ${failing}`);
    if (node !== undefined) lines.push(maskedBlock(keyPath, node, options.revealCharacters));
    lines.push(`Streamlit merges whole top-level keys: the later file's ${topCode} replaces this file's whole ${topCode}.`);
    const own = source.root?.children?.get(top);
    const lost = own === undefined ? [] : lostPaths(own, entry.node, [top]);
    if (lost.length > 0) lines.push(`Sub-keys of this file the app loses: ${keyList(lost)}.`);
    if (keyPath.length === 1 && entry.env) lines.push(`${environCode(top)} gets the value from ${describeSource(merged, entry.winner)}, not from here.`);
  } else {
    lines.push(key);
    if (failing) lines.push(`⚠ ${failing}`);
    if (node !== undefined) lines.push(maskedBlock(keyPath, node, options.revealCharacters));
  }
  if (node !== undefined) lines.push(revealMarkdown(document.uri, keyPath));
  return hover(lines);
}
