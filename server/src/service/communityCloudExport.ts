// The merged secrets as one TOML document for Streamlit Community Cloud's "Secrets" field, and
// what will not work once deployed. Pure. The document carries values: only an explicit export
// (the CLI's stdout, the command's clipboard after confirmation) may receive it; warnings and the
// preview name keys, types and files, never values.
import type { CommunityCloudPreviewEntry, CommunityCloudWarning } from '../../../common/protocol';
import { parseSecretsToml } from '../toml/parseSecretsToml';
import type { SecretNode } from '../toml/types';
import type { MergedSecrets } from './mergeSecrets';
import { describeType } from './masking';
import { fileWords, labelOf } from './provenance';
import { formatKeyPath } from './secretNodes';

/** Names keys and files, never values (the shapes the protocol sends). */
export type ExportWarning = CommunityCloudWarning;
export type ExportPreviewEntry = CommunityCloudPreviewEntry;

export type CommunityCloudExport =
  | { ok: true; toml: string; preview: ExportPreviewEntry[]; warnings: ExportWarning[] }
  | { ok: false; reason: string };

/** TOML's bare-key alphabet. */
const bareKey = /^[A-Za-z0-9_-]+$/;

/**
 * A key as Streamlit's parser (`toml` 0.10.2) reads it back: bare, else quoted without escapes
 * (it mangles quoted keys with escapes and rejects table headers with an escaped quote).
 * Undefined when no such spelling exists.
 */
function tomlKey(key: string): string | undefined {
  if (bareKey.test(key)) return key;
  // It rejects a backslash in any quoted key, literal ones included.
  if (/[\u0000-\u001f\u007f\\]/.test(key)) return undefined;
  if (!key.includes('"')) return `"${key}"`;
  if (!key.includes("'")) return `'${key}'`;
  return undefined;
}

/** The first key path (tables and arrays of tables included) with no spelling Streamlit reads back. */
function unwritableKey(node: SecretNode, path: readonly string[]): string[] | undefined {
  const children = node.kind === 'table' ? [...(node.children ?? [])] : node.kind === 'array' ? (node.items ?? []).map((item): [string, SecretNode] => ['', item]) : [];
  for (const [key, child] of children) {
    const childPath = node.kind === 'table' ? [...path, key] : [...path];
    if (node.kind === 'table' && tomlKey(key) === undefined) return childPath;
    const deeper = unwritableKey(child, childPath);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
}

/** A basic string with every control character escaped (what `toml` 0.10.2 and TOML 1.0 both read). */
function tomlString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === '\\') out += '\\\\';
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

function tomlFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  const text = Object.is(value, -0) ? '-0.0' : String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** A value written inline (arrays and tables inside arrays included). */
function inlineValue(node: SecretNode): string {
  switch (node.kind) {
    case 'string':
      return tomlString(String(node.value ?? ''));
    case 'integer':
      return String(node.value);
    case 'float':
      return tomlFloat(Number(node.value));
    case 'boolean':
      return node.value === true ? 'true' : 'false';
    case 'array':
      return `[${(node.items ?? []).map(inlineValue).join(', ')}]`;
    case 'table':
      return `{ ${[...(node.children ?? [])].map(([key, child]) => `${tomlKey(key)!} = ${inlineValue(child)}`).join(', ')} }`;
    default:
      // Dates and times keep their TOML text.
      return String(node.value);
  }
}

/** A table's body: its plain values, then a `[header]` per sub-table. */
function writeTable(lines: string[], node: SecretNode, path: readonly string[]): void {
  const children = [...(node.children ?? [])];
  for (const [key, child] of children) if (child.kind !== 'table') lines.push(`${tomlKey(key)!} = ${inlineValue(child)}`);
  for (const [key, child] of children) {
    if (child.kind !== 'table') continue;
    const childPath = [...path, key];
    lines.push('', `[${childPath.map((segment) => tomlKey(segment)!).join('.')}]`);
    writeTable(lines, child, childPath);
  }
}

/** Same keys, kinds and values (datetimes by text); table order does not matter. */
export function sameSecrets(a: SecretNode | undefined, b: SecretNode | undefined): boolean {
  if (a === undefined || b === undefined || a.kind !== b.kind) return a === b;
  if (a.kind === 'table') {
    const left = a.children ?? new Map<string, SecretNode>();
    const right = b.children ?? new Map<string, SecretNode>();
    return left.size === right.size && [...left].every(([key, child]) => sameSecrets(child, right.get(key)));
  }
  if (a.kind === 'array') {
    const left = a.items ?? [];
    const right = b.items ?? [];
    return left.length === right.length && left.every((item, index) => sameSecrets(item, right[index]));
  }
  if (a.kind === 'float') return Object.is(Number(a.value), Number(b.value));
  return a.value === b.value;
}

/** The merged secrets as one table, in the order the app sees them. */
export function mergedRoot(merged: MergedSecrets): SecretNode {
  return { kind: 'table', children: new Map([...merged.entries].map(([key, entry]) => [key, entry.node])) };
}

/** `toml` + the same reader the editor uses to predict Streamlit: the document must load back to `root`. */
export function secretsToToml(root: SecretNode): { toml: string } | { reason: string } {
  const unwritable = unwritableKey(root, []);
  if (unwritable !== undefined) return { reason: `the key ${formatKeyPath(unwritable)} cannot be written so that Streamlit's parser reads it back (it mixes quotes, backslashes or control characters)` };
  const lines: string[] = [];
  writeTable(lines, root, []);
  const toml = `${lines.join('\n').replace(/^\n+/, '')}\n`;
  const parsed = parseSecretsToml(toml);
  if (parsed.root === undefined || parsed.streamlitError !== undefined || parsed.problems.some((problem) => problem.severity === 'error')) {
    return { reason: 'the written document would not load in Streamlit' };
  }
  if (!sameSecrets(parsed.root, root)) return { reason: 'the written document would load to different values' };
  return { toml };
}

const localHost = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1|0\.0\.0\.0)$/i;

/** The host of a URL-ish or bare host string, lower-cased, or undefined. */
function hostOf(text: string): string | undefined {
  try {
    return new URL(text).hostname.toLowerCase();
  } catch {
    const bare = /^([^:/\s]+)(:\d+)?$/.exec(text.trim());
    return bare?.[1]?.toLowerCase();
  }
}

function pointsAtThisMachine(text: string): boolean {
  const host = hostOf(text);
  return host !== undefined && localHost.test(host);
}

const hostKeys = /(^|_)(redirect_uri|url|uri|host|hostname|server_metadata_url)$/i;
const fileKeys = /(^|_)(file|path|filename|dir|directory)$/i;

function isLocalPath(text: string): boolean {
  if (text === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return false;
  return text.startsWith('~') || !(text.startsWith('/') || /^[A-Za-z]:[\\/]/.test(text));
}

function valueWarnings(node: SecretNode, path: readonly string[], warnings: ExportWarning[]): void {
  if (node.kind === 'table') {
    for (const [key, child] of node.children ?? []) valueWarnings(child, [...path, key], warnings);
    return;
  }
  if (node.kind !== 'string' || typeof node.value !== 'string') return;
  const key = path[path.length - 1] ?? '';
  const dotted = formatKeyPath(path);
  if (hostKeys.test(key) && pointsAtThisMachine(node.value)) {
    warnings.push({ keyPath: [...path], code: 'points-at-this-machine', message: `${dotted} points at this machine (localhost): the deployed app cannot reach it.` });
  } else if (fileKeys.test(key) && isLocalPath(node.value)) {
    warnings.push({ keyPath: [...path], code: 'local-file-path', message: `${dotted} is a relative or home-relative file path: the deployed app has no such file.` });
  }
  if (path.length === 2 && path[0] === 'auth' && key === 'redirect_uri' && !pointsAtThisMachine(node.value)) {
    const host = hostOf(node.value);
    let pathname = '';
    try {
      pathname = new URL(node.value).pathname;
    } catch {
      pathname = '';
    }
    if (host === undefined || !host.endsWith('.streamlit.app') || pathname !== '/oauth2callback') {
      warnings.push({ keyPath: [...path], code: 'auth-redirect-not-deployed', message: '[auth] redirect_uri is not a Community Cloud app URL (https://<app>.streamlit.app/oauth2callback): set it to the deployed app\'s URL there.' });
    }
  }
}

/** A key and every key of its tables (depth first), names and types only. */
function previewRows(rows: ExportPreviewEntry[], keyPath: string[], node: SecretNode, from: { file: string; role: string; source: string }): void {
  rows.push({ key: formatKeyPath(keyPath), keyPath, type: describeType(node), ...from });
  if (node.kind !== 'table') return;
  for (const [key, child] of node.children ?? []) previewRows(rows, [...keyPath, key], child, from);
}

/**
 * The merged secrets exactly as the app sees them locally (every file of its chain, Streamlit's
 * shallow merge) as one TOML document, checked to load back to the same values; with a masked
 * preview and what will not work deployed.
 */
export function communityCloudExport(merged: MergedSecrets): CommunityCloudExport {
  if (merged.noSecretsFound) return { ok: false, reason: 'the app has no secrets file' };
  if (merged.loadError !== undefined) return { ok: false, reason: `Streamlit cannot load the secrets: ${merged.loadError.message}` };
  const root = mergedRoot(merged);
  const written = secretsToToml(root);
  if ('reason' in written) return { ok: false, reason: written.reason };
  const warnings: ExportWarning[] = [];
  const preview: ExportPreviewEntry[] = [];
  for (const [key, entry] of merged.entries) {
    const role = merged.sources[entry.winner]!.spec.role;
    const from = { file: labelOf(merged, entry.winner), role, source: fileWords(merged, entry.winner) };
    previewRows(preview, [key], entry.node, from);
    if (role === 'global' && entry.shadowed.length === 0) {
      warnings.push({ keyPath: [key], code: 'local-only', message: `${formatKeyPath([key])} comes only from the global file ${labelOf(merged, entry.winner)}, which a deployed app does not have: it is in this export, so pasting it deploys it.` });
    }
  }
  valueWarnings(root, [], warnings);
  return { ok: true, toml: written.toml, preview, warnings };
}
