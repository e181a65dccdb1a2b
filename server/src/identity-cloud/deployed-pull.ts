// Pulling what is deployed (DESIGN §13), for `login-policy-lint pull` and the editor's "Pull Deployed Policies" alike:
// GET every login policy and OIDC client of the customer and write the pulled folder (secrets as fingerprints),
// swapped in only when every request succeeded; with owner credentials, also the Capture app's API clients, merged
// into `clients` of .loginpolicyrc.json as fingerprints. Nothing else is written, and no secret reaches the disk or a
// message. Where the credentials come from and how the result is shown is the front end's business.
import { existsSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeConfig } from '../engine/config/analyze-config';
import { CONFIG_FILE_NAME } from '../engine/config/schema';
import { ConfigStore, type LoadedConfig } from '../project/config-store';
import { IdentityCloudError } from './api-error';
import { isObject, type ApiClientDocument, type JsonObject } from './api-types';
import { CaptureConfigClient, type CaptureConfigClientOptions } from './capture-config-client';
import { importedClientOf, mergeClients, type ClientsMerge } from './config-clients-edit';
import { relative } from './display-path';
import { IdentityCloudClient, inBatches, type IdentityCloudClientOptions } from './identity-cloud-client';
import { OperationError, UsageError } from './operation-errors';
import { count, Progress, type ProgressFactory } from './progress';
import {
  compareContent,
  metaOf,
  metaText,
  PULLED_FILE,
  readPulledFiles,
  renderContent,
  swapInFolder,
  unsafeIdReason,
  type FileChanges,
  type PulledMeta,
} from './pulled-folder';

/** The config as pull and rotate read it (the editor's commands name it through here). */
export type { LoadedConfig };

/** Everything a pull needs, checked before the first request. */
export interface PullPlan {
  readonly config: LoadedConfig | undefined;
  /** The pulled folder, absolute. */
  readonly outDir: string;
  readonly connection: IdentityCloudClientOptions;
  readonly owner: CaptureConfigClientOptions | undefined;
}

/**
 * What a pull works with besides its plan. The CLI passes its CliIo (notes and progress on stderr); the editor passes
 * its workspace folder as `cwd`, a progress notification and the signal of its Cancel button.
 */
export interface PullIo {
  /** Paths in messages are relative to it; a new config is created here. */
  readonly cwd: string;
  /** Notes on what happened besides the result (with --owner-clients). */
  readonly stderr: (text: string) => void;
  /** The clock: when the pull happened. Default: the real one. */
  readonly now?: () => Date;
  /** How far the GETs got. Default: lines on stderr while it lasts (the CLI's). */
  readonly progress?: ProgressFactory;
  /** Once aborted, no further request starts and nothing is written: the pull throws the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface OwnerClientsResult {
  /** The config file written (or that would have been, had anything changed). */
  readonly configPath: string;
  readonly applications: readonly string[];
  /** Applications whose clients the owner credentials could not read, with why (several applications only). */
  readonly skipped: readonly { readonly applicationId: string; readonly why: string }[];
  readonly clients: number;
  readonly merge: Omit<ClientsMerge, 'text'>;
}

export interface PullResult {
  readonly outDir: string;
  readonly meta: PulledMeta;
  /** False when the folder already held exactly this: nothing was written. */
  readonly written: boolean;
  readonly changes: FileChanges;
  /**
   * When written: the temporary folder the files were written in before the swap (gone now). A file watcher may have
   * reported its files, and not their move into `outDir`: the editor tells its language server what really changed.
   */
  readonly stagingDir?: string;
  /** The policies as GET returned them, clear secrets included: memory only (status --verify), never printed. */
  readonly policies: readonly JsonObject[];
  readonly ownerClients?: OwnerClientsResult;
}

/** The config file at `configPath` as pull reads it (undefined when there is none); its `findings` say if it is broken. */
export function loadConfigFile(configPath: string): LoadedConfig | undefined {
  return new ConfigStore().load(configPath);
}

/** --out, else the config's `baseline.dir`, else `deployed/` beside the config (or in the working folder). */
export function pulledFolderOf(option: string | undefined, config: LoadedConfig | undefined, cwd: string): string {
  if (option !== undefined) return resolveReal(path.resolve(cwd, option));
  const baseline = config?.config?.baseline;
  if (typeof baseline === 'object' && 'dir' in baseline) return resolveReal(path.resolve(config!.dir, baseline.dir));
  return resolveReal(path.resolve(config?.dir ?? cwd, 'deployed'));
}

/** A folder that is a symbolic link is written where it points. */
function resolveReal(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * Pull replaces every .json file of its folder: it refuses a folder that holds the working folder or the config, and
 * a first pull into a folder with other JSON files than policy snapshots and OIDC clients. `option` is the CLI's
 * --out as typed, which messages name.
 */
export function checkOutDir(
  dir: string,
  option: string | undefined,
  config: LoadedConfig | undefined,
  io: { readonly cwd: string },
): void {
  const named = option !== undefined ? `--out ${option}` : `the pulled folder ${relative(io.cwd, dir)}`;
  const holds = (inner: string): boolean => {
    const rel = path.relative(dir, inner);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };
  if (holds(io.cwd) || (config && holds(config.dir))) {
    throw new UsageError(
      `${named} holds the working folder or .loginpolicyrc.json; pull replaces the .json files of its folder, so give it a folder of its own (such as deployed).`,
    );
  }
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`${named} is a file, not a folder.`);
  const files = readPulledFiles(dir);
  if (files.has(PULLED_FILE)) return;
  for (const [file, text] of files) {
    if (!looksPulled(file, text)) {
      throw new UsageError(
        `${named} has ${relative(io.cwd, path.join(dir, file))}, which is neither a login policy nor an OIDC client; pull replaces the .json files of its folder, so give it a folder of its own.`,
      );
    }
  }
}

function looksPulled(file: string, text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isObject(value)) return false;
  return file.includes('/') ? typeof value['id'] === 'string' : 'identityStoreDetails' in value;
}

/**
 * The folder to name in `"baseline": {"dir": …}` so that the editor and lint compare with this pull, relative to the
 * config's folder (or `cwd` when there is no config); undefined when the config already names it, or when the
 * folder is not below (the setting must name a subfolder).
 */
export function baselineDirToSet(plan: PullPlan, cwd: string): string | undefined {
  const setting = plan.config?.config?.baseline;
  const configured =
    typeof setting === 'object' &&
    'dir' in setting &&
    plan.config &&
    resolveReal(path.resolve(plan.config.dir, setting.dir)) === plan.outDir;
  if (configured) return undefined;
  const from = plan.config?.dir ?? cwd;
  const dir = path.relative(from, plan.outDir).split(path.sep).join('/');
  if (dir === '' || dir.startsWith('..') || path.isAbsolute(dir)) return undefined;
  return dir;
}

/** The GETs, then the folder (and the config) written; nothing is written unless every GET succeeded. */
export async function executePull(plan: PullPlan, io: PullIo): Promise<PullResult> {
  const now = io.now ?? (() => new Date());
  let read: { policies: JsonObject[]; clients: JsonObject[]; owner?: OwnerRead };
  try {
    read = await readDeployed(plan, io);
  } catch (error) {
    // A request cut short by the signal is a cancelled pull, whatever error the cut made.
    io.signal?.throwIfAborted();
    throw failure(error, 'nothing was written');
  }
  // The last moment a cancel counts: from here the folder is swapped in whole.
  io.signal?.throwIfAborted();
  const outDir = plan.outDir;
  const before = readPulledFiles(outDir);
  const content = renderContent(read.policies, read.clients);
  const changes = compareContent(before, content);
  const previous = metaOf(before);
  const unchanged =
    previous !== undefined &&
    changes.added.length + changes.changed.length + changes.removed.length === 0 &&
    previous.customerId === plan.connection.customerId &&
    previous.region === plan.connection.region;
  const meta: PulledMeta = unchanged
    ? previous
    : {
        pulledAt: now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        customerId: plan.connection.customerId,
        region: plan.connection.region,
        policies: read.policies.length,
        clients: read.clients.length,
      };
  const files = new Map([...content, [PULLED_FILE, metaText(meta)]]);
  const written = !unchanged || before.get(PULLED_FILE) !== metaText(meta);
  let stagingDir: string | undefined;
  if (written) {
    try {
      stagingDir = swapInFolder(outDir, files);
    } catch (error) {
      throw new OperationError(
        `pull failed: cannot write ${relative(io.cwd, outDir)} (${codeOf(error)}); it was left as it was.`,
      );
    }
  }
  const ownerClients = read.owner && writeOwnerClients(plan, read.owner, io);
  return {
    outDir,
    meta,
    written,
    changes,
    ...(stagingDir ? { stagingDir } : {}),
    policies: read.policies,
    ...(ownerClients ? { ownerClients } : {}),
  };
}

/**
 * The pull in one sentence, as the CLI prints it and the editor shows it: what was pulled of which customer, into
 * which folder (relative to `cwd`), and which files changed.
 */
export function pullSummary(result: PullResult, cwd: string): string {
  const { meta, changes } = result;
  const where = `${relative(cwd, result.outDir)}/`;
  const what = `${count(meta.policies, 'login policy', 'login policies')} and ${count(meta.clients, 'OIDC client')} of customer ${meta.customerId} (${meta.region})`;
  const kinds = (['added', 'changed', 'removed'] as const).filter((k) => changes[k].length > 0);
  const total = kinds.reduce((n, k) => n + changes[k].length, 0);
  if (kinds.length === 0) return `Pulled ${what} into ${where}: no change since ${meta.pulledAt}.`;
  if (kinds.length === 1) return `Pulled ${what} into ${where}: ${count(total, 'file')} ${kinds[0]!}.`;
  return `Pulled ${what} into ${where}: ${count(total, 'file')} changed (${kinds.map((k) => `${changes[k].length} ${k}`).join(', ')}).`;
}

interface OwnerRead {
  readonly applications: string[];
  readonly skipped: { applicationId: string; why: string }[];
  readonly clients: ApiClientDocument[];
}

async function readDeployed(
  plan: PullPlan,
  io: PullIo,
): Promise<{ policies: JsonObject[]; clients: JsonObject[]; owner?: OwnerRead }> {
  const client = new IdentityCloudClient(plan.connection);
  const policyList = await client.listLoginPolicySummaries();
  const clientList = await client.listOidcClientSummaries();
  const label = `pulling ${count(policyList.length, 'login policy', 'login policies')} and ${count(clientList.length, 'OIDC client')} of customer ${plan.connection.customerId}`;
  const total = policyList.length + clientList.length;
  const progress = io.progress ? io.progress(label, total) : new Progress(io, label, total);
  /** One GET of the list, unless the pull was cancelled. */
  const each =
    <T>(get: (id: string) => Promise<T>) =>
    async (item: { id: string }): Promise<T> => {
      io.signal?.throwIfAborted();
      const found = await get(item.id);
      progress.tick();
      return found;
    };
  try {
    const policies = await inBatches(
      policyList,
      each((id) => client.getLoginPolicy(id)),
    );
    const clients = await inBatches(
      clientList,
      each((id) => client.getOidcClient(id)),
    );
    checkIds(policies, 'login policy');
    checkIds(clients, 'OIDC client');
    const owner = plan.owner && (await readOwnerClients(plan.owner, policies, io));
    return { policies, clients, ...(owner ? { owner } : {}) };
  } finally {
    progress.done();
  }
}

/** Every id becomes a file name: one path segment, no two alike (also on case-insensitive file systems). */
function checkIds(items: readonly JsonObject[], what: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    const id = String(item['id']);
    const why = unsafeIdReason(id);
    if (why) throw new OperationError(`pull failed: the ${what} id "${id.slice(0, 60)}" ${why}; nothing was written.`);
    if (seen.has(id.toLowerCase()))
      throw new OperationError(`pull failed: two ${what}s have the id "${id}"; nothing was written.`);
    seen.add(id.toLowerCase());
  }
}

/**
 * The API clients of the Capture applications the policies use. With one owner credential for several applications,
 * only the applications whose policies embed that owner client are read; when it is embedded in none, every
 * application is tried, and one the credential cannot read is skipped (said on stderr) as long as another was read.
 */
async function readOwnerClients(
  options: CaptureConfigClientOptions,
  policies: readonly JsonObject[],
  io: PullIo,
): Promise<OwnerRead> {
  const all = unique(policies.map((p) => connectionOf(p, 'applicationId')));
  const own = unique(
    policies
      .filter((p) => connectionOf(p, 'clientId') === options.ownerClientId)
      .map((p) => connectionOf(p, 'applicationId')),
  );
  const applications = own.length > 0 ? own : all;
  if (applications.length === 0) {
    io.stderr(
      'login-policy-lint: --owner-clients: no login policy names a Capture application, so no API client was read.\n',
    );
    return { applications, skipped: [], clients: [] };
  }
  const capture = new CaptureConfigClient(options);
  const clients: ApiClientDocument[] = [];
  const skipped: { applicationId: string; why: string }[] = [];
  io.stderr(`login-policy-lint: reading the API clients of ${count(applications.length, 'Capture application')}…\n`);
  for (const applicationId of applications) {
    try {
      clients.push(...(await capture.listApiClients(applicationId)));
    } catch (error) {
      const notThisApp =
        error instanceof IdentityCloudError && ['credentials', 'forbidden', 'not-found'].includes(error.kind);
      if (!notThisApp || applications.length === 1) throw error;
      skipped.push({ applicationId, why: error.message });
    }
  }
  if (skipped.length === applications.length) {
    throw new IdentityCloudError(
      'credentials',
      `the owner client could read the API clients of none of the applications (${skipped[0]!.why})`,
      {
        request: '',
      },
    );
  }
  return { applications: applications.filter((a) => !skipped.some((s) => s.applicationId === a)), skipped, clients };
}

function connectionOf(policy: JsonObject, key: string): string | undefined {
  const store = policy['identityStoreDetails'];
  const details = isObject(store) ? store['connectionDetails'] : undefined;
  const value = isObject(details) ? details[key] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/** Merges the API clients into the config (created in the working folder when there is none); only fingerprints. */
function writeOwnerClients(plan: PullPlan, owner: OwnerRead, io: PullIo): OwnerClientsResult {
  const configPath = plan.config?.path ?? path.join(io.cwd, CONFIG_FILE_NAME);
  // Read again now, not the text read before the GETs: a pull of many policies takes a while, and an edit made to the
  // config meanwhile must not be overwritten.
  const text = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
  const updates = owner.clients.flatMap((c) => {
    const entry = importedClientOf(c);
    return entry ? [entry] : [];
  });
  const merged = mergeClients(text, updates);
  if (merged.text !== text) {
    if (analyzeConfig(merged.text).findings.length > 0) {
      throw new OperationError(
        `pull: the merged ${relative(io.cwd, configPath)} would not be valid, so it was left as it was.`,
      );
    }
    try {
      const staging = `${configPath}.pull-${process.pid}`;
      writeFileSync(staging, merged.text);
      renameSync(staging, configPath);
    } catch (error) {
      throw new OperationError(
        `pull: the pulled folder was written, but ${relative(io.cwd, configPath)} could not be (${codeOf(error)}); run pull --owner-clients again.`,
      );
    }
  }
  const { text: _text, ...merge } = merged;
  return {
    configPath,
    applications: owner.applications,
    skipped: owner.skipped,
    clients: updates.length,
    merge,
  };
}

/** A failed request as the one line the user sees (exit 3); a bad setting found late stays bad usage. */
export function failure(error: unknown, outcome: string): unknown {
  if (error instanceof IdentityCloudError) {
    if (error.kind === 'config') return new UsageError(`${error.message}.`);
    return new OperationError(`${error.message}; ${outcome}.`);
  }
  return error;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}
