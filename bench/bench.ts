// Entry of `npm run bench`: fixtures, sanity check, interleaved rounds, edit trace, memory, cold start, the workspace
// benchmark (--workspace, --full), goal table.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runColdStart } from './coldstart';
import {
  analyzeOptionsFor,
  createContenders,
  createJsonService,
  pipelineP,
  POLICY_URI,
  REPO_ROOT,
  CONTENDER_IDS,
  type ContenderId,
} from './contenders';
import { generatePolicy, parseSize, type Fixture } from './generate';
import { runTrace } from './incremental';
import { runMemory } from './memory';
import {
  evaluateGoals,
  metadataLines,
  printReport,
  summarizeFixture,
  writeResults,
  type BenchResult,
  type FixtureRun,
  type Metadata,
  type SanityRow,
} from './report';
import { runRounds, type RoundsOptions } from './rounds';
import { msSince, sig } from './stats';
import {
  GATE_VARIANT,
  runWorkspaceBench,
  VARIANTS,
  type VariantName,
  type WorkspaceOptions,
} from './workspace/measure';

const USAGE = `Usage: npm run bench -- [options]
  --quick              fewer rounds, samples and cold starts (~1–2 min); indicative only
  --sizes=1KB,100KB    fixture sizes (default 1KB,100KB,1MB; 10MB is the nightly size)
  --full               sizes 1KB,100KB,1MB,10MB (adds G5), and the workspace benchmark (G12)
  --rounds=N           rounds per fixture up to 1 MB (10 MB uses fewer)
  --skip=a,b           skip parts: throughput, trace, memory, cold, workspace
  --workspace          only the workspace benchmark (G12, issue 9): generated workspaces of many policies sharing
                       owner clients, the real server and the CLI over them (--quick: 1,000 and 5,000 files,
                       the one-owner variant, 7 edits)
  --workspace-sizes=1000,5000,20000   policy files per workspace
  --workspace-variants=one-owner,one-owner-unrecorded,100-owners
  --workspace-edits=N  title edits per workspace, each paired with one in a one-file workspace (default 15)
  --workspace-timeout=S  limit per phase in seconds (default 300): past it the run is reported as timed out
  --workspace-heap-mb=MB  --max-old-space-size of the server and the CLI (default 2048)`;

interface Args {
  readonly quick: boolean;
  readonly sizes: readonly string[];
  readonly rounds: number | undefined;
  readonly skip: ReadonlySet<string>;
  /** Run the workspace benchmark; `workspaceOnly`: nothing else. */
  readonly workspace: boolean;
  readonly workspaceOnly: boolean;
  readonly workspaceOptions: Omit<WorkspaceOptions, 'serverPath' | 'cliPath'>;
}

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bad ${flag}: ${value}`);
  return n;
}

function parseArgs(argv: readonly string[]): Args {
  let quick = false;
  let sizes = ['1KB', '100KB', '1MB'];
  let rounds: number | undefined;
  const skip = new Set<string>();
  let full = false;
  let workspaceOnly = false;
  let wsSizes: number[] | undefined;
  let variants: VariantName[] | undefined;
  let edits: number | undefined;
  let timeoutS = 300;
  let heapMb = 2048;
  for (const arg of argv) {
    const [flag, value] = arg.split('=', 2) as [string, string | undefined];
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--full':
        full = true;
        sizes = ['1KB', '100KB', '1MB', '10MB'];
        break;
      case '--workspace':
        workspaceOnly = true;
        break;
      case '--workspace-sizes':
        wsSizes = (value ?? '').split(',').map((n) => positiveInt(flag, n));
        break;
      case '--workspace-variants':
        variants = (value ?? '').split(',').map((v) => {
          if (!(v in VARIANTS)) throw new Error(`unknown variant ${v}: use ${Object.keys(VARIANTS).join(', ')}`);
          return v as VariantName;
        });
        break;
      case '--workspace-edits':
        edits = positiveInt(flag, value);
        break;
      case '--workspace-timeout':
        timeoutS = positiveInt(flag, value);
        break;
      case '--workspace-heap-mb':
        heapMb = positiveInt(flag, value);
        break;
      case '--sizes':
        sizes = (value ?? '').split(',').filter(Boolean);
        sizes.forEach(parseSize); // validates
        break;
      case '--rounds':
        rounds = Number(value);
        if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`bad --rounds: ${value}`);
        break;
      case '--skip':
        for (const part of (value ?? '').split(',').filter(Boolean)) skip.add(part);
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  const workspace = (workspaceOnly || full) && !skip.has('workspace');
  return {
    quick,
    sizes: workspaceOnly ? [] : sizes,
    rounds,
    skip: workspaceOnly ? new Set([...skip, 'throughput', 'trace', 'memory', 'cold']) : skip,
    workspace,
    workspaceOnly,
    workspaceOptions: {
      sizes: wsSizes ?? (quick ? [1000, 5000] : [1000, 5000, 20000]),
      variants: variants ?? (quick ? [GATE_VARIANT] : (Object.keys(VARIANTS) as VariantName[])),
      edits: edits ?? (quick ? 7 : 15),
      timeoutMs: timeoutS * 1000,
      heapMb,
    },
  };
}

/** REPORT §7.3: R ≥ 20 rounds up to 1 MB (40 / 30 here), fewer at 10 MB; --quick trades that for speed. */
function roundsFor(bytes: number, args: Args): number {
  const big = bytes > 4 * 1024 * 1024;
  const mid = bytes > 512 * 1024;
  if (big) return args.quick ? 3 : 6;
  if (args.rounds !== undefined) return args.rounds;
  if (args.quick) return mid ? 12 : 20;
  return mid ? 30 : 40;
}

function libraryVersion(name: string): string {
  try {
    const manifest = readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8');
    return (JSON.parse(manifest) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

function gitDescription(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} (uncommitted changes)` : head;
  } catch {
    return undefined;
  }
}

function metadata(argv: readonly string[], quick: boolean): Metadata {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    args: argv,
    quick,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()} ${os.release()}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    totalMemoryBytes: os.totalmem(),
    loadAverage: { start: os.loadavg() },
    libraries: Object.fromEntries(
      [
        'jsonc-parser',
        'zod',
        'vscode-json-languageservice',
        'vscode-languageserver-textdocument',
        'vscode-languageserver',
        'esbuild',
        'typescript',
      ].map((name) => [name, libraryVersion(name)]),
    ),
    git: gitDescription(),
  };
}

/** Counts P's and D's diagnostics on every fixture; P must report nothing on valid files. */
async function sanityCheck(fixtures: readonly Fixture[]): Promise<SanityRow[]> {
  const json = createJsonService();
  const rows: SanityRow[] = [];
  for (const f of fixtures) {
    const p = pipelineP(TextDocument.create(POLICY_URI, 'login-policy', 1, f.text), analyzeOptionsFor(f.text));
    const d = await json.validate(TextDocument.create(POLICY_URI, 'json', 1, f.text));
    const planted = f.errors ? 2 + f.invalidValues + f.invalidNames : 0;
    let flag: string | undefined;
    let fatal = false;
    if (!f.errors && p.length > 0) {
      fatal = true;
      flag = `FAIL: P reports ${p.length} on a valid file (first: ${p
        .slice(0, 3)
        .map((x) => `${String(x.code)}: ${typeof x.message === 'string' ? x.message : x.message.value}`)
        .join(' | ')})`;
    } else if (!f.errors && d.length > 0) {
      flag = `D reports ${d.length} on a valid file (schema and engine disagree)`;
    } else if (f.errors) {
      const gap = Math.abs(p.length - d.length);
      const flags: string[] = [];
      if (p.length !== planted) flags.push(`P ≠ planted (${planted})`);
      if (gap > Math.max(2, 0.1 * planted)) flags.push(`big P/D gap (${gap})`);
      flag = flags.length > 0 ? `check: ${flags.join(', ')}` : undefined;
    }
    rows.push({
      size: f.label,
      errors: f.errors,
      bytes: f.bytes,
      claims: f.claims,
      planted,
      P: p.length,
      D: d.length,
      flag,
      fatal,
    });
  }
  return rows;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const started = process.hrtime.bigint();
  const meta = metadata(argv, args.quick);
  const notes: string[] = [];
  console.log(`login-policy-lint benchmark${args.quick ? ' (--quick: indicative only, fewer rounds than §7)' : ''}`);
  for (const line of metadataLines(meta)) console.log(`  ${line}`);
  if (args.quick)
    notes.push('Quick run: fewer rounds, samples and cold starts than REPORT §7 asks; do not gate on it.');

  const fixtures: Fixture[] = [];
  for (const size of args.sizes) fixtures.push(generatePolicy(size, false), generatePolicy(size, true));
  if (fixtures.some((f) => f.text.length > 4 * 1024 * 1024)) {
    notes.push(
      "10 MB fixtures exceed the server's 4 MiB analysis limit; P runs analyze() with maxFileSize lifted so the whole pipeline is measured (the server itself would report analysis-limit instead).",
    );
  }

  if (fixtures.length > 0) console.log('\nSanity check (diagnostic counts)…');
  const sanity = await sanityCheck(fixtures);
  for (const s of sanity) {
    console.log(
      `  ${s.size.padEnd(6)} ${s.errors ? 'errors' : 'valid '} ${String(s.bytes).padStart(9)} B  P ${String(s.P).padStart(5)}  D ${String(s.D).padStart(5)}  planted ${s.planted}${s.flag ? `  ← ${s.flag}` : ''}`,
    );
  }
  if (sanity.some((s) => s.fatal)) {
    console.error('\nSanity check failed: P must report 0 diagnostics on valid fixtures. Benchmark aborted.');
    return 1;
  }

  const fixtureRuns: FixtureRun[] = [];
  if (!args.skip.has('throughput')) {
    const order: readonly ContenderId[] = CONTENDER_IDS;
    for (const [i, f] of fixtures.entries()) {
      const options: RoundsOptions = { rounds: roundsFor(f.bytes, args), warmupMs: 300, blockMs: 25 };
      const rounds = await runRounds(f.text, createContenders(f.text), order, options, [
        ['P', 'A'],
        ['P', 'D'],
        ['D', 'A'],
      ]);
      const run = summarizeFixture(f.label, f.errors, f.bytes, f.claims, rounds);
      fixtureRuns.push(run);
      console.log(
        `[${i + 1}/${fixtures.length}] ${f.label} ${f.errors ? 'errors' : 'valid'}: P/A ${sig(rounds.ratioSummary['P/A']!.median)}  P/D ${sig(rounds.ratioSummary['P/D']!.median)}  (${options.rounds} rounds, ${(rounds.durationMs / 1000).toFixed(1)} s)`,
      );
    }
  }

  let trace: BenchResult['trace'];
  if (!args.skip.has('trace')) {
    console.log('Keystroke trace (1,000 edits on the 100 KB policy)…');
    trace = await runTrace(generatePolicy('100KB', false).text, 500, 50);
    console.log(
      `  P p95 ${sig(trace.P.p95)} ms, D p95 ${sig(trace.D.p95)} ms, ratio ${sig(trace.p95Ratio)} (${(trace.durationMs / 1000).toFixed(1)} s)`,
    );
  }

  let memory: BenchResult['memory'];
  if (!args.skip.has('memory')) {
    const memorySizes = args.sizes.filter((s) => s === '100KB' || s === '1MB');
    const sizes = memorySizes.length > 0 ? memorySizes : ['100KB'];
    console.log(`Memory (child process, ${sizes.join(', ')})…`);
    const t = process.hrtime.bigint();
    memory = await runMemory(sizes, args.quick ? 3 : 5);
    console.log(`  done (${(msSince(t) / 1000).toFixed(1)} s)`);
    if (memory.entries.some((e) => e.allocationSamples.every((s) => s.gcs > 0))) {
      notes.push('Some allocation measurements saw a GC in every sample: their allocated bytes are underestimates.');
    }
  }

  let coldStart: BenchResult['coldStart'];
  if (!args.skip.has('cold')) {
    const n = args.quick ? 8 : 15;
    console.log(`Cold start (${n} fresh processes per mode, interleaved)…`);
    coldStart = await runColdStart(n);
    console.log(`  done (${(coldStart.durationMs / 1000).toFixed(1)} s)`);
    const { server, serverNoDebounce } = coldStart;
    if (server && serverNoDebounce && server.raw.median - serverNoDebounce.raw.median > 50) {
      notes.push(
        `The server's first publishDiagnostics after didOpen comes ${sig(server.raw.median - serverNoDebounce.raw.median)} ms later with its default settings than with initializationOptions.debounceMs = 0: the open is debounced like a change (vscode-languageserver's TextDocuments fires onDidChangeContent right after onDidOpen).`,
      );
    }
    if (!coldStart.server)
      notes.push('server/dist/server.js not found: run `node esbuild.mjs` to time the real server.');
  }

  let workspace: BenchResult['workspace'];
  if (args.workspace) {
    const o = args.workspaceOptions;
    console.log(
      `Workspace benchmark (${o.sizes.map((n) => n.toLocaleString('en-US')).join(', ')} files; ${o.variants.join(', ')}; ${o.edits} paired edits)…`,
    );
    workspace = await runWorkspaceBench({
      ...o,
      serverPath: path.join(REPO_ROOT, 'server/dist/server.js'),
      cliPath: path.join(REPO_ROOT, 'server/dist/cli.js'),
    });
    console.log(`  done (${(workspace.durationMs / 1000).toFixed(1)} s)`);
  }

  const vsixPath = path.join(REPO_ROOT, 'login-policy-lint.vsix');
  let vsixBytes: number | undefined;
  try {
    vsixBytes = statSync(vsixPath).size;
  } catch {
    vsixBytes = undefined;
  }

  const endLoad = os.loadavg();
  const busiest = Math.max(meta.loadAverage.start[0] ?? 0, endLoad[0] ?? 0);
  if (busiest > meta.cores * 0.75) {
    notes.push(
      `The machine was busy (1-min load average up to ${busiest.toFixed(2)} on ${meta.cores} cores, this run included): absolute times and tails are noisy; paired ratios less so. Re-run alone before quoting numbers (REPORT §7.8).`,
    );
  }

  const result: BenchResult = {
    metadata: { ...meta, loadAverage: { ...meta.loadAverage, end: endLoad } },
    settings: {
      sizes: args.sizes,
      warmupMs: 300,
      blockMs: 25,
      rounds: Object.fromEntries(fixtures.map((f) => [f.label, roundsFor(f.bytes, args)])),
      tracePairs: 500,
      seed: '0x5eed',
    },
    sanity,
    fixtures: fixtureRuns,
    trace,
    memory,
    coldStart,
    workspace,
    vsix: { path: vsixPath, bytes: vsixBytes },
    notes,
    durationMs: msSince(started),
  };
  const goals = evaluateGoals(result);
  printReport(result, goals);
  const written = writeResults(path.join(REPO_ROOT, 'bench', 'results'), result, goals);
  console.log(
    `\nRaw numbers: ${path.relative(process.cwd(), written.json)}; summary: ${path.relative(process.cwd(), written.md)} (${(result.durationMs / 1000).toFixed(0)} s)`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 1;
  },
);
