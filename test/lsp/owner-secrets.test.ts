// The language server's owner-secret features over LSP: recorded fingerprints, hovers with the secret's state,
// the "Verify now" code lens and command against the fake Identity Cloud, on-save checks, and trust.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FakeIdentityCloud } from '../fake-identity-cloud/server';
import { LOGIN_CLIENT, scenarioClients, VENDOR_OWNER, scenarioPolicy } from '../fake-identity-cloud/scenario';
import { fingerprint } from '../../server/src/shared/fingerprint';
import { LspTestClient } from '../support/lsp-client';

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code)).filter((c) => c !== 'value-format');

describe('owner secrets in the language server', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;
  let client: LspTestClient;
  const verifySettings = () => ({
    verify: { mode: 'onDemand', allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 },
  });

  before(async () => {
    cloud = await FakeIdentityCloud.start({ clients: scenarioClients(new Date()) });
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-lsp-secrets-'));
    ({ client } = await LspTestClient.start({ rootPath: dir }));
  });

  after(async () => {
    await client.stop();
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = async (name: string, text: string) => {
    const uri = pathToFileURL(path.join(dir, name)).href;
    writeFileSync(path.join(dir, name), text);
    await client.open(uri, text);
    return { uri, doc: TextDocument.create(uri, 'login-policy', 1, text) };
  };

  it('is unverified at first, and current once the fingerprint is recorded, without reopening', async () => {
    const { uri } = await open(
      'recorded.loginpolicy.json',
      scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.currentSecret),
    );
    await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('unverified-owner-secret'));
    await client.connection.sendNotification('loginPolicy/recordedFingerprints', {
      clients: [
        {
          clientId: VENDOR_OWNER.clientId,
          sha256: fingerprint(VENDOR_OWNER.currentSecret),
          recordedAt: new Date().toISOString(),
        },
      ],
    });
    await client.diagnostics(uri, (p) => codes(p.diagnostics).length === 0);
  });

  it('shows the state and how it was decided in the clientSecret hover', async () => {
    const text = scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.expiredSecret);
    const { uri, doc } = await open('stale.loginpolicy.json', text);
    const found = await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('stale-owner-secret'));
    assert.equal(found.diagnostics.find((d) => d.code === 'stale-owner-secret')!.severity, 1);
    const hover = await client.request<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: doc.positionAt(text.indexOf(VENDOR_OWNER.expiredSecret)),
    });
    const value = (hover.contents as MarkupContent).value;
    assert.match(value, /\*\*Value:\*\* `••••••••jsqe` \(masked\)/);
    assert.match(
      value,
      /\*\*Secret state:\*\* stale: sign-in through this policy fails \(per the secret recorded with "Login Policy: Record Current Owner Client Secret"\)/,
    );
    assert.match(value, /\*\*Next:\*\* create a new login policy/);
    assert.ok(!value.includes(VENDOR_OWNER.expiredSecret));
  });

  it('offers no code lens and refuses to verify while live checks are off', async () => {
    const { uri } = await open(
      'off.loginpolicy.json',
      scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.expiredSecret),
    );
    assert.deepEqual(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } }), []);
    const result = await client.request('workspace/executeCommand', {
      command: 'loginPolicy.verifyOwnerSecret',
      arguments: [uri],
    });
    assert.deepEqual(result, { performed: false, reason: 'live checks are off (setting loginPolicy.verify.mode)' });
  });

  it('verifies on demand through the code lens, and shows the answer', async () => {
    client.settings = verifySettings();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const { uri } = await open(
      'verify.loginpolicy.json',
      scenarioPolicy(cloud.host, LOGIN_CLIENT.clientId, LOGIN_CLIENT.secret),
    );
    const lenses = await client.waitFor(
      async () => {
        const found = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
        return found.length > 0 ? found : undefined;
      },
      5000,
      'a code lens',
    );
    assert.equal(lenses[0]!.command!.title, 'Verify owner secret now');
    const before = cloud.requests.length;
    const result = await client.request('workspace/executeCommand', lenses[0]!.command);
    assert.deepEqual(result, { performed: true, outcome: 'not-owner' });
    assert.equal(cloud.requests.length, before + 1);
    assert.equal(cloud.requests.at(-1)!.path, '/entityType.list');
    const found = await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('not-owner-client'));
    assert.match(
      JSON.stringify(found.diagnostics.find((d) => d.code === 'not-owner-client')!.message),
      /Capture answered 403 client_permission_error/,
    );
    const after = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.match(
      after[1]!.command!.title,
      /^Last check: not an owner client \(403 client_permission_error\) · just now$/,
    );
  });

  it('checks on save when asked to, and reuses a fresh answer', async () => {
    client.settings = { verify: { ...verifySettings().verify, mode: 'onSave' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const { uri } = await open(
      'onsave.loginpolicy.json',
      scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, 'abcdefghijabcdefghijabcdefghij12'),
    );
    const before = cloud.requests.length;
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('stale-owner-secret'));
    assert.equal(cloud.requests.length, before + 1);
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    await client.waitFor(
      () => client.logs.find((l) => /not made: a recent result exists/.test(l.message)),
      5000,
      'the cached answer',
    );
    assert.equal(cloud.requests.length, before + 1, 'no second request within the time to live');
  });

  it('reports a check that could not decide as information, never as stale', async () => {
    cloud.setMode('error500');
    try {
      client.settings = verifySettings();
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const { uri } = await open(
        'flaky.loginpolicy.json',
        // A client nothing else is known about: the failed check is all there is.
        scenarioPolicy(cloud.host, 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6', 'zyxwvutsrqzyxwvutsrqzyxwvutsrq98'),
      );
      const result = await client.request('workspace/executeCommand', {
        command: 'loginPolicy.verifyOwnerSecret',
        arguments: [uri],
      });
      assert.deepEqual(result, { performed: true, outcome: 'failed' });
      const found = await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('secret-check-failed'));
      assert.deepEqual(codes(found.diagnostics), ['secret-check-failed']);
      assert.equal(found.diagnostics.find((d) => d.code === 'secret-check-failed')!.severity, 3);
    } finally {
      cloud.setMode('normal');
    }
  });
});

describe('owner secrets in an untrusted workspace', () => {
  it('makes no request at all', async () => {
    const cloud = await FakeIdentityCloud.start({ clients: scenarioClients(new Date()) });
    const { client } = await LspTestClient.start({
      settings: { verify: { mode: 'onSave', allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 } },
      initializationOptions: { workspaceTrusted: false, debounceMs: 20 },
    });
    try {
      const uri = 'file:///tmp/untrusted.loginpolicy.json';
      await client.open(uri, scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.expiredSecret));
      await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
      await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
      const result = await client.request('workspace/executeCommand', {
        command: 'loginPolicy.verifyOwnerSecret',
        arguments: [uri],
      });
      assert.deepEqual(result, { performed: false, reason: 'the workspace is not trusted' });
      assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
      assert.equal(cloud.requests.length, 0);
    } finally {
      await client.stop();
      await cloud.close();
    }
  });
});
