// Which Streamlit the analysis models. Rules that changed between versions ask `supports(version,
// feature)`; an unknown version (undefined) means the newest rules (docs/streamlit-model.md §7).
// The version is decided once, with the chain of files (ChainLocations.streamlitVersion).

export interface StreamlitVersion {
  major: number;
  minor: number;
  patch: number;
}

/** Behaviour that appeared (or, for `snowparkConnectionType`, ended) at a Streamlit version. */
export const streamlitFeatures = {
  /** `~/.streamlit/secrets.toml` is read. */
  globalSecretsFile: { since: '1.21' },
  /** `[secrets] files` and secret directories. */
  secretsFilesOption: { since: '1.38' },
  /** `st.login()` and `[auth]`. */
  login: { since: '1.42' },
  /** `_` in an `st.login` provider name is an error. */
  loginProviderUnderscoreError: { since: '1.43' },
  /** Missing or unparsable secrets raise `StreamlitSecretNotFoundError` (a FileNotFoundError). */
  secretNotFoundErrorType: { since: '1.44' },
  /** The entrypoint folder's `.streamlit/secrets.toml` (and config.toml) is read. */
  entrypointSecretsFile: { since: '1.46' },
  /** `st.App(…, secrets={…})`. */
  programmaticSecrets: { since: '1.57' },
  /** Lists are accepted as programmatic secrets. */
  programmaticSecretsLists: { since: '1.59' },
  /** `st.connection("snowpark")` implies its type (removed in 1.59). */
  snowparkConnectionType: { until: '1.59' },
} as const satisfies Record<string, { since: string } | { until: string }>;

export type StreamlitFeature = keyof typeof streamlitFeatures;

/** `1.46`, `1.46.1`, `v1.46.0rc1` → a version; anything else → undefined. */
export function parseStreamlitVersion(text: string): StreamlitVersion | undefined {
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

export function compareVersions(a: StreamlitVersion, b: StreamlitVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Whether the modelled Streamlit has `feature`; an unknown version has the newest behaviour. */
export function supports(version: StreamlitVersion | undefined, feature: StreamlitFeature): boolean {
  const rule: { since?: string; until?: string } = streamlitFeatures[feature];
  if (version === undefined) return rule.until === undefined;
  if (rule.since !== undefined) return compareVersions(version, parseStreamlitVersion(rule.since)!) >= 0;
  return compareVersions(version, parseStreamlitVersion(rule.until!)!) < 0;
}

export function formatStreamlitVersion(version: StreamlitVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}
