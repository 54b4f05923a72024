import type { TextRange } from '../textRange';
import type { AccessSegment, ConnectionCall, LoginCall, PythonSecretsAnalysis, SecretAccess } from '../python/types';

/** What a position in Python code refers to, in terms of keys of the merged secrets. */
export type AccessTarget =
  | {
      kind: 'secrets';
      /** Key path from the root up to and including the segment under the cursor. */
      path: string[];
      /** Range of the segment (key text) under the cursor. */
      range: TextRange;
      access: SecretAccess;
      /** Index of the segment in `access.segments`; -1 for the membership key of `"k" in …`. */
      segment: number;
    }
  | { kind: 'secrets-root'; range: TextRange }
  | { kind: 'environ'; key: string; range: TextRange }
  | { kind: 'connection'; name: string; range: TextRange }
  /** `st.login("provider")` (on the provider: `[auth.provider]`) or `st.login()` (`[auth]`). */
  | { kind: 'login'; path: string[]; range: TextRange };

function within(range: TextRange, offset: number): boolean {
  return offset >= range.start && offset <= range.end;
}

/** The access, segment, connection name or root under `offset`, if any. */
export function accessTargetAt(analysis: PythonSecretsAnalysis, offset: number): AccessTarget | undefined {
  for (const access of analysis.accesses) {
    if (!within(access.range, offset) && !(access.membershipKey && within(access.membershipKey.range, offset))) continue;
    if (access.membershipKey && within(access.membershipKey.range, offset)) {
      const path = [...access.segments.map((s) => s.key), access.membershipKey.key];
      if (access.kind === 'environ') return path.length === 1 ? { kind: 'environ', key: path[0]!, range: access.membershipKey.range } : undefined;
      return { kind: 'secrets', path, range: access.membershipKey.range, access, segment: -1 };
    }
    for (let i = 0; i < access.segments.length; i++) {
      const segment = access.segments[i]!;
      const hit = within(segment.literalRange ?? segment.range, offset) || (segment.accessorRange !== undefined && within(segment.accessorRange, offset));
      if (!hit) continue;
      if (access.kind === 'environ') return { kind: 'environ', key: segment.key, range: segment.range };
      return { kind: 'secrets', path: access.segments.slice(0, i + 1).map((s) => s.key), range: segment.range, access, segment: i };
    }
    if (within(access.rootRange, offset)) {
      // On an alias (`db` of `db["host"]` after `db = st.secrets["db"]`): the path it stands for.
      const inherited = access.segments.filter((segment) => segment.inherited === true).length;
      if (inherited > 0) {
        const path = access.segments.slice(0, inherited).map((s) => s.key);
        if (access.kind === 'environ') return undefined;
        return { kind: 'secrets', path, range: access.rootRange, access, segment: inherited - 1 };
      }
      if (access.kind === 'secrets') return { kind: 'secrets-root', range: access.rootRange };
    }
  }
  for (const call of analysis.connections) {
    if (call.name !== undefined && call.nameRange !== undefined && within({ start: call.nameRange.start - 1, end: call.nameRange.end + 1 }, offset)) {
      return { kind: 'connection', name: call.name, range: call.nameRange };
    }
  }
  for (const call of analysis.logins) {
    if (call.provider !== undefined && call.providerRange !== undefined && within({ start: call.providerRange.start - 1, end: call.providerRange.end + 1 }, offset)) {
      return { kind: 'login', path: ['auth', call.provider], range: call.providerRange };
    }
    if (within(call.range, offset)) return { kind: 'login', path: ['auth'], range: call.range };
  }
  return undefined;
}

/**
 * What finding the reads of a key looks at in an analysis: the keys and ranges of each read, the
 * `st.connection` / `st.login` calls. The references index keeps only this of each file.
 */
export interface ReferenceReads {
  accesses: readonly (Pick<SecretAccess, 'kind' | 'membershipKey'> & { segments: readonly Pick<AccessSegment, 'key' | 'range' | 'inherited'>[] })[];
  connections: readonly ConnectionCall[];
  logins: readonly LoginCall[];
}

/**
 * Every place in one analysis that reads `keyPath` (a path of the merged secrets): secrets
 * accesses through that path (the range is the segment naming its last key), membership tests
 * of it, `os.environ` reads of a root key, `st.connection("x")` for `connections.x`, and
 * `st.login("p")` for `auth.p` (`st.login()` for `auth`).
 */
export function referencesInAnalysis(analysis: ReferenceReads, keyPath: readonly string[]): TextRange[] {
  const ranges: TextRange[] = [];
  const depth = keyPath.length;
  if (depth === 0) return ranges;
  for (const access of analysis.accesses) {
    const keys = access.segments.map((s) => s.key);
    if (access.kind === 'environ') {
      if (depth !== 1) continue;
      if (keys.length === 1 && keys[0] === keyPath[0]) ranges.push(access.segments[0]!.range);
      else if (keys.length === 0 && access.membershipKey?.key === keyPath[0]) ranges.push(access.membershipKey.range);
      continue;
    }
    if (keys.length >= depth && keyPath.every((key, i) => keys[i] === key)) {
      // A segment read through an alias is listed once, where the alias was assigned.
      if (access.segments[depth - 1]!.inherited !== true) ranges.push(access.segments[depth - 1]!.range);
    } else if (
      access.membershipKey !== undefined &&
      keys.length === depth - 1 &&
      access.membershipKey.key === keyPath[depth - 1] &&
      keys.every((key, i) => keyPath[i] === key)
    ) {
      ranges.push(access.membershipKey.range);
    }
  }
  if (depth === 2 && keyPath[0] === 'connections') {
    for (const call of analysis.connections) {
      if (call.name === keyPath[1] && call.nameRange !== undefined) ranges.push(call.nameRange);
    }
  }
  if (keyPath[0] === 'auth' && depth <= 2) {
    for (const call of analysis.logins) {
      if (depth === 2 && call.provider === keyPath[1] && call.providerRange !== undefined) ranges.push(call.providerRange);
      if (depth === 1 && call.provider === undefined) ranges.push(call.range);
    }
  }
  return ranges;
}
