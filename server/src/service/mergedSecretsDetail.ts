import type {
  MergedSecretsDetailEntry,
  MergedSecretsDetailFile,
  MergedSecretsDetailResult,
  MergedSecretsRunConfiguration,
  SecretTreeItem,
} from '../../../common/protocol';
import { locateSecretKeys } from '../toml/locateSecretKeys';
import { keyPathId, type SecretKeyLocations, type SecretNode } from '../toml/types';
import { maskValue } from './masking';
import type { MergedSecrets } from './mergeSecrets';
import { formatKeyPath } from './secretNodes';
import { roleNames, sourceLabel } from './sourceLabels';
import { describeStreamlitVersion } from './streamlitVersionPins';

/** What git says about one existing secrets file (computed by the caller: this module does no I/O). */
export interface SourceGitStatus {
  ignored: boolean;
  tracked: boolean | undefined;
  detail?: string;
}

export interface MergedSecretsDetailOptions {
  /** `streamlitSecrets.maskRevealCharacters`. */
  revealCharacters: number;
  /** Git status by absolute source path; sources without one are reported without git fields. */
  gitStatus?: ReadonlyMap<string, SourceGitStatus>;
  /** The workspace folder, so that paths of version sources read relative to it. */
  workspaceFolder?: string;
}

type Location = NonNullable<SecretTreeItem['location']>;

/** 0-based line and UTF-16 character of an offset, through a table of line starts. */
function positionFinder(text: string): (offset: number) => { line: number; character: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - starts[low]! };
  };
}

/**
 * The model of the "which file won" view: for every top-level key its winning file and masked
 * value, nested keys as children, each with where the winning file writes it; the chain of files
 * with existence, parse errors and git status. Pure: git statuses come in through `options`.
 * Never contains a secret value (masks only; parse errors are sanitised by the TOML reader).
 */
export function mergedSecretsDetail(merged: MergedSecrets, options: MergedSecretsDetailOptions): MergedSecretsDetailResult {
  const { chain, sources } = merged;
  // Key locations per source, computed once and only for sources that win some key.
  const locators = new Map<number, { keys: SecretKeyLocations; position: ReturnType<typeof positionFinder> } | undefined>();
  const locate = (sourceIndex: number, path: readonly string[]): Location | undefined => {
    if (!locators.has(sourceIndex)) {
      const source = sources[sourceIndex];
      // `st.App(secrets=…)`: the keys are located in the App file's Python text, not parsed as TOML.
      const programmatic = source?.programmatic;
      const text = source?.text;
      locators.set(
        sourceIndex,
        programmatic !== undefined
          ? { keys: programmatic.keys, position: positionFinder(programmatic.text) }
          : text === undefined ? undefined : { keys: locateSecretKeys(text), position: positionFinder(text) },
      );
    }
    const locator = locators.get(sourceIndex);
    const found = locator?.keys.get(keyPathId(path));
    // The first definition site: where a reader looks for the key.
    const first = found?.[0];
    if (locator === undefined || first === undefined) return undefined;
    return { path: sources[sourceIndex]!.spec.path, ...locator.position(first.keyRange.start) };
  };

  const children = (node: SecretNode, path: string[], sourceIndex: number): SecretTreeItem[] | undefined => {
    if (node.kind !== 'table' || node.children === undefined || node.children.size === 0) return undefined;
    return [...node.children].map(([key, child]) => {
      const childPath = [...path, key];
      const location = locate(sourceIndex, childPath);
      const nested = children(child, childPath, sourceIndex);
      return {
        key,
        path: formatKeyPath(childPath),
        type: child.kind,
        masked: maskValue(child, options.revealCharacters),
        ...(location ? { location } : {}),
        ...(nested ? { children: nested } : {}),
      };
    });
  };

  const files: MergedSecretsDetailFile[] = sources.map((source) => {
    const git = options.gitStatus?.get(source.spec.path);
    return {
      path: source.spec.path,
      exists: source.kind === 'file' || source.kind === 'directory' || source.kind === 'programmatic',
      ...(source.error !== undefined ? { error: source.error } : {}),
      ...(source.incomplete !== undefined ? { note: source.incomplete } : {}),
      role: source.spec.role,
      label: sourceLabel(source.spec, chain),
      ...(source.kind === 'directory' ? { directory: true } : {}),
      ...(source.programmatic?.dynamic === true ? { error: `${roleNames[source.spec.role]} is not given a literal dict: its keys cannot be known without running the app` } : {}),
      ...(git ? { gitIgnored: git.ignored, ...(git.tracked !== undefined ? { gitTracked: git.tracked } : {}) } : {}),
      ...(git?.detail !== undefined ? { gitDetail: git.detail } : {}),
    };
  });

  // When the load fails the app gets no key at all: none is listed as if it were available.
  const available = merged.loadError === undefined ? [...merged.entries.values()] : [];
  const entries: MergedSecretsDetailEntry[] = available.map((entry) => {
    const location = locate(entry.winner, [entry.key]);
    const nested = children(entry.node, [entry.key], entry.winner);
    return {
      key: entry.key,
      winner: sources[entry.winner]!.spec.path,
      shadowed: entry.shadowed.map((index) => sources[index]!.spec.path),
      lost: entry.lost,
      type: entry.node.kind,
      masked: maskValue(entry.node, options.revealCharacters),
      env: entry.env,
      ...(location ? { location } : {}),
      ...(nested ? { children: nested } : {}),
    };
  });

  let loadError: string | undefined;
  if (merged.loadError !== undefined) {
    const source = merged.loadError.source === undefined ? undefined : sources[merged.loadError.source];
    loadError = source === undefined ? merged.loadError.message : `${sourceLabel(source.spec, chain)}: ${merged.loadError.message}`;
  }

  const incompleteSource = merged.incomplete?.source === undefined ? undefined : sources[merged.incomplete.source];
  const incomplete =
    merged.incomplete === undefined ? undefined : `${incompleteSource === undefined ? '' : `${sourceLabel(incompleteSource.spec, chain)}: `}${merged.incomplete.message}`;

  return {
    cwd: chain.cwd,
    ...(chain.entrypointDir !== undefined ? { entrypointDir: chain.entrypointDir } : {}),
    files,
    entries,
    ...(loadError !== undefined ? { loadError } : {}),
    noSecretsFound: merged.noSecretsFound,
    ...(incomplete !== undefined ? { incomplete } : {}),
    streamlitVersion: describeStreamlitVersion(
      chain.streamlitVersion === undefined || chain.streamlitVersionSource === undefined ? undefined : { version: chain.streamlitVersion, ...chain.streamlitVersionSource },
      options.workspaceFolder,
    ),
    ...(chain.runConfiguration !== undefined ? { runConfigurations: runConfigurationsOf(chain.runConfiguration) } : {}),
  };
}

function runConfigurationsOf(runs: NonNullable<MergedSecrets['chain']['runConfiguration']>): MergedSecretsRunConfiguration[] {
  return [runs.used, ...runs.others].map((run) => ({
    name: run.name,
    script: run.script,
    cwd: run.cwd,
    ...(run.secretsFiles !== undefined ? { secretsFiles: run.secretsFiles } : {}),
    used: run === runs.used,
  }));
}
