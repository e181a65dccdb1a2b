// Server logging through the LSP connection (window/logMessage), at levels, with every line redacted.
import type { Connection } from 'vscode-languageserver';
import type { SecretRedactor } from '../shared/redact';

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export function connectionLogger(connection: Connection, redactor: SecretRedactor): Logger {
  const safe = (message: string): string => redactor.redact(message);
  return {
    error: (m) => connection.console.error(safe(m)),
    warn: (m) => connection.console.warn(safe(m)),
    info: (m) => connection.console.info(safe(m)),
    debug: (m) => connection.console.debug(safe(m)),
  };
}

/** Error name, message and the top of the stack, for logs (the logger redacts it). */
export function formatError(error: unknown): string {
  if (error instanceof Error) {
    const frames = (error.stack ?? '').split('\n').slice(1, 6).join('\n');
    return `${error.name}: ${error.message}${frames ? `\n${frames}` : ''}`;
  }
  return String(error);
}
