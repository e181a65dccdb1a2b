// The language server's owner-secret features over LSP: recorded fingerprints, hovers with the secret's state,
// the "Verify now" code lens and command against the fake Identity Cloud, on-save checks, trust, and the state
// that changes while a file stays open (settings, trust, the clock). Each test sets up the knowledge it needs and
// puts the settings and recorded fingerprints back, so any one of them runs alone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type {
  CodeLens,
  Diagnostic,
  Hover,
  MarkupContent,
  WorkspaceDiagnosticReport,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { FakeIdentityCloud } from '../fake-identity-cloud/server';
import { LOGIN_CLIENT, scenarioClients, VENDOR_OWNER, scenarioPolicy } from '../fake-identity-cloud/scenario';
import { fingerprint } from '../../server/src/shared/fingerprint';
import type { Clock } from '../../server/src/util/clock';
import { LspTestClient } from '../support/lsp-client';

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code)).filter((c) => c !== 'value-format');

const VERIFY = { mode: 'onDemand', allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 2000 };

describe('owner secrets in the language server', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;
  let client: LspTestClient;

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

  // What a test changed goes back: settings, recorded fingerprints, trust, the fake's mode.
  afterEach(async () => {
    cloud.setMode('normal');
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.connection.sendNotification('loginPolicy/recordedFingerprints', { clients: [] });
    await client.connection.sendNotification('loginPolicy/workspaceTrust', { trusted: true });
  });

  const open = async (name: string, text: string) => {
    const uri = pathToFileURL(path.join(dir, name)).href;
    writeFileSync(path.join(dir, name), text);
    await client.open(uri, text);
    return { uri, doc: TextDocument.create(uri, 'login-policy', 1, text) };
  };
  const setSettings = async (settings: Record<string, unknown>) => {
    client.settings = settings;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  };
  const recordCurrentSecret = () =>
    client.connection.sendNotification('loginPolicy/recordedFingerprints', {
      clients: [
        {
          clientId: VENDOR_OWNER.clientId,
          sha256: fingerprint(VENDOR_OWNER.currentSecret),
          recordedAt: new Date().toISOString(),
        },
      ],
    });
  const verifyNow = (uri: string) =>
    client.request('workspace/executeCommand', { command: 'loginPolicy.verifyOwnerSecret', arguments: [uri] });
  const lensesOf = (uri: string) => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });

  it('is unverified at first, and current once the fingerprint is recorded, without reopening', async () => {
    const { uri } = await open(
      'recorded.loginpolicy.json',
      scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.currentSecret),
    );
    await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('unverified-owner-secret'));
    await recordCurrentSecret();
    await client.diagnostics(uri, (p) => codes(p.diagnostics).length === 0);
  });

  it('shows the state and how it was decided in the clientSecret hover', async () => {
    await recordCurrentSecret();
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
    assert.deepEqual(await lensesOf(uri), []);
    assert.deepEqual(await verifyNow(uri), {
      performed: false,
      reason: 'live checks are off (setting loginPolicy.verify.mode)',
    });
  });

  it('verifies on demand through the code lens, and shows the answer', async () => {
    await setSettings({ verify: VERIFY });
    const { uri } = await open(
      'verify.loginpolicy.json',
      scenarioPolicy(cloud.host, LOGIN_CLIENT.clientId, LOGIN_CLIENT.secret),
    );
    const lenses = await client.waitFor(
      async () => {
        const found = await lensesOf(uri);
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
    const after = await lensesOf(uri);
    assert.match(
      after[1]!.command!.title,
      /^Last check: not an owner client \(403 client_permission_error\) · just now$/,
    );
  });

  it('"Verify now" asks Capture again, even while the last answer is fresh', async () => {
    await setSettings({ verify: VERIFY });
    const { uri } = await open(
      'again.loginpolicy.json',
      scenarioPolicy(cloud.host, VENDOR_OWNER.clientId, VENDOR_OWNER.currentSecret),
    );
    const before = cloud.requests.length;
    assert.deepEqual(await verifyNow(uri), { performed: true, outcome: 'accepted' });
    assert.deepEqual(await verifyNow(uri), { performed: true, outcome: 'accepted' });
    assert.equal(cloud.requests.length, before + 2, 'one request per command');
  });

  it('checks on save when asked to, and reuses a fresh answer', async () => {
    await setSettings({ verify: { ...VERIFY, mode: 'onSave' } });
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
      () => client.logs.find((l) => /onsave\.loginpolicy\.json: not made: a recent result exists/.test(l.message)),
      5000,
      'the cached answer',
    );
    assert.equal(cloud.requests.length, before + 1, 'no second request within the time to live');
  });

  it('forgets what Capture answered once live checks are turned off', async () => {
    await setSettings({ verify: VERIFY });
    // A client of its own, unknown to the fake: Capture rejects the credentials, and no other file shares them.
    const { uri } = await open(
      'turned-off.loginpolicy.json',
      scenarioPolicy(cloud.host, 'tvrn3d0ffc1i3nttvrn3d0ffc1i3nt00', 'zzyyxxwwvvuuttssrrqqppoonnmmll11'),
    );
    assert.deepEqual(await verifyNow(uri), { performed: true, outcome: 'rejected' });
    await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('stale-owner-secret'));
    await setSettings({ verify: { ...VERIFY, mode: 'off' } });
    // Only what the fingerprints say is left: nothing is known about this client.
    await client.diagnostics(uri, (p) => codes(p.diagnostics).join() === 'unverified-owner-secret');
    assert.deepEqual(await lensesOf(uri), []);
  });

  it('follows workspace trust when it changes while files are open', async () => {
    await setSettings({ verify: VERIFY });
    const { uri } = await open(
      'trust.loginpolicy.json',
      scenarioPolicy(cloud.host, 'trvstc1i3nttrvstc1i3nttrvstc1i00', 'kkjjhhggffeeddccbbaa998877665544'),
    );
    assert.deepEqual(await verifyNow(uri), { performed: true, outcome: 'rejected' });
    await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('stale-owner-secret'));
    await client.connection.sendNotification('loginPolicy/workspaceTrust', { trusted: false });
    // Restricted: no live result counts, no lens, no request.
    await client.diagnostics(uri, (p) => codes(p.diagnostics).join() === 'unverified-owner-secret');
    assert.deepEqual(await lensesOf(uri), []);
    const before = cloud.requests.length;
    assert.deepEqual(await verifyNow(uri), { performed: false, reason: 'the workspace is not trusted' });
    await client.connection.sendNotification('loginPolicy/workspaceTrust', { trusted: true });
    await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('stale-owner-secret'));
    assert.equal((await lensesOf(uri))[0]?.command?.title, 'Verify owner secret now');
    assert.equal(cloud.requests.length, before);
  });

  it('reports a check that could not decide as information, never as stale', async () => {
    cloud.setMode('error500');
    await setSettings({ verify: VERIFY });
    const { uri } = await open(
      'flaky.loginpolicy.json',
      // A client nothing else is known about: the failed check is all there is.
      scenarioPolicy(cloud.host, 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6', 'zyxwvutsrqzyxwvutsrqzyxwvutsrq98'),
    );
    assert.deepEqual(await verifyNow(uri), { performed: true, outcome: 'failed' });
    const found = await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('secret-check-failed'));
    assert.deepEqual(codes(found.diagnostics), ['secret-check-failed']);
    assert.equal(found.diagnostics.find((d) => d.code === 'secret-check-failed')!.severity, 3);
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

/** A clock the test moves by hand; timers fire when it passes their time. */
class ManualClock implements Clock {
  private timers: { at: number; fn: () => void }[] = [];
  constructor(private time: number) {}
  now(): Date {
    return new Date(this.time);
  }
  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.time);
    for (const timer of due) timer.fn();
  }
}

describe('owner secrets as time passes', () => {
  const HOUR = 3_600_000;
  const start = Date.parse('2026-12-06T09:00:00Z');
  const previous = 'pr3v10usg4r4c3pr3v10usg4r4c3pr3v';
  /** A config that knows the owner client's current secret, and `previous` as valid for two more hours. */
  const writeGraceConfig = (dir: string) =>
    writeFileSync(
      path.join(dir, '.loginpolicyrc.json'),
      JSON.stringify({
        clients: [
          {
            clientId: VENDOR_OWNER.clientId,
            features: ['owner'],
            secretSha256: fingerprint(VENDOR_OWNER.currentSecret),
            previousSecrets: [{ sha256: fingerprint(previous), validUntil: new Date(start + 2 * HOUR).toISOString() }],
          },
        ],
      }),
    );

  it('turns the grace-period warning into an error when the period ends, without an edit', async () => {
    const clock = new ManualClock(start);
    const dir = mkdtempSync(path.join(tmpdir(), 'lpl-lsp-clock-'));
    writeGraceConfig(dir);
    // No workspace folder, so no scan: the clock is the only thing that can bring a new analysis.
    const { client } = await LspTestClient.inProcess({ clock });
    try {
      const uri = pathToFileURL(path.join(dir, 'grace.loginpolicy.json')).href;
      await client.open(uri, scenarioPolicy('acme.us.janraincapture.com', VENDOR_OWNER.clientId, previous));
      const rotated = await client.diagnostics(uri, (p) => codes(p.diagnostics).includes('rotated-owner-secret'));
      assert.equal(rotated.diagnostics.find((d) => d.code === 'rotated-owner-secret')!.severity, 2);
      const published = () => client.published.get(uri)!.length;
      // An hour on, still in the grace period: the countdown is refreshed, the warning stays.
      let seen = published();
      clock.advance(HOUR);
      const later = await client.diagnostics(uri, () => published() > seen);
      assert.deepEqual(codes(later.diagnostics), ['rotated-owner-secret']);
      // Past the end: the same open, unedited file now gets the error.
      seen = published();
      clock.advance(HOUR + 2000);
      const ended = await client.diagnostics(uri, () => published() > seen);
      assert.deepEqual(codes(ended.diagnostics), ['stale-owner-secret']);
      assert.equal(ended.diagnostics[0]!.severity, 1);
      assert.equal(ended.version, 1, 'no edit was made');
    } finally {
      await client.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns it into an error in a file never opened, for an editor that pulls workspace diagnostics', async () => {
    const clock = new ManualClock(start);
    const dir = mkdtempSync(path.join(tmpdir(), 'lpl-lsp-clock-pull-'));
    writeGraceConfig(dir);
    const file = path.join(dir, 'grace.loginpolicy.json');
    writeFileSync(file, scenarioPolicy('acme.us.janraincapture.com', VENDOR_OWNER.clientId, previous));
    const { client } = await LspTestClient.inProcess({
      clock,
      rootPath: dir,
      capabilities: {
        workspace: { configuration: true, diagnostics: { refreshSupport: true } },
        textDocument: { diagnostic: { relatedDocumentSupport: false } },
      },
      initializationOptions: { debounceMs: 20, pullDiagnostics: true },
    });
    try {
      const uri = pathToFileURL(file).href;
      const refreshed = (after: number, what: string) =>
        client.waitFor(() => (client.diagnosticRefreshes > after ? true : undefined), 10_000, what);
      const pull = async (previousResultIds: { uri: string; value: string }[]) =>
        (await client.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds })).items.find(
          (r) => r.uri === uri,
        );
      await refreshed(0, 'the scan to end');
      const rotated = await pull([]);
      assert.ok(rotated?.kind === 'full', JSON.stringify(rotated));
      assert.deepEqual(codes(rotated.items), ['rotated-owner-secret']);
      // Past the end of the grace period, with nothing edited or opened: the editor is asked to pull again, and the
      // file's report changes.
      const asked = client.diagnosticRefreshes;
      clock.advance(2 * HOUR + 2000);
      await refreshed(asked, 'a request to pull again when the grace period ends');
      const stale = await pull([{ uri, value: rotated.resultId! }]);
      assert.ok(stale?.kind === 'full', JSON.stringify(stale));
      assert.deepEqual(codes(stale.items), ['stale-owner-secret']);
    } finally {
      await client.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
