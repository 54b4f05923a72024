// Which of Streamlit's reserved sections the workspace's code really uses (docs/streamlit-model.md
// §6): `[connections.<name>]` is read by `st.connection("<name>")`, `[auth]` by `st.login()`. What a
// secrets file lacks there fails only when such a call runs; a section no call reads may be the
// app's own data (`st.secrets.auth.password` for a hand-made login) and gets no error. Pure.
import type { SectionProblem } from './connectionRules';

/** The workspace's calls that read reserved sections, each as `file:line`. */
export interface SectionCalls {
  /** `st.connection("<name>")` calls per constant name: those without `type=` and those with it. */
  connections: Map<string, { untyped: string[]; typed: string[] }>;
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
  connections: readonly { name?: string | undefined; hasType: boolean; range: { start: number } }[];
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
    if (entry === undefined) calls.connections.set(call.name, (entry = { untyped: [], typed: [] }));
    (call.hasType ? entry.typed : entry.untyped).push(where(call.range.start));
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
 * A problem of a section no call reads: what would fail, said as information (nothing raises while
 * `call` is not made).
 */
export function unusedSectionProblem(problem: SectionProblem, call: string): SectionProblem {
  if (problem.severity !== 'error' && problem.severity !== 'warning') return problem;
  return { ...problem, severity: 'information', message: `${problem.message} (No ${call} call found in the workspace: nothing fails yet.)` };
}
