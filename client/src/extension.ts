// Extension entry: activate and deactivate only. The Ctx owns everything else.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { commandFactories } from './commands';
import { Ctx } from './ctx';
import type { DeployedStateItem } from './deployed-item';
import { registerContentDetection } from './detect-language';
import { POLICY_LANGUAGE_ID } from './constants';
import { offerUnfinishedRotations, RotationCodeActions } from './rotation-code-actions';

/** What the extension returns from activate(); the real-editor tests use it. */
export interface LoginPolicyApi {
  readonly client: LanguageClient | undefined;
  /** What the deployed-state status bar item shows ("Pulled 5 min ago"). */
  readonly deployedState: DeployedStateItem['shown'];
}

let ctx: Ctx | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<LoginPolicyApi> {
  const current = new Ctx(context);
  ctx = current;
  context.subscriptions.push(current, registerContentDetection());
  for (const [id, factory] of Object.entries(commandFactories)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, factory(current)));
  }
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      { language: POLICY_LANGUAGE_ID, scheme: 'file' },
      new RotationCodeActions(() => current.connection.fields() !== undefined),
      { providedCodeActionKinds: RotationCodeActions.kinds },
    ),
  );
  await current.start();
  offerUnfinishedRotations(current).catch((e: unknown) => {
    current.log.debug(`Looking for unfinished rotations failed: ${e instanceof Error ? e.message : String(e)}`);
  });
  return {
    get client() {
      return current.languageClient;
    },
    get deployedState() {
      return current.deployedItem.shown;
    },
  };
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
}
