// Node entry of the `login-policy-lint` command: wires the process to runCli and sets the exit code.
import { runCli } from './run';

/**
 * A reader that went away (`| head`) is not an error of ours: stop writing to it, finish, and exit with the real
 * result, so `set -o pipefail` still sees the findings.
 */
const closed = new Set<NodeJS.WriteStream>();
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    // EPIPE on POSIX; Windows reports a closed pipe as EOF.
    if (e.code !== 'EPIPE' && e.code !== 'EOF') throw e;
    closed.add(stream);
  });
}
const writer = (stream: NodeJS.WriteStream) => (text: string) => {
  if (!closed.has(stream)) stream.write(text);
};

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: writer(process.stdout),
  stderr: writer(process.stderr),
  color: process.stdout.isTTY === true && !process.env['NO_COLOR'],
  readSecret,
  stdinIsTerminal: process.stdin.isTTY === true,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // An internal error: say so without echoing input (which may hold a secret), and exit 2.
    writer(process.stderr)(
      `login-policy-lint: internal error: ${e instanceof Error ? e.name : 'unknown'}. Please report it.\n`,
    );
    process.exitCode = 2;
  },
);

/** Reads stdin; on a terminal, reads one line with the echo off so the secret never shows on screen. */
function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
      stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      stdin.on('error', reject);
    });
  }
  process.stderr.write(prompt);
  return new Promise((resolve) => {
    let line = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string): void => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(line);
          return;
        }
        if (char === '\u0003') {
          stdin.setRawMode(false);
          process.stderr.write('\n');
          process.exit(130);
        }
        if (char === '\u007f' || char === '\b') line = line.slice(0, -1);
        else line += char;
      }
    };
    stdin.on('data', onData);
  });
}
