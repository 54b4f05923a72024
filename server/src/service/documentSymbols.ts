import { DocumentSymbol, Range, SymbolKind } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { KeyLocation, SecretNode } from '../toml/types';
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
 * The lines that show part of a value (`key = value`, an inline table, a multi-line string's lines);
 * a `[table]` header line shows none.
 */
function valueLines(document: TextDocument, locations: Iterable<KeyLocation[]>): Set<number> {
  const lines = new Set<number>();
  for (const list of locations) {
    for (const { keyRange, valueRange } of list) {
      if (valueRange.start <= keyRange.start && valueRange.end >= keyRange.end) continue; // the header holds the key
      const last = document.positionAt(valueRange.end).line;
      for (let line = document.positionAt(valueRange.start).line; line <= last; line++) lines.add(line);
    }
  }
  return lines;
}

/** The nearest line to `line` that shows no value, above it first; undefined when every line does. */
function nearestLineWithoutValue(line: number, lineCount: number, withValue: Set<number>): number | undefined {
  for (let above = line - 1; above >= 0; above--) if (!withValue.has(above)) return above;
  for (let below = line + 1; below < lineCount; below++) if (!withValue.has(below)) return below;
  return undefined;
}

/**
 * The outline of a secrets file: one symbol per key, nested like the tables, in document order.
 * Built from key locations, so it works on a file with syntax errors too. `detail` is the type,
 * never the value.
 *
 * Going to a symbol (Go to Symbol, the breadcrumbs) makes VS Code announce the text of the line its
 * selection range starts on to screen readers (an aria-live status), so a key whose line shows its
 * value selects the nearest line that shows none (its `[table]` header, a comment, a blank line):
 * that line is announced, and moving to the key from there is the user's own move, which reveals
 * the line like any cursor move (README: masking). A key without such a line anywhere gets no symbol.
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
  const withValue = valueLines(document, locations.values());
  const convert = (built: Built): DocumentSymbol[] => {
    const node = nodeAt(root, built.path);
    let range = toRange(built.range);
    let selection = toRange(built.selection);
    if (withValue.has(selection.start.line)) {
      const line = nearestLineWithoutValue(selection.start.line, document.lineCount, withValue);
      if (line === undefined) return [];
      selection = Range.create(line, 0, line, 0);
      // The selection range lies inside the range (VS Code requires it).
      if (line < range.start.line) range = Range.create(selection.start, range.end);
      if (line > range.end.line) range = Range.create(range.start, selection.end);
    }
    const symbol = DocumentSymbol.create(built.name, node === undefined ? undefined : describeType(node), symbolKind(node), range, selection);
    if (built.children.length > 0) symbol.children = built.children.flatMap(convert);
    return [symbol];
  };
  return top.flatMap(convert);
}
