// The server and the CLI under test as child processes: their node flags (heap cap, usage preload), their peak
// resident memory and CPU time, and why one ended early (out of memory, killed, a time limit), in words for the report.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** `node` flags for a process under test: a heap cap, and the preload that reports its usage at exit. */
export function nodeFlags(heapMb: number): string[] {
  return [`--max-old-space-size=${heapMb}`, '--require', path.join(__dirname, 'usage-preload.js')];
}

/** What a process used: peak resident set (bytes) and CPU time, user + system (ms). */
export interface Usage {
  readonly peakRssBytes: number | undefined;
  readonly cpuMs: number | undefined;
}

const MARKER = /@@bench-usage (\d+) (\d+)/;

/** What the preload printed, if the process got to exit normally. */
export function reportedUsage(stderr: string): Usage {
  const m = MARKER.exec(stderr);
  return m
    ? { peakRssBytes: Number(m[1]) * 1024, cpuMs: Number(m[2]) / 1000 }
    : { peakRssBytes: undefined, cpuMs: undefined };
}

/** Clock ticks per second of /proc/<pid>/stat's times. */
let ticksPerSecond: number | undefined;

/** A live process's usage so far, from /proc (Linux); undefined values elsewhere or once it is gone. */
export function procUsage(pid: number | undefined): Usage {
  const read = (file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return undefined;
    }
  };
  if (pid === undefined) return { peakRssBytes: undefined, cpuMs: undefined };
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(read('status') ?? '')?.[1];
  // Fields after the command name, which may itself hold spaces and parentheses: utime and stime are 14 and 15.
  const stat = read('stat');
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  ticksPerSecond ??= clockTicks();
  const ticks = fields ? Number(fields[11]) + Number(fields[12]) : Number.NaN;
  return {
    peakRssBytes: kb === undefined ? undefined : Number(kb) * 1024,
    cpuMs: Number.isFinite(ticks) ? (ticks / ticksPerSecond) * 1000 : undefined,
  };
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** Why a process under test died, for a failed bar: "crashed (out of memory)" and the like. */
export function deathOf(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderr)) return 'crashed (out of memory)';
  if (signal === 'SIGKILL') return 'killed (SIGKILL: the system may have run out of memory)';
  if (signal) return `crashed (signal ${signal})`;
  return `exited early (exit code ${code})`;
}
