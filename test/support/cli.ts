// Runs the built `login-policy-lint` (server/dist/cli.js) as a user would, without colour: blocking, or without
// blocking this process, for when a fake server running in it has to answer (with the environment a test gives).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './lsp-client';

export const cliPath = path.join(repoRoot, 'server/dist/cli.js');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The test's environment without colour and without any LOGIN_POLICY_* variable of the shell that runs the tests (a
 * developer who tried the demo has them exported), plus `extra`: each test names exactly the credentials it gives.
 */
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LOGIN_POLICY_'))),
  NO_COLOR: '1',
  ...extra,
});

export function runCli(args: readonly string[], cwd: string, input?: string): CliRun {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, input, encoding: 'utf8', env: env() });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function runCliAsync(
  args: readonly string[],
  cwd: string,
  input?: string,
  extraEnv?: Record<string, string>,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: env(extraEnv) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
