import * as fs from 'node:fs';
import * as path from 'node:path';
import { streamlitRunConfigurations, type LaunchJsonResult } from '../service/runConfigurations';
import { parseStreamlitVersion, type StreamlitVersion } from '../service/streamlitVersion';
import {
  versionFromDistInfo,
  versionFromPackageLock,
  versionFromPipfileLock,
  versionFromPyproject,
  versionFromRequirements,
  type DetectedStreamlitVersion,
  type StreamlitVersionSourceKind,
} from '../service/streamlitVersionPins';
import { readFileForAnalysis } from './fileReader';

/** Virtual environments looked for in a workspace folder, in this order. */
const virtualEnvironments = ['.venv', 'venv', 'env'];

function listDir(folder: string): string[] {
  try {
    return fs.readdirSync(folder);
  } catch {
    return [];
  }
}

function readText(filePath: string): string | undefined {
  const read = readFileForAnalysis(filePath);
  return read.type === 'file' ? Buffer.from(read.bytes).toString('utf8') : undefined;
}

/** The site-packages folders of a Python prefix (a venv or an interpreter's `sys.prefix`). */
function sitePackagesOf(prefix: string): string[] {
  const found: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    for (const python of listDir(path.join(prefix, lib)).filter((name) => /^python3(\.\d+)?t?$/.test(name)).sort()) {
      found.push(path.join(prefix, lib, python, 'site-packages'));
    }
  }
  found.push(path.join(prefix, 'Lib', 'site-packages'));
  return found.filter((folder) => listDir(folder).length > 0);
}

/** The Streamlit installed under a prefix: its `streamlit-<v>.dist-info` folder. */
function installedIn(prefix: string): { version: StreamlitVersion; path: string } | undefined {
  for (const sitePackages of sitePackagesOf(prefix)) {
    for (const name of listDir(sitePackages)) {
      const version = versionFromDistInfo(name);
      if (version !== undefined) return { version, path: path.join(sitePackages, name) };
    }
  }
  return undefined;
}

/**
 * Which Streamlit a workspace folder runs and how it is launched, read from disk without running
 * Python (docs/streamlit-model.md §7). Answers are cached per folder until `invalidate`; every
 * file consulted is handed to `watch` so that a change re-checks the chains.
 */
export class StreamlitEnvironment {
  private readonly versions = new Map<string, DetectedStreamlitVersion | null>();
  private readonly launches = new Map<string, LaunchJsonResult>();
  /** Every path consulted: a change to one of them invalidates the answers. */
  private readonly consulted = new Set<string>();

  constructor(private readonly onConsult: (filePath: string) => void) {}

  /** Whether a change to `filePath` can change an answer. */
  owns(filePath: string): boolean {
    return this.consulted.has(filePath);
  }

  private watch(filePath: string): void {
    this.consulted.add(filePath);
    this.onConsult(filePath);
  }

  invalidate(): void {
    this.versions.clear();
    this.launches.clear();
  }

  /** `streamlitSecrets.streamlitVersion`, when it names a version. */
  static versionFromSetting(setting: string): DetectedStreamlitVersion | undefined {
    const version = setting.trim() === '' ? undefined : parseStreamlitVersion(setting);
    return version === undefined ? undefined : { version, source: 'setting' };
  }

  /** The setting wins, then the interpreter the Python extension selected, a workspace venv, pins. */
  versionFor(folder: string, setting: string, pythonPrefix: string | undefined): DetectedStreamlitVersion | undefined {
    const fromSetting = StreamlitEnvironment.versionFromSetting(setting);
    if (fromSetting !== undefined) return fromSetting;
    const key = `${folder}\0${pythonPrefix ?? ''}`;
    const known = this.versions.get(key);
    if (known !== undefined) return known ?? undefined;
    const detected = this.detect(folder, pythonPrefix);
    this.versions.set(key, detected ?? null);
    return detected;
  }

  /** The Streamlit run configurations of the folder's `.vscode/launch.json`. */
  runConfigurations(folder: string, home: string | undefined): LaunchJsonResult {
    const known = this.launches.get(folder);
    if (known !== undefined) return known;
    const launchJson = path.join(folder, '.vscode', 'launch.json');
    this.watch(launchJson);
    const text = readText(launchJson);
    let result: LaunchJsonResult = text === undefined ? { configurations: [], envFiles: [] } : streamlitRunConfigurations(text, folder, home);
    if (text !== undefined && result.envFiles.length > 0) {
      const envTexts = new Map<string, string>();
      for (const envFile of result.envFiles) {
        this.watch(envFile);
        const envText = readText(envFile);
        if (envText !== undefined) envTexts.set(envFile, envText);
      }
      result = streamlitRunConfigurations(text, folder, home, envTexts);
    }
    this.launches.set(folder, result);
    return result;
  }

  private detect(folder: string, pythonPrefix: string | undefined): DetectedStreamlitVersion | undefined {
    if (pythonPrefix !== undefined) {
      const installed = installedIn(pythonPrefix);
      if (installed !== undefined) return { version: installed.version, source: 'python-extension', path: pythonPrefix };
    }
    for (const name of virtualEnvironments) {
      const prefix = path.join(folder, name);
      this.watch(prefix);
      for (const sitePackages of sitePackagesOf(prefix)) this.watch(sitePackages);
      const installed = installedIn(prefix);
      if (installed !== undefined) return { version: installed.version, source: 'virtual-environment', path: prefix };
    }
    const requirements = listDir(folder)
      .filter((name) => /^requirements.*\.txt$/i.test(name))
      .sort();
    const pins: [StreamlitVersionSourceKind, string, (text: string) => StreamlitVersion | undefined][] = [
      ['uv.lock', 'uv.lock', versionFromPackageLock],
      ['poetry.lock', 'poetry.lock', versionFromPackageLock],
      ['Pipfile.lock', 'Pipfile.lock', versionFromPipfileLock],
      ...requirements.map((name): [StreamlitVersionSourceKind, string, (text: string) => StreamlitVersion | undefined] => ['requirements', name, versionFromRequirements]),
      ['pyproject.toml', 'pyproject.toml', versionFromPyproject],
    ];
    for (const [source, name, read] of pins) {
      const filePath = path.join(folder, name);
      this.watch(filePath);
      const text = readText(filePath);
      const version = text === undefined ? undefined : read(text);
      if (version !== undefined) return { version, source, path: filePath };
    }
    return undefined;
  }
}
