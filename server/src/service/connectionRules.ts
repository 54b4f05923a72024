// What Streamlit requires of a `[connections.<name>]` section (see docs/streamlit-model.md
// §6 and Streamlit's connection_factory.py / connections/sql_connection.py). Pure: used by the
// secrets-file diagnostics and by the Python-side diagnostics of `st.connection(...)` calls.
// Messages name keys only, never values.
import type { SecretNode } from '../toml/types';
import { formatStreamlitVersion, supports, type StreamlitVersion } from './streamlitVersion';
import { connectionSectionUsed, connectionSettingsFromCalls, emptySectionCalls, type SectionCalls, unusedSectionProblem } from './sectionCalls';
import { childOf, formatKeyPath, withArticle } from './secretNodes';

export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint';

/** One problem found by a section rule. `path` is the key path from the FILE ROOT it concerns. */
export interface SectionProblem {
  /**
   * The key the problem is about, from the secrets root (e.g. `["connections", "db", "port"]`). For
   * a missing key it is the section that lacks it (`["connections", "db"]`) and `missingKey` is set.
   */
  path: string[];
  message: string;
  severity: RuleSeverity;
  /** Stable code, e.g. `connection-missing-type`, `connection-sql-missing-key`. */
  code: string;
  /** For a missing key: its name (a quick fix can add `path + [missingKey]`). */
  missingKey?: string;
}

/** Connection names whose type Streamlit infers from the name (`FIRST_PARTY_CONNECTIONS`). */
export const firstPartyConnectionTypes: readonly string[] = ['sql', 'snowflake', 'snowpark'];

/** First-party names removed from current Streamlit (still recognised, no longer offered). */
export const deprecatedConnectionTypes: readonly string[] = ['snowpark'];

/** Keys the SQL connection reads from its section (the others are ignored). */
export const sqlConnectionKeys: readonly string[] = [
  'type',
  'url',
  'driver',
  'dialect',
  'username',
  'password',
  'host',
  'port',
  'database',
  'query',
  'create_engine_kwargs',
];

/** Without `url`, SQLAlchemy's URL is built from these and they must be present. */
export const sqlRequiredWithoutUrl: readonly string[] = ['dialect', 'username', 'host'];

export interface ConnectionCheckOptions {
  /**
   * Does the `st.connection(...)` call pass `type=`? `true`: the section's `type` is not needed;
   * `false`: a custom name without `type` in its section fails; `undefined` (checking the secrets
   * file alone, no call known): a missing `type` is a warning, not an error.
   */
  hasTypeInCall?: boolean;
  /** The type given in the call, when it is a constant string (`type="sql"`). */
  typeInCall?: string;
  /**
   * Checking the secrets file alone (`hasTypeInCall` undefined): the workspace's `st.connection("<name>")`
   * calls that pass no `type=`, as `file:line`. A section without `type` warns only when one exists:
   * with no such call the section is unused by code we can see, or every call passes its type.
   */
  untypedCalls?: readonly string[];
  /**
   * The Streamlit the app runs (undefined: unknown). Only a known 1.59 or newer drops "snowpark" from
   * the names that imply their type; an unknown version keeps it (its calls may run on an older one).
   */
  streamlitVersion?: StreamlitVersion;
}

/** Does the name `st.connection(name)` (or a section's `type`) imply a built-in connection class? */
export function isFirstPartyConnection(name: string, version: StreamlitVersion | undefined): boolean {
  if (name === 'snowpark') return version === undefined || supports(version, 'snowparkConnectionType');
  return firstPartyConnectionTypes.includes(name);
}

/** The connection type Streamlit will use, and where it comes from. */
export function effectiveConnectionType(
  name: string,
  section: SecretNode | undefined,
  options: ConnectionCheckOptions = {},
): { type: string | undefined; from: 'call' | 'name' | 'section' | 'none' } {
  if (options.hasTypeInCall) return { type: options.typeInCall, from: 'call' };
  if (isFirstPartyConnection(name, options.streamlitVersion)) return { type: name, from: 'name' };
  const type = childOf(section, 'type');
  if (type?.kind === 'string' && typeof type.value === 'string') return { type: type.value, from: 'section' };
  return { type: undefined, from: 'none' };
}

/** Problems of the connection type, which settings passed as arguments never give. */
const typeProblemCodes = new Set(['connection-missing-type', 'connection-unknown-type', 'connection-type-not-string', 'connection-type-ignored', 'connection-snowpark-deprecated']);

/** Calls as `file:line`, the first three and how many more. */
function listCalls(calls: readonly string[]): string {
  return calls.length > 3 ? `${calls.slice(0, 3).join(', ')} and ${calls.length - 3} more` : calls.join(', ');
}

function problem(path: string[], message: string, severity: RuleSeverity, code: string, missingKey?: string): SectionProblem {
  const result: SectionProblem = { path, message, severity, code };
  if (missingKey !== undefined) result.missingKey = missingKey;
  return result;
}

/**
 * Checks one `[connections.<name>]` section (`section` undefined = there is none). `name` is the
 * connection name as passed to `st.connection(name)`.
 */
export function checkConnectionSection(name: string, section: SecretNode | undefined, hasTypeInCall?: boolean, options: Omit<ConnectionCheckOptions, 'hasTypeInCall'> = {}): SectionProblem[] {
  const base = ['connections', name];
  const label = `[connections.${formatKeyPath([name])}]`;
  const problems: SectionProblem[] = [];
  if (section !== undefined && section.kind !== 'table') {
    problems.push(problem(base, `connections.${formatKeyPath([name])} must be a table (${label}) for st.connection("${name}") to read it.`, 'error', 'connection-not-table'));
    return problems;
  }
  const typeNode = childOf(section, 'type');
  if (typeNode !== undefined && typeNode.kind !== 'string') {
    problems.push(problem([...base, 'type'], `"type" in ${label} must be a string: a connection class name ("sql", "snowflake") or a module path like "package.module.ClassName".`, 'error', 'connection-type-not-string'));
  }
  const callOptions: ConnectionCheckOptions = { ...options };
  if (hasTypeInCall !== undefined) callOptions.hasTypeInCall = hasTypeInCall;
  const effective = effectiveConnectionType(name, section, callOptions);

  if (effective.from === 'name' && typeNode?.kind === 'string' && typeNode.value !== name) {
    problems.push(
      problem([...base, 'type'], `Streamlit ignores this "type": a connection named "${name}" is always a ${name} connection (unless st.connection() passes type=).`, 'warning', 'connection-type-ignored'),
    );
  }
  if (effective.from === 'none' && typeNode === undefined) {
    const fix = `add type = "sql" (or your connection class) to ${label}, or pass type= to st.connection()`;
    if (hasTypeInCall === false) {
      problems.push(problem(base, `st.connection("${name}") fails with KeyError (no key "type"): "${name}" is not a built-in connection name; ${fix}.`, 'error', 'connection-missing-type', 'type'));
    } else if (hasTypeInCall === undefined && section !== undefined && options.untypedCalls !== undefined && options.untypedCalls.length > 0) {
      const calls = options.untypedCalls;
      problems.push(problem(base, `${label} has no "type", and st.connection("${name}") at ${listCalls(calls)} passes no type=: that call fails with KeyError; ${fix}.`, 'warning', 'connection-missing-type', 'type'));
    }
  }
  if (effective.type !== undefined && !effective.type.includes('.') && !isFirstPartyConnection(effective.type, options.streamlitVersion) && effective.from !== 'call') {
    // Streamlit raises "Invalid connection" only when st.connection(name) runs without type=: an
    // error at such a call; on the secrets file, a warning naming those calls, else nothing (calls
    // that pass type= are common: st-gsheets-connection's section has its own `type =
    // "service_account"`; code may also read the section itself).
    const known = `Streamlit's built-in types are "sql" and "snowflake"; a custom class needs its full module path ("package.module.ClassName")`;
    const calls = options.untypedCalls ?? [];
    if (hasTypeInCall === false) {
      problems.push(problem([...base, 'type'], `st.connection("${name}") fails with "Invalid connection": unknown connection type. ${known}.`, 'error', 'connection-unknown-type'));
    } else if (calls.length > 0) {
      problems.push(problem([...base, 'type'], `Unknown connection type: st.connection("${name}") at ${listCalls(calls)} fails with "Invalid connection". ${known}.`, 'warning', 'connection-unknown-type'));
    }
  }
  const namesSnowpark = (effective.type !== undefined && deprecatedConnectionTypes.includes(effective.type)) || (deprecatedConnectionTypes.includes(name) && effective.from === 'none');
  if (namesSnowpark) {
    const version = options.streamlitVersion;
    const message =
      version !== undefined && !supports(version, 'snowparkConnectionType')
        ? `Streamlit ${formatStreamlitVersion(version)} has no "snowpark" connection (removed in 1.59): use "snowflake".`
        : 'The "snowpark" connection is deprecated (removed in Streamlit 1.59): use "snowflake".';
    problems.push(problem(effective.from === 'section' ? [...base, 'type'] : base, message, 'warning', 'connection-snowpark-deprecated'));
  }
  if (section === undefined) {
    // A call of the built-in "sql" name (no type=) with no section: SQLConnection has nothing to read.
    if (hasTypeInCall === false && effective.type === 'sql') {
      problems.push(
        problem(base, `st.connection("${name}") has no ${label} section: Streamlit raises "Missing SQL DB connection configuration" unless the settings are passed as arguments.`, 'error', 'connection-missing-section', 'url'),
      );
    }
    return problems;
  }
  if (effective.type === 'sql') problems.push(...checkSqlSection(base, label, section));
  return problems;
}

function checkSqlSection(base: string[], label: string, section: SecretNode): SectionProblem[] {
  const problems: SectionProblem[] = [];
  const children = section.children ?? new Map<string, SecretNode>();
  if (!children.has('url')) {
    const missing = sqlRequiredWithoutUrl.filter((key) => !children.has(key));
    for (const key of missing) {
      problems.push(
        problem(base, `${label} has no "url", so Streamlit builds one and needs "${key}" (required without "url": ${sqlRequiredWithoutUrl.join(', ')}).`, 'error', 'connection-sql-missing-key', key),
      );
    }
  }
  for (const [key, node] of children) {
    const path = [...base, key];
    if (!sqlConnectionKeys.includes(key)) {
      problems.push(problem(path, `The SQL connection does not read "${key}" (it reads ${sqlConnectionKeys.filter((k) => k !== 'type').join(', ')}); options for SQLAlchemy belong in create_engine_kwargs.`, 'information', 'connection-sql-unknown-key'));
      continue;
    }
    if ((key === 'query' || key === 'create_engine_kwargs') && node.kind !== 'table') {
      problems.push(problem(path, `"${key}" in ${label} must be a table.`, 'error', 'connection-sql-not-table'));
    } else if (key === 'port' && node.kind !== 'integer') {
      problems.push(problem(path, `"port" in ${label} should be an integer (SQLAlchemy rejects ${withArticle(node.kind)} port).`, 'error', 'connection-sql-port-type'));
    } else if (!['query', 'create_engine_kwargs', 'port'].includes(key) && node.kind !== 'string') {
      problems.push(problem(path, `"${key}" in ${label} should be a string, not ${withArticle(node.kind)}.`, 'warning', 'connection-sql-value-type'));
    }
  }
  return problems;
}

/**
 * Every `[connections.*]` section of a secrets root, from the file side. `calls`: the workspace's
 * `st.connection(...)` calls; a section none of them reads gets its problems as information only.
 */
export function checkConnectionsTable(connections: SecretNode, calls: SectionCalls = emptySectionCalls(), streamlitVersion?: StreamlitVersion): SectionProblem[] {
  if (connections.kind !== 'table') {
    const problem_ = problem(['connections'], '"connections" must be a table of [connections.<name>] sections for st.connection() to read it.', 'error', 'connection-not-table');
    return [connectionSectionUsed(calls) ? problem_ : unusedSectionProblem(problem_, 'st.connection()')];
  }
  const problems: SectionProblem[] = [];
  for (const [name, section] of connections.children ?? []) {
    const found = checkConnectionSection(name, section, undefined, { untypedCalls: calls.connections.get(name)?.untyped ?? [], ...(streamlitVersion === undefined ? {} : { streamlitVersion }) });
    const call = `st.connection("${name}")`;
    const settings = connectionSettingsFromCalls(calls, name);
    if (!connectionSectionUsed(calls, name)) problems.push(...found.map((p) => unusedSectionProblem(p, call)));
    else if (settings !== undefined) {
      // Every call passes settings as arguments: they may complete the section (its type they cannot give).
      const why = `${call} at ${listCalls(settings)} passes settings as arguments, which Streamlit lays over this section`;
      problems.push(...found.map((p) => (typeProblemCodes.has(p.code) ? p : unusedSectionProblem(p, call, why))));
    } else problems.push(...found);
  }
  return problems;
}
