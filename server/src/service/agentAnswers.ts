import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { localOnlyNote } from '../../../common/localOnly';
import type { AgentApp, AgentDiagnostic, AgentKey } from '../../../common/agentTools';
import type { SecretNode } from '../toml/types';
import { attributeAccessBlock, pythonStringContent } from './attributeAccess';
import type { MergedSecrets } from './mergeSecrets';
import { formatKeyPath, pythonTypeName } from './secretNodes';
import type { SecretsSourceSpec } from './secretsChain';
import { sourceLabel } from './sourceLabels';


/** The roles as the tools' descriptions name them (common/agentTools.ts): short and stable for a model. */
const agentRoles: Record<SecretsSourceSpec['role'], string> = {
  global: 'global',
  project: 'project',
  entrypoint: 'app',
  configured: 'secrets.files',
  programmatic: 'st.App',
  runtime: 'merge_programmatic_secrets',
};

/** `st.secrets["db"]["user"]`: always valid, whatever the key. */
function itemRead(path: readonly string[]): string {
  return `st.secrets${path.map((segment) => `["${pythonStringContent(segment, '"')}"]`).join('')}`;
}

/** `st.secrets.db.user`, when attribute access reaches every segment. */
function attributeRead(path: readonly string[]): string | undefined {
  if (path.some((segment, index) => attributeAccessBlock(segment, index === 0) !== undefined)) return undefined;
  return `st.secrets.${path.join('.')}`;
}

/**
 * One app's secrets as an agent may see them: its chain of files (paths and roles) and every key
 * path with its type, the file providing it, whether it becomes an environment variable, whether
 * only the global file has it, and how code reads it. Pure. Built from names and kinds only: no
 * value, length or mask of a value is ever put into it.
 */
export function agentApp(merged: MergedSecrets, entrypoints: readonly string[]): AgentApp {
  const { chain, sources } = merged;
  const keys: AgentKey[] = [];
  const walk = (node: SecretNode, path: string[], sourceIndex: number, root: boolean, env: boolean): void => {
    const source = sources[sourceIndex]!;
    const attribute = attributeRead(path);
    keys.push({
      path: formatKeyPath(path),
      segments: path,
      type: node.kind,
      pythonType: pythonTypeName(node),
      file: sourceLabel(source.spec, chain),
      environmentVariable: root && env,
      localOnly: source.spec.role === 'global',
      read: itemRead(path),
      ...(attribute !== undefined ? { attributeRead: attribute } : {}),
    });
    // Arrays are read by index, not by key: their items are not key paths.
    if (node.kind === 'table') for (const [key, child] of node.children ?? []) walk(child, [...path, key], sourceIndex, false, false);
  };
  for (const entry of merged.entries.values()) walk(entry.node, [entry.key], entry.winner, true, entry.env);

  const labelOf = (index: number | undefined): string => (index === undefined ? '' : `${sourceLabel(sources[index]!.spec, chain)}: `);
  return {
    cwd: chain.cwd,
    ...(chain.entrypointDir !== undefined ? { entrypointDir: chain.entrypointDir } : {}),
    entrypoints: [...entrypoints],
    files: sources.map((source) => ({
      path: source.spec.path,
      label: sourceLabel(source.spec, chain),
      role: agentRoles[source.spec.role],
      exists: source.kind === 'file' || source.kind === 'directory',
      ...(source.error !== undefined ? { error: source.error } : {}),
      ...(source.incomplete !== undefined ? { note: source.incomplete } : {}),
    })),
    keys,
    noSecretsFound: merged.noSecretsFound,
    ...(merged.loadError !== undefined ? { loadError: `${labelOf(merged.loadError.source)}${merged.loadError.message}` } : {}),
    ...(merged.incomplete !== undefined ? { incomplete: `${labelOf(merged.incomplete.source)}${merged.incomplete.message}` } : {}),
  };
}

/** What `localOnly: true` means, said once in every keys answer. */
export const localOnlyMeaning = `localOnly: ${localOnlyNote}`;

const severityNames: Record<DiagnosticSeverity, AgentDiagnostic['severity']> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** A diagnostic as the agent tools report it: 1-based lines and columns, as editors show them. */
export function agentDiagnostic(file: string, diagnostic: Diagnostic): AgentDiagnostic {
  return {
    file,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    severity: severityNames[diagnostic.severity ?? DiagnosticSeverity.Error],
    code: typeof diagnostic.code === 'string' || typeof diagnostic.code === 'number' ? String(diagnostic.code) : 'streamlit-secrets',
    message: diagnostic.message,
  };
}
