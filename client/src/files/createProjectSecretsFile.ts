/**
 * The file operation behind "Create Project Secrets File": `<folder>/.streamlit/secrets.toml` with a
 * commented header and no values. Never overwrites or truncates an existing file.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describeFileError, SecretsFileError } from './atomicWriteFile';
import { createNewFile } from './linkSafeFile';

export const SECRETS_DOCS_URL = 'https://docs.streamlit.io/develop/concepts/connections/secrets-management';

/** The new file's text: what it is, never commit it, the shallow merge — and no secret values. */
export const PROJECT_SECRETS_HEADER = [
  '# Streamlit secrets for this project, read by st.secrets.',
  '# Docs: ' + SECRETS_DOCS_URL,
  '#',
  '# NEVER commit this file: it holds passwords, API keys and tokens. Keep it in .gitignore',
  '# and give deployed apps their secrets through the host (e.g. the Community Cloud app settings).',
  '#',
  '# Streamlit also reads ~/.streamlit/secrets.toml. The merge is shallow: a top-level key or',
  '# [table] defined here replaces the WHOLE value of the same key in that global file,',
  '# so a [db] table here hides every key of the global [db] table.',
  '# Top-level string and number keys are also exported as environment variables.',
  '',
].join('\n');

export interface CreateProjectSecretsFileResult {
  /** `<folder>/.streamlit/secrets.toml` */
  path: string;
  /** false when a file was already there (it is left exactly as it was). */
  created: boolean;
}

async function lstatOrUndefined(file: string): Promise<import('node:fs').Stats | undefined> {
  try {
    return await fsp.lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Creates `<folder>/.streamlit/secrets.toml` (mode 0600 where supported) and the `.streamlit` folder.
 * An existing file is never touched (`created: false`); a folder named `secrets.toml`, a file named
 * `.streamlit`, a `.streamlit` link leading outside `folder`, or a missing `folder` is a
 * `SecretsFileError` and nothing is changed.
 */
export async function createProjectSecretsFile(folder: string): Promise<CreateProjectSecretsFileResult> {
  const root = path.resolve(folder);
  const streamlitFolder = path.join(root, '.streamlit');
  const file = path.join(streamlitFolder, 'secrets.toml');

  const rootStat = await fsp.stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    throw new SecretsFileError(`Cannot create the secrets file: the folder ${root} does not exist.`, 'ENOENT');
  }
  const existing = await lstatOrUndefined(file).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw new SecretsFileError(`Cannot create the secrets file: ${file} is a folder. Nothing was changed.`, 'EISDIR');
  }
  if (existing) return { path: file, created: false };

  const folderStat = await fsp.stat(streamlitFolder).catch(() => undefined);
  if (folderStat && !folderStat.isDirectory()) {
    throw new SecretsFileError(`Cannot create the secrets file: ${streamlitFolder} is a file, not a folder. Nothing was changed.`, 'ENOTDIR');
  }
  let createdFolder = false;
  try {
    if (!folderStat) createdFolder = (await fsp.mkdir(streamlitFolder, { recursive: true })) !== undefined;
    // Never through a `.streamlit` link that leads out of the folder (the file would land elsewhere).
    await createNewFile(file, PROJECT_SECRETS_HEADER, { workspaceFolder: root, mode: 0o600 });
    return { path: file, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      // Created by someone else meanwhile: theirs wins, untouched.
      const raced = await lstatOrUndefined(file).catch(() => undefined);
      if (raced?.isDirectory()) {
        throw new SecretsFileError(`Cannot create the secrets file: ${file} is a folder. Nothing was changed.`, 'EISDIR');
      }
      if (raced) return { path: file, created: false };
    }
    if (createdFolder) await fsp.rmdir(streamlitFolder).catch(() => undefined); // only if still empty
    if (error instanceof SecretsFileError) throw error;
    throw new SecretsFileError(
      `Cannot create ${file}: ${describeFileError(error)}. Nothing was changed.`,
      (error as NodeJS.ErrnoException).code ?? 'EIO',
    );
  }
}
