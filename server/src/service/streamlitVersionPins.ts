// Where the Streamlit version the user runs is written, read without running Python
// (docs/streamlit-model.md §7). Pure: the workspace layer finds the files and passes their text.
import * as path from 'node:path';
import { formatStreamlitVersion, parseStreamlitVersion, type StreamlitVersion } from './streamlitVersion';

/** How the modelled version was found, most trusted first. */
export type StreamlitVersionSourceKind =
  | 'setting'
  | 'python-extension'
  | 'virtual-environment'
  | 'uv.lock'
  | 'poetry.lock'
  | 'Pipfile.lock'
  | 'requirements'
  | 'pyproject.toml';

export interface DetectedStreamlitVersion {
  version: StreamlitVersion;
  source: StreamlitVersionSourceKind;
  /** The file or folder that said so (absent for the setting). */
  path?: string;
}

/** `streamlit-1.46.1.dist-info` → 1.46.1 (the folder pip writes into site-packages). */
export function versionFromDistInfo(folderName: string): StreamlitVersion | undefined {
  const match = /^streamlit-(\d+\.\d+(?:\.\d+)?)[^/\\]*\.dist-info$/i.exec(folderName);
  return match ? parseStreamlitVersion(match[1]!) : undefined;
}

/** A `[[package]]` table naming streamlit, in uv.lock and poetry.lock (both TOML, one shape here). */
export function versionFromPackageLock(text: string): StreamlitVersion | undefined {
  for (const block of text.split(/^\[\[package\]\]\s*$/m).slice(1)) {
    const body = block.split(/^\[/m)[0]!;
    if (!/^name\s*=\s*"streamlit"\s*$/m.test(body)) continue;
    const version = /^version\s*=\s*"([^"]+)"\s*$/m.exec(body);
    return version ? exactVersion(version[1]!) : undefined;
  }
  return undefined;
}

/** Pipfile.lock (JSON): `default.streamlit.version` is `==X`. */
export function versionFromPipfileLock(text: string): StreamlitVersion | undefined {
  try {
    const lock = JSON.parse(text) as { default?: Record<string, { version?: unknown }>; develop?: Record<string, { version?: unknown }> };
    const entry = lock.default?.streamlit ?? lock.develop?.streamlit;
    return typeof entry?.version === 'string' ? pinnedVersion(entry.version) : undefined;
  } catch {
    return undefined;
  }
}

/** A requirements file: `streamlit==1.46.1` (extras, markers and comments allowed); a range is not a pin. */
export function versionFromRequirements(text: string): StreamlitVersion | undefined {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const match = /^streamlit(?:\[[^\]]*\])?\s*(===?\s*[^\s;,]+)\s*(?:;.*)?$/i.exec(line);
    if (match) return pinnedVersion(match[1]!);
  }
  return undefined;
}

/** pyproject.toml: a PEP 508 string `"streamlit==X"` or Poetry's `streamlit = "X"` / `"==X"`. */
export function versionFromPyproject(text: string): StreamlitVersion | undefined {
  const pep508 = /["']streamlit(?:\[[^\]]*\])?\s*(===?\s*[^\s"';,]+)\s*(?:;[^"']*)?["']/i.exec(text);
  if (pep508) return pinnedVersion(pep508[1]!);
  const poetry = /^\s*streamlit\s*=\s*(?:"([^"]+)"|\{[^}\n]*version\s*=\s*"([^"]+)")/im.exec(text);
  const spec = poetry?.[1] ?? poetry?.[2];
  if (spec === undefined) return undefined;
  return /^\d/.test(spec) ? exactVersion(spec) : pinnedVersion(spec);
}

/** `==1.46.1` / `===1.46.1` → the version; a range (`>=`, `~=`, `^`, a wildcard) → undefined. */
function pinnedVersion(spec: string): StreamlitVersion | undefined {
  const match = /^===?\s*(\S+)$/.exec(spec.trim());
  return match ? exactVersion(match[1]!) : undefined;
}

function exactVersion(text: string): StreamlitVersion | undefined {
  return /^\d+\.\d+(\.\d+)?([a-z]+\d*)?$/i.test(text.trim()) ? parseStreamlitVersion(text) : undefined;
}

/** How the view and the report name where the version came from: `1.46.1 (from .venv, streamlit-1.46.1.dist-info)`. */
export function describeStreamlitVersion(detected: DetectedStreamlitVersion | undefined, workspaceFolder: string | undefined): string {
  if (detected === undefined) return 'unknown (the newest Streamlit rules apply)';
  const version = formatStreamlitVersion(detected.version);
  const where =
    detected.path === undefined ? '' : workspaceFolder !== undefined && !path.relative(workspaceFolder, detected.path).startsWith('..')
      ? path.relative(workspaceFolder, detected.path) || '.'
      : detected.path;
  switch (detected.source) {
    case 'setting':
      return `${version} (from the setting streamlitSecrets.streamlitVersion)`;
    case 'python-extension':
      return `${version} (installed in the interpreter selected in the Python extension${where ? `: ${where}` : ''})`;
    case 'virtual-environment':
      return `${version} (installed in the virtual environment ${where})`;
    default:
      return `${version} (pinned in ${where || detected.source})`;
  }
}
