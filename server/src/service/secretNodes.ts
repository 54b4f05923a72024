import type { SecretNode } from '../toml/types';

/** TOML's bare-key alphabet: anything else is written quoted in a dotted path. */
const bareKey = /^[A-Za-z0-9_-]+$/;

/** `["db", "my key"]` → `db."my key"`: the path as one would write it in TOML. */
export function formatKeyPath(path: readonly string[]): string {
  return path.map((segment) => (bareKey.test(segment) ? segment : JSON.stringify(segment))).join('.');
}

/** The child of a table, or undefined when `node` is not a table or lacks the key. */
export function childOf(node: SecretNode | undefined, key: string): SecretNode | undefined {
  return node?.kind === 'table' ? node.children?.get(key) : undefined;
}

/** Follows `path` from `node` through tables only (arrays are not indexed by key). */
export function nodeAt(node: SecretNode | undefined, path: readonly string[]): SecretNode | undefined {
  let current = node;
  for (const key of path) {
    current = childOf(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The Python type Streamlit hands back for a value (what a user's code receives). */
/** "a str", "an int": a Python type name with its article, for a sentence. */
export function withArticle(typeName: string): string {
  return `${/^[aeiou]/.test(typeName) ? 'an' : 'a'} ${typeName}`;
}

export function pythonTypeName(node: SecretNode): string {
  switch (node.kind) {
    case 'string':
      return 'str';
    case 'integer':
      return 'int';
    case 'float':
      return 'float';
    case 'boolean':
      return 'bool';
    case 'offset-datetime':
    case 'local-datetime':
      return 'datetime';
    case 'local-date':
      return 'date';
    case 'local-time':
      return 'time';
    case 'array':
      return 'list';
    case 'table':
      return 'AttrDict';
  }
}

/**
 * Dotted paths (below `prefix`) that `shadowed` defines and `winner` no longer has: the topmost
 * missing path of each lost branch. Arrays are compared as whole values, never per item.
 */
export function lostPaths(shadowed: SecretNode, winner: SecretNode, prefix: readonly string[]): string[] {
  if (shadowed.kind !== 'table' || shadowed.children === undefined) return [];
  const lost: string[] = [];
  for (const [key, child] of shadowed.children) {
    const kept = childOf(winner, key);
    if (kept === undefined) lost.push(formatKeyPath([...prefix, key]));
    else lost.push(...lostPaths(child, kept, [...prefix, key]));
  }
  return lost;
}
