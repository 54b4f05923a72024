import { MarkupKind, Range, type Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { maskedBlock, typeLine, type HoverOptions } from './hover';
import type { MergedSecrets } from './mergeSecrets';
import { labelOf, loadErrorSentence, searchedFiles, shadowSentence } from './provenance';
import { revealLink } from './reveal';
import { keyPathAt, sourceIndexOf } from './secretLocations';
import { formatKeyPath, lostPaths, nodeAt } from './secretNodes';

/**
 * Hover on a key in a secrets file: whether this file wins the key or is shadowed (and by which
 * file), the sub-keys the shallow merge loses, env-var export, and a masked preview.
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
  const lines = [`**${formatKeyPath(keyPath)}**`];
  const index = sourceIndexOf(merged, filePath);
  if (index < 0) {
    lines.push(`Streamlit does not read this file for this app. It reads: ${searchedFiles(merged)}.`);
    return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range };
  }
  const failing = loadErrorSentence(merged);
  if (failing) lines.push(`⚠ ${failing}`);
  const source = merged.sources[index]!;
  const node = nodeAt(source.root, keyPath);
  if (node !== undefined) {
    lines.push(maskedBlock(keyPath, node, options.revealCharacters));
    lines.push(typeLine(node));
  }
  const entry = merged.entries.get(top);
  if (entry !== undefined && entry.winner === index) {
    lines.push(`✔ This file wins \`${formatKeyPath([top])}\`: the app reads its value from here.`);
    const shadow = shadowSentence(merged, entry);
    if (shadow) lines.push(shadow);
    if (keyPath.length === 1) {
      lines.push(
        entry.env
          ? `Exported: Streamlit also sets \`os.environ["${top}"]\` to this value.`
          : 'Not exported to `os.environ` (only root strings, integers and floats are).',
      );
    }
  } else if (entry !== undefined) {
    lines.push(
      `✘ Shadowed: \`${labelOf(merged, entry.winner)}\` also defines \`${formatKeyPath([top])}\` and replaces this file's whole value (Streamlit merges whole top-level keys). The app never sees this definition.`,
    );
    const own = source.root?.children?.get(top);
    const lost = own === undefined ? [] : lostPaths(own, entry.node, [top]);
    if (lost.length > 0) lines.push(`Sub-keys of this file that the app loses: ${lost.map((p) => `\`${p}\``).join(', ')}.`);
    if (keyPath.length === 1 && entry.env) lines.push(`\`os.environ["${top}"]\` gets the value from \`${labelOf(merged, entry.winner)}\`, not from here.`);
  }
  if (node !== undefined) lines.push(`[Reveal value](${revealLink(document.uri, keyPath)})`);
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n\n') }, range };
}
