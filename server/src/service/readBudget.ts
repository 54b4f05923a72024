/**
 * What a repository can make the server read is bounded (pure numbers and a counter; the
 * workspace layer reads with them): a cloned project controls its
 * `.streamlit/config.toml` (`[secrets] files`) and every secret directory it names, so without
 * totals a few KB of symbolic links can make us read gigabytes. The README's Security section
 * lists these numbers; keep them in step.
 */

/** One file (TOML or a file of a secret directory) is read only up to this size. */
export const maxAnalysedFileBytes = 5 * 1024 * 1024;
/** Bytes read from one secret directory, all its files together (links are followed and counted). */
export const maxSecretDirectoryBytes = 8 * 1024 * 1024;
/** Entries (subfolders and files) listed in one secret directory. */
export const maxSecretDirectoryEntries = 2_000;
/** Bytes read for one app's chain of secrets sources, all sources together. */
export const maxChainBytes = 16 * 1024 * 1024;
/** Entries of a `[secrets] files` list that are read; later ones are not. */
export const maxConfiguredSources = 100;
/** Paths polled for changes at once, over all chains (each is a stat per interval). */
export const maxWatchedPaths = 256;

/** A countdown of bytes and entries; once spent, readers stop and say why. */
export class ReadBudget {
  constructor(
    private bytesLeft: number,
    private entriesLeft = Number.POSITIVE_INFINITY,
  ) {}

  /** Takes `bytes` if they fit; false (nothing taken) if not. */
  takeBytes(bytes: number): boolean {
    if (bytes > this.bytesLeft) return false;
    this.bytesLeft -= bytes;
    return true;
  }

  takeEntry(): boolean {
    if (this.entriesLeft <= 0) return false;
    this.entriesLeft--;
    return true;
  }

  get remainingBytes(): number {
    return this.bytesLeft;
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
