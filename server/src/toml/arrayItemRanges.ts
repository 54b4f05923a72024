// Where each element of an array value is written, for diagnostics on single entries (say, the
// paths of config.toml's `[secrets] files`). One parse of the array's own text: finding each entry
// by searching the array for its spelling cost a scan of the array per entry (100,000 entries:
// minutes).
import { parseTOML } from 'toml-eslint-parser';
import type { TextRange } from '../textRange';

/**
 * The ranges of the elements of the array literal written at `range` of `text`, in order, or
 * undefined when that text is not an array TOML can read on its own.
 */
export function arrayItemRanges(text: string, range: TextRange): TextRange[] | undefined {
  const prefix = 'x = ';
  const source = prefix + text.slice(range.start, range.end);
  for (const tomlVersion of ['1.0', '1.1'] as const) {
    let value;
    try {
      value = parseTOML(source, { tomlVersion }).body[0].body[0];
    } catch {
      continue;
    }
    if (value?.type !== 'TOMLKeyValue' || value.value.type !== 'TOMLArray') return undefined;
    const shift = range.start - prefix.length;
    return value.value.elements.map((element) => ({ start: element.range[0] + shift, end: element.range[1] + shift }));
  }
  return undefined;
}
