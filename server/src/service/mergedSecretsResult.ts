import type { MergedSecretsResult } from '../../../common/protocol';
import type { MergedSecrets } from './mergeSecrets';
import { maskValue } from './masking';

/** The public `streamlitSecrets/mergedSecrets` answer: provenance and masked previews only. */
export function mergedSecretsResult(merged: MergedSecrets, revealCharacters: number): MergedSecretsResult {
  return {
    files: merged.sources.map((source) => ({
      path: source.spec.path,
      exists: source.kind === 'file' || source.kind === 'directory' || source.kind === 'programmatic',
      ...(source.error !== undefined ? { error: source.error } : {}),
      ...(source.incomplete !== undefined ? { note: source.incomplete } : {}),
    })),
    entries: [...merged.entries.values()].map((entry) => ({
      key: entry.key,
      winner: merged.sources[entry.winner]!.spec.path,
      shadowed: entry.shadowed.map((index) => merged.sources[index]!.spec.path),
      lost: entry.lost,
      type: entry.node.kind,
      masked: maskValue(entry.node, revealCharacters),
      env: entry.env,
    })),
  };
}
