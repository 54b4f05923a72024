import { MarkupKind, Range, type Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { localOnlyNote } from '../../../common/localOnly';
import type { PythonSecretsAnalysis } from '../python/types';
import type { SecretNode } from '../toml/types';
import type { TextRange } from '../textRange';
import { accessTargetAt } from './accessTarget';
import { firstPartyConnectionTypes } from './connectionRules';
import { describeType, maskValue } from './masking';
import { lookupSecret, type MergedEntry, type MergedSecrets } from './mergeSecrets';
import { describeSource, incompleteSentence, labelOf, loadErrorSentence, lostDefinition, searchedFiles, shadowSentence } from './provenance';
import { revealLink } from './reveal';
import { formatKeyPath, pythonTypeName } from './secretNodes';

export interface HoverOptions {
  /** Leading characters masked previews may show (setting `maskRevealCharacters`). */
  revealCharacters: number;
}

function toRange(document: TextDocument, range: TextRange): Range {
  return Range.create(document.positionAt(range.start), document.positionAt(range.end));
}

/** A fenced `key = <masked>` line: tables list their keys, every value masked. */
export function maskedBlock(keyPath: readonly string[], node: SecretNode, revealCharacters: number): string {
  return ['```toml', `${formatKeyPath(keyPath)} = ${maskValue(node, revealCharacters)}`, '```'].join('\n');
}

/** The type line: `str` · `table (2 keys)`. */
export function typeLine(node: SecretNode): string {
  return `Type: \`${pythonTypeName(node)}\` · TOML ${describeType(node)}`;
}

function envLine(entry: MergedEntry): string {
  return entry.env
    ? `Exported: Streamlit sets \`os.environ["${entry.key}"]\` to this value when it loads the secrets.`
    : `Not exported to \`os.environ\` (only root strings, integers and floats are).`;
}

function presentSecret(merged: MergedSecrets, uri: string, keyPath: string[], options: HoverOptions, header: string): string {
  const found = lookupSecret(merged, keyPath);
  const lines: string[] = [header];
  const failing = loadErrorSentence(merged);
  if (failing) lines.push(`⚠ ${failing}`);
  if (merged.noSecretsFound) {
    lines.push(`⚠ No secrets file exists: this read raises \`FileNotFoundError\` (No secrets found). Searched: ${searchedFiles(merged)}.`);
    return lines.join('\n\n');
  }
  if (found === undefined) {
    const lost = lostDefinition(merged, keyPath);
    lines.push(`Not in the merged secrets. Searched: ${searchedFiles(merged)}.`);
    const skipped = incompleteSentence(merged);
    if (skipped) lines.push(skipped);
    if (lost !== undefined) {
      lines.push(
        `\`${labelOf(merged, lost.definedIn)}\` defines it, but ${describeSource(merged, lost.entry.winner)} replaces the whole \`${formatKeyPath([lost.entry.key])}\` table (shallow merge).`,
      );
    }
    return lines.join('\n\n');
  }
  const { entry, node } = found;
  lines.push(maskedBlock(keyPath, node, options.revealCharacters));
  lines.push(typeLine(node));
  lines.push(`From ${describeSource(merged, entry.winner)}.`);
  if (merged.sources[entry.winner]?.spec.role === 'global') lines.push(`_${localOnlyNote[0]!.toUpperCase()}${localOnlyNote.slice(1)}._`);
  const shadow = shadowSentence(merged, entry);
  if (shadow) lines.push(shadow);
  if (keyPath.length === 1) lines.push(envLine(entry));
  lines.push(`[Reveal value](${revealLink(uri, keyPath)})`);
  return lines.join('\n\n');
}

/**
 * Hover for a read of secrets in Python: type, masked value, the file that provides it, the files
 * it hides, env-var export. Never contains a value (masked previews only); revealing is a link to
 * an explicit command.
 */
export function doHover(
  document: TextDocument,
  analysis: PythonSecretsAnalysis,
  offset: number,
  merged: MergedSecrets,
  options: HoverOptions,
): Hover | null {
  const target = accessTargetAt(analysis, offset);
  if (target === undefined) return null;
  const markdown = (value: string, range: TextRange): Hover => ({
    contents: { kind: MarkupKind.Markdown, value },
    range: toRange(document, range),
  });
  switch (target.kind) {
    case 'secrets-root': {
      const lines = [`**st.secrets** — ${merged.entries.size} top-level ${merged.entries.size === 1 ? 'key' : 'keys'}`];
      const failing = loadErrorSentence(merged);
      if (failing) lines.push(`⚠ ${failing}`);
      if (merged.noSecretsFound) lines.push('⚠ No secrets file exists: every read raises `FileNotFoundError`.');
      lines.push(`Files, first to last (later wins): ${searchedFiles(merged)}.`);
      return markdown(lines.join('\n\n'), target.range);
    }
    case 'secrets':
      return markdown(presentSecret(merged, document.uri, target.path, options, `**st.secrets** \`${formatKeyPath(target.path)}\``), target.range);
    case 'environ': {
      const entry = merged.entries.get(target.key);
      if (entry === undefined) return null;
      const lines = [`**os.environ** \`${target.key}\``];
      if (!entry.env) {
        lines.push(`\`st.secrets\` has \`${formatKeyPath([target.key])}\` (${pythonTypeName(entry.node)}), but Streamlit does not copy it into \`os.environ\`: only root strings, integers and floats are exported.`);
        return markdown(lines.join('\n\n'), target.range);
      }
      const failing = loadErrorSentence(merged);
      if (failing) lines.push(`⚠ ${failing}`);
      lines.push(maskedBlock([target.key], entry.node, options.revealCharacters));
      lines.push(`Set by Streamlit from ${describeSource(merged, entry.winner)} (as \`str\`) once the secrets load — after the first \`st.secrets\` access.`);
      const shadow = shadowSentence(merged, entry);
      if (shadow) lines.push(shadow);
      lines.push(`[Reveal value](${revealLink(document.uri, [target.key])})`);
      return markdown(lines.join('\n\n'), target.range);
    }
    case 'connection': {
      const keyPath = ['connections', target.name];
      const header = `**st.connection** \`${target.name}\` → \`[${formatKeyPath(keyPath)}]\``;
      if (lookupSecret(merged, keyPath) === undefined && firstPartyConnectionTypes.includes(target.name)) {
        return markdown(`${header}\n\nBuilt-in connection type; no \`[${formatKeyPath(keyPath)}]\` section in the merged secrets.`, target.range);
      }
      return markdown(presentSecret(merged, document.uri, keyPath, options, header), target.range);
    }
    case 'login': {
      const provider = target.path[1];
      const header = `**st.login**${provider === undefined ? '()' : ` \`${provider}\``} → \`[${formatKeyPath(target.path)}]\``;
      return markdown(presentSecret(merged, document.uri, target.path, options, header), target.range);
    }
  }
}
