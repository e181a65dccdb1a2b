// Per-request faults of the fake Identity Cloud: the next K requests matching method + path answer 500, never
// answer, lose their answer after the change, answer HTML, answer late, or answer 204 after the change; then the normal
// answers come back.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { loginPolicyBody } from '../fake-identity-cloud/bodies';
import { pathPattern } from '../fake-identity-cloud/faults';
import { adminToken, basicAuth, rawCall, type RawAnswer, type RawCall } from '../fake-identity-cloud/raw-client';
import { CONFIG_SCOPE, ERROR_500_HTML, FakeIdentityCloud, NOT_JSON_HTML } from '../fake-identity-cloud/server';

const CUSTOMER = '01000000-0000-3000-9000-000000000000';
const CONFIG = { id: 'c0c0c0c0-0000-4000-8000-000000000001', secret: 'configsecret-configsecret-configsecret-0001' };
const OWNER = { clientId: 'o1o2o3o4o5o6o7o8o9o0o1o2o3o4o5o6', secret: 'ownersecret0000000000000000000aa' };
const POLICIES = `/${CUSTOMER}/config/loginPolicies`;

const newPolicy = (domain: string, title: string): Record<string, unknown> =>
  loginPolicyBody({ domain, title, clientId: OWNER.clientId, clientSecret: OWNER.secret });

describe('fake Identity Cloud: per-request faults', () => {
  let cloud: FakeIdentityCloud | undefined;
  let token = '';
  const c = (): FakeIdentityCloud => {
    assert.ok(cloud);
    return cloud;
  };
  const api = (path: string, options: RawCall = {}): Promise<RawAnswer> =>
    rawCall(c().url, path, { auth: `Bearer ${token}`, ...options });
  const titles = (): string[] =>
    c()
      .loginPolicies()
      .map((p) => p.title as string);

  beforeEach(async () => {
    await cloud?.close();
    cloud = await FakeIdentityCloud.start({
      customerId: CUSTOMER,
      clients: [{ clientId: OWNER.clientId, secrets: [{ secret: OWNER.secret }], features: ['owner'] }],
    });
    cloud.addOidcClient({ ...CONFIG, name: 'c', type: 'confidential', tokenPolicy: 't', tokenScopes: [CONFIG_SCOPE] });
    cloud.addLoginPolicy(newPolicy(cloud.host, 'Old'));
    token = await adminToken(cloud.url, CUSTOMER, CONFIG.id, CONFIG.secret);
  });
  after(async () => {
    await cloud?.close();
  });

  it('error500 hits the next K matching requests only, then normal answers come back', async () => {
    c().injectFault({ method: 'GET', path: POLICIES, kind: 'error500', times: 2 });
    for (let i = 0; i < 2; i++) {
      const answer = await api(POLICIES);
      assert.equal(answer.status, 500);
      assert.match(answer.type, /^text\/html/);
      assert.equal(answer.text, ERROR_500_HTML);
    }
    assert.equal((await api(POLICIES)).status, 200);
    assert.deepEqual(
      c()
        .faults()
        .map((f) => [f.method, f.kind, f.remaining, f.hits]),
      [['GET', 'error500', 0, 2]],
    );
  });

  it('matches the method and the whole path; * is one segment, ** anything', async () => {
    c().injectFault({ method: 'PUT', path: `${POLICIES}/*`, kind: 'error500', times: Infinity });
    c().injectFault({ path: '/**/pushClaims', kind: 'notJson', times: Infinity });
    const id = c().loginPolicies()[0]!.id as string;
    assert.equal((await api(`${POLICIES}/${id}`)).status, 200, 'GET is not PUT');
    assert.equal((await api(POLICIES)).status, 200, 'the collection is not /*');
    const policy = c().loginPolicy(id)!;
    assert.equal((await api(`${POLICIES}/${id}`, { method: 'PUT', json: policy })).status, 500);
    assert.equal((await api(`${POLICIES}/${id}`, { method: 'PUT', json: policy })).status, 500, 'until removed');
    const push = await api(`${POLICIES}/${id}/pushClaims`);
    assert.equal(push.status, 200);
    assert.equal(push.text, NOT_JSON_HTML);
    assert.deepEqual(
      c()
        .faults()
        .map((f) => f.remaining),
      [null, null],
    );
    c().clearFaults();
    assert.equal((await api(`${POLICIES}/${id}`, { method: 'PUT', json: policy })).status, 200);
  });

  it('a failing step changes nothing unless applied is set', async () => {
    c().injectFault({ method: 'POST', path: POLICIES, kind: 'error500' });
    assert.equal((await api(POLICIES, { json: newPolicy(c().host, 'Refused') })).status, 500);
    assert.deepEqual(titles(), ['Old']);
    c().injectFault({ method: 'POST', path: POLICIES, kind: 'error500', applied: true });
    assert.equal((await api(POLICIES, { json: newPolicy(c().host, 'Applied') })).status, 500);
    assert.deepEqual(titles(), ['Old', 'Applied']);
  });

  it('lostAnswer: the POST is carried out, then the connection drops; the caller sees no answer', async () => {
    c().injectFault({ method: 'POST', path: POLICIES, kind: 'lostAnswer' });
    await assert.rejects(api(POLICIES, { json: newPolicy(c().host, 'New (lost answer)') }), TypeError);
    assert.deepEqual(titles(), ['Old', 'New (lost answer)']);
    const logged = c().requests.at(-1)!;
    assert.deepEqual([logged.method, logged.status, logged.fault], ['POST', 0, 'lostAnswer']);
    const list = await api(POLICIES);
    assert.ok(list.text.includes('New (lost answer)'), 'found again by its title');
  });

  it('noContent: the PUT is carried out, then answered 204 with no body', async () => {
    const [id] = c()
      .loginPolicies()
      .map((p) => String(p['id']));
    c().injectFault({ method: 'PUT', path: `${POLICIES}/*/pushClaims`, kind: 'noContent' });
    const answer = await api(`${POLICIES}/${id}/pushClaims`, { method: 'PUT', json: { pushClaims: true } });
    assert.deepEqual([answer.status, answer.text], [204, '']);
    assert.equal(c().loginPolicySettings(id!)?.pushClaims, true);
    assert.deepEqual(c().requests.at(-1)!.fault, 'noContent');
  });

  it('reset drops the connection before anything happens', async () => {
    c().injectFault({ method: 'POST', path: POLICIES, kind: 'reset' });
    await assert.rejects(api(POLICIES, { json: newPolicy(c().host, 'Never') }), TypeError);
    assert.deepEqual(titles(), ['Old']);
    assert.throws(() => c().injectFault({ path: POLICIES, kind: 'reset', applied: true }), /lostAnswer/);
  });

  it('timeout never answers (the client gives up); with applied the change still happens', async () => {
    c().injectFault({ method: 'POST', path: POLICIES, kind: 'timeout' });
    const gaveUp = (error: Error): boolean => error.name === 'TimeoutError';
    await assert.rejects(api(POLICIES, { json: newPolicy(c().host, 'T1'), signal: AbortSignal.timeout(200) }), gaveUp);
    assert.deepEqual(titles(), ['Old']);
    c().injectFault({ method: 'POST', path: POLICIES, kind: 'timeout', applied: true });
    await assert.rejects(api(POLICIES, { json: newPolicy(c().host, 'T2'), signal: AbortSignal.timeout(200) }), gaveUp);
    assert.deepEqual(titles(), ['Old', 'T2']);
    assert.deepEqual(
      c()
        .requests.slice(-2)
        .map((r) => [r.status, r.fault]),
      [
        [0, 'timeout'],
        [0, 'timeout'],
      ],
    );
  });

  it('slow answers normally, delayMs late; a delay applies to other kinds too', async () => {
    c().injectFault({ method: 'GET', path: POLICIES, kind: 'slow', delayMs: 150 });
    let started = performance.now();
    assert.equal((await api(POLICIES)).status, 200);
    assert.ok(performance.now() - started >= 140, 'at least the delay');
    c().injectFault({ method: 'GET', path: POLICIES, kind: 'error500', delayMs: 150 });
    started = performance.now();
    assert.equal((await api(POLICIES)).status, 500);
    assert.ok(performance.now() - started >= 140);
    assert.equal(c().requests.at(-2)?.fault, 'slow');
  });

  it('takes precedence over the global mode, and hits Capture and the token endpoint as well', async () => {
    c().setMode('error500');
    c().injectFault({ path: '/entityType.list', kind: 'notJson' });
    const capture = await rawCall(c().url, '/entityType.list', {
      method: 'POST',
      auth: basicAuth(OWNER.clientId, OWNER.secret),
    });
    assert.equal(capture.text, NOT_JSON_HTML);
    assert.equal((await api(POLICIES)).status, 500, 'the mode for the others');
    c().setMode('normal');
    c().injectFault({ path: `/${CUSTOMER}/login/token`, kind: 'error500' });
    await assert.rejects(adminToken(c().url, CUSTOMER, CONFIG.id, CONFIG.secret), /HTTP 500/);
  });

  it('the first fault added that matches is used, and remove() takes one away', async () => {
    const first = c().injectFault({ path: POLICIES, kind: 'error500', times: Infinity });
    c().injectFault({ path: POLICIES, kind: 'notJson', times: Infinity });
    assert.equal((await api(POLICIES)).status, 500);
    assert.equal(c().removeFault(first), true);
    assert.equal((await api(POLICIES)).text, NOT_JSON_HTML);
    assert.equal(c().removeFault(first), false);
  });

  it('refuses a bad fault', () => {
    assert.throws(() => c().injectFault({ path: '/x', kind: 'explode' as never }), RangeError);
    assert.throws(() => c().injectFault({ path: '/x', kind: 'error500', times: 0 }), RangeError);
    assert.throws(() => c().injectFault({ path: '/x', kind: 'error500', times: 1.5 }), RangeError);
    assert.throws(() => c().injectFault({ path: '/x', kind: 'slow', delayMs: -1 }), RangeError);
  });

  it('control endpoints: POST (JSON or form), GET and DELETE /__fake/faults', async () => {
    const added = await rawCall(c().url, '/__fake/faults', {
      json: { method: 'get', path: POLICIES, kind: 'error500', times: 'always' },
    });
    assert.equal(added.status, 201);
    const { id } = added.json as { id: number };
    const form = await rawCall(c().url, '/__fake/faults', {
      form: { path: '/entityType.list', kind: 'slow', delayMs: '10', times: '2' },
    });
    assert.equal(form.status, 201);
    assert.equal((await api(POLICIES)).status, 500);
    const listed = (await rawCall(c().url, '/__fake/faults')).json as { faults: unknown[] };
    assert.deepEqual(listed.faults, [
      { id, method: 'GET', path: POLICIES, kind: 'error500', delayMs: 0, applied: false, remaining: null, hits: 1 },
      {
        id: id + 1,
        method: '*',
        path: '/entityType.list',
        kind: 'slow',
        delayMs: 10,
        applied: true,
        remaining: 2,
        hits: 0,
      },
    ]);
    assert.equal((await rawCall(c().url, `/__fake/faults?id=${id}`, { method: 'DELETE' })).status, 200);
    assert.equal((await api(POLICIES)).status, 200);
    assert.equal((await rawCall(c().url, '/__fake/faults?id=999', { method: 'DELETE' })).status, 404);
    assert.equal((await rawCall(c().url, '/__fake/faults', { json: { path: 'x', kind: 'error500' } })).status, 400);
    assert.equal((await rawCall(c().url, '/__fake/faults', { json: { path: '/x', kind: 'boom' } })).status, 400);
    assert.equal((await rawCall(c().url, '/__fake/faults', { json: '{' })).status, 400);
    await rawCall(c().url, '/__fake/faults', { method: 'DELETE' });
    assert.deepEqual(c().faults(), []);
  });
});

describe('fault path patterns', () => {
  it('* is one segment, ** any run of characters, the rest literal, the whole path', () => {
    assert.ok(pathPattern('/a/*/c').test('/a/b/c'));
    assert.ok(!pathPattern('/a/*/c').test('/a/b/x/c'));
    assert.ok(pathPattern('/a/**/c').test('/a/b/x/c'));
    assert.ok(!pathPattern('/a/b').test('/a/b/c'));
    assert.ok(pathPattern('/entityType.list').test('/entityType.list'));
    assert.ok(!pathPattern('/entityType.list').test('/entityTypeXlist'));
  });
});
