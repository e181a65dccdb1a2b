// The LSP test client itself: a test file's process ends when its tests end, even when the server stopped in the
// middle of a message (vscode-jsonrpc's reader would otherwise re-arm a timer for the partial message forever).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const CLIENT = path.resolve(__dirname, '../support/lsp-client.js');

/** A process that reads half a message from a "server", disposes its connection, and should then simply end. */
const HALF_A_MESSAGE = `
const { PassThrough } = require('node:stream');
const { createProtocolConnection, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
const { messageReaderOf } = require(${JSON.stringify(CLIENT)});
const fromServer = new PassThrough();
const connection = createProtocolConnection(messageReaderOf(fromServer), new StreamMessageWriter(new PassThrough()));
connection.listen();
fromServer.write('Content-Length: 1000\\r\\n\\r\\n{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics"');
setTimeout(() => connection.dispose(), 50);
`;

describe('the LSP test client', () => {
  it('lets its process end after a server stopped in the middle of a message', async () => {
    const child = spawn(process.execPath, ['-e', HALF_A_MESSAGE], { cwd: path.resolve(__dirname, '../../..') });
    const stderr: string[] = [];
    child.stderr.on('data', (d: Buffer) => stderr.push(String(d)));
    const ended = await new Promise<number | null | 'still running'>((resolve) => {
      const timer = setTimeout(() => resolve('still running'), 5000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    if (ended === 'still running') child.kill('SIGKILL');
    assert.equal(
      ended,
      0,
      `the process ${ended === 'still running' ? 'was still running after 5 s' : 'failed'}: ${stderr.join('')}`,
    );
  });
});
