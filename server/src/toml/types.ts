import type { TextRange } from '../textRange';

/** The TOML type of a value, in TOML's own words (a table made inline is still a table). */
export type SecretValueKind =
  | 'string'
  | 'integer'
  | 'float'
  | 'boolean'
  | 'offset-datetime'
  | 'local-datetime'
  | 'local-date'
  | 'local-time'
  | 'array'
  | 'table';

/**
 * One value of a parsed secrets file. Scalars carry their value, tables their children in
 * document order, arrays their items. Locations are filled by `locateSecretKeys` (lazy: the
 * completion path does not need them).
 */
export interface SecretNode {
  kind: SecretValueKind;
  /** Scalars only. Integers are bigint so that `1` and `1.0` stay apart; datetimes are their text as Python's isoformat() writes the loaded value. */
  value?: string | bigint | number | boolean;
  /** Tables only (also inline tables), in insertion order. */
  children?: Map<string, SecretNode>;
  /** Arrays only. */
  items?: SecretNode[];
}

export type ProblemSeverity = 'error' | 'warning' | 'information' | 'hint';

/** A problem found in a TOML file. `message` never contains text taken from the file's values. */
export interface TomlProblem {
  range: TextRange;
  message: string;
  severity: ProblemSeverity;
  /** Stable identifier, e.g. `toml-syntax`, `streamlit-mixed-array`, `toml10-non-ascii-key`. */
  code: string;
}

export interface ParsedSecretsToml {
  /** The document's root table as Streamlit would see it, or undefined when Streamlit cannot load it. */
  root: SecretNode | undefined;
  /** Syntax errors, Streamlit-incompatibilities (errors) and TOML-1.0-only-leniencies (warnings). */
  problems: TomlProblem[];
  /**
   * Why Streamlit's own parser (`toml` 0.10.2) fails on this file, as a short sanitised sentence
   * with a 1-based line and column, e.g. `invalid TOML at line 3, column 7: expected "="`.
   * Undefined when Streamlit loads it.
   */
  streamlitError?: string;
}

/** Where a key is written: the key token itself, and the whole `key = value` line or table header. */
export interface KeyLocation {
  keyRange: TextRange;
  /** The value text for `key = value`, or the header `[a.b]` for a table. */
  valueRange: TextRange;
}

/** Every definition site of every key path, keyed by the path's JSON-encoded segment array. */
export type SecretKeyLocations = Map<string, KeyLocation[]>;

/** Key of `SecretKeyLocations` for a path of segments. */
export function keyPathId(path: readonly string[]): string {
  return JSON.stringify(path);
}
