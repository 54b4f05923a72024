import type { SecretNode } from '../../server/src/toml/types';

type Plain = string | number | bigint | boolean | Plain[] | { [key: string]: Plain };

/** Builds a SecretNode tree from a plain value: bigint → integer, number → float. */
export function node(value: Plain): SecretNode {
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'bigint') return { kind: 'integer', value };
  if (typeof value === 'number') return { kind: 'float', value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (Array.isArray(value)) return { kind: 'array', items: value.map(node) };
  return { kind: 'table', children: new Map(Object.entries(value).map(([key, child]) => [key, node(child)])) };
}

/** The plain value of a SecretNode tree (tables → objects), for deep comparisons. */
export function plain(secret: SecretNode): unknown {
  switch (secret.kind) {
    case 'table':
      return Object.fromEntries([...(secret.children ?? new Map())].map(([key, child]) => [key, plain(child)]));
    case 'array':
      return (secret.items ?? []).map(plain);
    default:
      return secret.value;
  }
}
