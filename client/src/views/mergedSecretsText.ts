/**
 * The words of the "which file won" view and of the masked report. Plain code (no `vscode`
 * import) so unit tests render it directly. Only masked previews from the server appear here —
 * this module never sees a value.
 */
import { localOnlyNote } from '../../../common/localOnly';
import type { MergedSecretsDetailEntry, MergedSecretsDetailFile, MergedSecretsDetailResult, SecretTreeItem } from '../../../common/protocol';
import * as path from 'node:path';

export type FileState = 'ok' | 'missing' | 'error' | 'tracked' | 'notIgnored' | 'directory';

export interface FileStatus {
  state: FileState;
  /** Short text for a description: `missing`, `not gitignored`, … */
  text: string;
}

const roleWords: Record<string, string> = {
  global: 'global',
  project: 'project ($CWD)',
  entrypoint: 'app folder',
  configured: 'listed in secrets.files',
  programmatic: 'st.App(secrets=…)',
  runtime: 'merge_programmatic_secrets(…)',
};

/** The file kind as a noun: "global file", "project file", … */
const fileWords: Record<string, string> = {
  global: 'global file',
  project: 'project file',
  entrypoint: 'app folder file',
  configured: 'secrets.files entry',
  programmatic: 'st.App(secrets=…)',
  runtime: 'st.secrets.merge_programmatic_secrets(…)',
};

export function roleText(role: string): string {
  return roleWords[role] ?? role;
}

/**
 * What matters most about a file of the chain, worst first: it breaks the load, it is committed,
 * it is not ignored, it is missing. The global file lives outside the project: git is not asked.
 */
export function fileStatus(file: MergedSecretsDetailFile): FileStatus {
  if (file.error !== undefined) return { state: 'error', text: `error: ${file.error}` };
  if (!file.exists) return { state: 'missing', text: 'missing' };
  if (file.gitTracked === true) return { state: 'tracked', text: 'tracked by git' };
  if (file.role !== 'global' && file.gitIgnored === false) return { state: 'notIgnored', text: 'not gitignored' };
  if (file.directory === true) return { state: 'directory', text: 'secret directory' };
  return { state: 'ok', text: file.gitIgnored === true ? 'gitignored' : 'exists' };
}

/** How a file is named to the user (the server's label, else its path). */
export function fileLabel(detail: MergedSecretsDetailResult, filePath: string): string {
  return detail.files.find((file) => file.path === filePath)?.label ?? filePath;
}

/** "global file" for a file of the chain (its role in words). */
export function fileKind(detail: MergedSecretsDetailResult, filePath: string): string {
  const role = detail.files.find((file) => file.path === filePath)?.role;
  return role === undefined ? 'file' : (fileWords[role] ?? 'file');
}

/** "the global file", "the global file and the app folder file", "3 earlier files". */
function replacedFiles(detail: MergedSecretsDetailResult, files: readonly string[]): string {
  if (files.length > 2) return `${files.length} earlier files`;
  return files.map((file) => `the ${fileKind(detail, file)}`).join(' and ');
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * What a top-level key does to earlier files, in plain words: "replaces 1 key of the global file;
 * 2 sub-keys lost". Undefined when it replaces nothing.
 */
export function replacementText(detail: MergedSecretsDetailResult, entry: MergedSecretsDetailEntry): string | undefined {
  if (entry.shadowed.length === 0) return undefined;
  let text = `replaces 1 key of ${replacedFiles(detail, entry.shadowed)}`;
  if (entry.lost.length > 0) text += `; ${count(entry.lost.length, 'sub-key', 'sub-keys')} lost`;
  return text;
}

/** `"••••••••" · .streamlit/secrets.toml · replaces 1 key of the global file; 1 sub-key lost · in os.environ` */
export function entryDescription(detail: MergedSecretsDetailResult, entry: MergedSecretsDetailEntry): string {
  const parts = [entry.masked, fileLabel(detail, entry.winner)];
  const replaces = replacementText(detail, entry);
  if (replaces) parts.push(replaces);
  if (entry.env) parts.push('in os.environ');
  if (isLocalOnly(detail, entry)) parts.push('local only');
  return parts.join(' · ');
}

/** The key comes from the global file alone: a deployed app lacks it. */
function isLocalOnly(detail: MergedSecretsDetailResult, entry: MergedSecretsDetailEntry): boolean {
  return detail.files.find((file) => file.path === entry.winner)?.role === 'global';
}

/** Plain-text lines explaining one top-level key (tooltip and report). */
export function entryExplanation(detail: MergedSecretsDetailResult, entry: MergedSecretsDetailEntry): string[] {
  const lines = [`Type: ${entry.type}`, `Value: ${entry.masked}`, `From the ${fileKind(detail, entry.winner)} ${fileLabel(detail, entry.winner)}`];
  if (entry.shadowed.length > 0) {
    lines.push(`Replaces the same key of: ${entry.shadowed.map((file) => `the ${fileKind(detail, file)} ${fileLabel(detail, file)}`).join(', ')} (Streamlit merges whole top-level keys)`);
  }
  if (entry.lost.length > 0) lines.push(`Sub-keys of those files the app loses: ${entry.lost.join(', ')}`);
  if (entry.env) lines.push(`Also in os.environ["${entry.key}"]`);
  if (isLocalOnly(detail, entry)) lines.push(`${localOnlyNote[0]!.toUpperCase()}${localOnlyNote.slice(1)}`);
  return lines;
}

/** `/home/me/x` → `~/x`, so a report pasted into a bug report does not carry the user name. */
export function abbreviateHome(filePath: string, home: string | undefined): string {
  if (!home) return filePath;
  const trimmed = home.replace(/[\\/]+$/, '');
  if (filePath === trimmed) return '~';
  if (filePath.startsWith(`${trimmed}/`) || filePath.startsWith(`${trimmed}\\`)) return `~${filePath.slice(trimmed.length)}`;
  return filePath;
}

export interface ReportApp {
  label: string;
  detail: MergedSecretsDetailResult;
}

/** The read-only masked report: every app, its chain of files and every key with its provenance. */
export function renderMergedSecretsReport(apps: readonly ReportApp[], options: { home?: string; generated?: string } = {}): string {
  const out: string[] = ['Streamlit secrets: which file won each key (values masked)'];
  if (options.generated) out.push(`Generated ${options.generated} by the Streamlit Secrets extension.`);
  out.push('Streamlit reads the files below in order; a later file replaces an earlier one’s whole top-level key.', '');
  if (apps.length === 0) out.push('No workspace folder is open.');
  for (const { label, detail } of apps) {
    out.push(`App: ${label}`);
    out.push(`  $CWD: ${abbreviateHome(detail.cwd, options.home)}`);
    if (detail.entrypointDir) out.push(`  Entrypoint folder: ${abbreviateHome(detail.entrypointDir, options.home)}`);
    if (detail.streamlitVersion) out.push(`  Streamlit version: ${detail.streamlitVersion}`);
    for (const line of runConfigurationLines(detail)) out.push(`  ${line}`);
    out.push('  Files:');
    detail.files.forEach((file, index) => {
      const status = fileStatus(file);
      const label = file.label ?? abbreviateHome(file.path, options.home);
      const git = file.exists && file.role !== 'global' && status.state !== 'error'
        ? `${file.gitIgnored === true ? 'gitignored' : file.gitIgnored === false ? 'NOT gitignored' : 'git status unknown'}${file.gitTracked === true ? ', TRACKED by git' : file.gitTracked === false ? ', not tracked' : ''}`
        : undefined;
      const state = status.state === 'error' ? `ERROR (${file.error ?? ''})` : file.exists ? (file.directory ? 'secret directory' : 'exists') : 'missing';
      const note = file.note !== undefined ? `; not fully read: ${file.note}` : '';
      out.push(`    ${index + 1}. ${label} [${roleText(file.role)}] ${state}${git ? `; ${git}` : ''}${note}`);
    });
    if (detail.loadError) out.push(`  Load: FAILS, the app gets no secrets at all: ${detail.loadError}`);
    else if (detail.noSecretsFound) out.push('  Load: no secrets file exists; every st.secrets access raises "No secrets found".');
    else out.push('  Load: ok');
    if (detail.incomplete) out.push(`  Not fully read: ${detail.incomplete}. Keys may exist that are not listed; no read is reported as missing.`);
    out.push(detail.entries.length > 0 ? '  Keys:' : detail.loadError ? '  Keys: none (the load fails)' : '  Keys: none');
    for (const entry of detail.entries) {
      const flags = [`from ${fileLabel(detail, entry.winner)}`];
      if (entry.shadowed.length > 0) flags.push(`replaces it in ${entry.shadowed.map((file) => fileLabel(detail, file)).join(', ')}`);
      if (entry.lost.length > 0) flags.push(`sub-keys lost: ${entry.lost.join(', ')}`);
      if (entry.env) flags.push('in os.environ');
      out.push(`    ${entry.key} (${entry.type}) = ${entry.masked}  [${flags.join('; ')}]`);
      renderChildren(entry.children, 3, out);
    }
    out.push('');
  }
  return out.join('\n');
}

function renderChildren(children: SecretTreeItem[] | undefined, depth: number, out: string[]): void {
  for (const child of children ?? []) {
    out.push(`${'  '.repeat(depth)}${child.path} (${child.type}) = ${child.masked}`);
    renderChildren(child.children, depth + 1, out);
  }
}

/** One line per launch configuration that runs the app, the one the diagnostics follow first. */
export function runConfigurationLines(detail: Pick<MergedSecretsDetailResult, 'runConfigurations'>): string[] {
  return (detail.runConfigurations ?? []).map((run) => {
    const files = run.secretsFiles === undefined ? '' : `, secrets.files: ${run.secretsFiles.join(' ') || '(empty)'}`;
    return `Launch configuration "${run.name}"${run.used ? ' (used for diagnostics)' : ' (not used: another configuration runs this app first)'}: streamlit run ${path.basename(run.script)} from ${run.cwd}${files}`;
  });
}
