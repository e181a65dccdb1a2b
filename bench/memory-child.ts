// Memory child (REPORT §7.6, run by memory.ts): bytes allocated per validation (no GC) and retained per open document.
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../server/src/engine/analyze';
import { analyzeOptionsFor, createJsonService, pipelineP, POLICY_URI, type ContenderId } from './contenders';
import { generatePolicy } from './generate';
import { median } from './stats';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('memory child needs --expose-gc');
const fullGc = gc;

export interface AllocationSample {
  readonly bytes: number;
  readonly gcs: number;
}

export interface MemoryEntry {
  readonly size: string;
  readonly fileBytes: number;
  readonly contender: ContenderId;
  /** Median bytes allocated by one validation, over samples that saw no GC. */
  readonly allocatedBytes: number;
  readonly allocatedPerFileByte: number;
  readonly allocationSamples: readonly AllocationSample[];
  /** Median bytes kept alive per open document (the parse result the approach keeps). */
  readonly retainedBytes: number;
  readonly retainedPerFileByte: number;
  readonly retainedSamples: readonly number[];
  readonly retainedN: number;
  /** What "retained" holds for this contender. */
  readonly retainedWhat: string;
}

export interface MemoryResult {
  readonly flags: readonly string[];
  readonly entries: readonly MemoryEntry[];
}

/** Every GC since start, as [startTime, endTime] in performance.now() milliseconds. */
const gcSpans: [number, number][] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcSpans.push([entry.startTime, entry.startTime + entry.duration]);
}).observe({ entryTypes: ['gc'] });

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/** One allocation sample in its own async frame: collect, read the heap, validate once, read it again. */
async function allocationSample(run: () => unknown): Promise<AllocationSample> {
  fullGc();
  fullGc();
  await tick();
  const from = performance.now();
  const before = heapUsed();
  const result = run();
  if (isThenable(result)) await result;
  const after = heapUsed();
  const to = performance.now();
  await tick(); // let the observer deliver GC entries
  await tick();
  const gcs = gcSpans.filter(([s, e]) => e >= from && s <= to).length;
  return { bytes: after - before, gcs };
}

/** One retention sample in its own async frame: heap growth with n results alive, per result. */
async function retentionSample(make: () => unknown, n: number): Promise<number> {
  fullGc();
  fullGc();
  await tick();
  const before = heapUsed();
  const kept: unknown[] = [];
  for (let i = 0; i < n; i++) kept.push(make());
  fullGc();
  fullGc();
  const after = heapUsed();
  if (kept.length !== n) throw new Error('unreachable');
  return (after - before) / n;
}

async function measure(size: string, samples: number): Promise<MemoryEntry[]> {
  const fixture = generatePolicy(size, false);
  const text = fixture.text;
  const json = createJsonService();
  const options = analyzeOptionsFor(text);
  let version = 0;
  const validators: Record<ContenderId, () => unknown> = {
    A: () => JSON.parse(text) as unknown,
    P: () => pipelineP(TextDocument.create(POLICY_URI, 'login-policy', ++version, text), options),
    D: () => json.validate(TextDocument.create(POLICY_URI, 'json', ++version, text)),
  };
  const keepers: Record<ContenderId, [() => unknown, string]> = {
    A: [() => JSON.parse(text) as unknown, 'the parsed value'],
    P: [() => analyze(text, options), 'the Analysis (what the server cache keeps)'],
    D: [() => json.parse(TextDocument.create(POLICY_URI, 'json', ++version, text)), 'the JSONDocument'],
  };
  const n = Math.max(3, Math.min(20, Math.round((4 * 1024 * 1024) / fixture.bytes)));
  const entries: MemoryEntry[] = [];
  for (const id of ['A', 'P', 'D'] as const) {
    for (let i = 0; i < 5; i++) {
      const out = validators[id]();
      if (isThenable(out)) await out;
    } // warm up the JIT and lazy initialisation
    const allocationSamples: AllocationSample[] = [];
    for (let i = 0; i < samples; i++) allocationSamples.push(await allocationSample(validators[id]));
    const clean = allocationSamples.filter((s) => s.gcs === 0).map((s) => s.bytes);
    const allocatedBytes = median(clean.length > 0 ? clean : allocationSamples.map((s) => s.bytes));
    const [make, what] = keepers[id];
    make();
    const retainedSamples: number[] = [];
    for (let i = 0; i < samples; i++) retainedSamples.push(await retentionSample(make, n));
    const retainedBytes = median(retainedSamples);
    entries.push({
      size,
      fileBytes: fixture.bytes,
      contender: id,
      allocatedBytes,
      allocatedPerFileByte: allocatedBytes / fixture.bytes,
      allocationSamples,
      retainedBytes,
      retainedPerFileByte: retainedBytes / fixture.bytes,
      retainedSamples,
      retainedN: n,
      retainedWhat: what,
    });
  }
  return entries;
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '100KB,1MB').split(',').filter(Boolean);
  const samples = Number(process.argv[3] ?? '5');
  const entries: MemoryEntry[] = [];
  for (const size of sizes) entries.push(...(await measure(size, samples)));
  const result: MemoryResult = { flags: process.execArgv, entries };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
