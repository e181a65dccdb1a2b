// Node entry of the language server: `login-policy-language-server --stdio` for any LSP editor, or IPC when the
// VS Code extension starts it. Console output goes to the client's log; nothing is written to stdout directly.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { packageVersion } from './util/package-root';

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${packageVersion()}\n`);
  process.exit(0);
}
if (!args.some((a) => /^--(stdio|node-ipc|socket|pipe|clientProcessId)/.test(a))) {
  process.stderr.write(
    'Usage: login-policy-language-server --stdio\n' +
      'The Akamai Identity Cloud login policy language server, for LSP editors. It speaks LSP on stdin/stdout\n' +
      '(--stdio), over Node IPC (--node-ipc) or a socket (--socket=PORT).\n',
  );
  process.exit(args.includes('--help') || args.includes('-h') ? 0 : 2);
}

const connection = createConnection(ProposedFeatures.all);
// Anything printed by libraries goes to the client's log, never into the protocol stream.
console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
console.info = (...a: unknown[]) => connection.console.info(a.map(String).join(' '));
console.warn = (...a: unknown[]) => connection.console.warn(a.map(String).join(' '));
console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));
process.on('unhandledRejection', (reason) => {
  connection.console.error(`Unhandled rejection: ${reason instanceof Error ? reason.name : 'unknown'}`);
});

startServer(connection);
