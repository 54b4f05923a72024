import {
  CompletionItem,
  CompletionItemKind,
  type CompletionList,
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
import { md } from './markdown';
import { maskValue } from './masking';
import { formatKeyPath, pythonTypeName } from './secretNodes';
import { describeSource, fileMarkdown, fileWords, sourceLabels } from './provenance';

export interface CompletionOptions {
  /** Leading characters masked previews may show (setting, default 0). */
  revealCharacters: number;
  /**
   * The client applies `CompletionList.itemDefaults` (editRange, insertTextFormat, data; LSP 3.17):
   * what every item shares is sent once, so items are the cached per-merge objects as they are.
   */
  itemDefaults?: boolean;
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

/** A one-line preview cut with an ellipsis, so the details pane shows its end instead of clipping it. */
export function cutPreview(text: string, maxLength = 60): string {
  const characters = [...text];
  return characters.length <= maxLength ? text : `${characters.slice(0, maxLength - 1).join('')}…`;
}

/** The type on a completion row: `str`, `AttrDict · 3 keys`, `list · 2 items`. */
export function completionTypeText(node: SecretNode): string {
  const type = pythonTypeName(node);
  if (node.kind === 'table') {
    const size = node.children?.size ?? 0;
    return `${type} · ${size} ${size === 1 ? 'key' : 'keys'}`;
  }
  if (node.kind === 'array') {
    const count = node.items?.length ?? 0;
    return `${type} · ${count} ${count === 1 ? 'item' : 'items'}`;
  }
  return type;
}

function documentation(merged: MergedSecrets, candidate: Candidate, path: readonly string[], options: CompletionOptions): string {
  const lines = [
    `${md.code(completionTypeText(candidate.node))} from ${describeSource(merged, candidate.source)}`,
    md.codeBlock('toml', [cutPreview(`${formatKeyPath(path)} = ${maskValue(candidate.node, options.revealCharacters)}`)]),
  ];
  if (candidate.shadowed.length > 0) {
    lines.push(`Replaces the value in ${candidate.shadowed.map((index) => `the ${fileMarkdown(merged, index)}`).join(' and ')}.`);
  }
  if (candidate.env) lines.push(`Also the environment variable ${md.code(candidate.key)}.`);
  return lines.join('\n\n');
}

/** Keys in name order (case-insensitive, then exact), whatever order the files merged them in. */
function byName(a: Candidate, b: Candidate): number {
  const folded = a.key.toLowerCase() < b.key.toLowerCase() ? -1 : a.key.toLowerCase() > b.key.toLowerCase() ? 1 : 0;
  return folded !== 0 ? folded : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
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
    const candidates = candidatesBelow(merged, parentPath)
      .filter((candidate) => !exportedOnly || candidate.env)
      .sort(byName);
    list = candidates.map((candidate, index) => ({
      candidate,
      // Frozen: with item defaults, requests send these very objects. Every row shows the type and
      // the providing file (`labelDetails`), not only the focused one (`detail`).
      base: Object.freeze({
        label: candidate.key,
        labelDetails: { detail: ` ${completionTypeText(candidate.node)}`, description: labels[candidate.source]! },
        kind: exportedOnly ? CompletionItemKind.Variable : itemKind(candidate.node),
        detail: `${completionTypeText(candidate.node)} · ${fileWords(merged, candidate.source)}`,
        sortText: String(index).padStart(6, '0'),
      }),
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
  return { ...entry.base, insertTextFormat: InsertTextFormat.PlainText, ...extra, data };
}

/**
 * Writes one request's items: in full (each with its edit and data), or, when the client applies
 * item defaults, the cached items themselves plus only what differs from the list's defaults.
 */
class ItemWriter {
  constructor(
    private readonly uri: string,
    private readonly range: Range,
    private readonly defaults: CompletionItemDefaultsData | undefined,
  ) {}

  /** An item that replaces the list's range with `newText`. */
  item(entry: ListEntry, newText: string, filterText?: string): CompletionItem {
    const filter = filterText === undefined ? {} : { filterText };
    if (this.defaults === undefined) return requestItem(entry, this.uri, { textEdit: TextEdit.replace(this.range, newText), ...filter });
    if (newText === entry.base.label && filterText === undefined) return entry.base;
    return { ...entry.base, ...(newText === entry.base.label ? {} : { textEditText: newText }), ...filter };
  }

  /** An item with an edit of its own (another range, another label): carries its own data. */
  itemWithEdit(entry: ListEntry, extra: { label: string; filterText: string; textEdit: TextEdit }): CompletionItem {
    return requestItem(entry, this.uri, extra);
  }

  list(items: CompletionItem[]): CompletionList {
    if (this.defaults === undefined) return { isIncomplete: false, items };
    return { isIncomplete: false, itemDefaults: { editRange: this.range, insertTextFormat: InsertTextFormat.PlainText, data: this.defaults }, items };
  }
}

/** What a completion item carries for `completionItem/resolve`. */
export interface CompletionItemData {
  /** The Python document the completion was asked in (its app's chain gives the merge). */
  uri: string;
  /** Key path from the root of the merged secrets. */
  path: string[];
}

/**
 * The list's default data (`itemDefaults.data`), which the client gives every item that has none:
 * the item's key is its label, below `parent`.
 */
export interface CompletionItemDefaultsData {
  uri: string;
  parent: string[];
}

const isPath = (value: unknown, minLength: number): value is string[] =>
  Array.isArray(value) && value.length >= minLength && value.every((segment) => typeof segment === 'string');

/** The document and key path an item of ours stands for (its own data, or the list's default and its label). */
function itemTarget(item: CompletionItem): CompletionItemData | undefined {
  const value = item.data as Partial<CompletionItemData & CompletionItemDefaultsData> | undefined;
  if (typeof value !== 'object' || value === null || typeof value.uri !== 'string') return undefined;
  if (isPath(value.path, 1)) return { uri: value.uri, path: value.path };
  if (isPath(value.parent, 0) && typeof item.label === 'string') return { uri: value.uri, path: [...value.parent, item.label] };
  return undefined;
}

/** The document URI a completion item was produced for, if it is one of ours. */
export function completionItemUri(item: CompletionItem): string | undefined {
  return itemTarget(item)?.uri;
}

/**
 * Adds the masked preview to one item (`completionItem/resolve`), from the merge as it is now.
 * An item whose key has vanished since the list was made is returned unchanged.
 */
export function resolveCompletionItem(item: CompletionItem, merged: MergedSecrets, options: CompletionOptions): CompletionItem {
  const target = itemTarget(item);
  if (target === undefined || item.documentation !== undefined) return item;
  const path = target.path;
  const key = path[path.length - 1]!;
  const candidate = candidatesBelow(merged, path.slice(0, -1)).find((c) => c.key === key);
  if (candidate === undefined) return item;
  return { ...item, documentation: { kind: MarkupKind.Markdown, value: documentation(merged, candidate, path, options) } };
}

function stringItems(writer: ItemWriter, list: ListEntry[], context: { quote: '"' | "'"; closed: boolean }): CompletionItem[] {
  return list.map((entry) => {
    const content = pythonStringContent(entry.candidate.key, context.quote);
    return writer.item(entry, context.closed ? content : content + context.quote, content);
  });
}

/**
 * Completion items for a place in Python code where secrets are read. Items carry the type and the
 * file that provides the key — never a value; `resolveCompletionItem` adds the masked preview, which
 * is where the options (leading characters shown) apply.
 */
export function doComplete(document: TextDocument, context: CompletionContext, merged: MergedSecrets, options: CompletionOptions): CompletionList {
  const range = toRange(document, context.replaceRange);
  const parentPath = context.kind === 'secrets-attribute' || context.kind === 'secrets-key' ? context.parentPath : context.kind === 'connection-name' ? ['connections'] : [];
  const writer = new ItemWriter(document.uri, range, options.itemDefaults === true ? { uri: document.uri, parent: [...parentPath] } : undefined);
  switch (context.kind) {
    case 'secrets-attribute': {
      const accessorRange = toRange(document, { start: context.dotOffset, end: context.replaceRange.end });
      return writer.list(
        cachedList(merged, context.parentPath, false).map((entry) => {
          const key = entry.candidate.key;
          if (!entry.attributeBlocked) return writer.item(entry, key);
          // Not reachable as an attribute: offer `["key"]` and rewrite the `.partial` typed so far.
          const bracketed = `["${pythonStringContent(key, '"')}"]`;
          return writer.itemWithEdit(entry, { label: bracketed, filterText: `.${key}`, textEdit: TextEdit.replace(accessorRange, bracketed) });
        }),
      );
    }
    case 'secrets-key':
      return writer.list(stringItems(writer, cachedList(merged, context.parentPath, false), context));
    case 'environ-key':
      return writer.list(stringItems(writer, cachedList(merged, [], true), context));
    case 'connection-name': {
      const sections = cachedList(merged, ['connections'], false);
      const items = stringItems(writer, sections, context);
      for (const name of builtinConnectionNames) {
        if (sections.some((section) => section.candidate.key === name)) continue;
        const content = pythonStringContent(name, context.quote);
        items.push({
          label: name,
          kind: CompletionItemKind.Constant,
          labelDetails: { description: 'built-in connection type' },
          detail: 'built-in connection type',
          documentation: {
            kind: MarkupKind.Markdown,
            value: `Streamlit knows the type of ${md.code(name)} from its name; its settings go in ${md.code(`[connections.${name}]`)}.`,
          },
          sortText: `z${name}`,
          filterText: content,
          textEdit: TextEdit.replace(range, context.closed ? content : content + context.quote),
          insertTextFormat: InsertTextFormat.PlainText,
        });
      }
      return writer.list(items);
    }
  }
}
