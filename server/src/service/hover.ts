import { MarkupKind, Range, type Hover } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { localOnlyNote } from '../../../common/localOnly';
import type { PythonSecretsAnalysis } from '../python/types';
import type { SecretNode } from '../toml/types';
import type { TextRange } from '../textRange';
import { accessTargetAt } from './accessTarget';
import { isFirstPartyConnection } from './connectionRules';
import { md } from './markdown';
import { maskValue } from './masking';
import { lookupSecret, type MergedEntry, type MergedSecrets } from './mergeSecrets';
import { describeSource, fileMarkdown, incompleteSentence, loadErrorSentence, lostDefinition, searchedFiles, shadowSentence } from './provenance';
import { revealArgument, revealCommand } from './reveal';
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
  return md.codeBlock('toml', [`${formatKeyPath(keyPath)} = ${maskValue(node, revealCharacters)}`]);
}

/** The Python type, once: `str`; `AttrDict` with 2 keys; `list` of 3 items. */
export function typeWords(node: SecretNode): string {
  const type = md.code(pythonTypeName(node));
  if (node.kind === 'table') {
    const size = node.children?.size ?? 0;
    return `${type} with ${size} ${size === 1 ? 'key' : 'keys'}`;
  }
  if (node.kind === 'array') {
    const count = node.items?.length ?? 0;
    return `${type} of ${count} ${count === 1 ? 'item' : 'items'}`;
  }
  return type;
}

/** `os.environ["key"]` as inline code. */
export function environCode(key: string): string {
  return md.code(`os.environ[${JSON.stringify(key)}]`);
}

/** Whether a top-level key reaches `os.environ` (one sentence). */
function envLine(entry: MergedEntry): string {
  return entry.env
    ? `Also in ${environCode(entry.key)} once the secrets load.`
    : 'Not in `os.environ` (Streamlit exports only top-level strings, integers and floats).';
}

/** The reveal link of our own command (`md.commandLink`: no repository text can forge or extend it). */
export function revealMarkdown(uri: string, keyPath: readonly string[]): string {
  return md.commandLink('Reveal value', revealCommand, revealArgument(uri, keyPath));
}

/**
 * The lines of a hover on a read: first what the read gets and from which file, then the masked
 * value, what it replaces, env export, the reveal link. Each fact once.
 */
function presentSecret(merged: MergedSecrets, uri: string, keyPath: string[], options: HoverOptions, header: string): string {
  const found = lookupSecret(merged, keyPath);
  const lines: string[] = [];
  const failing = loadErrorSentence(merged);
  if (merged.noSecretsFound) {
    lines.push(header, `⚠ No secrets file exists: this read raises \`FileNotFoundError\` (No secrets found). Streamlit looks in: ${searchedFiles(merged)}.`);
    return lines.join('\n\n');
  }
  if (found === undefined) {
    lines.push(`${header} — not in the secrets`);
    if (failing) lines.push(`⚠ ${failing}`);
    const lost = lostDefinition(merged, keyPath);
    const skipped = incompleteSentence(merged);
    if (skipped) lines.push(skipped);
    if (lost !== undefined) {
      lines.push(
        `The ${fileMarkdown(merged, lost.definedIn)} defines it, but ${describeSource(merged, lost.entry.winner)} replaces the whole ${md.code(formatKeyPath([lost.entry.key]))} table (Streamlit merges whole top-level keys).`,
      );
    } else {
      lines.push(`No file Streamlit reads defines it: ${searchedFiles(merged)}.`);
    }
    return lines.join('\n\n');
  }
  const { entry, node } = found;
  lines.push(`${header} — ${typeWords(node)} from ${describeSource(merged, entry.winner)}`);
  if (failing) lines.push(`⚠ ${failing}`);
  lines.push(maskedBlock(keyPath, node, options.revealCharacters));
  if (merged.sources[entry.winner]?.spec.role === 'global') lines.push(`_${localOnlyNote[0]!.toUpperCase()}${localOnlyNote.slice(1)}._`);
  const shadow = shadowSentence(merged, entry);
  if (shadow) lines.push(shadow);
  if (keyPath.length === 1) lines.push(envLine(entry));
  lines.push(revealMarkdown(uri, keyPath));
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
      lines.push(`The files Streamlit reads, first to last (a later file replaces an earlier one's top-level keys): ${searchedFiles(merged)}.`);
      return markdown(lines.join('\n\n'), target.range);
    }
    case 'secrets':
      return markdown(presentSecret(merged, document.uri, target.path, options, `**st.secrets** ${md.code(formatKeyPath(target.path))}`), target.range);
    case 'environ': {
      const entry = merged.entries.get(target.key);
      if (entry === undefined) return null;
      const header = `**os.environ** ${md.code(target.key)}`;
      if (!entry.env) {
        return markdown(
          `${header} — not set by Streamlit\n\n\`st.secrets\` has ${md.code(formatKeyPath([target.key]))} (${typeWords(entry.node)}), but Streamlit exports only top-level strings, integers and floats to \`os.environ\`.`,
          target.range,
        );
      }
      const lines = [`${header} — \`str\` from ${describeSource(merged, entry.winner)}, set once the secrets load (after the first \`st.secrets\` access)`];
      const failing = loadErrorSentence(merged);
      if (failing) lines.push(`⚠ ${failing}`);
      lines.push(maskedBlock([target.key], entry.node, options.revealCharacters));
      const shadow = shadowSentence(merged, entry);
      if (shadow) lines.push(shadow);
      lines.push(revealMarkdown(document.uri, [target.key]));
      return markdown(lines.join('\n\n'), target.range);
    }
    case 'connection': {
      const keyPath = ['connections', target.name];
      const header = `**st.connection** ${md.code(target.name)} → ${md.code(`[${formatKeyPath(keyPath)}]`)}`;
      if (lookupSecret(merged, keyPath) === undefined && isFirstPartyConnection(target.name, merged.chain.streamlitVersion)) {
        return markdown(`${header} — built-in connection type\n\nNo ${md.code(`[${formatKeyPath(keyPath)}]`)} section in the secrets: Streamlit uses the type's defaults.`, target.range);
      }
      return markdown(presentSecret(merged, document.uri, keyPath, options, header), target.range);
    }
    case 'login': {
      const provider = target.path[1];
      const header = `**st.login**${provider === undefined ? '()' : ` ${md.code(provider)}`} → ${md.code(`[${formatKeyPath(target.path)}]`)}`;
      return markdown(presentSecret(merged, document.uri, target.path, options, header), target.range);
    }
  }
}
