// Diagnostics of `.streamlit/config.toml` as far as secrets are concerned: its TOML (Streamlit reads
// it with the same `toml` 0.10.2 parser) and `[secrets] files`, the list that REPLACES the default
// secrets files (1.38+). Pure: the feature tells what each listed path is on disk.
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextRange } from '../textRange';
import { arrayItemRanges } from '../toml/arrayItemRanges';
import { locateSecretKeys } from '../toml/locateSecretKeys';
import { keyPathId, type ParsedSecretsToml, type TomlProblem } from '../toml/types';
import type { MergedSecrets } from './mergeSecrets';
import { maxConfiguredSources } from './readBudget';
import { alreadySaysNotToml10, DiagnosticBuilder, strictToml10Problem } from './secretsFileDiagnostics';
import { formatStreamlitVersion, supports } from './streamlitVersion';
import { sourceLabel } from './sourceLabels';

export type PathKind = 'file' | 'directory' | 'missing' | 'other';

export interface ConfigFileDiagnosticsInput {
  document: TextDocument;
  filePath: string;
  parsed: ParsedSecretsToml;
  decodeProblems?: TomlProblem[];
  /** `$CWD`: where relative `[secrets] files` entries resolve. */
  cwd: string;
  /** What a path is on disk. */
  pathKind(absolutePath: string): PathKind;
  /** The chain this config takes part in (to tell when a later config.toml's list wins). */
  merged?: MergedSecrets;
}

export function configFileDiagnostics(input: ConfigFileDiagnosticsInput): Diagnostic[] {
  const builder = new DiagnosticBuilder(input.document);
  const text = input.document.getText();
  for (const problem of input.decodeProblems ?? []) builder.add({ start: 0, end: 0 }, problem.message, problem.severity, problem.code);
  for (const problem of input.parsed.problems) {
    const message = problem.message.replace('Streamlit cannot load this file: ', 'Streamlit cannot load this config file: ');
    builder.add(problem.range, message, problem.severity, problem.code);
  }
  if (!input.parsed.problems.some(alreadySaysNotToml10)) {
    const strict = strictToml10Problem(text, input.parsed.root !== undefined);
    if (strict !== undefined) builder.add(strict.range, strict.message, strict.severity, strict.code);
  }
  const root = input.parsed.root;
  const secrets = root?.children?.get('secrets');
  if (secrets === undefined) return builder.diagnostics;
  const locations = locateSecretKeys(text);
  const at = (keys: string[]): TextRange => locations.get(keyPathId(keys))?.[0]?.keyRange ?? builder.keyRange(keys, text);
  if (secrets.kind !== 'table') {
    builder.add(at(['secrets']), '"secrets" must be a table ([secrets]) holding the option "files".', 'error', 'config-secrets-not-table');
    return builder.diagnostics;
  }
  for (const key of secrets.children?.keys() ?? []) {
    if (key !== 'files') builder.add(at(['secrets', key]), `"secrets.${key}" is not a Streamlit config option (the [secrets] section only has "files").`, 'warning', 'config-unknown-option');
  }
  const files = secrets.children?.get('files');
  if (files === undefined) return builder.diagnostics;
  const filesLocation = locations.get(keyPathId(['secrets', 'files']))?.[0];
  const keyRange = filesLocation?.keyRange ?? at(['secrets', 'files']);
  const arrayRange = filesLocation?.valueRange ?? keyRange;
  if (files.kind === 'string' && typeof files.value === 'string') {
    // Streamlit iterates a string option character by character (docs/streamlit-model.md §1).
    const first = Array.from(files.value)[0];
    builder.add(
      keyRange,
      first === undefined
        ? '"files" must be a list of paths, e.g. files = [".streamlit/secrets.toml"]. An empty string reads no file: every st.secrets access fails with "No secrets found".'
        : `"files" must be a list of paths, e.g. files = [${JSON.stringify(files.value)}]. Streamlit reads a string one character at a time and fails: Invalid secrets path: ${first}.`,
      'error',
      'config-secrets-files-type',
    );
    return builder.diagnostics;
  }
  if (files.kind !== 'array') {
    builder.add(keyRange, '"files" must be a list of paths, e.g. files = [".streamlit/secrets.toml"].', 'error', 'config-secrets-files-type');
    return builder.diagnostics;
  }
  const items = files.items ?? [];
  const merged = input.merged;
  if (merged !== undefined && !supports(merged.chain.streamlitVersion, 'secretsFilesOption')) {
    builder.add(
      keyRange,
      `This list is not used: [secrets] files exists from Streamlit 1.38, and this app runs ${formatStreamlitVersion(merged.chain.streamlitVersion!)}.`,
      'information',
      'config-secrets-files-overridden',
    );
  } else if (merged?.chain.filesFromRun !== undefined) {
    builder.add(
      keyRange,
      `This list is not used: the run configuration ${merged.chain.filesFromRun} sets secrets.files (--secrets.files or STREAMLIT_SECRETS_FILES), which beats every config.toml.`,
      'information',
      'config-secrets-files-overridden',
    );
  } else if (merged?.chain.filesFromConfig !== undefined && merged.chain.filesFromConfig !== input.filePath) {
    builder.add(
      keyRange,
      `This list is not used: ${sourceLabel({ path: merged.chain.filesFromConfig, role: 'configured' }, merged.chain)} is read later and sets its own [secrets] files.`,
      'information',
      'config-secrets-files-overridden',
    );
  } else {
    builder.add(
      keyRange,
      items.length === 0
        ? 'An empty list: Streamlit reads no secrets file at all, and every st.secrets access fails with "No secrets found".'
        : 'This list replaces Streamlit\'s default secrets files (~/.streamlit/secrets.toml and .streamlit/secrets.toml): only these are read, in this order (later wins).',
      items.length === 0 ? 'warning' : 'information',
      'config-secrets-files-replace',
    );
  }
  if (merged?.incomplete !== undefined && merged.chain.filesFromConfig === input.filePath) {
    const source = merged.incomplete.source === undefined ? undefined : merged.sources[merged.incomplete.source];
    const where = source === undefined ? '' : `${sourceLabel(source.spec, merged.chain)}: `;
    builder.add(
      keyRange,
      `Not everything this list names was read (${where}${merged.incomplete.message}). Streamlit reads it all; keys in the skipped part are unknown here, so reads of st.secrets in this app are not reported as missing.`,
      'warning',
      'config-secrets-files-budget',
    );
  }
  const occurrences = new Map<string, number>();
  // Each entry's own range when the written array has as many elements as the loaded one.
  const itemRanges = arrayRange === keyRange ? undefined : arrayItemRanges(text, arrayRange);
  // Entries past the budget are not read, so not checked either (the warning above says so).
  for (const [index, item] of items.slice(0, maxConfiguredSources).entries()) {
    if (item.kind !== 'string' || typeof item.value !== 'string') {
      builder.add(arrayRange, `Every entry of "files" must be a string path (found a ${item.kind}).`, 'error', 'config-secrets-files-type');
      continue;
    }
    const entry = item.value;
    const occurrence = occurrences.get(entry) ?? 0;
    occurrences.set(entry, occurrence + 1);
    const range = itemRanges?.length === items.length ? itemRanges[index] : arrayRange;
    if (occurrence > 0) {
      builder.add(range, 'This path is listed twice; the later position decides which values win.', 'warning', 'config-secrets-files-duplicate');
    }
    if (entry === '~' || entry.startsWith('~/') || entry.startsWith('~\\')) {
      builder.add(range, `Streamlit does not expand "~" here: this entry means a folder named "~" inside ${input.cwd}. Write the absolute path.`, 'warning', 'config-secrets-files-tilde');
    }
    const resolved = path.resolve(input.cwd, entry);
    const kind = input.pathKind(resolved);
    if (entry.endsWith('.toml')) {
      if (kind === 'missing') {
        builder.add(range, `${resolved} does not exist: Streamlit skips it silently.`, 'information', 'config-secrets-files-missing');
      } else if (kind === 'directory') {
        builder.add(range, `${resolved} is a folder, not a file: Streamlit fails to open it and the app gets no secrets.`, 'error', 'config-secrets-files-invalid');
      }
    } else if (kind !== 'directory') {
      builder.add(
        range,
        `Invalid secrets path: ${resolved} is ${kind === 'missing' ? 'missing' : 'not a folder'}. An entry must be a .toml file or a folder of Kubernetes-style secrets; Streamlit fails to load any secrets.`,
        'error',
        'config-secrets-files-invalid',
      );
    }
  }
  return builder.diagnostics;
}
