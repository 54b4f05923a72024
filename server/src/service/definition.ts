import type { PythonSecretsAnalysis } from '../python/types';
import type { TextRange } from '../textRange';
import { accessTargetAt } from './accessTarget';
import type { MergedSecrets } from './mergeSecrets';
import { locationsInSource } from './secretLocations';

export interface SecretDefinition {
  /** Absolute path of the secrets file. */
  filePath: string;
  /** The file's text, to turn offsets into positions. */
  text: string;
  /** The key token of the definition. */
  range: TextRange;
  /** `winner`: where the app's value comes from; `shadowed`: an earlier definition it hides. */
  role: 'winner' | 'shadowed';
}

/** The merged-secrets key path a position in Python code reads, if any. */
export function keyPathAtPython(analysis: PythonSecretsAnalysis, offset: number): string[] | undefined {
  const target = accessTargetAt(analysis, offset);
  switch (target?.kind) {
    case 'secrets':
      return target.path;
    case 'environ':
      return [target.key];
    case 'connection':
      return ['connections', target.name];
    case 'login':
      return target.path;
    default:
      return undefined;
  }
}

/**
 * Where `keyPath` is defined: first the winning file's line, then the definitions it shadows
 * (latest file first). A key lost by the shallow merge still leads to the files that define it.
 */
export function findDefinitions(merged: MergedSecrets, keyPath: readonly string[]): SecretDefinition[] {
  const entry = merged.entries.get(keyPath[0] ?? '');
  if (entry === undefined) return [];
  const result: SecretDefinition[] = [];
  const add = (index: number, role: SecretDefinition['role']): void => {
    const source = merged.sources[index]!;
    const first = locationsInSource(source, keyPath)[0];
    const text = source.programmatic?.text ?? source.text;
    if (first !== undefined && text !== undefined) result.push({ filePath: source.spec.path, text, range: first.keyRange, role });
  };
  add(entry.winner, 'winner');
  for (let i = entry.shadowed.length - 1; i >= 0; i--) add(entry.shadowed[i]!, 'shadowed');
  return result;
}
