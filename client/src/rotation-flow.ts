// "Rotate Owner Secret" without VS Code (DESIGN §14): reads the live state, shows the plan in the CLI's words, asks
// once, runs the core's executor one step at a time (a Cancel stops it between two steps, leaving the journal to
// resume), and says in words what happened. The editor supplies the questions, the preview and the progress through
// RotationUi; the rotation is identity-cloud/rotation, the files are written by the CLI's own WorkspaceFiles. Secrets
// stay in memory, and the log's redactor learns each one the moment it is known. No `vscode` import: unit-tested.
import { randomBytes } from 'node:crypto';
import { IdentityCloudError } from '../../server/src/identity-cloud/api-error';
import { CaptureConfigClient } from '../../server/src/identity-cloud/capture-config-client';
import { pulledFolderOf, type LoadedConfig } from '../../server/src/identity-cloud/deployed-pull';
import { relative } from '../../server/src/identity-cloud/display-path';
import {
  IdentityCloudClient,
  type IdentityCloudClientOptions,
} from '../../server/src/identity-cloud/identity-cloud-client';
import type { LiveCheckSettings } from '../../server/src/identity-cloud/live-checks';
import { count } from '../../server/src/identity-cloud/progress';
import {
  executeRotation,
  RotationInterrupted,
  RotationStopped,
  type RotationEvent,
  type RotationResult,
} from '../../server/src/identity-cloud/rotation/executor';
import { FileJournalStore } from '../../server/src/identity-cloud/rotation/journal';
import { planLines, policyResultLine, stepLine, stepName } from '../../server/src/identity-cloud/rotation/plan-text';
import type { GivenSource, RotationPlan } from '../../server/src/identity-cloud/rotation/plan-types';
import { RotationRefusal } from '../../server/src/identity-cloud/rotation/planner';
import { ConcurrentRotation } from '../../server/src/identity-cloud/rotation/rotation-lock';
import { prepareRotation, previousSecretsOf, type Prepared } from '../../server/src/identity-cloud/rotation/prepare';
import { liveSecretChecker, refusedSecret } from '../../server/src/identity-cloud/rotation/secret-check';
import { WorkspaceFiles } from '../../server/src/identity-cloud/rotation/workspace-files';
import { abortable } from './identity-cloud-connection';
import { redactor } from './log';

/** What the flow needs of the editor. */
export interface RotationUi {
  /** Work under a progress notification; `cancel` aborts when the user presses its Cancel. */
  progress<T>(
    title: string,
    work: (report: (message: string, increment?: number) => void, cancel: AbortSignal) => Promise<T>,
  ): PromiseLike<T>;
  /** Shows the plan as a read-only document; returns its URI. */
  preview(text: string): Promise<string>;
  /** The one question before anything changes (modal): true to go on. */
  confirm(question: string, detail: string, action: string): Promise<boolean>;
  /** The new secret again (a resume whose new policy does not exist yet); undefined when none is given. */
  askNewSecret(prompt: string): Promise<string | undefined>;
  readonly log: { info(line: string): void; warn(line: string): void };
}

export interface RotationInput {
  readonly mode: 'rotate' | 'abort';
  /** The old policies, rotated together. */
  readonly policyIds: readonly string[];
  /** Where a fresh rotation's new secret comes from; undefined for a resume or an abort (the journal knows). */
  readonly source: 'typed' | 'reset' | undefined;
  /** Typed by the user: memory only. */
  readonly newSecret?: string;
  /** Owner credentials (Configuration API) for a reset, or for the resume of one. Memory only. */
  readonly owner?: { readonly clientId: string; readonly secret: string };
  readonly hoursToLive?: number;
  readonly deleteOld: boolean;
  /** The caller has confirmed already (tests, other extensions): no question. */
  readonly confirmed?: boolean;
}

export interface RotationSetup {
  /** The configuration client's connection, secret included (memory only). */
  readonly connection: IdentityCloudClientOptions;
  /** Where the live check that proves the new secret may go (the editor's settings). */
  readonly liveCheck: LiveCheckSettings;
  /** The workspace folder: the journal goes beside the config, else here; messages name paths relative to it. */
  readonly cwd: string;
  readonly config: LoadedConfig | undefined;
  /** The workspace file of each old policy, when there is one: the new policy file is written beside it. */
  readonly policyFiles: ReadonlyMap<string, string>;
  readonly now?: () => Date;
}

/** What happened, with the words to say it (never a secret). */
export type RotationOutcome =
  | { readonly kind: 'done'; readonly plan: string; readonly result: RotationResult; readonly message: string }
  | { readonly kind: 'nothing-to-do'; readonly message: string }
  /** Nothing changed: refused before the question (a refusal, a secret Capture does not accept, a failed GET). */
  | {
      readonly kind: 'refused';
      readonly message: string;
      readonly plan?: string;
      /** A reset would put these policies on the clock too: rotated with the others, it may go ahead. */
      readonly alsoAffected: readonly { readonly id: string; readonly title: string }[];
    }
  | { readonly kind: 'declined'; readonly plan: string; readonly message: string }
  /** `quiet`: a question was dismissed, which says enough; the flow wrote the one log line, nothing more is shown. */
  | { readonly kind: 'cancelled'; readonly message: string; readonly quiet?: true }
  /** Cancelled between two steps, or a step failed: the journal is unfinished, Resume continues from it. */
  | {
      readonly kind: 'stopped' | 'interrupted';
      readonly plan: string;
      readonly step: string;
      readonly message: string;
      readonly journals: readonly string[];
    };

export async function runRotationFlow(
  setup: RotationSetup,
  input: RotationInput,
  ui: RotationUi,
): Promise<RotationOutcome> {
  const now = setup.now ?? (() => new Date());
  const { cwd, config } = setup;
  for (const secret of [input.newSecret, input.owner?.secret]) redactor.add(secret);
  const store = new FileJournalStore(config?.dir ?? cwd);
  const checkSecret = liveSecretChecker(setup.liveCheck);
  const owner = (signal?: AbortSignal): CaptureConfigClient | undefined => {
    if (!input.owner) return undefined;
    const options = {
      region: setup.connection.region,
      ownerClientId: input.owner.clientId,
      ownerClientSecret: input.owner.secret,
      ...(setup.connection.apiBase ? { apiBase: setup.connection.apiBase } : {}),
      ...(setup.connection.fetch ? { fetch: setup.connection.fetch } : {}),
    };
    return new CaptureConfigClient(signal ? abortable(options, signal) : options);
  };

  let reading: AbortSignal | undefined;
  let dismissed = false;
  let prepared: Prepared;
  try {
    prepared = await ui.progress('Reading the deployed login policies and OIDC clients…', (report, cancel) => {
      reading = cancel;
      return prepareRotation({
        request: {
          mode: input.mode,
          customerId: setup.connection.customerId,
          policyIds: input.policyIds,
          source: input.source,
          hoursToLive: input.hoursToLive,
          deleteOld: input.deleteOld,
        },
        // Reading changes nothing: a Cancel may cut its requests short.
        api: new IdentityCloudClient(abortable(setup.connection, cancel)),
        owner: owner(cancel),
        checkSecret,
        store,
        previousSecrets: (clientId) => previousSecretsOf(config, clientId),
        readGivenSecret: async (source) => {
          if (input.newSecret !== undefined) return input.newSecret;
          const secret = await ui.askNewSecret(askAgain(source));
          redactor.add(secret);
          dismissed = !secret;
          return secret;
        },
        now,
        runId: () => randomBytes(4).toString('hex'),
        onReading: ({ policies, clients }) =>
          report(`${count(policies, 'login policy', 'login policies')} and ${count(clients, 'OIDC client')}`),
      });
    });
  } catch (error) {
    if (reading?.aborted)
      return { kind: 'cancelled', message: 'Rotation cancelled while reading: nothing was changed.' };
    if (dismissed) {
      // The core refuses a resume without its secret; here the user chose not to give it: the journal waits for Resume.
      const journals = input.policyIds.map((id) => relative(cwd, store.where(id))).join(', ');
      const message = `Rotation not resumed: the new secret was not given again. Nothing was changed; Resume continues from the journal (${journals}).`;
      ui.log.info(message);
      return { kind: 'cancelled', message, quiet: true };
    }
    if (error instanceof RotationRefusal) {
      return { kind: 'refused', message: `${error.message}; nothing was changed.`, alsoAffected: error.alsoAffected };
    }
    if (error instanceof IdentityCloudError) {
      return { kind: 'refused', message: `${error.message}; nothing was changed.`, alsoAffected: [] };
    }
    throw error;
  }
  const { outcome, state, newSecret } = prepared;
  // Read back from the new policy or the owner client on a resume: the log must mask it too.
  redactor.add(newSecret);
  const plan = withRelativeJournals(outcome.plan, cwd);
  const journals = plan.policies.map((p) => p.journal);
  if (outcome.finished) {
    const done = plan.policies.map((p) => `"${p.oldTitle}" (${p.oldId}) → ${p.newId ?? 'its new policy'}`).join(', ');
    return {
      kind: 'nothing-to-do',
      message: `Nothing to do: ${done} ${plan.policies.length === 1 ? 'is' : 'are'} rotated already (see ${journals.join(', ')}).`,
    };
  }
  const refused = plan.mode === 'rotate' ? refusedSecret(plan.newSecret.check) : undefined;
  const planUri = await ui.preview(previewText(plan, refused));
  ui.log.info(
    `${plan.mode === 'abort' ? 'Abort' : plan.resuming ? 'Resume' : 'Rotation'} plan for ${policyNames(plan)}: ${count(plan.steps.length, 'step')} (shown in the editor).`,
  );
  if (refused) {
    return { kind: 'refused', plan: planUri, message: `${capital(refused)}; nothing was changed.`, alsoAffected: [] };
  }
  if (!input.confirmed) {
    const [question, action] =
      plan.mode === 'abort'
        ? [`Abort the rotation of ${policyNames(plan)}?`, 'Abort Rotation']
        : [`${plan.resuming ? 'Resume the rotation' : 'Rotate the owner secret'} of ${policyNames(plan)}?`, 'Rotate'];
    const detail = `${count(plan.steps.length, 'step')}, as the plan in the editor lists them. Each is recorded in ${journals.join(', ')} before and after it runs: Cancel in the progress notification stops between two steps, and Resume continues from there.`;
    if (!(await ui.confirm(question, detail, action))) {
      ui.log.info('Nothing was changed: the plan was not carried out.');
      return { kind: 'declined', plan: planUri, message: 'Nothing was changed.' };
    }
  }

  const local = new WorkspaceFiles({
    cwd,
    root: config?.dir ?? cwd,
    config,
    policyFiles: setup.policyFiles,
    pulledDir: pulledFolderOf(undefined, config, cwd),
    now,
  });
  const title =
    plan.mode === 'abort' ? `Aborting the rotation of ${policyNames(plan)}` : `Rotating ${policyNames(plan)}`;
  try {
    const result = await ui.progress(title, (report, cancel) => {
      cancel.addEventListener('abort', () => {
        report('stopping after the step under way…');
        ui.log.info('Cancel: the rotation stops after the step under way.');
      });
      return executeRotation(
        outcome,
        state,
        { newSecret },
        {
          api: new IdentityCloudClient(setup.connection),
          owner: owner(),
          checkSecret,
          store,
          local,
          now,
          signal: cancel,
          onEvent: (event) => onEvent(event, report, ui),
        },
      );
    });
    const shown = result.policies.map((p) => ({ ...p, journal: relative(cwd, p.journal) }));
    const lines = shown.map((p) => policyResultLine(result.mode, p));
    if (result.files.length > 0) lines.push(`Files updated: ${result.files.join(', ')}.`);
    for (const line of lines) ui.log.info(line);
    return { kind: 'done', plan: planUri, result: { ...result, policies: shown }, message: lines.join(' ') };
  } catch (error) {
    const what = plan.mode === 'abort' ? 'The abort' : 'The rotation';
    if (error instanceof RotationStopped) {
      const at = stepName(error.step, error.index, error.total);
      const message = `${what} stopped before ${at}: Resume continues from there (journal: ${journals.join(', ')}).`;
      ui.log.warn(message);
      return { kind: 'stopped', plan: planUri, step: error.step.id, message, journals };
    }
    if (error instanceof RotationInterrupted) {
      const at = stepName(error.step, error.index, error.total);
      const message = `${what} was interrupted at ${at}: ${error.message}; Resume continues where it stopped (journal: ${journals.join(', ')}).`;
      ui.log.warn(message);
      return { kind: 'interrupted', plan: planUri, step: error.step.id, message, journals };
    }
    if (error instanceof ConcurrentRotation) {
      // Another run (the CLI, another window) holds the rotation's lock: nothing was done here.
      const message = `${error.message}; nothing was changed.`;
      ui.log.warn(message);
      return { kind: 'refused', plan: planUri, message, alsoAffected: [] };
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      // The journal could not be written: no step runs unrecorded, so the run stopped there.
      const message = `${what} stopped: the journal in ${relative(cwd, store.dir)} cannot be written (${code}).`;
      ui.log.warn(message);
      return { kind: 'interrupted', plan: planUri, step: '', message, journals };
    }
    throw error;
  }
}

/** The plan as the CLI prints it, then what happens next in the editor. */
function previewText(plan: RotationPlan, refused: string | undefined): string {
  const next = refused
    ? `${capital(refused)}: the rotation stops here, before anything is created. Nothing was changed.`
    : `Nothing was changed yet. "${plan.mode === 'abort' ? 'Abort Rotation' : 'Rotate'}" in the dialog carries it out; Cancel in its progress notification stops it between two steps, and Resume continues from the journal.`;
  return `${[...planLines(plan), '', next].join('\n')}\n`;
}

/** Each step as it starts (the notification) and as it ends (the log), in the CLI's words. */
function onEvent(event: RotationEvent, report: (message: string, increment?: number) => void, ui: RotationUi): void {
  const at = `[${event.index + 1}/${event.total}]`;
  switch (event.phase) {
    case 'start':
      report(`${at} ${event.step.title}…`);
      return;
    case 'fail':
      ui.log.warn(`${at} ${event.step.title}: failed after ${event.ms} ms: ${event.message}`);
      return;
    default:
      ui.log.info(stepLine(event)!);
      report(`${at} ${event.step.title}: done`, 100 / event.total);
  }
}

function askAgain(source: GivenSource): string {
  const where = { env: 'LOGIN_POLICY_NEW_OWNER_SECRET', stdin: 'stdin', typed: 'typed into VS Code' }[source];
  return `The unfinished rotation needs its new secret again (it was given ${source === 'typed' ? '' : 'from '}${where}) until the new policy exists`;
}

function policyNames(plan: RotationPlan): string {
  return plan.policies.map((p) => `"${p.oldTitle}"`).join(', ');
}

function withRelativeJournals(plan: RotationPlan, cwd: string): RotationPlan {
  return { ...plan, policies: plan.policies.map((p) => ({ ...p, journal: relative(cwd, p.journal) })) };
}

function capital(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
