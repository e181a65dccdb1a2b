// Commands by id: each a factory from the extension context to a handler. The Identity Cloud commands load their
// modules on first use: the pull, status and rotation cores (the engine among them) cost nothing at activation; an
// error they did not expect stops at their boundary (command-boundary.ts), redacted.
import * as vscode from 'vscode';
import {
  FILL_SECRET_PLACEHOLDER_COMMAND,
  SHOW_POLICY_CLIENTS_COMMAND,
  VERIFY_OWNER_SECRET_COMMAND,
} from '../../server/src/protocol';
import { guarded } from './command-boundary';
import type { ConnectResult } from './connect';
import { fillSecretPlaceholder, showPolicyClients } from './new-policy';
import { COMMANDS, POLICY_LANGUAGE_ID } from './constants';
import type { Ctx } from './ctx';
import type { PullCommandResult } from './pull-deployed';
import { forgetOwnerSecret, recordOwnerSecret } from './record-secret';
import type { RotateArgs, RotateResult } from './rotate-owner-secret';
import { knownRuleIds, openRuleDocumentation } from './rule-docs';
import { showWarningMessage } from './notify';

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
    recordOwnerSecret(ctx, typeof args === 'object' && args !== null ? args : {}),
  [COMMANDS.verifyOwnerSecretNow]: () => async () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.languageId !== POLICY_LANGUAGE_ID) {
      void showWarningMessage('Open a login policy to verify its embedded owner secret.');
      return undefined;
    }
    // The server's command; the client's middleware shows the answer.
    return vscode.commands.executeCommand(VERIFY_OWNER_SECRET_COMMAND, doc.uri.toString());
  },
  [FILL_SECRET_PLACEHOLDER_COMMAND]: (ctx) => (uri?: unknown, clientId?: unknown, options?: unknown) =>
    fillSecretPlaceholder(ctx, uri, clientId, options),
  [SHOW_POLICY_CLIENTS_COMMAND]: () => (files?: unknown) => showPolicyClients(files),
  [COMMANDS.forgetOwnerSecret]: (ctx) => (clientId?: unknown) =>
    forgetOwnerSecret(ctx, typeof clientId === 'string' ? clientId : undefined),
  [COMMANDS.connectIdentityCloud]: (ctx) =>
    guarded(
      ctx,
      'Connect to Identity Cloud',
      async (args?: unknown): Promise<ConnectResult> => {
        const a = argsOf(args);
        return (await import('./connect.js')).connectIdentityCloud(ctx, {
          customerId: stringOf(a.customerId),
          region: stringOf(a.region),
          configClientId: stringOf(a.configClientId),
          configClientSecret: stringOf(a.configClientSecret),
        });
      },
      (reason) => ({ connected: false, reason }),
    ),
  [COMMANDS.disconnectIdentityCloud]: (ctx) =>
    guarded(
      ctx,
      'Disconnect from Identity Cloud',
      async () => (await import('./connect.js')).disconnectIdentityCloud(ctx),
      () => false,
    ),
  [COMMANDS.pullDeployed]: (ctx) =>
    guarded(
      ctx,
      'Pull Deployed Policies',
      async (args?: unknown): Promise<PullCommandResult> => {
        const a = argsOf(args);
        return (await import('./pull-deployed.js')).pullDeployed(ctx, {
          configPath: stringOf(a.configPath),
          setBaseline: typeof a.setBaseline === 'boolean' ? a.setBaseline : undefined,
        });
      },
      (reason) => ({ pulled: false, reason }),
    ),
  [COMMANDS.showDeploymentStatus]: (ctx) =>
    guarded(
      ctx,
      'Show Deployment Status',
      async (args?: unknown) => {
        const a = argsOf(args);
        return (await import('./deployment-status.js')).showDeploymentStatus(ctx, {
          configPath: stringOf(a.configPath),
          show: a.show !== false,
        });
      },
      () => undefined,
    ),
  // Resume and Abort of an unfinished rotation are this command with a journal.
  [COMMANDS.rotateOwnerSecret]: (ctx) =>
    guarded(
      ctx,
      'Rotate Owner Secret',
      async (args?: unknown): Promise<RotateResult> =>
        (await import('./rotate-owner-secret.js')).rotateOwnerSecret(ctx, rotateArgsOf(argsOf(args))),
      (message) => ({ outcome: 'internal-error', message }),
      'Run Rotate Owner Secret again: an unfinished rotation resumes from its journal.',
    ),
};

/** The arguments of Rotate Owner Secret that have the right type; the rest is asked. */
function rotateArgsOf(a: Readonly<Record<string, unknown>>): RotateArgs {
  const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
    allowed.find((v) => v === value);
  const policies = Array.isArray(a.policies) ? a.policies.filter((p): p is string => typeof p === 'string') : [];
  const fields: Record<string, unknown> = {
    policies: policies.length > 0 ? policies : undefined,
    policyFile: stringOf(a.policyFile),
    configPath: stringOf(a.configPath),
    journal: stringOf(a.journal),
    unfinished: oneOf(a.unfinished, ['resume', 'abort', 'new'] as const),
    source: oneOf(a.source, ['reset', 'typed'] as const),
    newSecret: stringOf(a.newSecret),
    ownerClientId: stringOf(a.ownerClientId),
    ownerClientSecret: stringOf(a.ownerClientSecret),
    hoursToLive: typeof a.hoursToLive === 'number' ? a.hoursToLive : undefined,
    deleteOld: typeof a.deleteOld === 'boolean' ? a.deleteOld : undefined,
    together: typeof a.together === 'boolean' ? a.together : undefined,
    confirmed: a.confirmed === true ? true : undefined,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** A command's argument object (tests, other extensions); anything else (a URI from a menu, none) counts as `{}`. */
function argsOf(args: unknown): Readonly<Record<string, unknown>> {
  return typeof args === 'object' && args !== null && !(args instanceof vscode.Uri)
    ? (args as Record<string, unknown>)
    : {};
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
