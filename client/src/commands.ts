// Commands by id: each a factory from the extension context to a handler.
import * as vscode from 'vscode';
import { COMMANDS } from './constants';
import type { Ctx } from './ctx';
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
};
