// Commands by id: each a factory from the extension context to a handler.
import * as vscode from 'vscode';
import { COMMANDS } from './constants';
import type { Ctx } from './ctx';
import { forgetOwnerSecret, recordOwnerSecret, type RecordArgs } from './record-secret';
import { knownRuleIds, openRuleDocumentation } from './rule-docs';

type Factory = (ctx: Ctx) => (...args: unknown[]) => unknown;

export const commandFactories: Record<string, Factory> = {
  [COMMANDS.restartServer]: (ctx) => () => ctx.restart(),
  [COMMANDS.showOutput]: (ctx) => () => ctx.log.show(true),
  [COMMANDS.openRuleDocumentation]: (ctx) => async (ruleId?: unknown) => {
    const id =
      typeof ruleId === 'string'
        ? ruleId
        : await vscode.window.showQuickPick(await knownRuleIds(ctx.context), {
            placeHolder: 'Rule to show documentation for',
          });
    if (id) await openRuleDocumentation(ctx.context, id);
  },
  [COMMANDS.recordOwnerSecret]: (ctx) => (args?: unknown) =>
    recordOwnerSecret(ctx, typeof args === 'object' && args !== null ? (args as RecordArgs) : {}),
  [COMMANDS.forgetOwnerSecret]: (ctx) => (clientId?: unknown) =>
    forgetOwnerSecret(ctx, typeof clientId === 'string' ? clientId : undefined),
};
