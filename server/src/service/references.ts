import type { TextRange } from '../textRange';
import { referencesInAnalysis, type ReferenceReads } from './accessTarget';
import { keyPathAt } from './secretLocations';

export { referencesInAnalysis };

/** The key path under the cursor in a secrets file (key token, value or table header). */
export function secretsKeyPathAt(text: string, offset: number): string[] | undefined {
  return keyPathAt(text, offset)?.path;
}

/** A read of a key found in one Python file, with its range. */
export interface SecretReference {
  range: TextRange;
}

/** Every read of `keyPath` in one Python file's analysis (see `referencesInAnalysis`). */
export function findSecretReferences(analysis: ReferenceReads, keyPath: readonly string[]): SecretReference[] {
  return referencesInAnalysis(analysis, keyPath).map((range) => ({ range }));
}
