// One log for the extension and its server: a LogOutputChannel whose every line is redacted.
import * as vscode from 'vscode';
import { SecretRedactor } from '../../server/src/shared/redact';

/** Secrets seen in policy documents (and, later, SecretStorage); every log and trace line is masked with it. */
export const redactor = new SecretRedactor();

/**
 * Wraps an output channel so that whatever is written to it goes through `clean` first: by default, redacted.
 */
export function redacting<T extends vscode.OutputChannel>(
  channel: T,
  clean: (text: string) => string = (text) => redactor.redact(text),
): T {
  const textMethods = new Set(['append', 'appendLine', 'replace', 'trace', 'debug', 'info', 'warn', 'error']);
  return new Proxy(channel, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && textMethods.has(property)) {
        return (first: unknown, ...rest: unknown[]) =>
          (value as (...a: unknown[]) => unknown).call(
            target,
            typeof first === 'string' ? clean(first) : first instanceof Error ? cleanError(first, clean) : first,
            ...rest.map((r) => (typeof r === 'string' ? clean(r) : r)),
          );
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

function cleanError(error: Error, clean: (text: string) => string): Error {
  const copy = new Error(clean(error.message));
  copy.name = error.name;
  return copy;
}

export function createLog(): vscode.LogOutputChannel {
  return redacting(vscode.window.createOutputChannel('Login Policy', { log: true }));
}

/**
 * The channel the language client writes message traces to. A trace would hold whole documents (didOpen, didChange),
 * and a document can hold a secret the client cannot recognise (pasted under another key, or a deployed secret only
 * the server knows): the trace shows each document text's length instead, and is redacted like the log.
 */
export function createTrace(name: string): vscode.LogOutputChannel {
  return redacting(vscode.window.createOutputChannel(name, { log: true }), (text) =>
    redactor.redact(withoutDocumentText(text)),
  );
}

/** The `"text"` of LSP's TextDocumentItem, content change and didSave params, as vscode-jsonrpc traces them. */
const DOCUMENT_TEXT = /("text"\s*:\s*")((?:[^"\\]|\\.)*)"/g;

function withoutDocumentText(text: string): string {
  return text.replace(
    DOCUMENT_TEXT,
    (_m, open: string, body: string) => `${open}<${jsonStringValue(body).length} characters of document text>"`,
  );
}

/**
 * Learns the secret embedded in a policy document so logs and traces of it are masked. The text holds it
 * JSON-escaped; the redactor is given the secret itself (as the server reads it), and adds the escaped forms.
 */
export function learnSecrets(text: string): void {
  const match = /"clientSecret"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text);
  if (match?.[1]) redactor.add(jsonStringValue(match[1]));
}

/** The value of a JSON string from the text between its quotes (as written, when an escape is invalid). */
function jsonStringValue(quoted: string): string {
  try {
    return JSON.parse(`"${quoted}"`) as string;
  } catch {
    return quoted;
  }
}
