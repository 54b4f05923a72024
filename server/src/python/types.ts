import type { TextRange } from '../textRange';
import type { ReadGuards } from './readGuards';

/** How one step of a `st.secrets` path is written. */
export type AccessStyle = 'attribute' | 'subscript' | 'get';

export interface AccessSegment {
  /** The key as Python sees it (string escapes resolved). */
  key: string;
  style: AccessStyle;
  /** For `attribute`: the identifier. For `subscript`/`get`: the string literal's content (inside the quotes). */
  range: TextRange;
  /** For `subscript`/`get`: the whole string literal including quotes (and prefix such as `r`). */
  literalRange?: TextRange;
  /** For `attribute`: the range from the `.` through the identifier (what a rewrite to `["k"]` replaces). */
  accessorRange?: TextRange;
  /**
   * Read through a name assigned from a secrets path (`db = st.secrets["db"]`, then `db["host"]`):
   * this segment was read, and is checked and referenced, where the name was assigned — its ranges
   * are there.
   */
  inherited?: true;
  /**
   * For `get`: what the call returns when the key is absent — `none` (no default, or `None`), `table`
   * (`{}` / `dict()`: an empty plain dict), `str` (a string literal), `unknown` (anything else).
   */
  fallback?: GetFallback;
}

export type GetFallback = 'none' | 'table' | 'str' | 'unknown';

/**
 * One read of secrets in Python code.
 * - `secrets`: `st.secrets.a["b"].get("c")` → segments a, b, c (root is `st.secrets` under any alias).
 * - `environ`: `os.environ["K"]`, `os.environ.get("K")`, `os.getenv("K")`, `environ[...]`, `getenv(...)`
 *   → one segment.
 * Only constant string keys count; `st.secrets[name]` ends the path before the dynamic part.
 */
export interface SecretAccess {
  kind: 'secrets' | 'environ';
  segments: AccessSegment[];
  /** The whole expression from the root (`st.secrets` / `os.environ` / `os.getenv`) to the last segment. */
  range: TextRange;
  /**
   * The last segment is read in a way that does not raise when missing: `.get(...)`, or the
   * path is the right operand of `in` / `not in` (then `segments` is the container path and
   * `membershipKey` the tested key).
   */
  tolerant: boolean;
  /** `"k" in st.secrets.a` → "k" (with its literal content range); the access's segments are the container. */
  membershipKey?: { key: string; range: TextRange };
  /** The root expression alone (`st.secrets`, `secrets`, `os.environ`, `os.getenv`). */
  rootRange: TextRange;
  /** What the code around the read proves (enclosing `if` / `try`, the function it is in). */
  guards?: ReadGuards;
}

/**
 * A use of `st.secrets` as a whole that loads it: `len(st.secrets)`, `dict(…)`, `list(…)`, `for k in
 * st.secrets`, `**st.secrets`. Reads no key, but raises when there are no secrets to load.
 */
export interface WholeSecretsUse {
  range: TextRange;
  guards: ReadGuards;
}

/** `st.connection("name", type=...)` */
export interface ConnectionCall {
  /** Undefined when the first argument is not a constant string. */
  name?: string;
  nameRange?: TextRange;
  /** The call has a `type=` keyword argument (or a second positional argument). */
  hasType: boolean;
  /** That type argument, when it is a constant string (`type="sql"`). */
  typeName?: string;
  /**
   * The call passes connection settings as arguments (`url=…`, `**kwargs`): Streamlit gives every
   * keyword beyond name, type, max_entries and ttl to the connection, over its section.
   */
  settingsInCall?: boolean;
  range: TextRange;
  /** What the code around the call proves (an enclosing `if` / `try`, a function). */
  guards?: ReadGuards;
}

/** `st.login()` or `st.login("provider")` */
export interface LoginCall {
  provider?: string;
  providerRange?: TextRange;
  /** The provider is an expression (`st.login(name)`): which one, or none, is unknown. */
  providerUnknown?: true;
  range: TextRange;
  /** What the code around the call proves (an enclosing `if` / `try`, a function). */
  guards?: ReadGuards;
}

export interface PythonSecretsAnalysis {
  /** Streamlit is imported in a way that gives access to secrets (any of the supported forms). */
  importsStreamlit: boolean;
  accesses: SecretAccess[];
  wholeUses: WholeSecretsUse[];
  connections: ConnectionCall[];
  logins: LoginCall[];
}

/** What the user is typing at the cursor, if it is a place where secrets can be completed. */
export type CompletionContext =
  | {
      /** `st.secrets.` / `st.secrets.db.pa|` */
      kind: 'secrets-attribute';
      /** Keys of the table being completed into (root = []). */
      parentPath: string[];
      /** The partial identifier typed so far (may be empty). */
      replaceRange: TextRange;
      /** Offset of the `.` before the partial identifier (so an edit can rewrite `.x` into `["x"]`). */
      dotOffset: number;
    }
  | {
      /** `st.secrets["`, `st.secrets.get('`, `st.secrets.db["` */
      kind: 'secrets-key';
      parentPath: string[];
      /** The string content typed so far (between the opening quote and the cursor/closing quote). */
      replaceRange: TextRange;
      quote: '"' | "'";
      /** A closing quote already follows the content. */
      closed: boolean;
    }
  | {
      /** `os.environ["`, `os.environ.get("`, `os.getenv("` */
      kind: 'environ-key';
      replaceRange: TextRange;
      quote: '"' | "'";
      closed: boolean;
    }
  | {
      /** `st.connection("` */
      kind: 'connection-name';
      replaceRange: TextRange;
      quote: '"' | "'";
      closed: boolean;
    };
