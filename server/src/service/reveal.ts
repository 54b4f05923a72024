import type { RevealValueResult } from '../../../common/protocol';
import type { SecretNode } from '../toml/types';
import { lookupSecret, type MergedSecrets } from './mergeSecrets';
import { nodeAt } from './secretNodes';
import { sourceIndexOf } from './secretLocations';

/** The client command a hover links to; it sends `streamlitSecrets/revealValue` and shows the answer once. */
export const revealCommand = 'streamlitSecrets.revealValue';

/**
 * The argument of a reveal link: the value at `path` as seen from `uri` (a Python document: the
 * merged view; a secrets file of the chain: that file's own value). `md.commandLink` encodes it.
 */
export function revealArgument(uri: string, path: readonly string[]): { uri: string; path: string[] } {
  return { uri, path: [...path] };
}

const bareKey = /^[A-Za-z0-9_-]+$/;

function tomlKey(key: string): string {
  return bareKey.test(key) ? key : JSON.stringify(key);
}

function inline(node: SecretNode): string {
  switch (node.kind) {
    case 'string':
      return JSON.stringify(String(node.value ?? ''));
    case 'table':
      return `{ ${[...(node.children ?? new Map<string, SecretNode>())].map(([key, child]) => `${tomlKey(key)} = ${inline(child)}`).join(', ')} }`;
    case 'array':
      return `[${(node.items ?? []).map(inline).join(', ')}]`;
    default:
      return String(node.value ?? '');
  }
}

/** TOML-like text of a value: a scalar or array on one line, a table as `key = value` lines. */
export function renderValue(node: SecretNode): string {
  if (node.kind !== 'table') return inline(node);
  return [...(node.children ?? new Map<string, SecretNode>())].map(([key, child]) => `${tomlKey(key)} = ${inline(child)}`).join('\n');
}

/**
 * The value to reveal: from the secrets file itself when `filePath` is a source of the chain
 * (so a shadowed file shows its own value), else from the merged view. Only called on an
 * explicit user request; callers never log the result.
 */
export function revealValue(merged: MergedSecrets, keyPath: readonly string[], filePath?: string): RevealValueResult {
  if (keyPath.length === 0) return { found: false };
  const index = filePath === undefined ? -1 : sourceIndexOf(merged, filePath);
  const node = index >= 0 ? nodeAt(merged.sources[index]!.root, keyPath) : lookupSecret(merged, keyPath)?.node;
  return node === undefined ? { found: false } : { found: true, text: renderValue(node) };
}

/**
 * Whether a reveal request may be answered: from a Python file or app folder inside the workspace
 * (its app's chain), or from a secrets file that is a source of the chain of an app in the workspace (its
 * `$CWD` or entrypoint folder inside a workspace folder). A repository-planted link, or any client,
 * cannot make the server read and return a file of its choosing.
 */
export function mayReveal(merged: MergedSecrets, filePath: string, isSecretsFile: boolean, insideWorkspace: (folderOrFile: string) => boolean): boolean {
  if (!isSecretsFile) return insideWorkspace(filePath);
  if (sourceIndexOf(merged, filePath) < 0) return false;
  return insideWorkspace(merged.chain.cwd) || (merged.chain.entrypointDir !== undefined && insideWorkspace(merged.chain.entrypointDir));
}
