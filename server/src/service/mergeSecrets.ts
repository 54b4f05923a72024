import type { SecretKeyLocations, SecretNode, ParsedSecretsToml } from '../toml/types';
import type { SecretsChain, SecretsSourceSpec } from './secretsChain';
import { lostPaths } from './secretNodes';

/** What reading one source of the chain gave. Built by the workspace layer, consumed here. */
export interface LoadedSecretsSource {
  spec: SecretsSourceSpec;
  /** `missing` covers a `.toml` entry that does not exist (Streamlit skips it silently). */
  kind: 'file' | 'directory' | 'missing' | 'invalid' | 'programmatic';
  /** The values Streamlit would load from it (undefined when missing or failing). */
  root?: SecretNode;
  /** Why Streamlit fails to load this source; never contains a secret value. */
  error?: string;
  /**
   * Why we did not read all of it (a size or count budget; Streamlit still reads it whole): its
   * keys are not all known, so no read may be called missing. Never contains a secret value.
   */
  incomplete?: string;
  /** Files only: the parse result and the text it came from (for locating keys later). */
  parsed?: ParsedSecretsToml;
  text?: string;
  /** Files only: the editor buffer's version when the text came from an open document. */
  version?: number;
  /** A secret directory from which Streamlit reads no file: it does not count as found (§1). */
  empty?: boolean;
  /**
   * `st.App(secrets=…)` (kind `programmatic`): the App file's text and where its keys are written;
   * `dynamic` when the keys cannot be known without running Python (§8).
   */
  programmatic?: {
    text: string;
    keys: SecretKeyLocations;
    dynamic: boolean;
    /** Dynamic: the constant top-level keys of a dict whose values are read at runtime. */
    topKeys?: readonly string[];
  };
}

/**
 * The first source of secrets given in code that may define top-level key `topKey` without our
 * knowing (§8), or -1: `st.App(secrets=load())` may define any key; `merge_programmatic_secrets(
 * {"auth": {…os.environ…}})` only `auth` (a merge replaces whole top-level keys, so the others stay
 * certain). `topKey` undefined: whether any key at all may be.
 */
export function sourceThatMayDefine(merged: MergedSecrets, topKey: string | undefined): number {
  return merged.sources.findIndex((source) => {
    const given = source.programmatic;
    return given?.dynamic === true && (topKey === undefined || given.topKeys === undefined || given.topKeys.includes(topKey));
  });
}

export interface MergedEntry {
  key: string;
  node: SecretNode;
  /** Index into `sources` of the file that won the key. */
  winner: number;
  /** Indexes of earlier sources that define the key too, first to last. */
  shadowed: number[];
  /** Dotted paths defined in a shadowed source and missing from the merged value. */
  lost: string[];
  /** Streamlit copies the key into `os.environ` (root value of exact type str, int or float). */
  env: boolean;
}

export interface MergedSecrets {
  chain: SecretsChain;
  sources: LoadedSecretsSource[];
  /** Top-level keys in the order Python's `dict.update` leaves them. */
  entries: Map<string, MergedEntry>;
  /** Every source is missing: every `st.secrets` access raises "No secrets found". */
  noSecretsFound: boolean;
  /**
   * Streamlit's load fails as a whole (a source it cannot parse, an invalid path, a root key
   * that cannot become an environment variable): the running app gets no secrets at all.
   * The entries above still show what the files hold, for completion while fixing it.
   */
  loadError?: { source?: number; key?: string; message: string };
  /**
   * Not every source was read in full (budgets, see service/readBudget.ts): keys may exist that
   * we never saw. Set by the reader (`source` unset: sources of the chain were not read at all).
   */
  incomplete?: { source?: number; message: string };
}

const exportedKinds = new Set(['string', 'integer', 'float']);

/** Why `os.environ[key] = str(value)` raises for an exported root key, if it does. */
export function environmentExportError(key: string, node: SecretNode): string | undefined {
  if (!exportedKinds.has(node.kind)) return undefined;
  if (key === '') return 'an empty root key cannot become an environment variable';
  if (key.includes('=')) return `root key ${JSON.stringify(key)} contains "=" and cannot become an environment variable`;
  if (key.includes('\0')) return 'a root key contains a NUL character and cannot become an environment variable';
  if (node.kind === 'string' && typeof node.value === 'string' && node.value.includes('\0')) {
    return `the value of root key ${JSON.stringify(key)} contains a NUL character and cannot become an environment variable`;
  }
  return undefined;
}

/**
 * Streamlit's merge: each source in order is applied with a plain `dict.update`, so a later
 * source replaces an earlier one's whole top-level value (tables included). Provenance is kept
 * per top-level key.
 */
export function mergeSecrets(chain: SecretsChain, sources: LoadedSecretsSource[]): MergedSecrets {
  const entries = new Map<string, MergedEntry>();
  const definedBy = new Map<string, number[]>();
  let loadError: MergedSecrets['loadError'];
  let incomplete: MergedSecrets['incomplete'];
  let found = false;

  sources.forEach((source, index) => {
    // An invalid source (a folder named `secrets.toml`, a configured path that is neither) makes
    // Streamlit raise its own error, not "No secrets found": that error is the one to show.
    // Programmatic secrets: whether they alone avoid "No secrets found" is not settled (§8): no error.
    if (source.kind === 'programmatic') {
      if (source.programmatic?.dynamic === true || (source.root?.children?.size ?? 0) > 0) found = true;
    } else if (source.kind !== 'missing' && source.empty !== true) found = true;
    if (source.error !== undefined && loadError === undefined) loadError = { source: index, message: source.error };
    if (source.incomplete !== undefined && incomplete === undefined) incomplete = { source: index, message: source.incomplete };
    const children = source.root?.kind === 'table' ? source.root.children : undefined;
    if (children === undefined) return;
    for (const key of children.keys()) {
      const list = definedBy.get(key);
      if (list === undefined) definedBy.set(key, [index]);
      else list.push(index);
    }
  });

  for (const [key, indexes] of definedBy) {
    const winner = indexes[indexes.length - 1]!;
    const node = (sources[winner]!.root!.children!).get(key)!;
    const shadowed = indexes.slice(0, -1);
    const lost: string[] = [];
    for (const index of shadowed) {
      for (const dotted of lostPaths(sources[index]!.root!.children!.get(key)!, node, [key])) {
        if (!lost.includes(dotted)) lost.push(dotted);
      }
    }
    // Whether Streamlit exports programmatic secrets to os.environ is not settled (§8): not claimed.
    const env = exportedKinds.has(node.kind) && sources[winner]!.kind !== 'programmatic';
    entries.set(key, { key, node, winner, shadowed, lost, env });
  }

  if (loadError === undefined) {
    for (const entry of entries.values()) {
      if (!entry.env) continue;
      const message = environmentExportError(entry.key, entry.node);
      if (message !== undefined) {
        loadError = { source: entry.winner, key: entry.key, message };
        break;
      }
    }
  }

  return { chain, sources, entries, noSecretsFound: !found, ...(loadError ? { loadError } : {}), ...(incomplete ? { incomplete } : {}) };
}

/** The merged value at a key path, or undefined. */
export function lookupSecret(merged: MergedSecrets, path: readonly string[]): { entry: MergedEntry; node: SecretNode } | undefined {
  const [first, ...rest] = path;
  if (first === undefined) return undefined;
  const entry = merged.entries.get(first);
  if (entry === undefined) return undefined;
  let node: SecretNode | undefined = entry.node;
  for (const key of rest) {
    node = node.kind === 'table' ? node.children?.get(key) : undefined;
    if (node === undefined) return undefined;
  }
  return { entry, node };
}
