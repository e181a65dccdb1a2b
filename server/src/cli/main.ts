// Node entry of the `login-policy-lint` command: wires the process to runCli and sets the exit code.
import { runCli } from './run';

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  color: process.stdout.isTTY === true && !process.env['NO_COLOR'],
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // An internal error: say so without echoing input (which may hold a secret), and exit 2.
    process.stderr.write(
      `login-policy-lint: internal error: ${e instanceof Error ? e.name : 'unknown'}. Please report it.\n`,
    );
    if (process.env['LOGIN_POLICY_LINT_DEBUG'] && e instanceof Error) process.stderr.write(`${e.stack ?? ''}\n`);
    process.exitCode = 2;
  },
);
