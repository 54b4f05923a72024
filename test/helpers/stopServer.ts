import type { ChildProcess } from 'node:child_process';
import { ExitNotification, ShutdownRequest } from 'vscode-languageserver-protocol';
import type { MessageConnection } from 'vscode-languageserver-protocol/node';

/**
 * Stops a spawned language server the way an editor does — `shutdown`, then `exit` — and kills it
 * when it has not exited within `graceMs` (or is already unresponsive). Used by the LSP tests and
 * the benchmark.
 */
export async function stopLanguageServer(connection: MessageConnection, child: ChildProcess, graceMs: number): Promise<void> {
  try {
    await Promise.race([connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => setTimeout(resolve, graceMs))]);
    await connection.sendNotification(ExitNotification.type);
  } catch {
    // the process may already be gone
  }
  await new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  connection.dispose();
}
