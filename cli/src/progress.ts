/** Runs shorter than this draw nothing. */
const quietMs = 400;
const intervalMs = 100;

/**
 * A progress line on stderr, only when stderr is a terminal (never in CI logs or pipes), redrawn
 * in place and erased when done. It names counts only.
 */
export function progressLine(stream: NodeJS.WriteStream | NodeJS.WritableStream): { update(done: number, total: number): void; done(): void } {
  const tty = 'isTTY' in stream && stream.isTTY === true;
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      if (!tty) return;
      const now = Date.now();
      if (now - started < quietMs || now - last < intervalMs) return;
      last = now;
      drawn = true;
      stream.write(`\rstreamlit-secrets: checked ${done} of ${total} files…\x1b[K`);
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
