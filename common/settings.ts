/** Settings under `streamlitSecrets.*`, pulled per resource by the server (`workspace/configuration`). */
export const SettingsSection = 'streamlitSecrets';

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface StreamlitSecretsSettings {
  /** Folder `streamlit run` is started from, relative to the workspace folder (default: the folder itself). */
  cwd: string;
  /** Path of the global secrets file (default `~/.streamlit/secrets.toml`). */
  globalSecretsFile: string;
  /** How many leading characters of a value masked previews show (default 0: none). */
  maskRevealCharacters: number;
  diagnostics: {
    missingKey: SeveritySetting;
    attributeAccess: SeveritySetting;
    noSecretsFile: SeveritySetting;
    connection: SeveritySetting;
    login: SeveritySetting;
    /** A secrets file an AI tool's ignore file (present in the workspace) does not cover. */
    aiIgnore: SeveritySetting;
  };
}

export const defaultSettings: StreamlitSecretsSettings = {
  cwd: '',
  globalSecretsFile: '',
  maskRevealCharacters: 0,
  diagnostics: {
    missingKey: 'error',
    attributeAccess: 'error',
    noSecretsFile: 'warning',
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
    maskRevealCharacters: reveal,
    diagnostics: {
      missingKey: severity(diagnostics.missingKey, defaultSettings.diagnostics.missingKey),
      attributeAccess: severity(diagnostics.attributeAccess, defaultSettings.diagnostics.attributeAccess),
      noSecretsFile: severity(diagnostics.noSecretsFile, defaultSettings.diagnostics.noSecretsFile),
      connection: severity(diagnostics.connection, defaultSettings.diagnostics.connection),
      login: severity(diagnostics.login, defaultSettings.diagnostics.login),
      aiIgnore: severity(diagnostics.aiIgnore, defaultSettings.diagnostics.aiIgnore),
    },
  };
}
