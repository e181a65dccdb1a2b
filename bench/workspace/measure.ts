// The workspace benchmark (issue 9, goal G12): for each size and variant, generate the tree in a temp folder, run
// the CLI and the real server over it, and remove it. Edits alternate with the same edits in a one-file workspace
// whose server lives through the whole run, so the two are measured side by side under the same load.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median } from '../stats';
import { runCli, type CliRun } from './cli-run';
import { otherSecret, setRecorded, writeWorkspace, type GeneratedWorkspace, type PolicyFile } from './generate';
import { PhaseFailure, ServerSession, type FullPass } from './server-session';

export const VARIANTS = {
  /** The gate variant: one owner client, its current secret recorded in .loginpolicyrc.json. */
  'one-owner': { owners: 1, recorded: true, secretEdit: false },
  /** Nothing records the secret: changing one file's secret gives every file a divergent-owner-secret warning. */
  'one-owner-unrecorded': { owners: 1, recorded: false, secretEdit: true },
  /** 100 owner clients, files spread over them; a secret edit concerns one client's files only. */
  '100-owners': { owners: 100, recorded: false, secretEdit: true },
} as const;

export type VariantName = keyof typeof VARIANTS;
export const GATE_VARIANT: VariantName = 'one-owner';
export const DIVERGENT_RULE = 'divergent-owner-secret';

export interface WorkspaceOptions {
  readonly sizes: readonly number[];
  readonly variants: readonly VariantName[];
  /** Title edits per workspace (each paired with one in the one-file workspace). */
  readonly edits: number;
  readonly timeoutMs: number;
  readonly heapMb: number;
  readonly serverPath: string;
  readonly cliPath: string;
}

export interface ServerRun {
  /** "ok", or why the session ended early ("crashed (out of memory)", "timed out …"), and in which phase. */
  readonly status: string;
  readonly failedIn?: string;
  readonly fullPass?: FullPass;
  readonly peakRssAfterPassBytes?: number;
  /** Over the whole session: the full pass and every edit. */
  readonly peakRssBytes?: number;
  readonly openMs?: number;
  /** didChange (title) → that version's diagnostics; and the paired edit in the one-file workspace. */
  readonly editMs: readonly number[];
  readonly baselineEditMs: readonly number[];
  readonly secretEdit?: { readonly affected: number; readonly ownMs: number; readonly allMs: number };
}

export interface WorkspaceRun {
  readonly files: number;
  readonly variant: VariantName;
  readonly owners: number;
  readonly recorded: boolean;
  readonly policyBytes: number;
  readonly clientFiles: number;
  readonly planted: Readonly<Record<string, number>>;
  /** 1-minute load average when the run started. */
  readonly load: number;
  readonly server: ServerRun;
  readonly cli: CliRun;
}

export interface WorkspaceResult {
  readonly settings: Omit<WorkspaceOptions, 'serverPath' | 'cliPath'>;
  /** The one-file workspace: the baseline of the "one edit" bar. */
  readonly baseline: { readonly server: ServerRun; readonly cli: CliRun };
  readonly runs: readonly WorkspaceRun[];
  readonly durationMs: number;
}

/** The same policy with another title: an edit no other file sees. */
export function retitled(policy: PolicyFile, k: number): string {
  return policy.text.replace(/("title": "[^"]*)"/, `$1 (edit ${k})"`);
}

/** The one-file workspace's server, kept open for the paired edits. */
class Baseline {
  private version = 1;
  private constructor(
    readonly session: ServerSession,
    readonly policy: PolicyFile,
    readonly fullPass: FullPass,
    readonly openMs: number,
  ) {}

  static async start(ws: GeneratedWorkspace, options: WorkspaceOptions): Promise<Baseline> {
    const session = await ServerSession.start({ ...options, folder: ws.dir });
    const policy = ws.policies[0]!;
    try {
      const fullPass = await session.fullPass([policy.uri]);
      return new Baseline(session, policy, fullPass, await session.open(policy.uri, policy.text));
    } catch (e) {
      await session.stop();
      throw baselineFailure(e);
    }
  }

  /** One title edit; its failure is the benchmark's, not that of the workspace measured beside it. */
  edit(): Promise<number> {
    this.version++;
    return this.session.edit(this.policy.uri, retitled(this.policy, this.version), this.version).catch((e: unknown) => {
      throw baselineFailure(e);
    });
  }
}

/** Without one file's measures there is nothing to compare with: the whole benchmark stops, saying why. */
function baselineFailure(e: unknown): Error {
  return new Error(`The one-file workspace's server failed: ${e instanceof Error ? e.message : String(e)}`);
}

async function runServer(
  ws: GeneratedWorkspace,
  secretEdit: boolean,
  baseline: Baseline,
  options: WorkspaceOptions,
): Promise<ServerRun> {
  const editMs: number[] = [];
  const baselineEditMs: number[] = [];
  let phase = 'full pass';
  let fullPass: FullPass | undefined;
  let peakRssAfterPassBytes: number | undefined;
  let openMs: number | undefined;
  let secret: ServerRun['secretEdit'];
  let session: ServerSession | undefined;
  try {
    session = await ServerSession.start({ ...options, folder: ws.dir });
    fullPass = await session.fullPass(ws.policies.map((p) => p.uri));
    peakRssAfterPassBytes = session.peakRss();
    // The middle file: neither the first nor the last the scan reads.
    const target = ws.policies[Math.floor(ws.policies.length / 2)]!;
    phase = 'edits';
    openMs = await session.open(target.uri, target.text);
    let version = 1;
    for (let k = 0; k < options.edits; k++) {
      // Alternating which goes first, so neither always follows the other's garbage.
      const big = async () => {
        const v = ++version;
        editMs.push(await session!.edit(target.uri, retitled(target, v), v));
      };
      const one = async () => baselineEditMs.push(await baseline.edit());
      if (k % 2 === 0) await big().then(one);
      else await one().then(big);
    }
    if (secretEdit) {
      phase = 'secret edit';
      const affected = ws.policies.filter((p) => p.owner === target.owner && p !== target).map((p) => p.uri);
      const text = target.text.replace(
        /"clientSecret": "[^"]*"/,
        `"clientSecret": "${otherSecret(ws.policies.length)}"`,
      );
      const times = await session.editAffecting(target.uri, text, ++version, affected, DIVERGENT_RULE);
      secret = { affected: affected.length, ...times };
    }
    phase = 'stop';
    const peakRssBytes = await session.stop();
    return {
      status: 'ok',
      fullPass,
      peakRssAfterPassBytes,
      peakRssBytes,
      openMs,
      editMs,
      baselineEditMs,
      secretEdit: secret,
    };
  } catch (e) {
    const peakRssBytes = await session?.stop();
    if (!(e instanceof PhaseFailure)) throw e;
    return {
      status: e.message,
      failedIn: phase,
      ...(fullPass ? { fullPass } : {}),
      peakRssAfterPassBytes,
      peakRssBytes,
      openMs,
      editMs,
      baselineEditMs,
    };
  }
}

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'lpl-workspace-'));
}

const fmt = (ms: number | undefined): string => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const mib = (bytes: number | undefined): string => (bytes === undefined ? '—' : `${Math.round(bytes / 2 ** 20)} MiB`);

function progressLine(run: WorkspaceRun): string {
  const s = run.server;
  const server =
    s.status === 'ok'
      ? `server ${fmt(s.fullPass?.ms)} (CPU ${fmt(s.fullPass?.cpuMs)}) ${mib(s.peakRssBytes)}, edit ${median(s.editMs).toFixed(1)} ms${
          s.secretEdit ? `, secret → ${s.secretEdit.affected} files ${fmt(s.secretEdit.allMs)}` : ''
        }`
      : `server ${s.status} in ${s.failedIn}`;
  const cli =
    run.cli.status === 'ok'
      ? `CLI ${fmt(run.cli.ms)} (CPU ${fmt(run.cli.cpuMs)}) ${mib(run.cli.peakRssBytes)}`
      : `CLI ${run.cli.status}`;
  return `  ${run.files.toLocaleString('en-US')} files, ${run.variant}: ${server}; ${cli} (load ${run.load.toFixed(2)})`;
}

export async function runWorkspaceBench(options: WorkspaceOptions): Promise<WorkspaceResult> {
  const started = performance.now();
  const runs: WorkspaceRun[] = [];
  const oneDir = tempDir();
  let baseline: Baseline | undefined;
  try {
    const one = writeWorkspace(oneDir, 1, VARIANTS[GATE_VARIANT]);
    const oneCli = await runCli(options.cliPath, oneDir, options.heapMb, options.timeoutMs);
    baseline = await Baseline.start(one, options);
    console.log(`  1 file: server ${fmt(baseline.fullPass.ms)}; CLI ${fmt(oneCli.ms)}`);
    for (const files of options.sizes) {
      // The one-owner variants share a tree (only the config differs); the 100-owner one has its own.
      for (const owners of [1, 100]) {
        const names = options.variants.filter((v) => VARIANTS[v].owners === owners);
        if (names.length === 0) continue;
        const dir = tempDir();
        try {
          let ws = writeWorkspace(dir, files, VARIANTS[names[0]!]);
          for (const variant of names) {
            const spec = VARIANTS[variant];
            ws = setRecorded(ws, spec.recorded);
            const load = os.loadavg()[0] ?? 0;
            const cli = await runCli(options.cliPath, dir, options.heapMb, options.timeoutMs);
            const server = await runServer(ws, spec.secretEdit, baseline, options);
            const run: WorkspaceRun = {
              files,
              variant,
              owners: spec.owners,
              recorded: spec.recorded,
              policyBytes: ws.policyBytes,
              clientFiles: ws.clientFiles,
              planted: ws.planted,
              load,
              server,
              cli,
            };
            runs.push(run);
            console.log(progressLine(run));
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    }
    const peakRssBytes = await baseline.session.stop();
    const { fullPass, openMs } = baseline;
    return {
      settings: {
        sizes: options.sizes,
        variants: options.variants,
        edits: options.edits,
        timeoutMs: options.timeoutMs,
        heapMb: options.heapMb,
      },
      baseline: {
        server: { status: 'ok', fullPass, peakRssBytes, openMs, editMs: [], baselineEditMs: [] },
        cli: oneCli,
      },
      runs,
      durationMs: performance.now() - started,
    };
  } finally {
    await baseline?.session.stop();
    rmSync(oneDir, { recursive: true, force: true });
  }
}
