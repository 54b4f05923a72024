/**
 * A secrets file's text with every value replaced by a mask, for the places where VS Code draws a
 * file's lines outside our masked editor (the Peek widget's list and embedded editor, the Ctrl+hover
 * definition preview). Plain code (no `vscode` import) so unit tests call it directly.
 */
import { findMaskedValueRanges, splitByLines } from './secretValueRanges';

/** What a value looks like when masked (the same as in the masked editor). */
export const VALUE_MASK = '••••••••';

/** A line's masked pieces: [start, end) columns of the real line. */
type Pieces = { start: number; end: number }[];

export interface MaskedText {
  text: string;
  /** A column of the real text → the same place in the masked text (a column inside a value → the mask's start). */
  toMasked(line: number, column: number): number;
  /** A column of the masked text → the same place in the real text (inside a mask → the value's start). */
  toReal(line: number, column: number): number;
}

export function maskSecretsText(text: string): MaskedText {
  const byLine = new Map<number, Pieces>();
  for (const piece of splitByLines(findMaskedValueRanges(text), text)) {
    const pieces = byLine.get(piece.line) ?? [];
    pieces.push({ start: piece.start, end: piece.end });
    byLine.set(piece.line, pieces);
  }
  const lines = text.split(/(\r\n|\r|\n)/);
  const out: string[] = [];
  for (let index = 0; index < lines.length; index += 2) {
    const line = lines[index]!;
    const pieces = byLine.get(index / 2) ?? [];
    let masked = '';
    let at = 0;
    for (const piece of pieces) {
      masked += line.slice(at, piece.start) + VALUE_MASK;
      at = piece.end;
    }
    out.push(masked + line.slice(at), lines[index + 1] ?? '');
  }
  /** Maps a column from one side to the other: `real` says which side the column is on. */
  const map = (line: number, column: number, real: boolean): number => {
    let shift = 0;
    for (const piece of byLine.get(line) ?? []) {
      const start = real ? piece.start : piece.start + shift;
      const end = real ? piece.end : start + VALUE_MASK.length;
      if (column < start) break;
      if (column < end) return real ? start + shift : piece.start;
      shift += VALUE_MASK.length - (piece.end - piece.start);
    }
    return real ? column + shift : column - shift;
  };
  return { text: out.join(''), toMasked: (line, column) => map(line, column, true), toReal: (line, column) => map(line, column, false) };
}
