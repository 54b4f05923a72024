import { promises as fsp } from 'node:fs';
import { SecretsFileError } from './atomicWriteFile';
import { appendLine } from './ensureSecretsFileIgnored';
import { asSecretsFileError, readRegularFile } from './linkSafeFile';

/**
 * Adds `line` to an AI tool's EXISTING ignore file (`.cursorignore`, `.aiexclude`, …), with the care
 * of the `.gitignore` fix: encoding, BOM and line endings kept, atomic, link-safe, a change made
 * meanwhile detected. Never creates the file (a tool without one is not in use) and never adds a
 * line the file already has. Returns whether the file was written.
 */
export async function addToAiIgnore(ignoreFile: string, line: string): Promise<boolean> {
  try {
    await fsp.lstat(ignoreFile);
  } catch {
    throw new SecretsFileError(`${ignoreFile} does not exist; it is not created for a tool that is not in use. Nothing was changed.`, 'ENOENT');
  }
  let text: string;
  try {
    text = new TextDecoder().decode((await readRegularFile(ignoreFile)).bytes);
  } catch (error) {
    throw asSecretsFileError(error, (reason) => `Cannot read ${ignoreFile}: ${reason}. Nothing was changed.`);
  }
  if (text.split(/\r?\n/).some((existing) => existing.trim() === line)) return false;
  await appendLine(ignoreFile, line);
  return true;
}
