/**
 * `git rm --cached`: stop tracking a committed secrets file while keeping it on disk. The secret
 * stays in the history: the caller should tell the user to rotate it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_GIT_TIMEOUT_MS, findRepositoryWithGit, firstLine, isTrackedByGit, literalPathspec, runGit } from '../../../common/git/gitProcess';

export interface UntrackSecretsFileOptions {
  /** Workspace trust: git is never run in an untrusted workspace. */
  trusted: boolean;
  gitPath?: string;
  timeoutMs?: number;
}

export type UntrackSecretsFileResult =
  /** `untracked` is false when the file was not tracked in the first place (nothing to do). */
  | { ok: true; untracked: boolean; repositoryRoot: string; stillOnDisk: boolean }
  | { ok: false; reason: 'untrusted-workspace' | 'git-missing' | 'not-a-repository' | 'git-failed'; message: string };

/** Never throws. */
export async function untrackSecretsFile(secretsFile: string, options: UntrackSecretsFileOptions): Promise<UntrackSecretsFileResult> {
  const file = path.resolve(secretsFile);
  if (!options.trusted) {
    return { ok: false, reason: 'untrusted-workspace', message: 'Git is not run in an untrusted workspace; trust the workspace or run `git rm --cached` yourself.' };
  }
  try {
    const gitOptions = { gitPath: options.gitPath, timeoutMs: options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS };
    const repository = await findRepositoryWithGit(file, gitOptions);
    if (repository.kind !== 'repository') return { ok: false, reason: repository.kind, message: repository.message };
    const { root, cwd, relativePath } = repository;
    const tracked = await isTrackedByGit(cwd, relativePath, gitOptions);
    if (tracked.kind === 'error') return { ok: false, reason: 'git-failed', message: tracked.message };
    if (!tracked.tracked) return { ok: true, untracked: false, repositoryRoot: root, stillOnDisk: fs.existsSync(file) };
    // Not forced: git refuses when the staged content differs from both HEAD and the file, so no
    // staged work is lost silently. (Runs in trusted workspaces only: git may run clean filters here.)
    const removed = await runGit(['rm', '--cached', '--quiet', '--', literalPathspec(relativePath)], { cwd, ...gitOptions });
    if (removed.kind !== 'exited') return { ok: false, reason: removed.kind === 'missing' ? 'git-missing' : 'git-failed', message: removed.message };
    if (removed.exitCode !== 0) {
      return { ok: false, reason: 'git-failed', message: firstLine(removed.stderr) || `git rm exited with ${removed.exitCode}` };
    }
    return { ok: true, untracked: true, repositoryRoot: root, stillOnDisk: fs.existsSync(file) };
  } catch (error) {
    return { ok: false, reason: 'git-failed', message: (error as Error).message };
  }
}
