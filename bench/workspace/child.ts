// The server and the CLI under test as child processes: their node flags (heap cap, RSS preload), their peak
// resident memory, and why one ended early (out of memory, killed, a time limit), in words for the report.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** `node` flags for a process under test: a heap cap, and the preload that reports its peak RSS at exit. */
export function nodeFlags(heapMb: number): string[] {
  return [`--max-old-space-size=${heapMb}`, '--require', path.join(__dirname, 'rss-preload.js')];
}

const MARKER = /@@bench-max-rss (\d+)/;

/** The peak RSS (bytes) the preload printed, if the process got to exit normally. */
export function reportedPeakRss(stderr: string): number | undefined {
  const kb = MARKER.exec(stderr)?.[1];
  return kb === undefined ? undefined : Number(kb) * 1024;
}

/** VmHWM (the kernel's peak resident set) of a live process, in bytes; undefined where /proc is not available. */
export function procPeakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Why a process under test died, for a failed bar: "crashed (out of memory)" and the like. */
export function deathOf(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(stderr)) return 'crashed (out of memory)';
  if (signal === 'SIGKILL') return 'killed (SIGKILL: the system may have run out of memory)';
  if (signal) return `crashed (signal ${signal})`;
  return `exited early (exit code ${code})`;
}
