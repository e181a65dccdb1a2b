// The only place that runs git: execFile (no shell, so paths and refs are never interpreted), no prompts, a short
// timeout and a bounded output, kept as bytes (`cat-file --batch` counts its objects in bytes). Failures come back
// as short reasons for the log, never as exceptions, and never with more of git's stderr than its first line.
import { execFile, type ExecFileException } from 'node:child_process';
import { statSync } from 'node:fs';

export type GitResult =
  /** stdout as git wrote it: decode it as UTF-8 for text. */
  | { ok: true; stdout: Buffer }
  /** `exitCode` is set when git ran and failed: its answer is final (a path not in a commit stays so). */
  | { ok: false; reason: string; exitCode?: number };

export interface GitRunOptions {
  /** Written to git's standard input, which is then closed (without it, stdin is closed at once). */
  readonly input?: string;
  /** The most stdout may hold, in bytes (default 8 MiB): more ends git, and the run fails with GIT_OUTPUT_TOO_LARGE. */
  readonly maxOutputBytes?: number;
}

export interface GitRunner {
  /** Runs `git <args>` in `cwd`. Never rejects. */
  run(cwd: string, args: readonly string[], options?: GitRunOptions): Promise<GitResult>;
}

export const GIT_NOT_INSTALLED = 'git is not installed';
export const NOT_A_REPOSITORY = 'not a git repository';
export const GIT_TIMED_OUT = 'timed out';
export const GIT_OUTPUT_TOO_LARGE = 'output too large';

const TIMEOUT_MS = 5000;
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
const MAX_REASON_DETAIL = 160;

/**
 * Variables that would point git at another repository than the one around `cwd`: they are set while a git hook
 * runs (say `npm test` from pre-commit), and then every command would read, or write, the wrong repository.
 */
const REPOSITORY_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
];

/** The environment of every git process; read at each call so PATH changes are seen. */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  // No credential or ssh prompts (nothing here needs a remote, but a hanging prompt would hold the timeout), no
  // index refresh that takes locks beside the user's own git, and English messages so "not a git repository" is
  // recognised whatever the user's locale.
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  return env;
}

export const nodeGit: GitRunner = {
  run(cwd, args, options = {}) {
    return new Promise((resolve) => {
      try {
        const child = execFile(
          'git',
          // Paths in git's output as they are, not C-quoted octal escapes.
          ['-c', 'core.quotepath=off', ...args],
          {
            cwd,
            env: gitEnvironment(),
            timeout: TIMEOUT_MS,
            // Bounds stderr too, which is only ever read for its first line.
            maxBuffer: options.maxOutputBytes ?? MAX_OUTPUT_BYTES,
            encoding: 'buffer',
            windowsHide: true,
          },
          (error, stdout, stderr) => {
            if (!error) resolve({ ok: true, stdout });
            else if (typeof error.code === 'number' && !error.killed)
              resolve({ ok: false, reason: describeFailure(error, cwd, stderr), exitCode: error.code });
            else resolve({ ok: false, reason: describeFailure(error, cwd, stderr) });
          },
        );
        // git may end before reading all of its input (a missing folder, a timeout): the callback reports that, and
        // the broken pipe must not become an uncaught error.
        child.stdin?.on('error', () => undefined);
        child.stdin?.end(options.input);
      } catch (error) {
        // execFile throws synchronously only for invalid arguments (such as a NUL byte in one).
        resolve({ ok: false, reason: error instanceof Error ? error.message.split('\n')[0]! : 'git failed to start' });
      }
    });
  },
};

function describeFailure(error: ExecFileException, cwd: string, stderrBytes: Buffer): string {
  if (error.code === 'ENOENT') {
    // spawn reports a missing working folder with the same code as a missing program.
    return isDirectory(cwd) ? GIT_NOT_INSTALLED : `folder not found: ${cwd}`;
  }
  // Checked before the timeout: going over maxBuffer kills the process too.
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return GIT_OUTPUT_TOO_LARGE;
  if (error.killed) return GIT_TIMED_OUT;
  const stderr = stderrBytes.toString('utf8');
  if (/not a git repository/i.test(stderr)) return NOT_A_REPOSITORY;
  const firstLine = stderr.trim().split(/\r?\n/, 1)[0] ?? '';
  const detail = firstLine.length > MAX_REASON_DETAIL ? `${firstLine.slice(0, MAX_REASON_DETAIL)}…` : firstLine;
  const status =
    typeof error.code === 'number'
      ? `git exited with code ${error.code}`
      : `git failed (${String(error.code ?? error.signal ?? 'unknown error')})`;
  return detail ? `${status}: ${detail}` : status;
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}
