// What every command of the CLI works with: the process's streams, folder and environment as plain values (so tests
// can run a command in-process), and the exit codes of DESIGN §9.

export interface CliIo {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly color: boolean;
  /** All of stdin; on a terminal, one line typed with the echo off after `prompt` (on stderr). */
  readonly readSecret: (prompt: string) => Promise<string>;
  /** Whether stdin is a terminal: `rotate` reads a new secret from stdin by default only when it is not. */
  readonly stdinIsTerminal?: boolean;
  /** The environment: where the Identity Cloud credentials come from (never argv, never a file). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock: when a pull happened, how old a result is. Default: the real one. */
  readonly now?: () => Date;
}

/** 0 clean; 1 errors found (for `status`: a deployed policy breaks sign-in); 2 bad usage or config; 3 an operation failed. */
export const EXIT = { ok: 0, problems: 1, usage: 2, failed: 3 } as const;
