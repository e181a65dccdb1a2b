// One log for the extension and its server: a LogOutputChannel whose every line is redacted.
import * as vscode from 'vscode';
import { SecretRedactor } from '../../server/src/shared/redact';

/** Secrets seen in policy documents (and, later, SecretStorage); every log and trace line is masked with it. */
export const redactor = new SecretRedactor();

/**
 * Wraps an output channel so that whatever is written to it is redacted first. The language client writes
 * message traces (which contain whole documents) through this.
 */
export function redacting<T extends vscode.OutputChannel>(channel: T): T {
  const textMethods = new Set(['append', 'appendLine', 'replace', 'trace', 'debug', 'info', 'warn', 'error']);
  return new Proxy(channel, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && textMethods.has(property)) {
        return (first: unknown, ...rest: unknown[]) =>
          (value as (...a: unknown[]) => unknown).call(
            target,
            typeof first === 'string' ? redactor.redact(first) : first instanceof Error ? redactError(first) : first,
            ...rest.map((r) => (typeof r === 'string' ? redactor.redact(r) : r)),
          );
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

function redactError(error: Error): Error {
  const copy = new Error(redactor.redact(error.message));
  copy.name = error.name;
  return copy;
}

export function createLog(): vscode.LogOutputChannel {
  return redacting(vscode.window.createOutputChannel('Login Policy', { log: true }));
}

/** Learns the secret embedded in a policy document so traces of it are masked. */
export function learnSecrets(text: string): void {
  const match = /"clientSecret"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text);
  if (match?.[1]) redactor.add(match[1]);
}
