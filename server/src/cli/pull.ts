// `login-policy-lint pull` (DESIGN §13): the credentials from the environment, the folder from --out or the config,
// then the pull itself (server/src/identity-cloud/deployed-pull.ts) and its result as text or JSON. Nothing but
// the pulled folder (and with --owner-clients, the config's `clients`) is written, and no secret reaches the disk,
// stdout or stderr.
import { CONFIG_FILE_NAME } from '../engine/config/schema';
import {
  baselineDirToSet,
  pullSummary,
  checkOutDir,
  executePull,
  pulledFolderOf,
  type PullPlan,
  type PullResult,
} from '../identity-cloud/deployed-pull';
import { count } from '../identity-cloud/progress';
import { ConfigStore } from '../project/config-store';
import { type ConnectionArgs, type PullOptions } from './args';
import { assertUsable, loadCliConfig, relative } from './cli-config';
import { connectionFrom, ownerConnectionFrom } from './identity-cloud-env';
import { EXIT, type CliIo } from './io';

export async function runPull(options: PullOptions, io: CliIo): Promise<number> {
  const plan = planPull(options, io);
  const result = await executePull(plan, io);
  if (options.format === 'json') io.stdout(`${JSON.stringify(pullJson(result, io), null, 2)}\n`);
  else io.stdout(pullText(result, io));
  baselineNote(plan, io);
  return EXIT.ok;
}

/** Reads the config and the environment and picks the folder; any problem is bad usage (exit 2). */
export function planPull(options: ConnectionArgs, io: CliIo): PullPlan {
  const config = loadCliConfig(new ConfigStore(), options.config, io.cwd, io.cwd);
  assertUsable(config, io, 'nothing was pulled');
  const connection = connectionFrom(io.env, config?.config, options.timeoutMs);
  const owner = options.ownerClients ? ownerConnectionFrom(io.env, connection) : undefined;
  const outDir = pulledFolderOf(options.out, config, io.cwd);
  checkOutDir(outDir, options.out, config, io);
  return { config, outDir, connection, owner };
}

export function pullText(result: PullResult, io: CliIo): string {
  const lines = [pullSummary(result, io.cwd)];
  const owner = result.ownerClients;
  if (owner) {
    const config = relative(io.cwd, owner.configPath);
    const { added, updated, replaced } = owner.merge;
    lines.push(
      added.length + updated.length === 0
        ? `${count(owner.clients, 'API client')} of ${owner.applications.join(', ')}: ${config} already knew them.`
        : `Merged ${count(owner.clients, 'API client')} of ${owner.applications.join(', ')} into ${config}: ${added.length} added, ${updated.length} updated.`,
    );
    if (replaced.length > 0) {
      lines.push(
        `New current secret for ${replaced.join(', ')}: the old fingerprint is now in "previousSecrets" with "validUntil": null (end of grace unknown); policies still holding it are reported as replaced until a live check (status --verify) says more.`,
      );
    }
    for (const skip of owner.skipped) lines.push(`Not read: the API clients of ${skip.applicationId} (${skip.why}).`);
  }
  return `${lines.join('\n')}\n`;
}

function pullJson(result: PullResult, io: CliIo): unknown {
  const owner = result.ownerClients;
  return {
    out: relative(io.cwd, result.outDir),
    ...result.meta,
    written: result.written,
    files: result.changes,
    ...(owner
      ? {
          ownerClients: {
            config: relative(io.cwd, owner.configPath),
            applications: owner.applications,
            skipped: owner.skipped,
            clients: owner.clients,
            added: owner.merge.added,
            updated: owner.merge.updated,
            replaced: owner.merge.replaced,
          },
        }
      : {}),
  };
}

/** Without `baseline: {"dir": …}` naming this folder, the editor and lint do not compare with what was pulled. */
function baselineNote(plan: PullPlan, io: CliIo): void {
  const dir = baselineDirToSet(plan, io.cwd);
  if (dir === undefined) return;
  io.stderr(
    `login-policy-lint: note: add "baseline": {"dir": "${dir}"} to ${CONFIG_FILE_NAME} so the editor and lint compare policy files with what is deployed, and skip these snapshots as policies.\n`,
  );
}
