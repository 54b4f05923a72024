import { DocumentSymbol, Range, SymbolKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SecretNode } from '../toml/types';
import type { TextRange } from '../textRange';
import { describeType } from './masking';
import { keyLocationsOf } from './secretLocations';
import { nodeAt } from './secretNodes';

interface Built {
  name: string;
  path: string[];
  selection: TextRange;
  range: TextRange;
  children: Built[];
}

function symbolKind(node: SecretNode | undefined): SymbolKind {
  switch (node?.kind) {
    case 'table':
      return SymbolKind.Namespace;
    case 'array':
      return SymbolKind.Array;
    case 'string':
      return SymbolKind.String;
    case 'integer':
    case 'float':
      return SymbolKind.Number;
    case 'boolean':
      return SymbolKind.Boolean;
    case undefined:
      return SymbolKind.Field;
    default:
      return SymbolKind.Constant;
  }
}

/**
 * The outline of a secrets file: one symbol per key, nested like the tables, in document order.
 * Built from key locations, so it works on a file with syntax errors too. `detail` is the type,
 * never the value.
 */
export function secretsDocumentSymbols(document: TextDocument, root: SecretNode | undefined): DocumentSymbol[] {
  const locations = keyLocationsOf(document.getText());
  const byId = new Map<string, Built>();
  const top: Built[] = [];
  // Sorted by first definition so parents come before children and siblings keep file order.
  const paths = [...locations].map(([id, list]) => ({ path: JSON.parse(id) as string[], first: list[0]!, all: list }));
  paths.sort((a, b) => a.path.length - b.path.length || a.first.keyRange.start - b.first.keyRange.start);
  for (const { path, first, all } of paths) {
    let range: TextRange = { start: first.keyRange.start, end: Math.max(first.keyRange.end, first.valueRange.end) };
    for (const location of all) {
      range = { start: Math.min(range.start, location.keyRange.start), end: Math.max(range.end, location.valueRange.end, location.keyRange.end) };
    }
    const built: Built = { name: path[path.length - 1]!, path, selection: first.keyRange, range, children: [] };
    byId.set(JSON.stringify(path), built);
    const parent = path.length > 1 ? byId.get(JSON.stringify(path.slice(0, -1))) : undefined;
    if (parent) parent.children.push(built);
    else top.push(built);
  }
  const extend = (built: Built): void => {
    for (const child of built.children) {
      extend(child);
      built.range = { start: Math.min(built.range.start, child.range.start), end: Math.max(built.range.end, child.range.end) };
    }
    built.children.sort((a, b) => a.selection.start - b.selection.start);
  };
  top.forEach(extend);
  top.sort((a, b) => a.selection.start - b.selection.start);
  const toRange = (r: TextRange): Range => Range.create(document.positionAt(r.start), document.positionAt(r.end));
  const convert = (built: Built): DocumentSymbol => {
    const node = nodeAt(root, built.path);
    const symbol = DocumentSymbol.create(built.name, node === undefined ? undefined : describeType(node), symbolKind(node), toRange(built.range), toRange(built.selection));
    if (built.children.length > 0) symbol.children = built.children.map(convert);
    return symbol;
  };
  return top.map(convert);
}
