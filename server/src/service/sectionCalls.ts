// Which of Streamlit's reserved sections the workspace's code really uses (docs/streamlit-model.md
// §6): `[connections.<name>]` is read by `st.connection("<name>")`, `[auth]` by `st.login()`. What a
// secrets file lacks there fails only when such a call runs; a section no call reads may be the
// app's own data (`st.secrets.auth.password` for a hand-made login) and gets no error. Pure.
import type { SectionProblem } from './connectionRules';

/** The workspace's calls that read reserved sections, each as `file:line`. */
export interface SectionCalls {
  /**
   * `st.connection("<name>")` calls per constant name: those without `type=`, those with it, and
   * those passing connection settings as arguments (`url=…`; also in one of the first two lists).
   */
  connections: Map<string, { untyped: string[]; typed: string[]; withSettings: string[] }>;
  /** Some `st.connection(...)` names its section with an expression: it may read any of them. */
  connectionOfUnknownName: boolean;
  /** `st.login(...)` calls, any provider. */
  logins: string[];
  /** Some `st.login()` names no provider: it reads the provider keys from [auth] itself. */
  loginWithoutProvider: boolean;
}

export function emptySectionCalls(): SectionCalls {
  return { connections: new Map(), connectionOfUnknownName: false, logins: [], loginWithoutProvider: false };
}

interface CallsOfOneFile {
  connections: readonly { name?: string | undefined; hasType: boolean; settingsInCall?: boolean | undefined; range: { start: number } }[];
  logins: readonly { range: { start: number }; provider?: string | undefined; providerUnknown?: true | undefined }[];
}

/** Adds one file's calls (`where(offset)` names a call, e.g. `app.py:12`), in the editor and in `check` alike. */
export function addSectionCalls(calls: SectionCalls, file: CallsOfOneFile, where: (offset: number) => string): void {
  for (const call of file.connections) {
    if (call.name === undefined) {
      calls.connectionOfUnknownName = true;
      continue;
    }
    if (call.name.startsWith('env:')) continue; // a connection string from the environment, no section
    let entry = calls.connections.get(call.name);
    if (entry === undefined) calls.connections.set(call.name, (entry = { untyped: [], typed: [], withSettings: [] }));
    const at = where(call.range.start);
    (call.hasType ? entry.typed : entry.untyped).push(at);
    if (call.settingsInCall === true) entry.withSettings.push(at);
  }
  for (const login of file.logins) {
    calls.logins.push(where(login.range.start));
    if (login.provider === undefined && login.providerUnknown !== true) calls.loginWithoutProvider = true;
  }
}

/** Does some call read `[connections.<name>]` (any name when `name` is undefined)? */
export function connectionSectionUsed(calls: SectionCalls, name?: string): boolean {
  return calls.connectionOfUnknownName || (name === undefined ? calls.connections.size > 0 : calls.connections.has(name));
}

/**
 * Do the calls of `name` all pass settings as arguments, which Streamlit lays over the section (so
 * what the section lacks may come from them)? Their `file:line`s, else undefined.
 */
export function connectionSettingsFromCalls(calls: SectionCalls, name: string): string[] | undefined {
  const entry = calls.connections.get(name);
  if (entry === undefined || calls.connectionOfUnknownName) return undefined;
  return entry.withSettings.length === entry.untyped.length + entry.typed.length ? entry.withSettings : undefined;
}

/**
 * A problem of a section no call reads: what would fail, said as information (nothing raises while
 * `call` is not made). `why` replaces the default reason.
 */
export function unusedSectionProblem(problem: SectionProblem, call: string, why = `No ${call} call found in the workspace: nothing fails yet`): SectionProblem {
  if (problem.severity !== 'error' && problem.severity !== 'warning') return problem;
  return { ...problem, severity: 'information', message: `${problem.message} (${why}.)` };
}
