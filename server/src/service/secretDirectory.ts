import type { SecretNode } from '../toml/types';

/** What a Kubernetes-style secret directory holds: each subfolder with its files' texts. */
export interface SecretDirectoryListing {
  subfolders: { name: string; files: { name: string; text: string }[] }[];
}

/**
 * Streamlit's reading of a secret directory: each subfolder becomes a key, each file in it a
 * sub-key holding its stripped text, a subfolder with exactly one file becomes that file's text
 * and an empty subfolder an empty table (docs/streamlit-model.md §1). Sorted for a stable order
 * (the OS listing order Streamlit sees is arbitrary).
 */
export function secretDirectoryToNode(listing: SecretDirectoryListing): SecretNode {
  const children = new Map<string, SecretNode>();
  const subfolders = [...listing.subfolders].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const folder of subfolders) {
    const files = [...folder.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (files.length === 1) {
      children.set(folder.name, { kind: 'string', value: files[0]!.text.trim() });
      continue;
    }
    const table = new Map<string, SecretNode>();
    for (const file of files) table.set(file.name, { kind: 'string', value: file.text.trim() });
    children.set(folder.name, { kind: 'table', children: table });
  }
  return { kind: 'table', children };
}

/** Whether Streamlit read any file from the directory: one that holds none does not count as found. */
export function secretDirectoryHasFiles(listing: SecretDirectoryListing): boolean {
  return listing.subfolders.some((folder) => folder.files.length > 0);
}
