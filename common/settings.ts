/** Settings under `streamlitSecrets.*`, pulled per resource by the server (`workspace/configuration`). */
export const SettingsSection = 'streamlitSecrets';

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface StreamlitSecretsSettings {
  /** Folder `streamlit run` is started from, relative to the workspace folder (default: the folder itself). */
  cwd: string;
  /** Path of the global secrets file (default `~/.streamlit/secrets.toml`). */
  globalSecretsFile: string;
  /** The Streamlit version to model (`1.46.1`); empty: detected (docs/streamlit-model.md §7). */
  streamlitVersion: string;
  /** The launch.json configuration to model when several run one app; empty: the first. */
  launchConfiguration: string;
  /** How many leading characters of a value masked previews show (default 0: none). */
  maskRevealCharacters: number;
  diagnostics: {
    missingKey: SeveritySetting;
    attributeAccess: SeveritySetting;
    noSecretsFile: SeveritySetting;
    /** A missing key read in a function that does not check for it (a caller may; the analysis cannot see callers). */
    unguardedRead: SeveritySetting;
    /** `st.secrets.items` meant as the key `items`: the Mapping method, which does not raise. */
    methodNotKey: SeveritySetting;
    connection: SeveritySetting;
    login: SeveritySetting;
    /** A secrets file an AI tool's ignore file (present in the workspace) does not cover. */
    aiIgnore: SeveritySetting;
  };
}

export const defaultSettings: StreamlitSecretsSettings = {
  cwd: '',
  globalSecretsFile: '',
  streamlitVersion: '',
  launchConfiguration: '',
  maskRevealCharacters: 0,
  diagnostics: {
    missingKey: 'error',
    attributeAccess: 'error',
    noSecretsFile: 'warning',
    unguardedRead: 'warning',
    methodNotKey: 'warning',
    connection: 'error',
    login: 'error',
    aiIgnore: 'information',
  },
};

/** Fills what a client sent with defaults, ignoring values of the wrong type. */
export function normalizeSettings(raw: unknown): StreamlitSecretsSettings {
  const value = (raw ?? {}) as Partial<Record<string, unknown>>;
  const diagnostics = (value.diagnostics ?? {}) as Partial<Record<string, unknown>>;
  const severity = (v: unknown, fallback: SeveritySetting): SeveritySetting =>
    v === 'error' || v === 'warning' || v === 'information' || v === 'hint' || v === 'off' ? v : fallback;
  const reveal = typeof value.maskRevealCharacters === 'number' && Number.isFinite(value.maskRevealCharacters)
    ? Math.max(0, Math.min(8, Math.floor(value.maskRevealCharacters)))
    : defaultSettings.maskRevealCharacters;
  return {
    cwd: typeof value.cwd === 'string' ? value.cwd : defaultSettings.cwd,
    globalSecretsFile: typeof value.globalSecretsFile === 'string' ? value.globalSecretsFile : defaultSettings.globalSecretsFile,
    streamlitVersion: typeof value.streamlitVersion === 'string' ? value.streamlitVersion : defaultSettings.streamlitVersion,
    launchConfiguration: typeof value.launchConfiguration === 'string' ? value.launchConfiguration : defaultSettings.launchConfiguration,
    maskRevealCharacters: reveal,
    diagnostics: {
      missingKey: severity(diagnostics.missingKey, defaultSettings.diagnostics.missingKey),
      attributeAccess: severity(diagnostics.attributeAccess, defaultSettings.diagnostics.attributeAccess),
      noSecretsFile: severity(diagnostics.noSecretsFile, defaultSettings.diagnostics.noSecretsFile),
      unguardedRead: severity(diagnostics.unguardedRead, defaultSettings.diagnostics.unguardedRead),
      methodNotKey: severity(diagnostics.methodNotKey, defaultSettings.diagnostics.methodNotKey),
      connection: severity(diagnostics.connection, defaultSettings.diagnostics.connection),
      login: severity(diagnostics.login, defaultSettings.diagnostics.login),
      aiIgnore: severity(diagnostics.aiIgnore, defaultSettings.diagnostics.aiIgnore),
    },
  };
}
