// The client's log and trace channels (client/src/log.ts), loaded with a stand-in `vscode`: what the language
// client writes through them (log lines, errors, a real vscode-jsonrpc message trace) comes out masked.
import '../../support/vscode-stub'; // first: client modules require('vscode')
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  Trace,
  TraceFormat,
} from 'vscode-languageserver-protocol/node';
import { createLog, createTrace, learnSecrets } from '../../../client/src/log';
import { createdChannels, languageClientTracer } from '../../support/vscode-stub';

const MASK = '••••••••';
const escaped = (text: string): string => JSON.stringify(text).slice(1, -1);

/** A policy as the user wrote it: the secret JSON-escaped in the text. */
const policyText = (secret: string): string =>
  JSON.stringify({ identityStoreDetails: { connectionDetails: { clientId: 'c1', clientSecret: secret } } }, null, 2);

/** The secret and the forms it takes in JSON text and in a JSON message that quotes JSON text, in any case. */
function assertMasked(what: string, text: string, secret: string): void {
  const lower = text.toLowerCase();
  for (const form of [secret, escaped(secret), escaped(escaped(secret)), secret.slice(0, 12)]) {
    const at = lower.indexOf(form.toLowerCase());
    assert.ok(at < 0, `${what} shows the secret: …${text.slice(Math.max(0, at - 80), at + 80)}…`);
  }
  assert.ok(text.includes(MASK), `${what} shows the mask`);
}

describe('client log channels', () => {
  it('mask a secret in a real message trace, and show a document only as its length', async () => {
    const secret = 'tr4c3"s3cr3t\\tr4c3s3cr3ttr4c3s3';
    const text = policyText(secret);
    learnSecrets(text); // what the extension does when a policy document opens
    const trace = createTrace('Login Policy Trace');
    const channel = createdChannels.at(-1)!;
    const [client, server] = connectedPair();
    server.onRequest('textDocument/hover', () => ({ contents: `The secret is ${secret}` }));
    const opened = new Promise((resolve) => server.onNotification('textDocument/didOpen', resolve));
    server.listen();
    client.listen();
    await client.trace(Trace.Verbose, languageClientTracer(trace), {
      sendNotification: false,
      traceFormat: TraceFormat.Text,
    });
    await client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///p.loginpolicy.json', languageId: 'login-policy', version: 1, text },
    });
    await opened;
    await client.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///p.loginpolicy.json' } });
    client.dispose();
    server.dispose();
    assert.match(channel.text, /Sending notification 'textDocument\/didOpen'/);
    assert.ok(channel.text.includes(`"text": "<${text.length} characters of document text>"`), channel.text);
    assert.match(channel.text, /Received response 'textDocument\/hover - \(\d+\)'/);
    assertMasked('the message trace', channel.text, secret);
  });

  it('mask every level of the log, error objects included, with the secret as the server read it', () => {
    const secret = 'l0g"s3cr3t\\l0gs3cr3tl0gs3cr3tl0';
    learnSecrets(policyText(secret));
    const log = createLog();
    const channel = createdChannels.at(-1)!;
    log.info(`Live check of ${secret}`);
    log.warn(`Settings: ${JSON.stringify(secret)} is not a mode`);
    log.error(new Error(`Request failed: ${secret}`));
    log.appendLine(`[Info] ${secret}`);
    assert.equal(channel.lines.length, 4);
    assertMasked('the log', channel.text, secret);
  });
});

/** Two JSON-RPC connections joined by in-memory streams, as the language client and a server. */
function connectedPair() {
  const up = new PassThrough();
  const down = new PassThrough();
  return [
    createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up)),
    createProtocolConnection(new StreamMessageReader(up), new StreamMessageWriter(down)),
  ] as const;
}
