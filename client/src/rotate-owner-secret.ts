// "Login Policy: Rotate Owner Secret…" (DESIGN §14), what `login-policy-lint rotate --apply` does, in VS Code: in a
// trusted, connected workspace only. It picks the policy (the given file's or the active file's `id`, else a quick
// pick of the deployed policies read live, each with what its secret is known to be: rotation-picker.ts), asks where
// the new secret comes from (a reset through the Configuration API with owner credentials, or typed), shows the plan
// in a read-only document, asks once, and runs it under a cancellable progress notification (rotation-flow.ts). An
// unfinished rotation of the folder is offered first: Resume, or Abort. Owner credentials and the new secret are asked
// in password boxes and never stored. Callable with arguments (tests, other extensions): see RotateArgs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { MAX_HOURS_TO_LIVE } from '../../server/src/identity-cloud/capture-config-client';
import { pulledFolderOf } from '../../server/src/identity-cloud/deployed-pull';
import { statusFacts } from '../../server/src/identity-cloud/deployed-status';
import { IdentityCloudClient } from '../../server/src/identity-cloud/identity-cloud-client';
import { DEFAULT_ALLOWED_HOSTS } from '../../server/src/identity-cloud/hosts';
import { DEFAULT_TIMEOUT_MS, type LiveCheckSettings } from '../../server/src/identity-cloud/live-checks';
import { liveSecretChecker } from '../../server/src/identity-cloud/rotation/secret-check';
import { connectedConfig } from './connected-config';
import { COMMANDS, POLICY_LANGUAGE_ID } from './constants';
import type { Ctx } from './ctx';
import { askToConnect, deployedTarget, nearestConfig, trusted, type DeployedTarget } from './deployed-target';
import { abortable } from './identity-cloud-connection';
import { redactor } from './log';
import { ownerClientIdIn, policyIdIn, workspacePolicyFiles } from './policy-files';
import { deployedPolicyChoices, type ChoiceOptions, type PolicyChoice } from './rotation-picker';
import { runRotationFlow, type RotationInput, type RotationOutcome, type RotationUi } from './rotation-flow';
import { describeUnfinished, journalFilesIn, unfinishedRotations, type UnfinishedRotation } from './rotation-journals';
import { showErrorMessage, showInformationMessage, showWarningMessage } from './notify';

export interface RotateArgs {
  /** Old policy ids, rotated together; absent: `policyFile`'s id, the active policy file's, else a quick pick. */
  readonly policies?: readonly string[];
  /** A policy file (the quick fix's): its `id` is rotated, and the new policy file is written beside it. */
  readonly policyFile?: string;
  /** The .loginpolicyrc.json that applies; absent: the one nearest to the policy file or the active file. */
  readonly configPath?: string;
  /** An unfinished rotation's journal (the Resume and Abort buttons). */
  readonly journal?: string;
  /** What to do with an unfinished rotation of the folder: absent, asked; `new` leaves it and starts another. */
  readonly unfinished?: 'resume' | 'abort' | 'new';
  /** Where the new secret comes from; absent: asked. */
  readonly source?: 'reset' | 'typed';
  readonly newSecret?: string;
  readonly ownerClientId?: string;
  readonly ownerClientSecret?: string;
  /** How long the old secret keeps working after the reset; absent: asked (24). */
  readonly hoursToLive?: number;
  /** Delete the old policy once its clients have moved; absent: asked. */
  readonly deleteOld?: boolean;
  /** Rotate the other policies a reset puts on the clock in the same run, without asking. */
  readonly together?: boolean;
  /** The caller confirmed the plan already: no dialog (the plan is still shown). */
  readonly confirmed?: boolean;
}

export interface RotateResult {
  readonly outcome: RotationOutcome['kind'] | 'untrusted' | 'not-connected' | 'internal-error';
  /** What the notification said (never a secret). */
  readonly message: string;
  /** The plan's read-only document. */
  readonly plan?: string;
  readonly mode?: 'rotate' | 'abort';
  readonly policies?: readonly {
    readonly oldId: string;
    readonly newId: string | undefined;
    readonly clients: number;
  }[];
  /** Files written or removed, relative to the workspace folder. */
  readonly files?: readonly string[];
}

const TITLE = 'Rotate Owner Secret';

export async function rotateOwnerSecret(ctx: Ctx, args: RotateArgs = {}): Promise<RotateResult> {
  if (!trusted('Rotating an owner secret')) return { outcome: 'untrusted', message: 'the workspace is not trusted' };
  const fields = ctx.connection.fields();
  if (!fields) {
    askToConnect('a rotation reads and changes the deployed policies and OIDC clients with a configuration client');
    return { outcome: 'not-connected', message: 'not connected to Identity Cloud' };
  }
  const target = await rotationTarget(args);
  if (!target) return { outcome: 'cancelled', message: 'no workspace folder' };
  const checked = connectedConfig(target, fields, 'Nothing was changed');
  if ('problem' in checked) return refused(checked.problem);
  const { cwd, config } = checked;
  const connection = await ctx.connection.clientOptions({ warn: (line) => ctx.log.warn(line) });
  if (!connection) {
    return refused(
      'the configuration client secret is no longer stored in VS Code: connect to Identity Cloud again. Nothing was changed',
    );
  }
  const liveCheck = liveCheckSettings(target.folder.uri);
  const files = new Map<string, string>();

  let input: RotationInput | undefined;
  const unfinished = unfinishedRotations(journalFilesIn(config?.dir ?? cwd)).find(
    (u) => !args.journal || u.policyIds.includes(path.basename(args.journal, '.json')),
  );
  if (unfinished && args.unfinished !== 'new') {
    const choice = args.unfinished ?? (await askUnfinished(unfinished));
    if (!choice) return { outcome: 'cancelled', message: 'cancelled: nothing was changed' };
    if (choice !== 'new') input = await continueInput(unfinished, choice, args);
    if (choice !== 'new' && !input) return { outcome: 'cancelled', message: 'cancelled: nothing was changed' };
  } else if (args.journal) {
    return refused(`${vscode.workspace.asRelativePath(args.journal)} is no unfinished rotation. Nothing was changed`);
  }
  if (!input) {
    const fresh = await freshInput(args, {
      connection,
      liveCheck,
      liveChecksOn: liveChecksOn(target.folder.uri),
      facts: statusFacts(config, cwd, ctx.secrets.fingerprints()),
      files,
    });
    if (!fresh) return { outcome: 'cancelled', message: 'cancelled: nothing was changed' };
    input = fresh;
  }

  const ui = editorUi(ctx, target.folder);
  const outDir = pulledFolderOf(undefined, config, cwd);
  const withFiles = async (ids: readonly string[]) => {
    const missing = new Set(ids.filter((id) => !files.has(id)));
    if (missing.size > 0) {
      for (const [id, file] of await workspacePolicyFiles(missing, target.folder, outDir, config)) {
        files.set(id, vscode.Uri.parse(file.uri).fsPath);
      }
    }
    return { connection, liveCheck, cwd, config, policyFiles: files };
  };
  let outcome = await runRotationFlow(await withFiles(input.policyIds), input, ui);
  if (outcome.kind === 'refused' && outcome.alsoAffected.length > 0) {
    const others = outcome.alsoAffected;
    const together =
      args.together ??
      (await showWarningMessage(
        `A reset stops the old secret of every policy that embeds it, and ${others.map((p) => `"${p.title}" (${p.id})`).join(', ')} ${others.length === 1 ? 'embeds' : 'embed'} it too. Rotate ${others.length === 1 ? 'it' : 'them'} in the same run?`,
        { modal: true, detail: 'Otherwise sign-in through them fails when the old secret stops.' },
        'Rotate Together',
      )) === 'Rotate Together';
    if (!together) {
      const names = others.map((p) => `"${p.title}" (${p.id})`).join(', ');
      const message = `a reset would also stop the old secret of ${names}, which ${others.length === 1 ? 'was' : 'were'} not rotated with it; nothing was changed.`;
      return show(ctx, { ...outcome, message }, cwd, input.mode);
    }
    input = { ...input, policyIds: [...input.policyIds, ...others.map((p) => p.id)] };
    outcome = await runRotationFlow(await withFiles(input.policyIds), input, ui);
  }
  return show(ctx, outcome, cwd, input.mode);
}

/** At activation of a connected, trusted workspace: each unfinished rotation is offered, Resume or Abort. */
export function offerUnfinished(ctx: Ctx, journalFiles: readonly string[]): void {
  for (const rotation of unfinishedRotations(journalFiles)) {
    ctx.log.info(`Unfinished owner-secret rotation: ${describeUnfinished(rotation)}, journal ${rotation.journal}.`);
    void showWarningMessage(
      `An owner-secret rotation is unfinished: ${describeUnfinished(rotation)}. Resume it, or abort it?`,
      'Resume',
      'Abort…',
    ).then((choice) => {
      if (!choice) return;
      const unfinished = choice === 'Resume' ? 'resume' : 'abort';
      void vscode.commands.executeCommand(COMMANDS.rotateOwnerSecret, { journal: rotation.journal, unfinished });
    });
  }
}

/** The folder and config: the journal's, the given config's, the policy file's nearest, else as pull chooses. */
async function rotationTarget(args: RotateArgs): Promise<DeployedTarget | undefined> {
  const file = args.journal ? path.dirname(path.dirname(args.journal)) : args.policyFile;
  if (args.configPath !== undefined || file === undefined) return deployedTarget(args.configPath);
  const uri = vscode.Uri.file(file);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) {
    void showErrorMessage(`${file} is not in a folder of this workspace.`);
    return undefined;
  }
  const from = args.journal ? uri : vscode.Uri.joinPath(uri, '..');
  return { folder, configPath: (await nearestConfig(from, folder))?.fsPath };
}

async function askUnfinished(rotation: UnfinishedRotation): Promise<'resume' | 'abort' | 'new' | undefined> {
  const choice = await showWarningMessage(
    `An owner-secret rotation is unfinished: ${describeUnfinished(rotation)}.`,
    {
      modal: true,
      detail:
        'Resume continues from its journal: it never creates a second policy and never moves a client twice. Abort moves the clients it moved back while the old secret still works.',
    },
    'Resume',
    'Abort…',
    'Start Another',
  );
  return choice === 'Resume'
    ? 'resume'
    : choice === 'Abort…'
      ? 'abort'
      : choice === 'Start Another'
        ? 'new'
        : undefined;
}

/** A resume or an abort: the journal says what; a reset not yet turned into a new policy needs the owner credentials. */
async function continueInput(
  rotation: UnfinishedRotation,
  choice: 'resume' | 'abort',
  args: RotateArgs,
): Promise<RotationInput | undefined> {
  const base = {
    policyIds: rotation.policyIds,
    source: undefined,
    deleteOld: args.deleteOld ?? false,
    ...(args.newSecret ? { newSecret: args.newSecret } : {}),
    ...(args.confirmed ? { confirmed: true } : {}),
  };
  if (choice === 'abort') return { ...base, mode: 'abort' };
  if (!rotation.needsOwner) return { ...base, mode: 'rotate' };
  const owner = await ownerCredentials(
    args,
    rotation.ownerClientId,
    'the rotation reset the secret before creating its new policy: the new secret is read back with them',
  );
  return owner && { ...base, mode: 'rotate', owner };
}

interface Reading {
  readonly connection: NonNullable<Awaited<ReturnType<Ctx['connection']['clientOptions']>>>;
  readonly liveCheck: LiveCheckSettings;
  /** loginPolicy.verify.mode is not off: the picker may check every deployed policy's secret live. */
  readonly liveChecksOn: boolean;
  /** What the fingerprints say of owner secrets: the config's clients and the secrets recorded in VS Code. */
  readonly facts: ChoiceOptions['facts'];
  /** Filled with the policy files the choice names. */
  readonly files: Map<string, string>;
}

/** A new rotation: which policy, where the new secret comes from, the old policy kept or deleted. */
async function freshInput(args: RotateArgs, reading: Reading): Promise<RotationInput | undefined> {
  const picked = await policiesToRotate(args, reading);
  if (!picked) return undefined;
  const source = args.source ?? (await pickSource());
  if (!source) return undefined;
  let secrets: Pick<RotationInput, 'newSecret' | 'owner' | 'hoursToLive'>;
  if (source === 'typed') {
    const newSecret =
      args.newSecret ??
      (await askSecret('The new owner client secret: it goes into the new policy only, and is never stored'));
    if (!newSecret) return undefined;
    secrets = { newSecret: newSecret.trim() };
  } else {
    const owner = await ownerCredentials(
      args,
      picked.ownerClientId,
      'the reset is made with them; they are never stored',
    );
    if (!owner) return undefined;
    const hoursToLive = args.hoursToLive ?? (await askHours());
    if (hoursToLive === undefined) return undefined;
    secrets = { owner, hoursToLive };
  }
  const deleteOld = args.deleteOld ?? (await pickDeleteOld());
  if (deleteOld === undefined) return undefined;
  return {
    mode: 'rotate',
    policyIds: picked.ids,
    source,
    ...secrets,
    deleteOld,
    ...(args.confirmed ? { confirmed: true } : {}),
  };
}

/** The policies named, the given file's, the active policy file's, or one picked from the deployed ones. */
async function policiesToRotate(
  args: RotateArgs,
  reading: Reading,
): Promise<{ ids: readonly string[]; ownerClientId: string | undefined } | undefined> {
  if (args.policies && args.policies.length > 0) return { ids: args.policies, ownerClientId: undefined };
  const active = vscode.window.activeTextEditor?.document;
  const file =
    args.policyFile !== undefined
      ? (vscode.workspace.textDocuments.find((d) => d.uri.fsPath === args.policyFile) ??
        (await vscode.workspace.openTextDocument(vscode.Uri.file(args.policyFile))))
      : active?.languageId === POLICY_LANGUAGE_ID && active.uri.scheme === 'file'
        ? active
        : undefined;
  if (file) {
    const id = policyIdIn(file.getText());
    if (id) {
      reading.files.set(id, file.uri.fsPath);
      return { ids: [id], ownerClientId: ownerClientIdIn(file.getText()) };
    }
    if (args.policyFile !== undefined) {
      void showErrorMessage(
        `${vscode.workspace.asRelativePath(file.uri)} has no "id": it was never created, so there is nothing to rotate.`,
      );
      return undefined;
    }
  }
  return pickDeployedPolicy(reading);
}

/**
 * The deployed policies, read live with GETs, each labelled with what its embedded owner secret is known to be
 * (rotation-picker.ts): checked live with Capture only when live checks are on.
 */
async function pickDeployedPolicy(
  reading: Reading,
): Promise<{ ids: readonly string[]; ownerClientId: string | undefined } | undefined> {
  let items: PolicyChoice[];
  const cancel = new AbortController();
  try {
    items = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Reading the deployed login policies…',
        cancellable: true,
      },
      async (_progress, token) => {
        const onCancel = token.onCancellationRequested(() => cancel.abort());
        try {
          return await deployedPolicyChoices({
            api: new IdentityCloudClient(abortable(reading.connection, cancel.signal)),
            checkSecret: liveSecretChecker(reading.liveCheck),
            liveChecks: reading.liveChecksOn,
            facts: reading.facts,
            now: new Date(),
          });
        } finally {
          onCancel.dispose();
        }
      },
    );
  } catch (error) {
    if (!cancel.signal.aborted) {
      void showErrorMessage(
        `Could not read the deployed login policies: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: TITLE,
    placeHolder: 'The deployed login policy to move to a new owner secret',
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return picked && { ids: [picked.id], ownerClientId: picked.owner };
}

async function pickSource(): Promise<'reset' | 'typed' | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      {
        label: 'Reset the secret through the Configuration API',
        detail:
          'With owner credentials; the old secret keeps working for the hours you give, the new one is never shown.',
        source: 'reset' as const,
      },
      {
        label: 'Type the new secret',
        detail: 'A secret the owner client has already (reset in the Console, say); Capture must accept it.',
        source: 'typed' as const,
      },
    ],
    { title: TITLE, placeHolder: 'Where does the new owner secret come from?', ignoreFocusOut: true },
  );
  return picked?.source;
}

async function pickDeleteOld(): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Keep the old policy', detail: 'It stays deployed with no client bound to it.', deleteOld: false },
      {
        label: 'Delete the old policy once its clients have moved',
        detail: 'And its file and pulled snapshot after the DELETE succeeded.',
        deleteOld: true,
      },
    ],
    { title: TITLE, placeHolder: 'The old policy, once every client has moved', ignoreFocusOut: true },
  );
  return picked?.deleteOld;
}

/** Owner credentials, asked (the secret in a password box) unless given; learned by the log's redactor at once. */
async function ownerCredentials(
  args: RotateArgs,
  ownerHint: string | undefined,
  why: string,
): Promise<{ clientId: string; secret: string } | undefined> {
  const clientId =
    args.ownerClientId ??
    (await vscode.window.showInputBox({
      title: TITLE,
      prompt: `Owner API client id of the Capture application (${why})`,
      ...(ownerHint ? { value: ownerHint } : {}),
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'Enter the client id' : undefined),
    }));
  if (!clientId?.trim()) return undefined;
  const secret =
    args.ownerClientSecret ??
    (await askSecret(`Secret of owner API client ${clientId.trim()}: used for this rotation only, never stored`));
  if (!secret?.trim()) return undefined;
  redactor.add(secret.trim());
  return { clientId: clientId.trim(), secret: secret.trim() };
}

async function askSecret(prompt: string): Promise<string | undefined> {
  const secret = await vscode.window.showInputBox({
    title: TITLE,
    prompt,
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Enter the secret' : undefined),
  });
  // Learned before anything else can print it.
  redactor.add(secret?.trim());
  return secret;
}

async function askHours(): Promise<number | undefined> {
  const value = await vscode.window.showInputBox({
    title: TITLE,
    prompt: `Hours the old secret keeps working after the reset (1 to ${MAX_HOURS_TO_LIVE}): every OIDC client moves within them. 0 only when no client uses a policy that embeds it.`,
    value: '24',
    ignoreFocusOut: true,
    validateInput: (text) => {
      const hours = Number(text.trim());
      return /^\d+$/.test(text.trim()) && hours <= MAX_HOURS_TO_LIVE
        ? undefined
        : `A whole number of hours from 0 to ${MAX_HOURS_TO_LIVE}`;
    },
  });
  return value === undefined ? undefined : Number(value.trim());
}

/** Live checks are opt-in (DESIGN §5): the editor's setting, as for its own live checks. */
function liveChecksOn(scope: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration('loginPolicy', scope).get<unknown>('verify.mode', 'off') !== 'off';
}

/** The live check's hosts and timeout: the editor's settings, as for its own live checks (never the config's). */
function liveCheckSettings(scope: vscode.Uri): LiveCheckSettings {
  const verify = vscode.workspace.getConfiguration('loginPolicy', scope);
  const hosts = verify.get<unknown>('verify.allowedHosts');
  const timeout = verify.get<unknown>('verify.timeoutMs');
  return {
    allowedHosts: Array.isArray(hosts) && hosts.every((h) => typeof h === 'string') ? hosts : DEFAULT_ALLOWED_HOSTS,
    timeoutMs: typeof timeout === 'number' && timeout >= 100 && timeout <= 120_000 ? timeout : DEFAULT_TIMEOUT_MS,
    allowedHostsSetting: 'the setting loginPolicy.verify.allowedHosts',
  };
}

function editorUi(ctx: Ctx, folder: vscode.WorkspaceFolder): RotationUi {
  return {
    progress: (title, work) =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
          const cancel = new AbortController();
          const onCancel = token.onCancellationRequested(() => cancel.abort());
          try {
            return await work(
              (message, increment) => progress.report({ message, ...(increment ? { increment } : {}) }),
              cancel.signal,
            );
          } finally {
            onCancel.dispose();
          }
        },
      ),
    preview: async (text) => {
      const uri = ctx.rotationPlans.set(folder, 'Rotation plan.txt', text);
      await vscode.window.showTextDocument(uri, { preview: true });
      return uri.toString();
    },
    confirm: async (question, detail, action) =>
      (await showWarningMessage(question, { modal: true, detail }, action)) === action,
    askNewSecret: (prompt) => askSecret(prompt),
    log: { info: (line) => ctx.log.info(line), warn: (line) => ctx.log.warn(line) },
  };
}

/** Says what happened; after a run, tells the language server of the files it changed. */
async function show(ctx: Ctx, outcome: RotationOutcome, cwd: string, mode: 'rotate' | 'abort'): Promise<RotateResult> {
  const plan = 'plan' in outcome && outcome.plan ? { plan: outcome.plan } : {};
  // The words of the core's errors: for callers (tests, other extensions) as for the screen, redacted.
  const message = redactor.redact(outcome.message);
  switch (outcome.kind) {
    case 'done': {
      const { result } = outcome;
      const changed = result.files.map((f) => (path.isAbsolute(f) ? f : path.join(cwd, f)));
      await ctx.reportFileChanges(
        changed.map((file) => ({
          path: file,
          type: existsSync(file) ? FileChangeType.Changed : FileChangeType.Deleted,
        })),
      );
      await ctx.refreshDeployedItem();
      void showInformationMessage(message, 'Show Output').then((choice) => choice && ctx.log.show(true));
      return {
        outcome: 'done',
        message,
        ...plan,
        mode: result.mode,
        policies: result.policies.map((p) => ({ oldId: p.oldId, newId: p.newId, clients: p.clients })),
        files: result.files,
      };
    }
    case 'stopped':
    case 'interrupted': {
      const say = outcome.kind === 'stopped' ? showWarningMessage : showErrorMessage;
      void say(message, 'Resume', 'Abort…').then((choice) => {
        if (!choice) return;
        const unfinished = choice === 'Resume' ? 'resume' : 'abort';
        void vscode.commands.executeCommand(COMMANDS.rotateOwnerSecret, {
          journal: path.join(cwd, outcome.journals[0]!),
          unfinished,
        });
      });
      return { outcome: outcome.kind, message, ...plan, mode };
    }
    case 'refused':
      void showErrorMessage(`Cannot rotate: ${message}`);
      return { outcome: 'refused', message, ...plan, mode };
    case 'cancelled':
      if (!outcome.quiet) void showInformationMessage(message);
      return { outcome: outcome.kind, message, mode };
    case 'nothing-to-do':
      void showInformationMessage(message);
      return { outcome: outcome.kind, message, mode };
    case 'declined':
      return { outcome: 'declined', message, ...plan, mode };
  }
}

function refused(reason: string): RotateResult {
  void showErrorMessage(`Cannot rotate: ${reason}.`);
  return { outcome: 'refused', message: reason };
}
