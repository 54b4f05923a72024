// `secrets.toml.example` drift: keys a secrets file has that its example lacks, and the reverse.
// Pure: the workspace layer pairs each example with the project's secrets files.
import type { Diagnostic } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SecretNode } from '../toml/types';
import { formatKeyPath } from './secretNodes';
import { DiagnosticBuilder } from './secretsFileDiagnostics';

export const ExampleDriftCode = {
  /** A secrets file defines a key the example does not declare. */
  notInExample: 'example-missing-key',
  /** The example declares a key no project secrets file defines. */
  notInSecrets: 'example-key-not-in-secrets',
} as const;

/**
 * Key paths of `node` that `other` lacks, the outermost only: a whole missing table is one path,
 * not one per key inside it. A table on one side and a value on the other differ at that path.
 */
export function missingKeyPaths(node: SecretNode | undefined, other: SecretNode | undefined, prefix: readonly string[] = []): string[][] {
  if (node?.kind !== 'table') return [];
  const found: string[][] = [];
  for (const [key, child] of node.children ?? []) {
    const otherChild = other?.kind === 'table' ? other.children?.get(key) : undefined;
    const keyPath = [...prefix, key];
    if (otherChild === undefined || (child.kind === 'table') !== (otherChild.kind === 'table')) found.push(keyPath);
    else if (child.kind === 'table') found.push(...missingKeyPaths(child, otherChild, keyPath));
  }
  return found;
}

export interface ExampleDriftInput {
  /** The file the diagnostics go on (a secrets file, or the example). */
  document: TextDocument;
  /** Its values as parsed. */
  root: SecretNode | undefined;
  /** What it is compared with: the example's keys, or the project's secrets files merged. */
  other: SecretNode | undefined;
  /** How `other` is named in messages (`secrets.toml.example`, `.streamlit/secrets.toml`). */
  otherLabel: string;
  /** Which side `document` is. */
  documentIs: 'secrets' | 'example';
}

/** Drift diagnostics on one side, at each missing key's definition. Messages name keys, never values. */
export function exampleDriftDiagnostics(input: ExampleDriftInput): Diagnostic[] {
  const builder = new DiagnosticBuilder(input.document);
  const text = input.document.getText();
  for (const keyPath of missingKeyPaths(input.root, input.other)) {
    const key = formatKeyPath(keyPath);
    if (input.documentIs === 'secrets') {
      builder.add(
        builder.keyRange(keyPath, text),
        `"${key}" is not in ${input.otherLabel}: whoever sets the app up from the example will not know it is needed. Add it there (without its value).`,
        'warning',
        ExampleDriftCode.notInExample,
      );
    } else {
      builder.add(
        builder.keyRange(keyPath, text),
        `"${key}" is declared here but no project secrets file defines it (${input.otherLabel}): remove it from the example or add it to the secrets.`,
        'warning',
        ExampleDriftCode.notInSecrets,
      );
    }
  }
  return builder.diagnostics;
}
