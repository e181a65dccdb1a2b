// The workspace benchmark's part of the report: a table per size, growth ratios between sizes, and the G12 goal
// rows (issue 9), all judged on the gate variant of this run.
import { verdictOf, type GoalRow, type Judgement, type Section } from '../goals';
import { formatBytes, formatMs, median, sig } from '../stats';
import { GATE_VARIANT, type ServerRun, type WorkspaceResult, type WorkspaceRun } from './measure';

/** Issue 9's bars. */
const GOAL_SIZE = 5000;
const BIG_SIZE = 20000;
/** 4.6× for 4× the files: growth may exceed the file ratio by 15 %. */
const LINEAR_SLACK = 4.6 / 4;
const SERVER_OVER_CLI = 2;
/** The issue's 250 MB, read strictly as 10^6 bytes (238 MiB). */
const RSS_AT_GOAL_SIZE = 250e6;
const RSS_TARGET = '≤ 250 MB (238 MiB)';
const EDIT_OVER_ONE_FILE = 2;

const count = (n: number): string => n.toLocaleString('en-US');
const ms = (v: number | undefined): string => (v === undefined ? '—' : formatMs(v));
const bytes = (v: number | undefined): string => (v === undefined ? '—' : formatBytes(v));
const ok = (s: ServerRun): boolean => s.status === 'ok';

function editMedian(samples: readonly number[]): number | undefined {
  return samples.length > 0 ? median(samples) : undefined;
}

/** Runs of one variant by size, in size order. */
function series(ws: WorkspaceResult, variant = GATE_VARIANT): WorkspaceRun[] {
  return ws.runs.filter((r) => r.variant === variant).sort((a, b) => a.files - b.files);
}

/**
 * Rules whose finding counts differ between the server's pass and the CLI's run ("rule 3 vs 5"), or from what the
 * generator planted: neither may look fast by skipping work.
 */
function disagreements(run: WorkspaceRun): string[] {
  const server = run.server.fullPass?.byRule;
  if (!server || run.cli.status !== 'ok') return [];
  const cli = run.cli.byRule;
  const missed = Object.entries(run.planted)
    .filter(([rule, n]) => cli[rule] !== n)
    .map(([rule, n]) => `${rule}: ${n} planted, CLI ${cli[rule] ?? 0}`);
  return [
    ...missed,
    ...[...new Set([...Object.keys(server), ...Object.keys(cli)])]
      .filter((rule) => server[rule] !== cli[rule])
      .map((rule) => `${rule} ${server[rule] ?? 0} vs ${cli[rule] ?? 0}`),
  ];
}

/** What the server published against what the CLI found: the same findings, or where they differ. */
function sanity(run: WorkspaceRun): string {
  if (!run.server.fullPass || run.cli.status !== 'ok') return '—';
  const diffs = disagreements(run);
  const total = Object.values(run.cli.byRule).reduce((a, b) => a + b, 0);
  return diffs.length === 0 ? `server = CLI = planted (${count(total)} findings)` : `≠: ${diffs.join(', ')}`;
}

/** A server measure, or the reason the session ended when it ended in that measure's phase. */
function serverCell(s: ServerRun, phase: string, value: string): string {
  return s.failedIn === phase ? s.status : value;
}

/** "27.8 s (CPU 25.1 s)". */
function wallAndCpu(wall: number | undefined, cpu: number | undefined): string {
  return cpu === undefined ? ms(wall) : `${ms(wall)} (CPU ${ms(cpu)})`;
}

/** Server ÷ CLI on the same tree: CPU time (wall time), once both completed their pass. */
function serverOverCli(run: Pick<WorkspaceRun, 'server' | 'cli'>): { cpu?: number; wall?: number } {
  const pass = run.server.fullPass;
  if (!pass || run.cli.status !== 'ok') return {};
  const cpu = pass.cpuMs !== undefined && run.cli.cpuMs ? pass.cpuMs / run.cli.cpuMs : undefined;
  return { ...(cpu === undefined ? {} : { cpu }), wall: pass.ms / run.cli.ms };
}

function runRow(name: string, run: Pick<WorkspaceRun, 'server' | 'cli'>, load: string, extra: string): string[] {
  const s = run.server;
  const cli = run.cli;
  const secret = s.secretEdit
    ? `${ms(s.secretEdit.allMs)} (${count(s.secretEdit.affected)} files; own ${ms(s.secretEdit.ownMs)})`
    : '';
  const { cpu, wall } = serverOverCli(run);
  return [
    name,
    serverCell(s, 'full pass', wallAndCpu(s.fullPass?.ms, s.fullPass?.cpuMs)),
    bytes(s.peakRssBytes),
    serverCell(s, 'edits', s.editMs.length > 0 ? `${ms(editMedian(s.editMs))} [${s.editMs.length}]` : '—'),
    s.baselineEditMs.length > 0 ? ms(editMedian(s.baselineEditMs)) : '—',
    serverCell(s, 'secret edit', secret),
    cli.status === 'ok' ? wallAndCpu(cli.ms, cli.cpuMs) : cli.status,
    bytes(cli.peakRssBytes),
    wall === undefined ? '—' : `${cpu === undefined ? '' : `${sig(cpu)}× CPU, `}${sig(wall)}× wall`,
    load,
    extra,
  ];
}

const HEADER = [
  'workspace',
  'server full pass',
  'server peak RSS',
  'edit → own diags (median [n])',
  '1-file edit (paired)',
  'secret edit → all affected',
  'CLI',
  'CLI peak RSS',
  'server/CLI',
  'load',
  'check',
];
const ALIGN = 'lrrrrrrrrrl';

/**
 * A measure of a run, read from the server's or the CLI's side; `gate`: one of G12b's. Time is gated as CPU time:
 * on a shared machine the load moves wall time by half between runs minutes apart, CPU time far less. Wall time is
 * shown beside it (a server that waits instead of working would show there).
 */
interface Measure {
  readonly name: string;
  readonly side: 'server' | 'cli';
  readonly gate: boolean;
  readonly value: (r: WorkspaceRun) => number | undefined;
}

const MEASURES: readonly Measure[] = [
  { name: 'server full pass, CPU', side: 'server', gate: true, value: (r) => r.server.fullPass?.cpuMs },
  { name: 'server full pass, wall', side: 'server', gate: false, value: (r) => r.server.fullPass?.ms },
  { name: 'server peak RSS', side: 'server', gate: true, value: (r) => r.server.peakRssBytes },
  { name: 'edit → own diagnostics', side: 'server', gate: false, value: (r) => editMedian(r.server.editMs) },
  { name: 'secret edit → all affected', side: 'server', gate: false, value: (r) => r.server.secretEdit?.allMs },
  { name: 'CLI, CPU', side: 'cli', gate: true, value: (r) => r.cli.cpuMs },
  { name: 'CLI, wall', side: 'cli', gate: false, value: (r) => r.cli.ms },
  { name: 'CLI peak RSS', side: 'cli', gate: true, value: (r) => r.cli.peakRssBytes },
];

/** A failure in a few words: "crashed (out of memory)", "timed out" (the tables say when and where). */
function shortly(status: string): string {
  return status.split(' after ')[0]!.split(' (the ')[0]!;
}

/** Why a side of a run has no numbers to compare, if it failed. */
function failureOf(run: WorkspaceRun, side: Measure['side']): string | undefined {
  const status = side === 'server' ? run.server.status : run.cli.status;
  return status === 'ok'
    ? undefined
    : `${side === 'server' ? 'server' : 'CLI'} ${shortly(status)} at ${count(run.files)}`;
}

/** Later ÷ earlier; why there is no such ratio (a run failed); or undefined when a number is missing. */
function growth(a: WorkspaceRun, b: WorkspaceRun, m: Measure): number | string | undefined {
  const failed = failureOf(a, m.side) ?? failureOf(b, m.side);
  if (failed) return failed;
  const x = m.value(a);
  const y = m.value(b);
  return x !== undefined && y !== undefined && x > 0 ? y / x : undefined;
}

const showGrowth = (g: number | string | undefined): string => (typeof g === 'number' ? `${sig(g)}×` : (g ?? '—'));

export function workspaceSections(ws: WorkspaceResult): Section[] {
  const out: Section[] = [];
  const one = ws.baseline;
  out.push({
    title: `Workspace (issue 9): one file, the baseline of the edit bar`,
    header: HEADER,
    align: ALIGN,
    rows: [runRow('1 policy', { server: one.server, cli: one.cli }, '', '')],
    notes: [
      `Server: spawn → every policy's diagnostics published after the scan ended (debounceMs 0). Edits: didChange of the title → that version's publish, each paired with the same edit in this one-file workspace (its column in each size's table). Secret edit: didChange of the embedded secret → every other policy of that owner client re-published with divergent-owner-secret. CPU: user + system time of the process by then (/proc for the server, its own resource usage for the CLI); growth and server ÷ CLI are judged on it, as the load on a shared machine moves wall time far more. Load: 1-minute load average when the run started. Limits: ${ws.settings.timeoutMs / 1000} s per phase, heap ${ws.settings.heapMb} MB.`,
    ],
  });
  const sizes = [...new Set(ws.runs.map((r) => r.files))].sort((a, b) => a - b);
  for (const files of sizes) {
    const runs = ws.runs.filter((r) => r.files === files);
    const first = runs[0]!;
    out.push({
      title: `Workspace: ${count(files)} policies (${count(first.clientFiles)} client files, ${formatBytes(Math.round(first.policyBytes / files))} per policy)`,
      header: HEADER,
      align: ALIGN,
      rows: runs.map((r) =>
        runRow(`${r.variant}${r.variant === GATE_VARIANT ? ' (gate)' : ''}`, r, r.load.toFixed(2), sanity(r)),
      ),
      notes: runs
        .filter((r) => !ok(r.server))
        .map((r) => `${r.variant}: the server ${r.server.status} during the ${r.server.failedIn}.`),
    });
  }
  const variants = [...new Set(ws.runs.map((r) => r.variant))];
  const pairs = sizes.slice(1).map((b, i) => [sizes[i]!, b] as const);
  if (pairs.length > 0) {
    out.push({
      title: 'Workspace growth between sizes (later ÷ earlier; linear = the file ratio)',
      header: ['variant', 'measure', ...pairs.map(([a, b]) => `${count(a)} → ${count(b)} (×${sig(b / a)})`)],
      align: `ll${'r'.repeat(pairs.length)}`,
      rows: variants.flatMap((variant) => {
        const runs = series(ws, variant);
        const at = (n: number) => runs.find((r) => r.files === n);
        return MEASURES.map((m) => [
          variant,
          m.name,
          ...pairs.map(([a, b]) => {
            const ra = at(a);
            const rb = at(b);
            return ra && rb ? showGrowth(growth(ra, rb, m)) : '—';
          }),
        ]);
      }),
    });
  }
  return out;
}

function failure(run: WorkspaceRun): string | undefined {
  return failureOf(run, 'server') ?? failureOf(run, 'cli');
}

const FAILED = (note: string): Judgement => ({ verdict: 'FAIL', note });
const NOT_RUN = (files: number): Judgement => ({ verdict: 'n/a', note: `${count(files)} files not run` });

export function workspaceGoals(ws: WorkspaceResult | undefined): GoalRow[] {
  const rows: GoalRow[] = [];
  const add = (id: string, goal: string, measured: string, target: string, v: Judgement) =>
    rows.push({ id, goal, measured, target, verdict: v.verdict, note: v.note });
  if (!ws) {
    add('G12', 'workspace of thousands of policies', 'not run (--workspace)', 'issue 9 bars', {
      verdict: 'n/a',
      note: 'skipped',
    });
    return rows;
  }
  const runs = series(ws);
  const at = (files: number) => runs.find((r) => r.files === files);

  const big = at(BIG_SIZE);
  if (!big) add('G12a', `${count(BIG_SIZE)} files: every file linted`, 'not run', 'server + CLI', NOT_RUN(BIG_SIZE));
  else {
    const published = big.server.fullPass?.published ?? 0;
    const lives = ok(big.server) && published === big.files;
    const cliAll = big.cli.status === 'ok' && big.cli.files === big.files;
    add(
      'G12a',
      `${count(BIG_SIZE)} files: the server publishes every file, the CLI lints them all`,
      `server ${ok(big.server) ? `${count(published)} published` : big.server.status}; CLI ${
        big.cli.status === 'ok' ? `${count(big.cli.files ?? 0)} files, exit ${big.cli.exitCode}` : big.cli.status
      }`,
      `${count(BIG_SIZE)} / ${count(BIG_SIZE)}`,
      lives && cliAll ? { verdict: 'PASS', note: '' } : FAILED(''),
    );
  }

  // Linear: the two largest sizes run (5,000 → 20,000 in a full run).
  if (runs.length < 2) {
    add('G12b', 'linear growth', 'needs two sizes', `≤ ${LINEAR_SLACK}× the file ratio`, {
      verdict: 'n/a',
      note: '',
    });
  } else {
    const [a, b] = runs.slice(-2) as [WorkspaceRun, WorkspaceRun];
    const limit = LINEAR_SLACK * (b.files / a.files);
    const which = `${count(a.files)} → ${count(b.files)}`;
    const g = MEASURES.filter((m) => m.gate).map((m) => [m.name, growth(a, b, m)] as const);
    const broken = g.map(([, v]) => v).filter((v): v is string => typeof v === 'string');
    const wall = MEASURES.filter((m) => m.name.endsWith('wall')).map((m) => `${m.name} ${showGrowth(growth(a, b, m))}`);
    add(
      'G12b',
      `linear: time (CPU) and peak RSS, ${which} files`,
      broken.length > 0
        ? [...new Set(broken)].join('; ')
        : `${g.map(([name, v]) => `${name} ${showGrowth(v)}`).join('; ')} (info: ${wall.join('; ')})`,
      `≤ ${sig(limit)}×`,
      broken.length > 0
        ? FAILED('')
        : {
            ...verdictOf(
              g.map(([, v]) => v as number | undefined),
              limit,
            ),
            ...(a.files === GOAL_SIZE && b.files === BIG_SIZE ? {} : { note: `the goal's sizes are 5,000 → 20,000` }),
          },
    );
  }

  // CPU time where /proc tells it (Linux), else wall time.
  const ratios = runs.map((r) => (ok(r.server) ? serverOverCli(r) : {}));
  const gated = ratios.map((x) => x.cpu ?? x.wall);
  const shown = (x: { cpu?: number; wall?: number }) =>
    x.cpu === undefined ? `${sig(x.wall!)}× wall` : `${sig(x.cpu)}× CPU (${sig(x.wall!)}× wall)`;
  const serverFailures = runs.filter((r) => !ok(r.server));
  // A pass that skips work would look fast (REPORT §7.2): the server must find what the CLI finds.
  const disagreeing = runs.filter((r) => disagreements(r).length > 0);
  add(
    'G12c',
    "server's full pass ÷ the CLI's run, same tree",
    runs
      .map((r, i) => `${count(r.files)}: ${gated[i] === undefined ? (failure(r) ?? '—') : shown(ratios[i]!)}`)
      .join('; '),
    `≤ ${SERVER_OVER_CLI}×`,
    serverFailures.length > 0
      ? FAILED(`the server failed at ${serverFailures.map((r) => count(r.files)).join(', ')} files`)
      : disagreeing.length > 0
        ? FAILED(`findings ≠ (check column) at ${disagreeing.map((r) => count(r.files)).join(', ')} files`)
        : verdictOf(gated, SERVER_OVER_CLI),
  );

  const goal = at(GOAL_SIZE);
  if (!goal) {
    add('G12d', `${count(GOAL_SIZE)} files: server peak RSS`, 'not run', RSS_TARGET, NOT_RUN(GOAL_SIZE));
    add('G12e', `${count(GOAL_SIZE)} files: one edit ÷ one-file workspace`, 'not run', '≤ 2×', NOT_RUN(GOAL_SIZE));
  } else {
    const rss = goal.server.peakRssBytes;
    add(
      'G12d',
      `${count(GOAL_SIZE)} files: server peak RSS`,
      ok(goal.server) ? bytes(rss) : `${goal.server.status} (${bytes(rss)} when it ended)`,
      RSS_TARGET,
      ok(goal.server) ? verdictOf([rss], RSS_AT_GOAL_SIZE) : FAILED(''),
    );
    const edit = editMedian(goal.server.editMs);
    const oneFile = editMedian(goal.server.baselineEditMs);
    const ratio = edit !== undefined && oneFile !== undefined ? edit / oneFile : undefined;
    add(
      'G12e',
      `${count(GOAL_SIZE)} files: one edit → own diagnostics ÷ the same in a one-file workspace (medians of paired edits)`,
      ratio === undefined
        ? `${goal.server.status} in ${goal.server.failedIn ?? '—'}`
        : `${sig(ratio)}× (${ms(edit)} ÷ ${ms(oneFile)})`,
      `≤ ${EDIT_OVER_ONE_FILE}×`,
      ratio !== undefined ? verdictOf([ratio], EDIT_OVER_ONE_FILE) : ok(goal.server) ? verdictOf([], 1) : FAILED(''),
    );
  }
  return rows;
}
