import * as path from 'node:path';
import type { SecretsChain, SecretsSourceSpec } from './secretsChain';

/**
 * How a source is named to the user: `~/.streamlit/secrets.toml` for a file in the home folder,
 * a path relative to `$CWD` for one below it, else the absolute path.
 */
export function sourceLabel(spec: SecretsSourceSpec, chain: SecretsChain): string {
  if (spec.role === 'programmatic' || spec.role === 'runtime') return `${roleNames[spec.role]} in ${path.basename(spec.path)}:${spec.line ?? 1}`;
  const absolute = spec.path;
  const underCwd = path.relative(chain.cwd, absolute);
  if (!underCwd.startsWith('..') && !path.isAbsolute(underCwd)) return underCwd.split(path.sep).join('/');
  if (chain.home !== undefined) {
    const underHome = path.relative(chain.home, absolute);
    if (!underHome.startsWith('..') && !path.isAbsolute(underHome)) return `~/${underHome.split(path.sep).join('/')}`;
  }
  return absolute;
}

/** What kind of file a source is, in the user's words: "global file", "project file", … */
export const roleNames: Record<SecretsSourceSpec['role'], string> = {
  global: 'global file',
  project: 'project file',
  entrypoint: 'app folder file',
  configured: 'secrets.files entry',
  programmatic: 'st.App(secrets=…)',
  runtime: 'st.secrets.merge_programmatic_secrets(…)',
};
