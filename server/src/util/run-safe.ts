// Every LSP handler runs inside runSafe: a failure is logged and answered with a neutral result, never thrown
// across the connection, so one bad document or bug cannot take the server down.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import { formatError, type Logger } from './logger';

export async function runSafe<T>(
  logger: Logger,
  label: string,
  fallback: T,
  token: CancellationToken | undefined,
  fn: () => T | Promise<T>,
): Promise<T | ResponseError<void>> {
  if (token?.isCancellationRequested) return cancelled();
  try {
    const result = await fn();
    return token?.isCancellationRequested ? cancelled() : result;
  } catch (e) {
    logger.error(`${label} failed: ${formatError(e)}`);
    return fallback;
  }
}

/** For notifications (no answer): run, log failures, never throw. */
export function runSafeNotification(logger: Logger, label: string, fn: () => void | Promise<void>): void {
  try {
    const result = fn();
    if (result instanceof Promise) result.catch((e: unknown) => logger.error(`${label} failed: ${formatError(e)}`));
  } catch (e) {
    logger.error(`${label} failed: ${formatError(e)}`);
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
