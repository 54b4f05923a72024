import { CancellationToken, ResponseError, LSPErrorCodes } from 'vscode-languageserver';

export interface SafeLogger {
  error(message: string): void;
}

/**
 * Describes an exception without its message: messages of parser or file errors can quote the
 * text of a secrets file, so only the error's class and the code locations are logged.
 */
export function describeErrorSafely(error: unknown): string {
  if (error instanceof Error) {
    const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 6);
    return [error.name, ...frames].join('\n');
  }
  return typeof error;
}

/**
 * Runs a request handler so that it can neither crash the server nor leak: a cancelled request
 * answers with the LSP cancellation error, an exception is logged (without its message) and
 * answered with `fallback`.
 */
export async function runSafe<T>(
  logger: SafeLogger,
  name: string,
  token: CancellationToken | undefined,
  fallback: T,
  work: () => T | Promise<T>,
): Promise<T> {
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
  try {
    const result = await work();
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
    return result;
  } catch (error) {
    if (error instanceof ResponseError) throw error;
    logger.error(`${name} failed: ${describeErrorSafely(error)}`);
    return fallback;
  }
}
