import { analyzePythonSecrets } from '../../../server/src/python/analyzePythonSecrets';
import { createPythonSource, type PythonSource } from '../../../server/src/python/pythonSource';
import type { SecretAccess } from '../../../server/src/python/types';
import type { TextRange } from '../../../server/src/textRange';

/** Splits a `|` cursor marker out of `marked` (the first `|` only). */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error(`no | cursor marker in ${JSON.stringify(marked)}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

export function slice(text: string, range: TextRange | undefined): string | undefined {
  return range ? text.slice(range.start, range.end) : undefined;
}

/**
 * A compact, readable form of one access: `secrets db.password`, `secrets db.get(k) tolerant`,
 * `environ ["K"]`, `secrets (db) in "k"` — the style of each segment is shown with it.
 */
export function describeAccess(access: SecretAccess): string {
  const segments = access.segments
    .map((s) => (s.style === 'attribute' ? `.${s.key}` : s.style === 'subscript' ? `[${JSON.stringify(s.key)}]` : `.get(${JSON.stringify(s.key)})`))
    .join('');
  let out = `${access.kind} ${segments || '<root>'}`;
  if (access.membershipKey) out += ` has ${JSON.stringify(access.membershipKey.key)}`;
  if (access.tolerant) out += ' tolerant';
  return out;
}

export function describeAll(text: string): string[] {
  return analyzePythonSecrets(createPythonSource(text)).accesses.map(describeAccess);
}

export const stImport = 'import streamlit as st\nimport os\n';

export function source(text: string): PythonSource {
  return createPythonSource(text);
}
