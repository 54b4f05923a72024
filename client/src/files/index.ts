/**
 * File operations behind the secrets-file commands. Plain Node (no `vscode` import): the client's
 * commands wrap them, and the unit tests call them directly.
 */
export { atomicWriteFile, describeFileError, SecretsFileError, type AtomicWriteOptions } from './atomicWriteFile';
export { createProjectSecretsFile, PROJECT_SECRETS_HEADER, SECRETS_DOCS_URL, type CreateProjectSecretsFileResult } from './createProjectSecretsFile';
export {
  ensureSecretsFileIgnored,
  gitignoreLineFor,
  type EnsureSecretsFileIgnoredOptions,
  type EnsureSecretsFileIgnoredResult,
} from './ensureSecretsFileIgnored';
export { writeSecretsExample, secretsExampleText, type WriteSecretsExampleOptions, type WriteSecretsExampleResult } from './writeSecretsExample';
export { untrackSecretsFile, type UntrackSecretsFileOptions, type UntrackSecretsFileResult } from './untrackSecretsFile';
