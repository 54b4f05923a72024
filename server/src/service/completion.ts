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
import { deprecatedConnectionTypes, firstPartyConnectionTypes } from './connectionRules';
import { describeType, maskValue } from './masking';
import { formatKeyPath } from './secretNodes';
import { roleNames } from './sourceLabels';
import { sourceLabels } from './provenance';

export interface CompletionOptions {
  /** Leading characters masked previews may show (setting, default 0). */
  revealCharacters: number;
}

/** Connection names offered as built-in: the first-party types current Streamlit still has. */
export const builtinConnectionNames: readonly string[] = firstPartyConnectionTypes.filter((name) => !deprecatedConnectionTypes.includes(name));

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

/** One key offered below a table: its document-independent item and what each request adds to it. */
interface ListEntry {
  candidate: Candidate;
  /** Label, kind, detail, sort order: the same for every request on this merge. */
  base: CompletionItem;
  /** Key path from the root (the item's `data.path`). */
  path: string[];
  /** Attribute access cannot reach the key (`my-key`, `items`, …): offered as `["key"]`. */
  attributeBlocked: boolean;
}

/**
 * The document-independent part of completion lists, per merge and parent table. A merge is
 * immutable and replaced when a secrets file changes, so each list is built once and every later
 * request only adds its edit ranges and document URI. Bounded per merge.
 */
const listCache = new WeakMap<MergedSecrets, Map<string, ListEntry[]>>();
const maxCachedListsPerMerge = 1_000;

function cachedList(merged: MergedSecrets, parentPath: readonly string[], exportedOnly: boolean): ListEntry[] {
  let cache = listCache.get(merged);
  if (cache === undefined) {
    cache = new Map();
    listCache.set(merged, cache);
  }
  const cacheKey = `${exportedOnly ? 'env' : 'all'}\0${parentPath.join('\0')}`;
  let list = cache.get(cacheKey);
  if (list === undefined) {
    const labels = sourceLabels(merged);
    const atRoot = parentPath.length === 0;
    const candidates = candidatesBelow(merged, parentPath).filter((candidate) => !exportedOnly || candidate.env);
    list = candidates.map((candidate, index) => ({
      candidate,
      base: {
        label: candidate.key,
        kind: exportedOnly ? CompletionItemKind.Variable : itemKind(candidate.node),
        detail: `${describeType(candidate.node)} · ${labels[candidate.source]}`,
        insertTextFormat: InsertTextFormat.PlainText,
        sortText: String(index).padStart(6, '0'),
      },
      path: [...parentPath, candidate.key],
      attributeBlocked: attributeAccessBlock(candidate.key, atRoot) !== undefined,
    }));
    if (cache.size < maxCachedListsPerMerge) cache.set(cacheKey, list);
  }
  return list;
}

/**
 * A fresh item for one request. The masked preview (documentation) is added by
 * `resolveCompletionItem` for the item the user looks at: a list of thousands of keys is not sent
 * with thousands of previews.
 */
function requestItem(entry: ListEntry, uri: string, extra: Pick<CompletionItem, 'textEdit' | 'filterText'> & { label?: string }): CompletionItem {
  const data: CompletionItemData = { uri, path: entry.path };
  return { ...entry.base, ...extra, data };
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
  list: ListEntry[],
  context: { replaceRange: TextRange; quote: '"' | "'"; closed: boolean },
): CompletionItem[] {
  const range = toRange(document, context.replaceRange);
  return list.map((entry) => {
    const content = pythonStringContent(entry.candidate.key, context.quote);
    return requestItem(entry, document.uri, { filterText: content, textEdit: TextEdit.replace(range, context.closed ? content : content + context.quote) });
  });
}

/**
 * Completion items for a place in Python code where secrets are read. Items carry the type and the
 * file that provides the key — never a value; `resolveCompletionItem` adds the masked preview, which
 * is where the options (leading characters shown) apply.
 */
export function doComplete(
  document: TextDocument,
  context: CompletionContext,
  merged: MergedSecrets,
  _options: CompletionOptions,
): CompletionItem[] {
  switch (context.kind) {
    case 'secrets-attribute': {
      const partialRange = toRange(document, context.replaceRange);
      const accessorRange = toRange(document, { start: context.dotOffset, end: context.replaceRange.end });
      return cachedList(merged, context.parentPath, false).map((entry) => {
        const key = entry.candidate.key;
        if (!entry.attributeBlocked) return requestItem(entry, document.uri, { textEdit: TextEdit.replace(partialRange, key) });
        // Not reachable as an attribute: offer `["key"]` and rewrite the `.partial` typed so far.
        const bracketed = `["${pythonStringContent(key, '"')}"]`;
        return requestItem(entry, document.uri, { label: bracketed, filterText: `.${key}`, textEdit: TextEdit.replace(accessorRange, bracketed) });
      });
    }
    case 'secrets-key':
      return stringItems(document, cachedList(merged, context.parentPath, false), context);
    case 'environ-key':
      return stringItems(document, cachedList(merged, [], true), context);
    case 'connection-name': {
      const sections = cachedList(merged, ['connections'], false);
      const items = stringItems(document, sections, context);
      const range = toRange(document, context.replaceRange);
      for (const name of builtinConnectionNames) {
        if (sections.some((section) => section.candidate.key === name)) continue;
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
