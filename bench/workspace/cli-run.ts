// The CLI over a generated workspace as CI runs it: `login-policy-lint --format json` with no paths, from inside the
// folder (DESIGN §9: the default file set). Times spawn → exit, reads its peak RSS and the JSON summary.
import { spawn } from 'node:child_process';
import { deathOf, nodeFlags, reportedUsage } from './child';

export interface CliRun {
  /** "ok", or why the run failed: "crashed (out of memory)", "timed out …", "exit code 2". */
  readonly status: string;
  readonly ms: number;
  /** CPU time, user + system: far less disturbed by other processes than wall time. */
  readonly cpuMs: number | undefined;
  readonly peakRssBytes: number | undefined;
  readonly exitCode: number | null;
  /** The JSON summary's `files`, and its findings by rule id. */
  readonly files: number | undefined;
  readonly byRule: Record<string, number>;
}

interface JsonReport {
  readonly files: readonly { readonly diagnostics: readonly { readonly rule: string }[] }[];
  readonly summary: { readonly files: number };
}

export function runCli(cliPath: string, folder: string, heapMb: number, timeoutMs: number): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags(heapMb), cliPath, '--format', 'json'], {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const base = { ms, ...reportedUsage(stderr), exitCode: code };
      if (timedOut) {
        resolve({ ...base, status: `timed out (over ${timeoutMs / 1000} s)`, files: undefined, byRule: {} });
        return;
      }
      // 0: clean, 1: findings; anything else means the files were not linted.
      if (code !== 0 && code !== 1) {
        const status =
          code === 2
            ? `exit code 2: ${firstLine(stderr)}`
            : `${deathOf(code, signal, stderr)} after ${(ms / 1000).toFixed(0)} s`;
        resolve({ ...base, status, files: undefined, byRule: {} });
        return;
      }
      const report = JSON.parse(Buffer.concat(stdout).toString('utf8')) as JsonReport;
      const byRule: Record<string, number> = {};
      for (const file of report.files) for (const d of file.diagnostics) byRule[d.rule] = (byRule[d.rule] ?? 0) + 1;
      resolve({ ...base, status: 'ok', files: report.summary.files, byRule });
    });
  });
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('@@bench')) ?? '';
}
