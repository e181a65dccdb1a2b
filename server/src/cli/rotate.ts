// `login-policy-lint rotate` (DESIGN §14): the plan (GETs and live checks only), or with --apply its run, one progress
// line per step on stderr, then the workspace files that exist brought in line. The rotation itself lives in
// identity-cloud/rotation (an editor can drive it too); this file gathers the credentials, the new secret, the
// journal folder and the files, and turns refusals and failures into exit codes 2 and 3 with one line each.
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { baselineSpecOf, isDeployedSnapshot } from '../deployed-baselines';
import type { LoginPolicyConfig } from '../engine/config/schema';
import { IdentityCloudError } from '../identity-cloud/api-error';
import { CaptureConfigClient } from '../identity-cloud/capture-config-client';
import { IdentityCloudClient } from '../identity-cloud/identity-cloud-client';
import { executeRotation, RotationInterrupted } from '../identity-cloud/rotation/executor';
import { FileJournalStore } from '../identity-cloud/rotation/journal';
import type { CheckSecret } from '../identity-cloud/rotation/live-state';
import type { GivenSource } from '../identity-cloud/rotation/plan-types';
import { RotationRefusal } from '../identity-cloud/rotation/planner';
import { prepareRotation, previousSecretsOf } from '../identity-cloud/rotation/prepare';
import { ConcurrentRotation } from '../identity-cloud/rotation/rotation-lock';
import { liveSecretChecker, refusedSecret } from '../identity-cloud/rotation/secret-check';
import { ConfigStore, type LoadedConfig } from '../project/config-store';
import { summarize } from '../workspace-index';
import { UsageError } from './args';
import { assertUsable, loadCliConfig, relative } from './cli-config';
import { discoverFiles } from './files';
import { connectionFrom, ENV } from './identity-cloud-env';
import { EXIT, type CliIo } from './io';
import { liveCheckSettings } from './live-verify';
import { failure, pulledFolderOf } from '../identity-cloud/deployed-pull';
import { OperationError, RefusedUsage } from '../identity-cloud/operation-errors';
import { unsafeIdReason } from '../identity-cloud/pulled-folder';
import type { RotateOptions } from './rotate-args';
import { WorkspaceFiles } from '../identity-cloud/rotation/workspace-files';
import { planJson, planText, progressLine, resultJson, resultText, stepName } from './rotate-format';

export const NEW_SECRET_ENV = 'LOGIN_POLICY_NEW_OWNER_SECRET';

export async function runRotate(options: RotateOptions, io: CliIo): Promise<number> {
  const config = loadCliConfig(new ConfigStore(), options.config, io.cwd, io.cwd);
  assertUsable(config, io, 'nothing was rotated');
  const connection = connectionFrom(io.env, config?.config, options.timeoutMs);
  const named = await namedPolicies(options.policies, config, io);
  const context: RotateContext = {
    config,
    connection,
    named,
    source: secretSource(options, io),
    owner: ownerApi(options, io, connection),
    store: new FileJournalStore(config?.dir ?? io.cwd),
  };
  const { store } = context;
  if (!options.apply) return rotate(options, io, context);
  // From reading the journals to the last step: another run of the same rotation must not plan from them meanwhile.
  let release;
  try {
    release = store.lock(named.map((n) => n.id));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      throw new OperationError(
        `cannot write the rotation lock in ${relative(io.cwd, store.dir)} (${code}); nothing was changed.`,
      );
    }
    throw refusal(error, 'nothing was changed');
  }
  try {
    return await rotate(options, io, context);
  } finally {
    release();
  }
}

interface RotateContext {
  readonly config: LoadedConfig | undefined;
  readonly connection: ReturnType<typeof connectionFrom>;
  readonly named: readonly NamedPolicy[];
  readonly source: ReturnType<typeof secretSource>;
  readonly owner: CaptureConfigClient | undefined;
  readonly store: FileJournalStore;
}

/** The plan, or with --apply its run (under the lock). */
async function rotate(options: RotateOptions, io: CliIo, context: RotateContext): Promise<number> {
  const { config, connection, named, source, owner, store } = context;
  const now = io.now ?? (() => new Date());
  const api = new IdentityCloudClient(connection);
  const checkSecret = secretChecker(config?.config, options.timeoutMs);
  let prepared;
  try {
    prepared = await prepareRotation({
      request: {
        mode: options.abort ? 'abort' : 'rotate',
        customerId: connection.customerId,
        policyIds: named.map((n) => n.id),
        source,
        hoursToLive: options.resetHours,
        deleteOld: options.deleteOld,
      },
      api,
      owner,
      checkSecret,
      store,
      readGivenSecret: (from) => readNewSecret(from, io),
      previousSecrets: (clientId) => previousSecretsOf(config, clientId),
      now,
      runId: () => randomBytes(4).toString('hex'),
      onReading: ({ policies, clients }) =>
        io.stderr(
          `login-policy-lint: reading ${policies} login polic${policies === 1 ? 'y' : 'ies'} and ${clients} OIDC client${clients === 1 ? '' : 's'} of customer ${connection.customerId}…\n`,
        ),
    });
  } catch (error) {
    throw refusal(error, 'nothing was changed');
  }
  const { outcome, state, newSecret } = prepared;
  const plan = outcome.plan;
  if (outcome.finished) {
    const done = plan.policies.map((p) => `"${p.oldTitle}" (${p.oldId}) → ${p.newId ?? 'its new policy'}`).join(', ');
    if (options.format === 'json') io.stdout(planJson(withRelativeJournals(plan, io)));
    else
      io.stdout(
        `Nothing to do: ${done} ${plan.policies.length === 1 ? 'is' : 'are'} rotated already (see ${plan.policies.map((p) => relative(io.cwd, p.journal)).join(', ')}).\n`,
      );
    return EXIT.ok;
  }
  const refused = refusedSecret(plan.newSecret.check);
  if (!options.apply) {
    io.stdout(
      options.format === 'json'
        ? planJson(withRelativeJournals(plan, io))
        : planText(withRelativeJournals(plan, io), false),
    );
    if (refused) throw new OperationError(`${refused}; rotate --apply would stop before creating anything.`);
    return EXIT.ok;
  }
  if (refused) throw new OperationError(`${refused}; nothing was changed.`);
  if (options.format === 'text') io.stdout(planText(withRelativeJournals(plan, io), true));
  const local = new WorkspaceFiles({
    cwd: io.cwd,
    root: config?.dir ?? io.cwd,
    config,
    policyFiles: new Map(named.flatMap((n) => (n.file ? [[n.id, n.file] as const] : []))),
    pulledDir: pulledFolderOf(undefined, config, io.cwd),
    now,
  });
  let result;
  try {
    result = await executeRotation(
      outcome,
      state,
      { newSecret },
      {
        api,
        owner,
        checkSecret,
        store,
        local,
        now,
        onEvent: (event) => {
          const line = progressLine(event);
          if (line) io.stderr(line);
        },
      },
    );
  } catch (error) {
    if (error instanceof RotationInterrupted) {
      const journals = plan.policies.map((p) => relative(io.cwd, p.journal)).join(', ');
      throw new OperationError(
        `${plan.mode === 'abort' ? 'abort' : 'rotation'} interrupted at ${stepName(error.step, error.index, error.total)}: ${error.message}; run the same command again to resume where it stopped (journal: ${journals}).`,
      );
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      // The journal could not be written: no step runs unrecorded, so the run stops here.
      throw new OperationError(
        `cannot write the rotation journal in ${relative(io.cwd, store.dir)} (${code}); the run stopped before its next step.`,
      );
    }
    throw refusal(error, 'the journal says how far it got');
  }
  const shown = { ...result, policies: result.policies.map((p) => ({ ...p, journal: relative(io.cwd, p.journal) })) };
  io.stdout(options.format === 'json' ? resultJson(withRelativeJournals(plan, io), shown) : resultText(shown));
  return EXIT.ok;
}

interface NamedPolicy {
  readonly id: string;
  /** The workspace file of the policy: named with --policy, or found by its id. */
  readonly file: string | undefined;
}

/** Each --policy as an id: a file's own `id`, or the id given; the workspace file of each id when there is one. */
async function namedPolicies(
  given: readonly string[],
  config: LoadedConfig | undefined,
  io: CliIo,
): Promise<NamedPolicy[]> {
  const named: NamedPolicy[] = [];
  let workspace: Map<string, string> | undefined;
  for (const value of given) {
    const file = path.resolve(io.cwd, value);
    if (isFile(file)) {
      let id: string | undefined;
      try {
        id = summarize(readFileSync(file, 'utf8')).id;
      } catch (error) {
        throw new UsageError(
          `--policy ${value}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        );
      }
      if (!id)
        throw new UsageError(`--policy ${value} has no "id": it was never created, so there is nothing to rotate.`);
      named.push({ id, file });
      continue;
    }
    const why = unsafeIdReason(value);
    if (why || value.includes('/') || value.includes(path.sep)) {
      throw new UsageError(`--policy ${value}: no such file, and not a login policy id.`);
    }
    workspace ??= await workspacePolicies(config, io);
    named.push({ id: value, file: workspace.get(value) });
  }
  const ids = named.map((n) => n.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new UsageError(`--policy names ${twice} twice.`);
  return named;
}

/** The workspace's policy files by id (the first file of an id), deployed snapshots aside. */
async function workspacePolicies(config: LoadedConfig | undefined, io: CliIo): Promise<Map<string, string>> {
  const spec = baselineSpecOf(config);
  const { files } = await discoverFiles([], config?.dir ?? io.cwd, config, (file) => isDeployedSnapshot(file, spec));
  const byId = new Map<string, string>();
  for (const file of files) {
    try {
      const id = summarize(readFileSync(file, 'utf8')).id;
      if (id && !byId.has(id)) byId.set(id, file);
    } catch {
      // an unreadable file describes no policy
    }
  }
  return byId;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where a fresh rotation's new secret comes from: the option, else the variable when set, else a piped stdin. */
function secretSource(options: RotateOptions, io: CliIo): 'env' | 'stdin' | 'reset' | undefined {
  if (options.abort) return undefined;
  if (options.resetHours !== undefined) return 'reset';
  const inEnv = (io.env[NEW_SECRET_ENV] ?? '') !== '';
  if (options.newSecretFrom === 'env' && !inEnv) {
    throw new UsageError(`--new-secret-from env: ${NEW_SECRET_ENV} is not set.`);
  }
  if (options.newSecretFrom) return options.newSecretFrom;
  if (inEnv) return 'env';
  return io.stdinIsTerminal === false ? 'stdin' : undefined;
}

/** A secret typed into VS Code is read from stdin when the command line resumes its rotation. */
async function readNewSecret(from: GivenSource, io: CliIo): Promise<string | undefined> {
  if (from === 'env') return io.env[NEW_SECRET_ENV] || undefined;
  const text = await io.readSecret('New owner client secret (input hidden): ');
  // A piped secret ends with the line break of `echo`; the secret itself never does.
  return text.replace(/\r?\n$/, '') || undefined;
}

/** Owner credentials: required for a reset, used when given (a resume reads a reset secret with them). */
function ownerApi(
  options: RotateOptions,
  io: CliIo,
  connection: ReturnType<typeof connectionFrom>,
): CaptureConfigClient | undefined {
  const id = io.env[ENV.ownerClientId]?.trim();
  const secret = io.env[ENV.ownerClientSecret];
  if (!id || !secret || secret.trim() === '') {
    if (options.resetHours === undefined) return undefined;
    const missing = [...(id ? [] : [ENV.ownerClientId]), ...(secret?.trim() ? [] : [ENV.ownerClientSecret])];
    throw new UsageError(
      `--reset-secret: missing credential variable${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: an owner API client of the Capture application is needed.`,
    );
  }
  return new CaptureConfigClient({
    region: connection.region,
    ownerClientId: id,
    ownerClientSecret: secret,
    ...(connection.apiBase ? { apiBase: connection.apiBase } : {}),
    ...(connection.timeoutMs !== undefined ? { timeoutMs: connection.timeoutMs } : {}),
  });
}

/** The live check with the config's allowed hosts (and --timeout-ms when shorter). */
function secretChecker(config: LoginPolicyConfig | undefined, timeoutMs: number | undefined): CheckSecret {
  const settings = liveCheckSettings(config);
  return liveSecretChecker(
    timeoutMs === undefined ? settings : { ...settings, timeoutMs: Math.min(settings.timeoutMs, timeoutMs) },
  );
}

/** A refusal or an API failure as the one line of exit 2 or 3. */
function refusal(error: unknown, outcome: string): unknown {
  if (error instanceof RotationRefusal) {
    return error.kind === 'usage'
      ? new RefusedUsage(`${error.message}; ${outcome}.`)
      : new OperationError(`${error.message}; ${outcome}.`);
  }
  if (error instanceof ConcurrentRotation) return new RefusedUsage(`${error.message}; ${outcome}.`);
  if (error instanceof IdentityCloudError) return failure(error, outcome);
  return error;
}

function withRelativeJournals(plan: Parameters<typeof planText>[0], io: CliIo): Parameters<typeof planText>[0] {
  return { ...plan, policies: plan.policies.map((p) => ({ ...p, journal: relative(io.cwd, p.journal) })) };
}
