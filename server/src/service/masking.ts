import type { SecretNode } from '../toml/types';
import { formatKeyPath } from './secretNodes';

/** A fixed-width mask: the same for every value, so the mask does not tell a value's length. */
export const MASK = '••••••••';

/** Values shorter than this never show a character: too little would stay unknown. */
export const minRevealLength = 12;

/**
 * Leading characters a masked preview may show (setting `maskRevealCharacters`): exactly
 * `revealCharacters` of them, and only when that is at most a quarter of the value and the value
 * has at least `minRevealLength` characters — otherwise none. So the rest stays unknowable and the
 * preview never tells a length (only that the value is long enough to show a prefix at all).
 */
export function visiblePrefix(text: string, revealCharacters: number): string {
  if (revealCharacters <= 0) return '';
  const characters = [...text];
  if (characters.length < Math.max(minRevealLength, 4 * revealCharacters)) return '';
  return characters.slice(0, revealCharacters).join('');
}

function scalarText(node: SecretNode): string {
  const value = node.value;
  if (value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}

/**
 * A one-line masked preview of a value: its shape without its content. Tables list their keys
 * (values masked), arrays their length. Never contains a value unless `revealCharacters` asks
 * for leading characters.
 */
export function maskValue(node: SecretNode, revealCharacters = 0, depth = 0): string {
  switch (node.kind) {
    case 'table': {
      const children = node.children ?? new Map<string, SecretNode>();
      if (children.size === 0) return '{}';
      if (depth >= 1) return `{ ${children.size} ${children.size === 1 ? 'key' : 'keys'} }`;
      const shown = [...children].slice(0, 8).map(([key, child]) => `${formatKeyPath([key])} = ${maskValue(child, revealCharacters, depth + 1)}`);
      if (children.size > 8) shown.push(`… ${children.size - 8} more`);
      return `{ ${shown.join(', ')} }`;
    }
    case 'array': {
      const count = node.items?.length ?? 0;
      return `[${count} ${count === 1 ? 'item' : 'items'}]`;
    }
    case 'string': {
      const text = scalarText(node);
      if (text.length === 0) return '"" (empty)';
      return `"${visiblePrefix(text, revealCharacters)}${MASK}"`;
    }
    default:
      return `${visiblePrefix(scalarText(node), revealCharacters)}${MASK}`;
  }
}

/** Short description of a value's type for completion details: `str`, `table (3 keys)`, … */
export function describeType(node: SecretNode): string {
  switch (node.kind) {
    case 'table': {
      const size = node.children?.size ?? 0;
      return `table (${size} ${size === 1 ? 'key' : 'keys'})`;
    }
    case 'array': {
      const count = node.items?.length ?? 0;
      return `array (${count} ${count === 1 ? 'item' : 'items'})`;
    }
    default:
      return node.kind;
  }
}
