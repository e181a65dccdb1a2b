// "Login Policy: Connect to Identity Cloud" and "Disconnect from Identity Cloud" (DESIGN §13). Connect asks for the
// customer id, region, configuration client id and secret (prefilled from the connection or `identityCloud` of
// .loginpolicyrc.json), proves them with a token and a list of login policies, and only then keeps them: the secret in
// SecretStorage, the rest in workspace state. A refusal is said in words, and nothing is kept.
// Callable with arguments (tests, other extensions): { customerId, region, configClientId, configClientSecret }.
import * as vscode from 'vscode';
import { parse } from 'jsonc-parser';
import { IdentityCloudClient } from '../../server/src/identity-cloud/identity-cloud-client';
import { checkedFields, customerIdProblem, regionProblem, type ConnectionFields } from './connection-fields';
import { COMMANDS } from './constants';
import type { Ctx } from './ctx';
import { deployedTarget, trusted } from './deployed-target';
import { connectionOptions } from './identity-cloud-connection';
import { redactor } from './log';
import { showErrorMessage, showInformationMessage } from './notify';

export interface ConnectArgs {
  readonly customerId?: string;
  readonly region?: string;
  readonly configClientId?: string;
  readonly configClientSecret?: string;
}

export interface ConnectResult {
  readonly connected: boolean;
  /** Why not, in words (never a secret). */
  readonly reason?: string;
  readonly policies?: number;
}

const TITLE = 'Connect to Identity Cloud';

export async function connectIdentityCloud(ctx: Ctx, args: ConnectArgs = {}): Promise<ConnectResult> {
  if (!trusted('Connecting to Identity Cloud')) return { connected: false, reason: 'the workspace is not trusted' };
  const known = { ...(await configuredCustomer()), ...ctx.connection.fields() };
  const customerId =
    args.customerId ??
    (await ask({
      step: 1,
      prompt: 'Identity Cloud customer id (a UUID, as in https://v1.api.{region}.janrain.com/{customerId}/…)',
      value: known.customerId,
      validate: customerIdProblem,
    }));
  if (customerId === undefined) return { connected: false, reason: 'cancelled' };
  const region =
    args.region ??
    (await ask({
      step: 2,
      prompt: 'Region: us, eu, jp or the two letters of yours',
      value: known.region ?? 'us',
      validate: regionProblem,
    }));
  if (region === undefined) return { connected: false, reason: 'cancelled' };
  const configClientId =
    args.configClientId ??
    (await ask({
      step: 3,
      prompt: 'Configuration client id: an OIDC client whose token policy allows the scope *:config/**',
      value: known.configClientId,
      validate: (value) => (value.trim() === '' ? 'Enter the configuration client id' : undefined),
    }));
  if (configClientId === undefined) return { connected: false, reason: 'cancelled' };
  const secret =
    args.configClientSecret ??
    (await ask({
      step: 4,
      prompt: `Secret of configuration client ${configClientId.trim()}: kept in VS Code's secret storage, sent only to Identity Cloud`,
      password: true,
      validate: (value) => (value.trim() === '' ? 'Enter the secret' : undefined),
    }));
  // Blanks around a pasted secret are never part of it.
  const trimmed = secret?.trim();
  if (!trimmed) return { connected: false, reason: 'cancelled' };
  redactor.add(trimmed);
  const fields = checkedFields({ customerId, region, configClientId });
  if ('problem' in fields) return refused(`${fields.problem}; nothing was saved`);
  return testAndSave(ctx, fields, trimmed);
}

/** The test call: a token and the list of login policies. Only its success saves anything. */
async function testAndSave(ctx: Ctx, fields: ConnectionFields, secret: string): Promise<ConnectResult> {
  let policies: number;
  try {
    policies = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Connecting to Identity Cloud (${fields.region})…` },
      async () =>
        (
          await new IdentityCloudClient(
            connectionOptions(fields, secret, { warn: (line) => ctx.log.warn(line) }),
          ).listLoginPolicySummaries()
        ).length,
    );
  } catch (error) {
    const why = redactor.redact(error instanceof Error ? error.message : String(error));
    ctx.log.warn(`Connect to Identity Cloud failed: ${why}`);
    return refused(`${why}; nothing was saved`);
  }
  await ctx.connection.save(fields, secret);
  const where = `customer ${fields.customerId} (${fields.region})`;
  ctx.log.info(
    `Connected to Identity Cloud: ${where}, configuration client ${fields.configClientId}; ${policies} login policies.`,
  );
  void ctx.refreshDeployedItem();
  void showInformationMessage(
    `Connected to Identity Cloud: ${where} has ${policies} login ${policies === 1 ? 'policy' : 'policies'}.`,
    'Pull Deployed Policies',
  ).then((choice) => {
    if (choice) void vscode.commands.executeCommand(COMMANDS.pullDeployed);
  });
  return { connected: true, policies };
}

function refused(reason: string): ConnectResult {
  void showErrorMessage(`Could not connect to Identity Cloud: ${reason}.`);
  return { connected: false, reason };
}

export async function disconnectIdentityCloud(ctx: Ctx): Promise<boolean> {
  const forgotten = await ctx.connection.forget();
  void ctx.refreshDeployedItem();
  if (!forgotten) {
    void showInformationMessage('This workspace is not connected to Identity Cloud.');
    return false;
  }
  ctx.log.info(`Disconnected from Identity Cloud (customer ${forgotten.customerId}).`);
  void showInformationMessage(
    `Disconnected from Identity Cloud: this workspace no longer stores the secret of configuration client ${forgotten.configClientId} (another workspace connected to it keeps its own). Pulled files stay.`,
  );
  return true;
}

/** `identityCloud` of the config that applies, to prefill customer id and region. */
async function configuredCustomer(): Promise<{ customerId?: string; region?: string }> {
  // No question here: with several folders and no active file, the first folder's config only prefills.
  const target = await deployedTarget(undefined, { pick: false });
  if (!target?.configPath) return {};
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(target.configPath)));
    const cloud = (parse(text) as { identityCloud?: { customerId?: unknown; region?: unknown } } | undefined)
      ?.identityCloud;
    return {
      ...(typeof cloud?.customerId === 'string' ? { customerId: cloud.customerId } : {}),
      ...(typeof cloud?.region === 'string' ? { region: cloud.region } : {}),
    };
  } catch {
    return {};
  }
}

function ask(options: {
  readonly step: number;
  readonly prompt: string;
  readonly value?: string | undefined;
  readonly password?: boolean;
  readonly validate: (value: string) => string | undefined;
}): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `${TITLE} (${options.step}/4)`,
    prompt: options.prompt,
    ...(options.value ? { value: options.value } : {}),
    password: options.password ?? false,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const problem = options.validate(value);
      return problem && problem.charAt(0).toUpperCase() + problem.slice(1);
    },
  });
}
