// The interleaved method of REPORT §7.3–7.4: warm-up, rotating rounds of ~25 ms blocks, no forced GC, paired ratios.
import type { ContenderId, Validate } from './contenders';
import { median, msSince, spread, type Spread } from './stats';

export interface RoundsOptions {
  readonly rounds: number;
  /** Minimum warm-up time per contender. */
  readonly warmupMs: number;
  /** Target duration of one timed block. */
  readonly blockMs: number;
}

export interface ContenderRun {
  /** Every timed sample, in milliseconds. */
  readonly samples: number[];
  /** Median of each round's block, in round order. */
  readonly blockMedians: number[];
  readonly iterationsPerBlock: number;
  readonly settleIterations: number;
  readonly warmupIterations: number;
  /** Diagnostics the contender reported (the last sample's). */
  diagnostics: number;
}

export interface RoundsResult {
  readonly options: RoundsOptions;
  readonly order: readonly ContenderId[];
  readonly runs: Record<ContenderId, ContenderRun>;
  /** Per-round ratios of block medians, e.g. "P/A". */
  readonly ratios: Record<string, number[]>;
  readonly ratioSummary: Record<string, Spread>;
  readonly durationMs: number;
}

/** One timed validation; awaits only when the contender is asynchronous (D). */
async function timed(fn: Validate, text: string): Promise<[number, number]> {
  const start = process.hrtime.bigint();
  const out = fn(text);
  const count = typeof out === 'number' ? out : await out;
  return [msSince(start), count];
}

/** Untimed iterations before each block, so the block does not start right after another contender's garbage. */
function settleFor(iterationMs: number): number {
  return iterationMs < 2 ? 3 : iterationMs < 50 ? 2 : 1;
}

export async function runRounds(
  text: string,
  contenders: Record<ContenderId, Validate>,
  order: readonly ContenderId[],
  options: RoundsOptions,
  ratioPairs: readonly [ContenderId, ContenderId][],
): Promise<RoundsResult> {
  const started = process.hrtime.bigint();
  const runs = {} as Record<ContenderId, ContenderRun>;
  // Warm-up: at least warmupMs and 2 iterations per contender; the later half estimates the cost of one iteration.
  for (const id of order) {
    const fn = contenders[id];
    const times: number[] = [];
    const warmStart = process.hrtime.bigint();
    let diagnostics = 0;
    while (msSince(warmStart) < options.warmupMs || times.length < 2) {
      const [ms, count] = await timed(fn, text);
      times.push(ms);
      diagnostics = count;
    }
    const estimate = median(times.slice(Math.floor(times.length / 2)));
    runs[id] = {
      samples: [],
      blockMedians: [],
      iterationsPerBlock: Math.max(1, Math.round(options.blockMs / Math.max(estimate, 1e-6))),
      settleIterations: settleFor(estimate),
      warmupIterations: times.length,
      diagnostics,
    };
  }
  for (let round = 0; round < options.rounds; round++) {
    const rotated = order.map((_, i) => order[(i + round) % order.length]!);
    for (const id of rotated) {
      const fn = contenders[id];
      const run = runs[id];
      for (let i = 0; i < run.settleIterations; i++) await timed(fn, text);
      const block: number[] = [];
      for (let i = 0; i < run.iterationsPerBlock; i++) {
        const [ms, count] = await timed(fn, text);
        block.push(ms);
        run.diagnostics = count;
      }
      run.samples.push(...block);
      run.blockMedians.push(median(block));
    }
  }
  const ratios: Record<string, number[]> = {};
  const ratioSummary: Record<string, Spread> = {};
  for (const [a, b] of ratioPairs) {
    const key = `${a}/${b}`;
    ratios[key] = runs[a].blockMedians.map((m, r) => m / runs[b].blockMedians[r]!);
    ratioSummary[key] = spread(ratios[key]);
  }
  return { options, order, runs, ratios, ratioSummary, durationMs: msSince(started) };
}
