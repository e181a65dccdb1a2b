// Builds the LanguageClient: the bundled server over IPC, the documents it serves, and the middleware that keeps
// VS Code-only behaviour (opening rule docs in a Markdown preview) on this side.
import type * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  SHOW_RULE_DOCUMENTATION_COMMAND,
  VERIFY_OWNER_SECRET_COMMAND,
  type InitializationOptions,
  type VerifyResult,
} from '../../server/src/protocol';
import { CLIENT_ID, CLIENT_NAME, POLICY_LANGUAGE_ID } from './constants';
import { createTrace } from './log';
import { openRuleDocumentation } from './rule-docs';
import { showInformationMessage, showWarningMessage } from './notify';

export function createLanguageClient(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  initializationOptions: () => InitializationOptions,
): LanguageClient {
  const module = context.asAbsolutePath('server/dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: POLICY_LANGUAGE_ID },
      { scheme: 'untitled', language: POLICY_LANGUAGE_ID },
      { scheme: 'file', pattern: '**/.loginpolicyrc.json' },
    ],
    outputChannel: log,
    // Message traces would contain whole documents and secrets: this channel hides the one and masks the other.
    traceOutputChannel: createTrace(`${CLIENT_NAME} Trace`),
    // A function: read again whenever the server (re)starts, so trust and recorded secrets are current.
    initializationOptions,
    middleware: {
      executeCommand: async (command, args, next) => {
        if (command === SHOW_RULE_DOCUMENTATION_COMMAND && typeof args[0] === 'string') {
          await openRuleDocumentation(context, args[0]);
          return undefined;
        }
        const result = (await next(command, args)) as unknown;
        if (command === VERIFY_OWNER_SECRET_COMMAND) showVerifyResult(result as VerifyResult | undefined);
        return result;
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/** A click on "Verify owner secret now" always answers: the result, or why no request was made. */
function showVerifyResult(result: VerifyResult | undefined): void {
  if (!result) return;
  if (!result.performed) {
    void showWarningMessage(`Live check not made: ${result.reason ?? 'unknown reason'}.`);
    return;
  }
  const words: Record<string, string> = {
    accepted: 'Capture accepted the embedded owner credentials.',
    rejected: 'Capture rejected the embedded owner credentials: the secret is stale.',
    'not-owner': 'Capture says the embedded client is not an owner client.',
    failed: 'The live check could not decide; the finding on clientSecret says why.',
  };
  void showInformationMessage(words[result.outcome ?? ''] ?? 'Live check done.');
}
