// Notifications, redacted: every text a notification shows (its message and a modal's detail) goes through the log's
// redactor first, as every log line does, so an error's words that hold a secret (an API answer, a file system
// message) never reach the screen. The client's only caller of window.show*Message (lint-enforced).
import * as vscode from 'vscode';
import { redactor } from './log';

type Show = (message: string, ...rest: (vscode.MessageOptions | string)[]) => Thenable<string | undefined>;

export const showErrorMessage: Show = (message, ...rest) => shown('showErrorMessage', message, rest);
export const showWarningMessage: Show = (message, ...rest) => shown('showWarningMessage', message, rest);
export const showInformationMessage: Show = (message, ...rest) => shown('showInformationMessage', message, rest);

function shown(
  level: 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage',
  message: string,
  rest: (vscode.MessageOptions | string)[],
): Thenable<string | undefined> {
  // Buttons are the extension's own words; a modal's detail is text like the message.
  const cleaned = rest.map((r) =>
    typeof r === 'object' && r.detail !== undefined ? { ...r, detail: redactor.redact(r.detail) } : r,
  );
  const show: Show = vscode.window[level];
  return show.call(vscode.window, redactor.redact(message), ...cleaned);
}
