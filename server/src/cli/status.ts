// `login-policy-lint status` (DESIGN §13): which deployed login policies break sign-in now, and which OIDC clients
// they take down. Reads the pulled folder (no request unless --pull or --verify); --verify GETs each policy live for
// its own credentials, kept in memory only, and tries them against its Capture domain. Exit 1 when a deployed policy
// is stale or not an owner.
import type { LiveCheck } from '../engine/facts';
import { parse } from '../engine/parse';
import { buildModel } from '../engine/policy/model';
import { IdentityCloudError } from '../identity-cloud/api-error';
import { type JsonObject } from '../identity-cloud/api-types';
import { executePull, failure, pulledFolderOf } from '../identity-cloud/deployed-pull';
import {
  BROKEN,
  readPulledState,
  statusFacts,
  statusRows,
  type NotChecked,
  type PulledPolicy,
  type PulledState,
  type StatusRow,
} from '../identity-cloud/deployed-status';
import { IdentityCloudClient, inBatches } from '../identity-cloud/identity-cloud-client';
import { credentialsOf, type LiveCheckRequest } from '../identity-cloud/live-checks';
import { count, Progress } from '../identity-cloud/progress';
import { PULLED_FILE } from '../identity-cloud/pulled-folder';
import { ConfigStore, type LoadedConfig } from '../project/config-store';
import { UsageError, type StatusOptions } from './args';
import { assertUsable, loadCliConfig, relative } from './cli-config';
import { connectionFrom } from './identity-cloud-env';
import { EXIT, type CliIo } from './io';
import { liveCheckSettings, verifyCredentials } from './live-verify';
import { planPull, pullText } from './pull';
import { formatStatusText } from './status-format';

export async function runStatus(options: StatusOptions, io: CliIo): Promise<number> {
  const now = io.now ?? (() => new Date());
  let config: LoadedConfig | undefined;
  let outDir: string;
  let live: readonly JsonObject[] | undefined;
  if (options.pull) {
    const plan = planPull(options, io);
    // Checked before anything is pulled: a --verify that cannot run should not leave a pull behind it.
    if (options.verify) connectionFrom(io.env, plan.config?.config, options.timeoutMs);
    const pulled = await executePull(plan, io);
    // stdout is the status alone; what the pull did goes with the progress.
    for (const line of pullText(pulled, io).trimEnd().split('\n')) io.stderr(`login-policy-lint: ${line}\n`);
    outDir = plan.outDir;
    // --owner-clients may have just written the config's clients: judge with them, not the ones read before.
    config = options.ownerClients ? loadCliConfig(new ConfigStore(), options.config, io.cwd, io.cwd) : plan.config;
    live = options.verify ? pulled.policies : undefined;
  } else {
    config = loadCliConfig(new ConfigStore(), options.config, io.cwd, io.cwd);
    assertUsable(config, io, 'nothing was checked');
    outDir = pulledFolderOf(options.out, config, io.cwd);
  }
  const state = readPulledStateOrStop(outDir, io);
  const notChecked = new Map<string, NotChecked>();
  let liveChecks: ReadonlyMap<string, LiveCheck> | undefined;
  if (options.verify) {
    live ??= await getLive(state.policies, options, config, io, notChecked);
    liveChecks = await verifyCredentials(
      live.flatMap((policy) => {
        const request = credentialsOfDocument(policy);
        return request ? [{ request, settings: liveCheckSettings(config?.config) }] : [];
      }),
      io,
    );
    notCheckedNote(liveChecks, io);
  }
  const facts = statusFacts(config, io.cwd, [], liveChecks);
  const rows = statusRows(state.policies, state.clients, facts, now(), notChecked);
  const broken = rows.filter((r) => BROKEN.includes(r.secret.state)).length;
  if (options.format === 'json') {
    io.stdout(`${JSON.stringify({ policies: rows, summary: { policies: rows.length, broken } }, null, 2)}\n`);
  } else {
    io.stdout(formatStatusText(rows, state.meta, { color: io.color, verified: options.verify }));
  }
  return broken > 0 ? EXIT.problems : EXIT.ok;
}

/** The pulled folder as status reads it; without a pull.json there is nothing to report (bad usage, exit 2). */
function readPulledStateOrStop(outDir: string, io: CliIo): PulledState {
  const shown = relative(io.cwd, outDir);
  let state: PulledState | undefined;
  try {
    state = readPulledState(outDir, io);
  } catch (error) {
    // A file given as the folder, or a folder that cannot be read: say which, not "internal error".
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new UsageError(`${shown} is a file, not the pulled folder.`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`${shown} cannot be read (${code}).`);
    throw error;
  }
  if (state) return state;
  throw new UsageError(
    `no pulled state in ${shown}/ (no ${PULLED_FILE}): run "login-policy-lint pull" first, or "login-policy-lint status --pull".`,
  );
}

/**
 * Each pulled policy as GET returns it now, clear secret included (memory only). A policy deleted since the pull
 * cannot be checked: it is reported as such, not as a failure of the whole run.
 */
async function getLive(
  policies: readonly PulledPolicy[],
  options: StatusOptions,
  config: LoadedConfig | undefined,
  io: CliIo,
  notChecked: Map<string, NotChecked>,
): Promise<JsonObject[]> {
  const client = new IdentityCloudClient(connectionFrom(io.env, config?.config, options.timeoutMs));
  const ids = policies.map((p) => idOf(p));
  const progress = new Progress(
    io,
    `reading the credentials of ${count(ids.length, 'deployed login policy', 'deployed login policies')}`,
    ids.length,
  );
  try {
    const found = await inBatches(ids, async (id) => {
      try {
        return await client.getLoginPolicy(id);
      } catch (error) {
        if (error instanceof IdentityCloudError && error.kind === 'not-found') {
          notChecked.set(id, { why: 'not found in Identity Cloud any more (HTTP 404): pull again' });
          return undefined;
        }
        throw error;
      } finally {
        progress.tick();
      }
    });
    return found.filter((p): p is NonNullable<typeof p> => p !== undefined);
  } catch (error) {
    throw failure(error, 'nothing was checked');
  } finally {
    progress.done();
  }
}

function idOf(policy: PulledPolicy): string {
  return buildModel(parse(policy.text)).string(['id']) ?? policy.fileId;
}

/** The live policy's own credentials (never a fingerprint: the API answers the secret itself). */
function credentialsOfDocument(policy: JsonObject): LiveCheckRequest | undefined {
  return credentialsOf(buildModel(parse(JSON.stringify(policy))));
}

/**
 * Checks that were not made (a host not allowed) leave the fingerprints to decide; say so, or --verify would seem to
 * have confirmed them.
 */
function notCheckedNote(checks: ReadonlyMap<string, LiveCheck>, io: CliIo): void {
  const reasons = new Set<string>();
  for (const check of checks.values()) {
    if (check.outcome === 'failed' && check.reason.startsWith('not checked: ')) reasons.add(check.reason.slice(13));
  }
  for (const reason of reasons) io.stderr(`login-policy-lint: warning: a live check was not made: ${reason}.\n`);
}

export type { StatusRow };
