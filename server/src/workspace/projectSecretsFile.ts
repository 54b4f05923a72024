import * as path from 'node:path';
import type { MergedSecrets } from '../service/mergeSecrets';

/**
 * A secrets file that belongs to the project (what git must keep out of commits): in a workspace
 * folder, not the global file, and either a `.streamlit/secrets.toml` (project or entrypoint level)
 * or a source of its app's chain. The editor's git-safety check and `streamlit-secrets check` ask this.
 */
export async function isProjectSecretsFile(
  filePath: string,
  options: { workspaceFolder: string | undefined; home: string | undefined; mergedFor: () => Promise<MergedSecrets | undefined> },
): Promise<boolean> {
  if (options.workspaceFolder === undefined) return false;
  if (options.home !== undefined && filePath === path.join(options.home, '.streamlit', 'secrets.toml')) return false;
  if (path.basename(filePath) === 'secrets.toml' && path.basename(path.dirname(filePath)) === '.streamlit') return true;
  const merged = await options.mergedFor();
  return merged?.sources.some((source) => source.spec.path === filePath && source.spec.role !== 'global') ?? false;
}
