import {
  CompletionItem,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  Range,
  TextEdit,
} from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionContext } from '../python/types';
import type { SecretNode } from '../toml/types';
import type { TextRange } from '../textRange';
import type { MergedSecrets } from './mergeSecrets';
import { lookupSecret } from './mergeSecrets';
import { attributeAccessBlock, pythonStringContent } from './attributeAccess';
import { describeType, maskValue } from './masking';
import { formatKeyPath } from './secretNodes';
import { roleNames, sourceLabel } from './sourceLabels';

export interface CompletionOptions {
  /** Leading characters masked previews may show (setting, default 0). */
  revealCharacters: number;
}

/** Connection names whose type Streamlit knows without a `type` key. */
export const builtinConnectionNames: readonly string[] = ['sql', 'snowflake'];

interface Candidate {
  key: string;
  node: SecretNode;
  /** Index of the source that provides it. */
  source: number;
  /** Indexes of sources it hides (top-level keys only). */
  shadowed: number[];
  env: boolean;
}

function toRange(document: TextDocument, range: TextRange): Range {
  return Range.create(document.positionAt(range.start), document.positionAt(range.end));
}

/** The keys available directly below `parentPath` in the merged view, with their provenance. */
function candidatesBelow(merged: MergedSecrets, parentPath: readonly string[]): Candidate[] {
  if (parentPath.length === 0) {
    return [...merged.entries.values()].map((entry) => ({
      key: entry.key,
      node: entry.node,
      source: entry.winner,
      shadowed: entry.shadowed,
      env: entry.env,
    }));
  }
  const found = lookupSecret(merged, parentPath);
  if (found === undefined || found.node.kind !== 'table' || found.node.children === undefined) return [];
  return [...found.node.children].map(([key, node]) => ({ key, node, source: found.entry.winner, shadowed: [], env: false }));
}

function itemKind(node: SecretNode): CompletionItemKind {
  if (node.kind === 'table') return CompletionItemKind.Module;
  if (node.kind === 'array') return CompletionItemKind.Value;
  return CompletionItemKind.Property;
}

/**
 * Source labels of a merge, one per source: `sourceLabel` resolves paths, and every item of a
 * completion list names its source (twice), so they are computed once per merge.
 */
const labelCache = new WeakMap<MergedSecrets, string[]>();

function sourceLabels(merged: MergedSecrets): string[] {
  let labels = labelCache.get(merged);
  if (labels === undefined) {
    labels = merged.sources.map((source) => sourceLabel(source.spec, merged.chain));
    labelCache.set(merged, labels);
  }
  return labels;
}

function documentation(merged: MergedSecrets, candidate: Candidate, path: readonly string[], options: CompletionOptions): string {
  const labels = sourceLabels(merged);
  const spec = merged.sources[candidate.source]!.spec;
  const lines = [
    ['```toml', `${formatKeyPath(path)} = ${maskValue(candidate.node, options.revealCharacters)}`, '```'].join('\n'),
    `From the ${roleNames[spec.role]} file \`${labels[candidate.source]}\`.`,
  ];
  if (candidate.shadowed.length > 0) {
    const hidden = candidate.shadowed.map((index) => `\`${labels[index]}\``).join(', ');
    lines.push(`Hides the value in ${hidden}.`);
  }
  if (candidate.env) lines.push(`Also exported as the environment variable \`${candidate.key}\`.`);
  return lines.join('\n\n');
}

/**
 * The document-independent part of the items (label, kind, detail), per merge,
 * path and options. A merge is immutable and replaced when a secrets file changes, so its items
 * are built once and every later request only adds the edit ranges. Bounded per merge.
 */
const itemCache = new WeakMap<MergedSecrets, Map<string, CompletionItem>>();
const maxCachedItemsPerMerge = 50_000;

function baseItem(uri: string, merged: MergedSecrets, candidate: Candidate, path: readonly string[], options: CompletionOptions, index: number): CompletionItem {
  let cache = itemCache.get(merged);
  if (cache === undefined) {
    cache = new Map();
    itemCache.set(merged, cache);
  }
  const cacheKey = `${options.revealCharacters}\0${candidate.source}\0${candidate.env ? 1 : 0}\0${path.join('\0')}`;
  let item = cache.get(cacheKey);
  if (item === undefined || cache.size > maxCachedItemsPerMerge) {
    item = {
      label: candidate.key,
      kind: itemKind(candidate.node),
      detail: `${describeType(candidate.node)} · ${sourceLabels(merged)[candidate.source]}`,
      insertTextFormat: InsertTextFormat.PlainText,
    };
    if (cache.size <= maxCachedItemsPerMerge) cache.set(cacheKey, item);
  }
  // The masked preview (documentation) is added by `resolveCompletionItem` for the item the user
  // looks at: a list of thousands of keys is not sent with thousands of previews.
  const data: CompletionItemData = { uri, path: [...path] };
  return { ...item, sortText: String(index).padStart(6, '0'), data };
}

/** What a completion item carries for `completionItem/resolve`. */
export interface CompletionItemData {
  /** The Python document the completion was asked in (its app's chain gives the merge). */
  uri: string;
  /** Key path from the root of the merged secrets. */
  path: string[];
}

function isCompletionItemData(data: unknown): data is CompletionItemData {
  const value = data as Partial<CompletionItemData> | undefined;
  return (
    typeof value === 'object' && value !== null && typeof value.uri === 'string' && Array.isArray(value.path) &&
    value.path.length > 0 && value.path.every((segment) => typeof segment === 'string')
  );
}

/** The document URI a completion item was produced for, if it is one of ours. */
export function completionItemUri(item: CompletionItem): string | undefined {
  return isCompletionItemData(item.data) ? item.data.uri : undefined;
}

/**
 * Adds the masked preview to one item (`completionItem/resolve`), from the merge as it is now.
 * An item whose key has vanished since the list was made is returned unchanged.
 */
export function resolveCompletionItem(item: CompletionItem, merged: MergedSecrets, options: CompletionOptions): CompletionItem {
  if (!isCompletionItemData(item.data)) return item;
  const path = item.data.path;
  const key = path[path.length - 1]!;
  const candidate = candidatesBelow(merged, path.slice(0, -1)).find((c) => c.key === key);
  if (candidate === undefined) return item;
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: documentation(merged, candidate, path, options) } };
}

function stringItems(
  document: TextDocument,
  merged: MergedSecrets,
  candidates: Candidate[],
  parentPath: readonly string[],
  context: { replaceRange: TextRange; quote: '"' | "'"; closed: boolean },
  options: CompletionOptions,
): CompletionItem[] {
  const range = toRange(document, context.replaceRange);
  return candidates.map((candidate, index) => {
    const content = pythonStringContent(candidate.key, context.quote);
    return {
      ...baseItem(document.uri, merged, candidate, [...parentPath, candidate.key], options, index),
      filterText: content,
      textEdit: TextEdit.replace(range, context.closed ? content : content + context.quote),
    };
  });
}

/**
 * Completion items for a place in Python code where secrets are read. Items carry the type, the
 * file that provides the key and a masked preview — never a value.
 */
export function doComplete(
  document: TextDocument,
  context: CompletionContext,
  merged: MergedSecrets,
  options: CompletionOptions,
): CompletionItem[] {
  switch (context.kind) {
    case 'secrets-attribute': {
      const atRoot = context.parentPath.length === 0;
      const partialRange = toRange(document, context.replaceRange);
      const accessorRange = toRange(document, { start: context.dotOffset, end: context.replaceRange.end });
      return candidatesBelow(merged, context.parentPath).map((candidate, index) => {
        const item = baseItem(document.uri, merged, candidate, [...context.parentPath, candidate.key], options, index);
        if (attributeAccessBlock(candidate.key, atRoot) === undefined) {
          return { ...item, textEdit: TextEdit.replace(partialRange, candidate.key) };
        }
        // Not reachable as an attribute: offer `["key"]` and rewrite the `.partial` typed so far.
        const bracketed = `["${pythonStringContent(candidate.key, '"')}"]`;
        return {
          ...item,
          label: bracketed,
          filterText: `.${candidate.key}`,
          textEdit: TextEdit.replace(accessorRange, bracketed),
        };
      });
    }
    case 'secrets-key':
      return stringItems(document, merged, candidatesBelow(merged, context.parentPath), context.parentPath, context, options);
    case 'environ-key': {
      const exported = candidatesBelow(merged, []).filter((candidate) => candidate.env);
      return stringItems(document, merged, exported, [], context, options).map((item) => ({
        ...item,
        kind: CompletionItemKind.Variable,
      }));
    }
    case 'connection-name': {
      const connections = lookupSecret(merged, ['connections']);
      const sections: Candidate[] =
        connections?.node.kind === 'table' && connections.node.children !== undefined
          ? [...connections.node.children].map(([key, node]) => ({ key, node, source: connections.entry.winner, shadowed: [], env: false }))
          : [];
      const items = stringItems(document, merged, sections, ['connections'], context, options);
      const range = toRange(document, context.replaceRange);
      for (const name of builtinConnectionNames) {
        if (sections.some((section) => section.key === name)) continue;
        const content = pythonStringContent(name, context.quote);
        items.push({
          label: name,
          kind: CompletionItemKind.Constant,
          detail: `built-in connection type`,
          documentation: {
            kind: MarkupKind.Markdown,
            value: `Streamlit knows the type of \`${name}\` from its name; its settings go in \`[connections.${name}]\`.`,
          },
          sortText: `z${name}`,
          filterText: content,
          textEdit: TextEdit.replace(range, context.closed ? content : content + context.quote),
        });
      }
      return items;
    }
  }
}
