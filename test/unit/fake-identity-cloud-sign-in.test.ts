// The fake's sign-in simulation: a sign-in through an OIDC client works while its bound policy's owner credentials
// are accepted by Capture (grace periods included) and fails once they are not; the load that drives sign-ins
// through every client at a steady rate, and judges every client at each change and grace period's end while it
// runs; the seeded demo's story.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { loginPolicyBody } from '../fake-identity-cloud/bodies';
import { DEMO, demoOptions, seedDemo } from '../fake-identity-cloud/demo-seed';
import { adminToken, rawCall } from '../fake-identity-cloud/raw-client';
import {
  CONFIG_SCOPE,
  DEFAULT_CUSTOMER_ID,
  FakeIdentityCloud,
  type FakeCloudOptions,
  type SignInFigures,
} from '../fake-identity-cloud/server';

const HOUR = 3_600_000;
const OWNER = { clientId: 'o1o2o3o4o5o6o7o8o9o0o1o2o3o4o5o6', secret: 'ownersecret0000000000000000000aa' };
const READER = { clientId: 'r1r2r3r4r5r6r7r8r9r0r1r2r3r4r5r6', secret: 'readersecret000000000000000000cc' };

const policy = (domain: string, title: string, clientId = OWNER.clientId, clientSecret = OWNER.secret) =>
  loginPolicyBody({ domain, title, clientId, clientSecret });

async function waitFor(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Setup {
  cloud: FakeIdentityCloud;
  advance: (hours: number) => void;
  /** Binds a new public client to the policy; returns its id. */
  client: (policyId: string, name?: string) => string;
}

function setup(options: FakeCloudOptions = {}): () => Setup {
  let current: Setup | undefined;
  beforeEach(async () => {
    await current?.cloud.close();
    let clock = new Date('2025-06-01T12:00:00Z');
    const cloud = await FakeIdentityCloud.start({
      clients: [
        { clientId: OWNER.clientId, secrets: [{ secret: OWNER.secret }], features: ['owner'] },
        { clientId: READER.clientId, secrets: [{ secret: READER.secret }], features: ['direct_read_access'] },
      ],
      now: () => clock,
      ...options,
    });
    current = {
      cloud,
      advance: (hours) => (clock = new Date(clock.getTime() + hours * HOUR)),
      client: (loginPolicy, name = 'c') =>
        cloud.addOidcClient({ name, type: 'public', tokenPolicy: 't', loginPolicy }).id as string,
    };
  });
  after(async () => {
    await current?.cloud.close();
  });
  return () => {
    assert.ok(current);
    return current;
  };
}

describe('fake Identity Cloud: simulated sign-ins', () => {
  const s = setup();

  it('works while the bound policy holds the current owner secret', () => {
    const { cloud, client } = s();
    const id = client(cloud.addLoginPolicy(policy(cloud.host, 'P')).id as string);
    assert.equal(cloud.signIn(id).ok, true);
  });

  it('keeps working in the grace period of a reset and fails once it ends (the live check rule)', () => {
    const { cloud, client, advance } = s();
    const id = client(cloud.addLoginPolicy(policy(cloud.host, 'P')).id as string);
    cloud.resetSecret(OWNER.clientId, 2);
    assert.equal(cloud.signIn(id).ok, true, 'old secret, in the grace period');
    advance(1.99);
    assert.equal(cloud.signIn(id).ok, true);
    advance(0.02);
    const failed = cloud.signIn(id);
    assert.equal(failed.ok, false);
    assert.equal(!failed.ok && failed.reason, 'credentials-rejected');
  });

  it('fails at once after a reset with hoursToLive 0 (the seed story), and works again once re-pointed', () => {
    const { cloud, client } = s();
    const old = cloud.addLoginPolicy(policy(cloud.host, 'Old')).id as string;
    const id = client(old);
    const fresh = cloud.resetSecret(OWNER.clientId, 0);
    assert.equal(cloud.signIn(id).ok, false);
    const replacement = cloud.addLoginPolicy(policy(cloud.host, 'New', OWNER.clientId, fresh)).id as string;
    const document = cloud.oidcClient(id)!;
    cloud.addOidcClient({
      id,
      name: 'c',
      type: 'public',
      tokenPolicy: document.tokenPolicy as string,
      loginPolicy: replacement,
    });
    assert.deepEqual(cloud.signIn(id), { ok: true, clientId: id, loginPolicy: replacement });
  });

  it('names why a sign-in fails', () => {
    const { cloud, client } = s();
    const other = client(cloud.addLoginPolicy(policy('acme.janraincapture.com', 'Elsewhere')).id as string);
    const reader = client(
      cloud.addLoginPolicy(policy(cloud.host, 'Reader', READER.clientId, READER.secret)).id as string,
    );
    const unknownOwner = client(cloud.addLoginPolicy(policy(cloud.host, 'Nobody', 'nobody', 'x')).id as string);
    cloud.addOidcClient({ id: 'config', name: 'config', type: 'confidential', tokenPolicy: 't' });
    const reasons = [other, reader, unknownOwner, 'config', 'missing'].map((id) => {
      const result = cloud.signIn(id);
      return result.ok ? 'ok' : result.reason;
    });
    assert.deepEqual(reasons, [
      'unknown-capture-domain',
      'not-owner',
      'credentials-rejected',
      'no-login-policy',
      'unknown-client',
    ]);
  });

  it('counts attempts and failures per client; resetSignInCounters starts again', () => {
    const { cloud, client } = s();
    const good = client(cloud.addLoginPolicy(policy(cloud.host, 'P')).id as string);
    const bad = client(cloud.addLoginPolicy(policy(cloud.host, 'Q', OWNER.clientId, 'wrong')).id as string);
    for (let i = 0; i < 3; i++) cloud.signIn(good);
    cloud.signIn(bad);
    assert.deepEqual(cloud.signInCounters(), {
      [good]: { attempted: 3, failed: 0 },
      [bad]: { attempted: 1, failed: 1 },
    });
    assert.deepEqual(cloud.state().signIns, cloud.signInCounters());
    cloud.resetSignInCounters();
    assert.deepEqual(cloud.signInCounters(), {});
  });

  it('control endpoints: POST /__fake/sign_in and GET|DELETE /__fake/sign_ins', async () => {
    const { cloud, client } = s();
    const bad = client(cloud.addLoginPolicy(policy(cloud.host, 'Q', OWNER.clientId, 'wrong')).id as string);
    const answer = await rawCall(cloud.url, `/__fake/sign_in?client_id=${bad}`, { method: 'POST' });
    assert.equal(answer.status, 200);
    assert.deepEqual(Object.keys(answer.json as object), ['ok', 'clientId', 'reason', 'loginPolicy', 'why']);
    assert.equal((answer.json as { reason: string }).reason, 'credentials-rejected');
    assert.equal((await rawCall(cloud.url, '/__fake/sign_in', { method: 'POST' })).status, 400);
    assert.deepEqual((await rawCall(cloud.url, '/__fake/sign_ins')).json, {
      clients: { [bad]: { attempted: 1, failed: 1 } },
    });
    assert.deepEqual((await rawCall(cloud.url, '/__fake/sign_ins', { method: 'DELETE' })).json, { clients: {} });
  });

  it('the state shows whether each policy is accepted and each client can sign in, never the secret', () => {
    const { cloud, client } = s();
    const good = cloud.addLoginPolicy(policy(cloud.host, 'P')).id as string;
    const bad = cloud.addLoginPolicy(policy(cloud.host, 'Q', OWNER.clientId, 'canarycanarycanary')).id as string;
    const c1 = client(good);
    const c2 = client(bad);
    const state = cloud.state();
    assert.deepEqual(
      state.loginPolicies.map((p) => [p.title, p.ownerCredentials, p.clients]),
      [
        ['P', 'accepted', [c1]],
        ['Q', 'rejected', [c2]],
      ],
    );
    assert.deepEqual(
      state.oidcClients.map((c) => c.signInWorks),
      [true, false],
    );
    const text = JSON.stringify(state);
    assert.ok(!text.includes(OWNER.secret) && !text.includes('canarycanarycanary'));
    assert.deepEqual(cloud.signInCounters(), {}, 'looking is not signing in');
  });
});

describe('fake Identity Cloud: the sign-in load', () => {
  // The real clock here: the load paces itself in real time.
  const s = setup({ now: () => new Date() });

  it('signs in through every login client, round robin, at the given total rate', async () => {
    const { cloud, client } = s();
    const good = cloud.addLoginPolicy(policy(cloud.host, 'P')).id as string;
    const bad = cloud.addLoginPolicy(policy(cloud.host, 'Q', OWNER.clientId, 'wrong')).id as string;
    const clients = [client(good), client(good), client(bad)];
    cloud.addOidcClient({ id: 'config', name: 'config', type: 'confidential', tokenPolicy: 't' });
    const load = cloud.startSignInLoad({ ratePerSecond: 200 });
    await waitFor(() => load.figures().attempted >= 60, 'sixty sign-ins');
    const figures = load.stop();
    assert.equal(load.running, false);
    // The load catches up on every tick, so what it did matches the rate over the time it ran.
    const expected = Math.floor((figures.elapsedMs * 200) / 1000);
    assert.ok(Math.abs(figures.attempted - expected) <= 2, `${figures.attempted} sign-ins in ${figures.elapsedMs} ms`);
    assert.deepEqual(Object.keys(figures.perClient).sort(), [...clients].sort(), 'not the configuration client');
    const counts = clients.map((id) => figures.perClient[id]!.attempted);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `round robin: ${counts.join(', ')}`);
    assert.equal(figures.failed, figures.perClient[clients[2]!]!.failed);
    assert.equal(figures.perClient[clients[2]!]!.failed, figures.perClient[clients[2]!]!.attempted);
    assert.equal(figures.perClient[clients[0]!]!.failed, 0);
    assert.ok(figures.firstFailureAt !== null && figures.lastFailureAt !== null);
    assert.ok(figures.firstFailureAt <= figures.lastFailureAt);
    const later = load.stop();
    assert.equal(later.attempted, figures.attempted, 'stop() is idempotent and nothing runs after it');
  });

  it('follows re-pointing at once: no failure after the stale clients are moved to a good policy', async () => {
    const { cloud, client } = s();
    const stale = cloud.addLoginPolicy(policy(cloud.host, 'Stale', OWNER.clientId, 'wrong')).id as string;
    const good = cloud.addLoginPolicy(policy(cloud.host, 'Good')).id as string;
    const ids = [client(stale, 'a'), client(stale, 'b'), client(good, 'c')];
    const load = cloud.startSignInLoad({ ratePerSecond: 200 });
    await waitFor(() => load.figures().failed >= 10, 'ten failures');
    for (const id of ids.slice(0, 2)) {
      cloud.addOidcClient({ id, name: 'x', type: 'public', tokenPolicy: 't', loginPolicy: good });
    }
    const failedAtMove = load.figures().failed;
    const attemptedAtMove = load.figures().attempted;
    await waitFor(() => load.figures().attempted >= attemptedAtMove + 40, 'forty more sign-ins');
    const figures = load.stop();
    assert.equal(figures.failed, failedAtMove);
  });

  it('close() stops a running load; the control endpoints start, read and stop one', async () => {
    const { cloud, client } = s();
    client(cloud.addLoginPolicy(policy(cloud.host, 'P')).id as string);
    const started = await rawCall(cloud.url, '/__fake/sign_in_load?rate=300', { method: 'POST' });
    assert.equal(started.status, 201);
    assert.equal((await rawCall(cloud.url, '/__fake/sign_in_load', { method: 'POST' })).status, 409);
    await waitFor(() => Object.values(cloud.signInCounters())[0]?.attempted !== undefined, 'a sign-in');
    const running = (await rawCall(cloud.url, '/__fake/sign_in_load')).json as SignInFigures;
    assert.equal(running.ratePerSecond, 300);
    const stopped = await rawCall(cloud.url, '/__fake/sign_in_load', { method: 'DELETE' });
    assert.ok((stopped.json as SignInFigures).attempted >= 1);
    assert.equal((await rawCall(cloud.url, '/__fake/sign_in_load', { method: 'DELETE' })).status, 404);
    assert.equal((await rawCall(cloud.url, '/__fake/sign_in_load?rate=0', { method: 'POST' })).status, 400);
    const load = cloud.startSignInLoad({ ratePerSecond: 100 });
    await cloud.close();
    assert.equal(load.running, false);
    assert.throws(() => cloud.startSignInLoad({ ratePerSecond: 0 }), RangeError);
  });
});

describe('fake Identity Cloud: while a load runs, every change is judged at once', () => {
  const s = setup({ now: () => new Date() });
  /** So slow that no sampled sign-in falls inside a test: whatever is judged, is judged at a change. */
  const UNSAMPLED = 0.001;

  it('a client re-pointed to a dead policy and back by two requests fails once, though no sample falls between', async () => {
    const { cloud, client } = s();
    const config = { id: 'c0c0c0c0-0000-4000-8000-000000000001', secret: 'configsecret-configsecret-configsecret-01' };
    cloud.addOidcClient({
      id: config.id,
      name: 'config',
      type: 'confidential',
      tokenPolicy: 't',
      secret: config.secret,
      tokenScopes: [CONFIG_SCOPE],
    });
    const good = cloud.addLoginPolicy(policy(cloud.host, 'Good')).id as string;
    const dead = cloud.addLoginPolicy(policy(cloud.host, 'Dead', OWNER.clientId, 'wrong')).id as string;
    const id = client(good, 'web');
    const token = await adminToken(cloud.url, DEFAULT_CUSTOMER_ID, config.id, config.secret);
    const load = cloud.startSignInLoad({ ratePerSecond: UNSAMPLED });
    const put = async (loginPolicy: string) => {
      const document = cloud.oidcClient(id)!;
      const answer = await rawCall(cloud.url, `/${DEFAULT_CUSTOMER_ID}/config/clients/${id}`, {
        method: 'PUT',
        auth: `Bearer ${token}`,
        json: { ...document, loginPolicy },
      });
      assert.equal(answer.status, 200, answer.text);
    };
    await put(dead);
    await put(good);
    const figures = load.stop();
    assert.deepEqual(figures.atChanges, { attempted: 2, failed: 1 });
    assert.deepEqual([figures.attempted, figures.failed], [2, 1], 'no sampled sign-in');
    assert.deepEqual(figures.perClient, { [id]: { attempted: 2, failed: 1 } });
  });

  it('a reset with no grace period and the re-pointing after it, in code: the moment between is judged', () => {
    const { cloud, client } = s();
    const old = cloud.addLoginPolicy(policy(cloud.host, 'Old')).id as string;
    const id = client(old);
    const load = cloud.startSignInLoad({ ratePerSecond: UNSAMPLED });
    const fresh = cloud.resetSecret(OWNER.clientId, 0);
    const replacement = cloud.addLoginPolicy(policy(cloud.host, 'New', OWNER.clientId, fresh)).id as string;
    cloud.addOidcClient({ id, name: 'c', type: 'public', tokenPolicy: 't', loginPolicy: replacement });
    const figures = load.stop();
    // After the reset and after the new policy: the client is still on the old one; after the move it is not.
    assert.deepEqual(figures.atChanges, { attempted: 3, failed: 2 });
  });

  it('judges every client just after a grace period ends, with no request to prompt it', async (t) => {
    const { cloud } = s();
    const ending = { clientId: 'e1e2e3e4e5e6e7e8e9e0e1e2e3e4e5e6', secret: 'endingsecret00000000000000000000' };
    const expiresAt = new Date(Date.now() + 100);
    cloud.addClient({
      clientId: ending.clientId,
      secrets: [{ secret: ending.secret, expiresAt }],
      features: ['owner'],
    });
    const id = cloud.addOidcClient({
      name: 'c',
      type: 'public',
      tokenPolicy: 't',
      loginPolicy: cloud.addLoginPolicy(policy(cloud.host, 'Ending', ending.clientId, ending.secret)).id as string,
    }).id as string;
    const load = cloud.startSignInLoad({ ratePerSecond: UNSAMPLED });
    t.after(() => load.stop());
    await waitFor(() => load.figures().failed > 0, 'the failure at the end of the grace period');
    const figures = load.stop();
    assert.deepEqual(figures.atChanges, { attempted: 1, failed: 1 });
    assert.deepEqual(figures.perClient, { [id]: { attempted: 1, failed: 1 } });
    assert.ok(
      figures.firstFailureAt! >= expiresAt.toISOString(),
      `${figures.firstFailureAt} is after ${expiresAt.toISOString()}`,
    );
  });

  it('judges each grace period end once, on a clock that stands still', async () => {
    const clock = new Date('2025-06-01T12:00:00Z');
    const cloud = await FakeIdentityCloud.start({
      clients: [{ clientId: OWNER.clientId, secrets: [{ secret: OWNER.secret }], features: ['owner'] }],
      now: () => clock,
    });
    try {
      const p = cloud.addLoginPolicy(policy(cloud.host, 'P')).id as string;
      cloud.addOidcClient({ name: 'c', type: 'public', tokenPolicy: 't', loginPolicy: p });
      // The old secret's end is 1 ms away on a clock that never gets there: judged once, not every millisecond.
      cloud.addClient({
        clientId: 'x1x2x3x4x5x6x7x8x9x0x1x2x3x4x5x6',
        secrets: [{ secret: 'xsecret', expiresAt: new Date(clock.getTime() + 1) }],
        features: [],
      });
      const load = cloud.startSignInLoad({ ratePerSecond: 200 });
      await waitFor(
        () => load.figures().attempted - load.figures().atChanges.attempted >= 40,
        'forty sampled sign-ins',
      );
      const figures = load.stop();
      assert.equal(figures.atChanges.attempted, 1);
    } finally {
      await cloud.close();
    }
  });
});

describe('fake Identity Cloud: the seeded demo', () => {
  let cloud: FakeIdentityCloud | undefined;
  after(async () => {
    await cloud?.close();
  });

  it('one stale policy whose two clients fail to sign in; the other policies and clients work', async () => {
    cloud = await FakeIdentityCloud.start(demoOptions());
    seedDemo(cloud);
    const state = cloud.state();
    assert.equal(state.customerId, DEMO.customerId);
    assert.equal(state.applicationId, DEMO.applicationId);
    assert.deepEqual(
      state.loginPolicies.map((p) => [p.id, p.ownerCredentials, p.clients.length]),
      [
        [DEMO.stalePolicy.id, 'rejected', 2],
        [DEMO.currentPolicy.id, 'accepted', 1],
        [DEMO.loyaltyPolicy.id, 'accepted', 1],
      ],
    );
    const signIns = Object.values(DEMO.clients).map((c) => [c.name, cloud!.signIn(c.id).ok]);
    assert.deepEqual(signIns, [
      ['ACME Web Login', false],
      ['ACME iOS App', false],
      ['ACME Partner Portal', true],
      ['ACME Loyalty App', true],
    ]);
    assert.deepEqual(cloud.loginPolicySettings(DEMO.loyaltyPolicy.id), {
      pushClaims: true,
      allowedResponseTypes: ['code', 'token id_token'],
    });
    const token = await rawCall(cloud.url, `/${DEMO.customerId}/login/token`, {
      auth: `Basic ${Buffer.from(`${DEMO.configClient.id}:${DEMO.configClient.secret}`).toString('base64')}`,
      form: { grant_type: 'client_credentials' },
    });
    assert.equal(token.status, 200, 'the printed configuration client gets a token');
  });
});
