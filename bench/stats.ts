// Small statistics and formatting helpers: quantiles, paired-ratio summaries, human-readable times and sizes.

/** Linear-interpolated quantile (q in [0, 1]) of unsorted values; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
export const p95 = (values: readonly number[]): number => quantile(values, 0.95);

export function min(values: readonly number[]): number {
  return values.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
}

export function max(values: readonly number[]): number {
  return values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
}

/** Median with its spread over rounds (or runs). */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly q1: number;
  readonly q3: number;
  readonly n: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: median(values),
    min: min(values),
    max: max(values),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    n: values.length,
  };
}

/** Latency summary of samples in milliseconds. */
export interface Latency {
  readonly median: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly n: number;
}

export function latency(samplesMs: readonly number[]): Latency {
  return {
    median: median(samplesMs),
    p95: p95(samplesMs),
    p99: quantile(samplesMs, 0.99),
    max: max(samplesMs),
    n: samplesMs.length,
  };
}

/** Elapsed milliseconds since a process.hrtime.bigint() reading. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** 3 significant digits, no exponent. */
export function sig(n: number, digits = 3): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(n)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return n.toFixed(decimals);
}

/** Milliseconds → "12.3 µs" / "4.56 ms" / "1.23 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1) return `${sig(ms * 1000)} µs`;
  if (ms < 1000) return `${sig(ms)} ms`;
  return `${sig(ms / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${sig(bytes / 1024)} KiB`;
  return `${sig(bytes / 1024 / 1024)} MiB`;
}

/** "0.42 (0.38–0.51)". */
export function formatSpread(s: Spread): string {
  return `${sig(s.median)} (${sig(s.min)}–${sig(s.max)})`;
}

/** Pads cells to column widths; `align` has one `l` or `r` per column (default: first left, the rest right). */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? '').length)));
  const left = (i: number): boolean => (align ? align[i] === 'l' : i === 0);
  const pad = (c: string, i: number): string => {
    const fill = ' '.repeat(Math.max(0, widths[i]! - visible(c).length));
    return left(i) ? c + fill : fill + c;
  };
  const line = (cells: readonly string[]): string => cells.map(pad).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Text without ANSI colour codes (for widths). */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** The same table as GitHub markdown. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align?: string): string {
  const esc = (c: string): string => c.replace(/\|/g, '\\|');
  const left = (i: number): boolean => (align ? align[i] === 'l' : i === 0);
  return [
    `| ${header.map(esc).join(' | ')} |`,
    `|${header.map((_, i) => (left(i) ? ':--' : '--:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}
