// The fake Identity Cloud (Capture part): every endpoint, error code, mode and the grace period, over real HTTP.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO } from '../fake-identity-cloud/demo-seed';
import { GRACE_OWNER, LOGIN_CLIENT, scenarioOptions, VENDOR_OWNER } from '../fake-identity-cloud/scenario';
import {
  FakeIdentityCloud,
  signCaptureRequest,
  type FakeClient,
  type FakeCloudOptions,
  type FakeRequest,
  type FakeState,
} from '../fake-identity-cloud/server';

const OWNER: FakeClient = {
  clientId: 'o1o2o3o4o5o6o7o8o9o0o1o2o3o4o5o6',
  secrets: [{ secret: 'ownersecret0000000000000000000aa' }],
  features: ['access_issuer', 'direct_access', 'owner'],
  description: 'application owner',
};
const OWNER_SECRET = 'ownersecret0000000000000000000aa';
const LOGIN: FakeClient = {
  clientId: 'l1l2l3l4l5l6l7l8l9l0l1l2l3l4l5l6',
  secrets: [{ secret: 'loginsecret0000000000000000000bb' }],
  features: ['login_client'],
};
const LOGIN_SECRET = 'loginsecret0000000000000000000bb';
const READER: FakeClient = {
  clientId: 'r1r2r3r4r5r6r7r8r9r0r1r2r3r4r5r6',
  secrets: [{ secret: 'readersecret000000000000000000cc' }],
  features: ['direct_read_access'],
  whitelist: ['10.0.0.0/8'],
};

const ID32 = /^[a-z0-9]{32}$/;
const ID16 = /^[a-z0-9]{16}$/;
const HOUR = 3_600_000;

const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const basicRaw = (text: string): string => `Basic ${Buffer.from(text).toString('base64')}`;

interface CallOptions {
  method?: string;
  auth?: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Every field any answer of the fake can have (a cast of the parsed JSON: absent fields are undefined). */
interface Body {
  stat: string;
  code: number;
  error: string;
  error_description: string;
  request_id: string;
  argument_name: string;
  results: unknown[];
  new_secret: string;
  hours_to_live: number;
  previous_secrets_valid_until: string;
  endpoints: Record<string, string>;
  requests: FakeRequest[];
  count: number;
  mode: string;
}

interface ListedClient {
  client_id: string;
  client_secret: string;
  description: string;
  whitelist: string[];
  features: string[];
}

interface Answer {
  status: number;
  type: string;
  text: string;
  /** The parsed body, or {} when it was not JSON (see isJson). */
  json: Body;
  isJson: boolean;
}

const listed = (answer: Answer): ListedClient[] => answer.json.results as ListedClient[];

async function call(cloud: FakeIdentityCloud, route: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== undefined) headers.authorization = options.auth;
  let body: string | undefined;
  if (options.params) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.params).toString();
  }
  const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  const res = await fetch(`${cloud.url}${route}${query}`, { method: options.method ?? 'POST', headers, body });
  const text = await res.text();
  let json = {} as Body;
  let isJson = true;
  try {
    json = JSON.parse(text) as Body;
  } catch {
    isJson = false;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json, isJson };
}

function assertCaptureError(answer: Answer, code: number, error: string): void {
  assert.equal(answer.status, 200, 'Capture errors are HTTP 200');
  assert.equal(answer.json.stat, 'error');
  assert.equal(answer.json.code, code);
  assert.equal(answer.json.error, error);
  assert.equal(typeof answer.json.error_description, 'string');
  assert.match(answer.json.request_id, ID16);
}

function startGroup(options: FakeCloudOptions = {}): { cloud: () => FakeIdentityCloud } {
  let cloud: FakeIdentityCloud | undefined;
  before(async () => {
    cloud = await FakeIdentityCloud.start({ clients: [OWNER, LOGIN, READER], ...options });
  });
  after(async () => {
    await cloud?.close();
  });
  return {
    cloud: () => {
      assert.ok(cloud);
      return cloud;
    },
  };
}

async function withinMs<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('fake Identity Cloud: server basics', () => {
  const group = startGroup();

  it('listens on 127.0.0.1 with an ephemeral port and says so in url and host', () => {
    const cloud = group.cloud();
    assert.match(cloud.host, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(cloud.host, '127.0.0.1:0');
    assert.equal(cloud.url, `http://${cloud.host}`);
  });

  it('answers an unknown path with HTTP 404 and a Capture-style code 100 body', async () => {
    const answer = await call(group.cloud(), '/entity.nope', { auth: basic(OWNER.clientId, OWNER_SECRET) });
    assert.equal(answer.status, 404);
    assert.match(answer.type, /^application\/json/);
    assert.equal(answer.json.stat, 'error');
    assert.equal(answer.json.code, 100);
    assert.equal(answer.json.error, 'missing_argument');
    assert.match(answer.json.request_id, ID16);
  });

  it('answers a wrong HTTP method with 405 and an Allow header', async () => {
    const res = await fetch(`${group.cloud().url}/clients/reset_secret`, {
      method: 'GET',
      headers: { authorization: basic(OWNER.clientId, OWNER_SECRET) },
    });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    const body = (await res.json()) as { stat: string };
    assert.equal(body.stat, 'error');
    const put = await call(group.cloud(), '/entityType.list', { method: 'PUT' });
    assert.equal(put.status, 405);
  });

  it('refuses a body over 1 MiB with HTTP 413', async () => {
    const answer = await call(group.cloud(), '/entityType.list', { params: { a: 'x'.repeat(1024 * 1024 + 1) } });
    assert.equal(answer.status, 413);
    assert.equal(answer.json.stat, 'error');
  });

  it('adds clients (replacing one with the same id) and refuses ids with a colon', async () => {
    const cloud = group.cloud();
    cloud.addClient({ clientId: 'added', secrets: [{ secret: 'first' }], features: ['owner'] });
    assertOk(await call(cloud, '/entityType.list', { auth: basic('added', 'first') }));
    cloud.addClient({ clientId: 'added', secrets: [{ secret: 'second' }], features: ['owner'] });
    assertCaptureError(
      await call(cloud, '/entityType.list', { auth: basic('added', 'first') }),
      402,
      'invalid_client_credentials',
    );
    assertOk(await call(cloud, '/entityType.list', { auth: basic('added', 'second') }));
    assert.throws(() => cloud.addClient({ clientId: 'a:b', secrets: [{ secret: 'x' }], features: [] }), TypeError);
    assert.throws(() => cloud.addClient({ clientId: '', secrets: [{ secret: 'x' }], features: [] }), TypeError);
  });

  it('copies the clients it is given: later changes to the caller objects do not leak in', async () => {
    const client: FakeClient = { clientId: 'copied', secrets: [{ secret: 'orig' }], features: ['owner'] };
    const cloud = group.cloud();
    cloud.addClient(client);
    client.secrets[0]!.secret = 'changed';
    client.features.length = 0;
    assertOk(await call(cloud, '/entityType.list', { auth: basic('copied', 'orig') }));
  });
});

function assertOk(answer: Answer): void {
  assert.equal(answer.status, 200);
  assert.equal(answer.json?.stat, 'ok', answer.text);
}

describe('fake Identity Cloud: entityType.list and authentication', () => {
  const group = startGroup({ entityTypes: ['user', 'user_test'] });

  it('lists entity types for an owner client over POST and GET', async () => {
    for (const method of ['POST', 'GET']) {
      const answer = await call(group.cloud(), '/entityType.list', {
        method,
        auth: basic(OWNER.clientId, OWNER_SECRET),
      });
      assert.equal(answer.status, 200);
      assert.match(answer.type, /^application\/json/);
      assert.deepEqual(answer.json, { results: ['user', 'user_test'], stat: 'ok' });
    }
  });

  it('defaults to ["user"] and follows setEntityTypes', async () => {
    const cloud = await FakeIdentityCloud.start({ clients: [OWNER] });
    try {
      const auth = basic(OWNER.clientId, OWNER_SECRET);
      assert.deepEqual((await call(cloud, '/entityType.list', { auth })).json, { results: ['user'], stat: 'ok' });
      cloud.setEntityTypes(['member']);
      assert.deepEqual((await call(cloud, '/entityType.list', { auth })).json.results, ['member']);
    } finally {
      await cloud.close();
    }
  });

  it('answers 403 client_permission_error to a valid client without the owner feature', async () => {
    for (const [id, secret] of [
      [LOGIN.clientId, LOGIN_SECRET],
      [READER.clientId, 'readersecret000000000000000000cc'],
    ] as const) {
      const answer = await call(group.cloud(), '/entityType.list', { auth: basic(id, secret) });
      assertCaptureError(answer, 403, 'client_permission_error');
      assert.deepEqual(Object.keys(answer.json).sort(), ['code', 'error', 'error_description', 'request_id', 'stat']);
    }
  });

  it('answers 402 invalid_client_credentials with the documented body to an unknown client or a wrong secret', async () => {
    const unknown = await call(group.cloud(), '/entityType.list', { auth: basic('nobody', OWNER_SECRET) });
    const wrong = await call(group.cloud(), '/entityType.list', { auth: basic(OWNER.clientId, 'wrong') });
    for (const answer of [unknown, wrong]) {
      assertCaptureError(answer, 402, 'invalid_client_credentials');
      assert.deepEqual(Object.keys(answer.json), ['stat', 'code', 'error', 'error_description', 'request_id']);
      assert.equal(answer.json.error_description, 'the client id does not exist or the client secret was wrong');
    }
    assert.notEqual(unknown.json.request_id, wrong.json.request_id, 'every error gets a fresh request_id');
  });

  it('answers 402 when the Authorization header is missing, and says so', async () => {
    const answer = await call(group.cloud(), '/entityType.list');
    assertCaptureError(answer, 402, 'invalid_client_credentials');
    assert.match(answer.json.error_description, /Authorization header is missing/);
  });

  it('answers 402 to malformed Basic credentials', async () => {
    const cases = [
      'Basic',
      'Basic !!!not-base64!!!',
      'Basic ====',
      'Basic a',
      basicRaw('no-colon-here'),
      basicRaw(`:${OWNER_SECRET}`),
      basicRaw(`${OWNER.clientId}:`),
      `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0x41]).toString('base64')}`,
    ];
    for (const auth of cases) {
      assertCaptureError(await call(group.cloud(), '/entityType.list', { auth }), 402, 'invalid_client_credentials');
    }
  });

  it('accepts the Basic scheme name in any case and a secret holding a colon', async () => {
    const cloud = group.cloud();
    assertOk(
      await call(cloud, '/entityType.list', { auth: basic(OWNER.clientId, OWNER_SECRET).replace('Basic', 'bAsIc') }),
    );
    cloud.addClient({ clientId: 'colon', secrets: [{ secret: 'a:b:c' }], features: ['owner'] });
    assertOk(await call(cloud, '/entityType.list', { auth: basic('colon', 'a:b:c') }));
  });

  it('answers 205 invalid_auth_method to another HTTP auth scheme', async () => {
    for (const auth of ['Bearer abc.def.ghi', 'Digest username="x"', OWNER_SECRET]) {
      assertCaptureError(await call(group.cloud(), '/entityType.list', { auth }), 205, 'invalid_auth_method');
    }
  });

  it('answers 414 access_token_expired to OAuth (the fake issues no access tokens)', async () => {
    const answer = await call(group.cloud(), '/entityType.list', { auth: 'OAuth sometoken' });
    assertCaptureError(answer, 414, 'access_token_expired');
  });

  it('checks janrain-signed requests (Signature) as janrain-python-api builds them', async () => {
    const date = '2025-06-01 12:00:00';
    const params = { type_name: 'user', b: '2' };
    const data = `/entityType.list\n${date}\nb=2\ntype_name=user\n`;
    const signature = createHmac('sha1', OWNER_SECRET).update(data).digest('base64');
    assert.equal(
      signCaptureRequest(OWNER_SECRET, '/entityType.list', date, new Map(Object.entries(params))),
      signature,
    );
    const signed = (sig: string, headers: Record<string, string> = { date }): CallOptions => ({
      auth: `Signature ${OWNER.clientId}:${sig}`,
      headers,
      params,
    });
    assertOk(await call(group.cloud(), '/entityType.list', signed(signature)));
    const bad = createHmac('sha1', 'wrong').update(data).digest('base64');
    assertCaptureError(await call(group.cloud(), '/entityType.list', signed(bad)), 402, 'invalid_client_credentials');
    const noDate = await call(group.cloud(), '/entityType.list', signed(signature, {}));
    assertCaptureError(noDate, 402, 'invalid_client_credentials');
    assert.match(noDate.json.error_description, /Date header/);
    const noColon = await call(group.cloud(), '/entityType.list', { auth: 'Signature abc', headers: { date } });
    assertCaptureError(noColon, 402, 'invalid_client_credentials');
  });

  it('accepts the legacy client_id and client_secret form parameters', async () => {
    assertOk(
      await call(group.cloud(), '/entityType.list', {
        params: { client_id: OWNER.clientId, client_secret: OWNER_SECRET },
      }),
    );
    const wrong = await call(group.cloud(), '/entityType.list', {
      params: { client_id: OWNER.clientId, client_secret: 'nope' },
    });
    assertCaptureError(wrong, 402, 'invalid_client_credentials');
    const half = await call(group.cloud(), '/entityType.list', { params: { client_id: OWNER.clientId } });
    assertCaptureError(half, 402, 'invalid_client_credentials');
  });

  it('authenticates before it looks at arguments', async () => {
    const answer = await call(group.cloud(), '/clients/list', {
      auth: basic(OWNER.clientId, 'wrong'),
      params: { has_features: '[' },
    });
    assertCaptureError(answer, 402, 'invalid_client_credentials');
  });
});

describe('fake Identity Cloud: secrets, expiry and the grace period', () => {
  let clock = new Date('2025-06-01T12:00:00Z');
  const group = startGroup({
    now: () => clock,
    clients: [
      OWNER,
      LOGIN,
      {
        clientId: 'g1g2g3g4g5g6g7g8g9g0g1g2g3g4g5g6',
        features: ['owner'],
        secrets: [
          { secret: 'expiredexpiredexpiredexpired0001', expiresAt: new Date('2025-05-01T00:00:00Z') },
          { secret: 'currentcurrentcurrentcurrent0001' },
        ],
      },
    ],
  });
  const advance = (hours: number): void => {
    clock = new Date(clock.getTime() + hours * HOUR);
  };
  const probe = (id: string, secret: string): Promise<Answer> =>
    call(group.cloud(), '/entityType.list', { auth: basic(id, secret) });

  it('refuses a secret whose expiresAt has passed and accepts the current one', async () => {
    assertCaptureError(
      await probe('g1g2g3g4g5g6g7g8g9g0g1g2g3g4g5g6', 'expiredexpiredexpiredexpired0001'),
      402,
      'invalid_client_credentials',
    );
    assertOk(await probe('g1g2g3g4g5g6g7g8g9g0g1g2g3g4g5g6', 'currentcurrentcurrentcurrent0001'));
  });

  it('resetSecret(id, 48): both secrets work, the old one stops after 48 h', async () => {
    const cloud = group.cloud();
    const fresh = cloud.resetSecret(OWNER.clientId, 48);
    assert.match(fresh, ID32);
    assert.notEqual(fresh, OWNER_SECRET);
    assert.equal(cloud.currentSecret(OWNER.clientId), fresh);
    assertOk(await probe(OWNER.clientId, OWNER_SECRET));
    assertOk(await probe(OWNER.clientId, fresh));
    const owner = cloud.state().clients.find((c) => c.clientId === OWNER.clientId);
    assert.deepEqual(owner?.secrets.entries, [
      { status: 'previous', expiresAt: new Date(clock.getTime() + 48 * HOUR).toISOString() },
      { status: 'current', expiresAt: null },
    ]);
    advance(47);
    assertOk(await probe(OWNER.clientId, OWNER_SECRET));
    advance(2);
    assertCaptureError(await probe(OWNER.clientId, OWNER_SECRET), 402, 'invalid_client_credentials');
    assertOk(await probe(OWNER.clientId, fresh));
    // The new secret can now be used to read itself as the current one.
    const list = await call(cloud, '/clients/list', { auth: basic(OWNER.clientId, fresh) });
    assert.equal(listed(list).find((c) => c.client_id === OWNER.clientId)?.client_secret, fresh);
  });

  it('resetSecret(id, 0): the old secret stops at once', async () => {
    const cloud = group.cloud();
    const old = cloud.currentSecret(LOGIN.clientId);
    assert.equal(old, LOGIN_SECRET);
    const fresh = cloud.resetSecret(LOGIN.clientId, 0);
    assert.equal(cloud.currentSecret(LOGIN.clientId), fresh);
    assertCaptureError(await probe(LOGIN.clientId, LOGIN_SECRET), 402, 'invalid_client_credentials');
    assertCaptureError(await probe(LOGIN.clientId, fresh), 403, 'client_permission_error');
  });

  it('a second reset never extends an older secret', async () => {
    const cloud = group.cloud();
    const id = 'g1g2g3g4g5g6g7g8g9g0g1g2g3g4g5g6';
    const first = cloud.resetSecret(id, 1);
    const second = cloud.resetSecret(id, 100);
    advance(2);
    assertCaptureError(await probe(id, 'currentcurrentcurrentcurrent0001'), 402, 'invalid_client_credentials');
    assertOk(await probe(id, first));
    assertOk(await probe(id, second));
    assert.equal(cloud.currentSecret(id), second);
  });

  it('resetSecret refuses an unknown client and hours outside 0-168', () => {
    const cloud = group.cloud();
    assert.throws(() => cloud.resetSecret('nobody', 1), /no API client/);
    for (const hours of [-1, 169, 1.5, Number.NaN]) {
      assert.throws(() => cloud.resetSecret(OWNER.clientId, hours), RangeError);
    }
  });
});

describe('fake Identity Cloud: clients/list', () => {
  const group = startGroup();
  const list = (options: CallOptions = {}): Promise<Answer> =>
    call(group.cloud(), '/clients/list', { auth: basic(OWNER.clientId, OWNER_SECRET), ...options });
  const ids = (answer: Answer): string[] => listed(answer).map((c) => c.client_id);

  it('lists every client with its current secret, description, whitelist and features', async () => {
    const answer = await list();
    assertOk(answer);
    assert.deepEqual(answer.json.results, [
      {
        client_id: OWNER.clientId,
        client_secret: OWNER_SECRET,
        description: 'application owner',
        whitelist: ['0.0.0.0/0'],
        features: ['access_issuer', 'direct_access', 'owner'],
      },
      {
        client_id: LOGIN.clientId,
        client_secret: LOGIN_SECRET,
        description: '',
        whitelist: ['0.0.0.0/0'],
        features: ['login_client'],
      },
      {
        client_id: READER.clientId,
        client_secret: 'readersecret000000000000000000cc',
        description: '',
        whitelist: ['10.0.0.0/8'],
        features: ['direct_read_access'],
      },
    ]);
    assert.deepEqual(Object.keys(answer.json), ['results', 'stat']);
  });

  it('filters with has_features (form body or query string, GET or POST): at least one listed feature', async () => {
    assert.deepEqual(ids(await list({ params: { has_features: '["owner"]' } })), [OWNER.clientId]);
    assert.deepEqual(ids(await list({ method: 'GET', query: { has_features: '["owner"]' } })), [OWNER.clientId]);
    assert.deepEqual(ids(await list({ query: { has_features: '["login_client","direct_read_access"]' } })), [
      LOGIN.clientId,
      READER.clientId,
    ]);
    assert.deepEqual(ids(await list({ params: { has_features: '["metadata"]' } })), []);
    assert.deepEqual(ids(await list({ params: { has_features: '[]' } })), []);
  });

  it('answers 200 invalid_argument for has_features that is not a JSON array', async () => {
    const answer = await list({ params: { has_features: '["owner"' } });
    assertCaptureError(answer, 200, 'invalid_argument');
    assert.equal(answer.json.argument_name, 'has_features');
    assert.equal(
      answer.json.error_description,
      'has_features was not valid for the following reason: the JSON is not syntactically valid',
    );
    for (const value of ['owner', '', '{"a":1}', '[1]']) {
      const bad = await list({ params: { has_features: value } });
      assertCaptureError(bad, 200, 'invalid_argument');
      assert.equal(bad.json.argument_name, 'has_features');
    }
  });

  it('is owner only', async () => {
    const answer = await call(group.cloud(), '/clients/list', { auth: basic(LOGIN.clientId, LOGIN_SECRET) });
    assertCaptureError(answer, 403, 'client_permission_error');
  });

  it('reports the newest unexpired secret as client_secret during a grace period', async () => {
    const cloud = group.cloud();
    const fresh = cloud.resetSecret(READER.clientId, 24);
    const answer = await list({ params: { has_features: '["direct_read_access"]' } });
    assert.equal(listed(answer)[0]?.client_secret, fresh);
  });
});

describe('fake Identity Cloud: clients/reset_secret', () => {
  const group = startGroup();
  const reset = (params: Record<string, string>, auth = basic(OWNER.clientId, OWNER_SECRET)): Promise<Answer> =>
    call(group.cloud(), '/clients/reset_secret', { auth, params });

  it('returns a new 32-char secret; the old one keeps working for hours_to_live hours', async () => {
    const answer = await reset({ for_client_id: LOGIN.clientId, hours_to_live: '48' });
    assertOk(answer);
    assert.deepEqual(Object.keys(answer.json), ['new_secret', 'stat']);
    assert.match(answer.json.new_secret, ID32);
    assert.equal(group.cloud().currentSecret(LOGIN.clientId), answer.json.new_secret);
    const probe = (secret: string): Promise<Answer> =>
      call(group.cloud(), '/entityType.list', { auth: basic(LOGIN.clientId, secret) });
    assertCaptureError(await probe(LOGIN_SECRET), 403, 'client_permission_error'); // still authenticates
    assertCaptureError(await probe(answer.json.new_secret), 403, 'client_permission_error');
    const entries = group
      .cloud()
      .state()
      .clients.find((c) => c.clientId === LOGIN.clientId)?.secrets;
    assert.equal(entries?.valid, 2);
  });

  it('hours_to_live 0 ends the old secret at once (an owner may reset its own secret)', async () => {
    const cloud = group.cloud();
    cloud.addClient({ clientId: 'self', secrets: [{ secret: 'selfsecret' }], features: ['owner'] });
    const answer = await reset({ for_client_id: 'self', hours_to_live: '0' }, basic('self', 'selfsecret'));
    assertOk(answer);
    assertCaptureError(
      await call(cloud, '/entityType.list', { auth: basic('self', 'selfsecret') }),
      402,
      'invalid_client_credentials',
    );
    assertOk(await call(cloud, '/entityType.list', { auth: basic('self', answer.json.new_secret) }));
  });

  it('answers 100 missing_argument without for_client_id or hours_to_live', async () => {
    const noClient = await reset({ hours_to_live: '1' });
    assertCaptureError(noClient, 100, 'missing_argument');
    assert.equal(noClient.json.argument_name, 'for_client_id');
    const noHours = await reset({ for_client_id: READER.clientId });
    assertCaptureError(noHours, 100, 'missing_argument');
    assert.equal(noHours.json.argument_name, 'hours_to_live');
  });

  it('answers 200 invalid_argument for hours_to_live outside the integers 0-168 and for an unknown client', async () => {
    for (const hours of ['169', '-1', '1.5', 'abc', '1e2', '0x10', '1000']) {
      const answer = await reset({ for_client_id: READER.clientId, hours_to_live: hours });
      assertCaptureError(answer, 200, 'invalid_argument');
      assert.equal(answer.json.argument_name, 'hours_to_live', hours);
    }
    assertOk(await reset({ for_client_id: READER.clientId, hours_to_live: '168' }));
    const unknown = await reset({ for_client_id: 'nobody', hours_to_live: '1' });
    assertCaptureError(unknown, 200, 'invalid_argument');
    assert.equal(unknown.json.argument_name, 'for_client_id');
  });

  it('is owner only', async () => {
    const answer = await reset({ for_client_id: LOGIN.clientId, hours_to_live: '1' }, basic(READER.clientId, 'x'));
    assertCaptureError(answer, 402, 'invalid_client_credentials');
    const cloud = group.cloud();
    const secret = cloud.currentSecret(READER.clientId) ?? '';
    const denied = await reset({ for_client_id: READER.clientId, hours_to_live: '1' }, basic(READER.clientId, secret));
    assertCaptureError(denied, 403, 'client_permission_error');
    assert.equal(cloud.currentSecret(READER.clientId), secret, 'a refused reset changes nothing');
  });
});

describe('fake Identity Cloud: modes', () => {
  const group = startGroup();
  const auth = basic(OWNER.clientId, OWNER_SECRET);

  it('error500: HTTP 500 with a short HTML body', async () => {
    const cloud = group.cloud();
    cloud.setMode('error500');
    try {
      const answer = await call(cloud, '/entityType.list', { auth });
      assert.equal(answer.status, 500);
      assert.match(answer.type, /^text\/html/);
      assert.match(answer.text, /^<html>.*<\/html>$/s);
    } finally {
      cloud.setMode('normal');
    }
  });

  it('rateLimit: HTTP 200 with code 510 api_limit_error', async () => {
    const cloud = group.cloud();
    cloud.setMode('rateLimit');
    try {
      assertCaptureError(await call(cloud, '/clients/list', { auth }), 510, 'api_limit_error');
    } finally {
      cloud.setMode('normal');
    }
  });

  it('notJson: HTTP 200 with a text/html page', async () => {
    const cloud = group.cloud();
    cloud.setMode('notJson');
    try {
      const answer = await call(cloud, '/entityType.list', { auth });
      assert.equal(answer.status, 200);
      assert.match(answer.type, /^text\/html/);
      assert.match(answer.text, /^<html>.*<\/html>$/s);
      assert.equal(answer.isJson, false);
    } finally {
      cloud.setMode('normal');
    }
  });

  it('reset: the connection is dropped without an answer', async () => {
    const cloud = group.cloud();
    cloud.setMode('reset');
    try {
      await assert.rejects(
        fetch(`${cloud.url}/entityType.list`, { method: 'POST', headers: { authorization: auth } }),
        TypeError,
      );
      assert.equal(cloud.requests.at(-1)?.status, 0);
    } finally {
      cloud.setMode('normal');
    }
  });

  it('modes leave the control endpoints alone, and normal mode comes back', async () => {
    const cloud = group.cloud();
    for (const mode of ['error500', 'notJson', 'reset', 'rateLimit', 'timeout'] as const) {
      cloud.setMode(mode);
      const state = await call(cloud, '/__fake/state', { method: 'GET' });
      assert.equal(state.status, 200);
      assert.equal(state.json.mode, mode);
    }
    cloud.setMode('normal');
    assertOk(await call(cloud, '/entityType.list', { auth }));
  });

  it('setMode refuses an unknown mode', () => {
    assert.throws(() => group.cloud().setMode('slow' as never), RangeError);
  });

  it('timeout: the request hangs until the client gives up, and close() still ends at once', async () => {
    const cloud = await FakeIdentityCloud.start({ clients: [OWNER] });
    try {
      cloud.setMode('timeout');
      const started = Date.now();
      await assert.rejects(
        fetch(`${cloud.url}/entityType.list`, {
          method: 'POST',
          headers: { authorization: auth },
          signal: AbortSignal.timeout(300),
        }),
        (error: Error) => error.name === 'TimeoutError' || error.name === 'AbortError',
      );
      assert.ok(Date.now() - started >= 250);
      // A second request that is still hanging when close() runs.
      const hanging = fetch(`${cloud.url}/clients/list`, { method: 'POST', headers: { authorization: auth } }).then(
        () => 'answered',
        () => 'failed',
      );
      await waitFor(() => cloud.requests.length === 2);
      assert.deepEqual(
        cloud.requests.map((r) => [r.path, r.status, r.clientId]),
        [
          ['/entityType.list', 0, OWNER.clientId],
          ['/clients/list', 0, OWNER.clientId],
        ],
      );
      await withinMs(2000, cloud.close(), 'close() in timeout mode');
      assert.equal(await withinMs(2000, hanging, 'the hanging request'), 'failed');
    } finally {
      await cloud.close();
    }
  });
});

async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('fake Identity Cloud: control endpoints', () => {
  const group = startGroup({ entityTypes: ['user', 'GREG_DEMO'] });

  it('GET /__fake/ lists the control endpoints', async () => {
    const answer = await call(group.cloud(), '/__fake/', { method: 'GET' });
    assert.equal(answer.status, 200);
    assert.ok(Object.keys(answer.json.endpoints).includes('GET /__fake/state'));
  });

  it('GET /__fake/state shows clients, features, secret counts and expiries, mode and request count', async () => {
    const cloud = group.cloud();
    await call(cloud, '/entityType.list', { auth: basic(OWNER.clientId, OWNER_SECRET) });
    const answer = await call(cloud, '/__fake/state', { method: 'GET' });
    const state = answer.json as unknown as FakeState;
    assert.equal(state.mode, 'normal');
    assert.equal(state.url, cloud.url);
    assert.equal(state.host, cloud.host);
    assert.ok(state.requestCount >= 1);
    assert.deepEqual(state.entityTypes, ['user', 'GREG_DEMO']);
    assert.deepEqual(
      state.clients.map((c) => [c.clientId, c.owner, c.secrets.count]),
      [
        [OWNER.clientId, true, 1],
        [LOGIN.clientId, false, 1],
        [READER.clientId, false, 1],
      ],
    );
    assert.deepEqual(state.clients[0]?.secrets, {
      count: 1,
      valid: 1,
      expired: 0,
      entries: [{ status: 'current', expiresAt: null }],
    });
    const { now: _now, ...direct } = cloud.state();
    assert.deepEqual(
      { ...state, now: '' },
      JSON.parse(JSON.stringify({ ...direct, requestCount: state.requestCount, now: '' })),
    );
  });

  it('GET and POST /__fake/mode read and switch the mode; an unknown mode is a 400', async () => {
    const cloud = group.cloud();
    assert.deepEqual((await call(cloud, '/__fake/mode', { query: { set: 'rateLimit' } })).json, { mode: 'rateLimit' });
    assert.equal(cloud.mode, 'rateLimit');
    assert.deepEqual((await call(cloud, '/__fake/mode', { method: 'GET' })).json, { mode: 'rateLimit' });
    assert.equal((await call(cloud, '/__fake/mode', { query: { set: 'sleepy' } })).status, 400);
    assert.equal((await call(cloud, '/__fake/mode', { params: { set: 'normal' } })).status, 200);
    assert.equal(cloud.mode, 'normal');
  });

  it('POST /__fake/reset_secret resets a secret and returns it', async () => {
    const cloud = group.cloud();
    const answer = await call(cloud, '/__fake/reset_secret', { query: { client_id: READER.clientId, hours: '5' } });
    assert.equal(answer.status, 200);
    assert.match(answer.json.new_secret, ID32);
    assert.equal(answer.json.hours_to_live, 5);
    assert.equal(cloud.currentSecret(READER.clientId), answer.json.new_secret);
    assert.ok(!Number.isNaN(Date.parse(answer.json.previous_secrets_valid_until)));
    assert.equal(
      (await call(cloud, '/__fake/reset_secret', { query: { client_id: 'nobody', hours: '1' } })).status,
      404,
    );
    assert.equal((await call(cloud, '/__fake/reset_secret', { query: { client_id: READER.clientId } })).status, 400);
    for (const hours of ['169', '-1', 'x']) {
      const bad = await call(cloud, '/__fake/reset_secret', { query: { client_id: READER.clientId, hours } });
      assert.equal(bad.status, 400);
    }
    assert.equal((await call(cloud, '/__fake/reset_secret', { query: {} })).status, 400);
    assert.equal((await call(cloud, '/__fake/reset_secret', { method: 'GET' })).status, 405);
  });

  it('GET /__fake/requests shows the log; DELETE clears it', async () => {
    const cloud = group.cloud();
    await call(cloud, '/__fake/requests', { method: 'DELETE' });
    await call(cloud, '/entityType.list', { auth: basic(LOGIN.clientId, LOGIN_SECRET) });
    await call(cloud, '/entityType.list');
    const answer = await call(cloud, '/__fake/requests', { method: 'GET' });
    const requests = answer.json.requests;
    assert.deepEqual(
      requests.map((r) => [r.method, r.path, r.clientId, r.status, r.code]),
      [
        ['DELETE', '/__fake/requests', undefined, 200, undefined],
        ['POST', '/entityType.list', LOGIN.clientId, 200, 403],
        ['POST', '/entityType.list', undefined, 200, 402],
      ],
    );
    assert.equal(answer.json.count, 3);
    assert.ok(requests.every((r) => !Number.isNaN(Date.parse(r.at as unknown as string))));
  });

  it('answers an unknown control path with 404 and a wrong method with 405', async () => {
    assert.equal((await call(group.cloud(), '/__fake/nothing', { method: 'GET' })).status, 404);
    assert.equal((await call(group.cloud(), '/__fake/state', { method: 'POST' })).status, 405);
  });
});

describe('fake Identity Cloud: no secret in the request log or the state', () => {
  const CANARY = 'canarycanarycanarycanarycanary42';
  const seen: FakeRequest[] = [];
  const group = startGroup({
    clients: [{ clientId: 'canary-owner', secrets: [{ secret: CANARY }], features: ['owner'] }, LOGIN],
    onRequest: (r) => seen.push(r),
    now: () => new Date('2025-06-01T12:00:00Z'),
  });

  it('never records a secret, an Authorization header or a query string', async () => {
    const cloud = group.cloud();
    const auth = basic('canary-owner', CANARY);
    const hits: Answer[] = [];
    hits.push(await call(cloud, '/entityType.list', { auth }));
    hits.push(await call(cloud, '/clients/list', { auth, params: { has_features: '["owner"]' } }));
    hits.push(await call(cloud, '/entityType.list', { auth: basic(LOGIN.clientId, CANARY) }));
    hits.push(await call(cloud, '/entityType.list', { auth: basicRaw(CANARY) }));
    hits.push(await call(cloud, '/entityType.list', { auth: CANARY }));
    hits.push(await call(cloud, '/entityType.list', { auth: `Bearer ${CANARY}` }));
    hits.push(await call(cloud, '/entityType.list', { auth: `OAuth ${CANARY}` }));
    hits.push(await call(cloud, '/entityType.list', { params: { client_id: 'canary-owner', client_secret: CANARY } }));
    hits.push(await call(cloud, '/entityType.list', { query: { client_id: 'canary-owner', client_secret: CANARY } }));
    hits.push(await call(cloud, '/entity.find', { method: 'GET', query: { client_secret: CANARY } }));
    const reset = await call(cloud, '/clients/reset_secret', {
      auth,
      params: { for_client_id: 'canary-owner', hours_to_live: '48' },
    });
    const fresh = reset.json.new_secret;
    const viaControl = await call(cloud, '/__fake/reset_secret', { query: { client_id: LOGIN.clientId, hours: '1' } });
    const controlSecret = viaControl.json.new_secret;
    cloud.setMode('rateLimit');
    await call(cloud, '/entityType.list', { auth });
    cloud.setMode('normal');

    assert.equal(hits[0]!.json.stat, 'ok');
    assert.equal(hits[7]!.json.stat, 'ok');
    assert.equal(hits[8]!.json.stat, 'ok');
    assert.equal(cloud.currentSecret('canary-owner'), fresh);

    const state = await call(cloud, '/__fake/state', { method: 'GET' });
    const log = await call(cloud, '/__fake/requests', { method: 'GET' });
    const texts = {
      requests: JSON.stringify(cloud.requests),
      observed: JSON.stringify(seen),
      state: state.text,
      stateObject: JSON.stringify(cloud.state()),
      requestsEndpoint: log.text,
    };
    const basicToken = auth.slice('Basic '.length);
    for (const [where, text] of Object.entries(texts)) {
      for (const secret of [CANARY, fresh, controlSecret, LOGIN_SECRET, basicToken]) {
        assert.ok(!text.includes(secret), `${where} must not contain a secret`);
      }
      assert.ok(!/authorization/i.test(text), `${where} must not mention the Authorization header`);
      assert.ok(!text.includes('client_secret'), `${where} must not hold a query string`);
    }
    assert.ok(texts.requests.includes('canary-owner'), 'the client id is logged');
    assert.deepEqual(seen, cloud.requests, 'onRequest saw every logged request');
  });

  it('keeps only the most recent requestLogLimit requests but counts them all', async () => {
    const cloud = await FakeIdentityCloud.start({ requestLogLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await call(cloud, '/entityType.list');
      assert.equal(cloud.requests.length, 3);
      assert.equal(cloud.state().requestCount, 5);
      cloud.clearRequests();
      assert.equal(cloud.requests.length, 0);
    } finally {
      await cloud.close();
    }
  });
});

describe('fake Identity Cloud: the vendor-page scenario', () => {
  const group = startGroup(scenarioOptions(new Date()));
  const probe = (id: string, secret: string): Promise<Answer> =>
    call(group.cloud(), '/entityType.list', { auth: basic(id, secret) });

  it('the old vendor-page secret is stale (402); the current one works and lists GREG_DEMO', async () => {
    assertCaptureError(
      await probe(VENDOR_OWNER.clientId, VENDOR_OWNER.expiredSecret),
      402,
      'invalid_client_credentials',
    );
    const ok = await probe(VENDOR_OWNER.clientId, VENDOR_OWNER.currentSecret);
    assert.deepEqual(ok.json, { results: ['user', 'GREG_DEMO'], stat: 'ok' });
  });

  it('the grace-period owner accepts both secrets and reports the new one as current', async () => {
    assertOk(await probe(GRACE_OWNER.clientId, GRACE_OWNER.previousSecret));
    assertOk(await probe(GRACE_OWNER.clientId, GRACE_OWNER.currentSecret));
    const list = await call(group.cloud(), '/clients/list', {
      auth: basic(GRACE_OWNER.clientId, GRACE_OWNER.previousSecret),
      params: { has_features: '["owner"]' },
    });
    assert.deepEqual(
      listed(list).map((c) => [c.client_id, c.client_secret]),
      [
        [VENDOR_OWNER.clientId, VENDOR_OWNER.currentSecret],
        [GRACE_OWNER.clientId, GRACE_OWNER.currentSecret],
      ],
    );
  });

  it('the login_client is valid but not an owner (403)', async () => {
    assertCaptureError(await probe(LOGIN_CLIENT.clientId, LOGIN_CLIENT.secret), 403, 'client_permission_error');
  });

  it('all seeded ids and secrets have the observed format', () => {
    for (const value of [
      VENDOR_OWNER.clientId,
      VENDOR_OWNER.currentSecret,
      VENDOR_OWNER.expiredSecret,
      GRACE_OWNER.clientId,
      GRACE_OWNER.currentSecret,
      GRACE_OWNER.previousSecret,
      LOGIN_CLIENT.clientId,
      LOGIN_CLIENT.secret,
    ]) {
      assert.match(value, ID32);
    }
  });
});

describe('fake Identity Cloud: main.js (npm run fake-cloud)', () => {
  it('starts the scenario on the given port, prints how to use it, logs requests without secrets, stops on SIGINT', async () => {
    const main = path.join(__dirname, '..', 'fake-identity-cloud', 'main.js');
    const child = spawn(process.execPath, [main, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => stdout.includes('Ctrl-C'), 10_000);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      assert.ok(url, stdout);
      assert.ok(stdout.includes(`Policy "domain": ${url.slice('http://'.length)}`));
      for (const text of [
        VENDOR_OWNER.clientId,
        VENDOR_OWNER.expiredSecret,
        GRACE_OWNER.previousSecret,
        '/__fake/state',
        'THIS IS A FAKE',
        `export LOGIN_POLICY_API_BASE=${url}\n`,
        `export LOGIN_POLICY_CUSTOMER_ID=${DEMO.customerId}\n`,
        `export LOGIN_POLICY_REGION=${DEMO.region}\n`,
        `export LOGIN_POLICY_CONFIG_CLIENT_ID=${DEMO.configClient.id}\n`,
        `export LOGIN_POLICY_CONFIG_CLIENT_SECRET=${DEMO.configClient.secret}\n`,
        `export LOGIN_POLICY_OWNER_CLIENT_SECRET=${VENDOR_OWNER.currentSecret}\n`,
        `${DEMO.stalePolicy.id}  ${DEMO.stalePolicy.title}  owner secret REJECTED (stale)`,
        `${DEMO.clients.web.name}  sign-in FAILS`,
        `${DEMO.clients.partners.name}  sign-in works`,
      ]) {
        assert.ok(stdout.includes(text), text);
      }
      // What the banner promises works: the printed configuration client gets a token there.
      const token = await fetch(`${url}/${DEMO.customerId}/login/token`, {
        method: 'POST',
        headers: {
          authorization: basic(DEMO.configClient.id, DEMO.configClient.secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      assert.equal(token.status, 200);
      const banner = stdout.length;
      const res = await fetch(`${url}/entityType.list`, {
        method: 'POST',
        headers: { authorization: basic(VENDOR_OWNER.clientId, VENDOR_OWNER.expiredSecret) },
      });
      assert.equal(((await res.json()) as { code: number }).code, 402);
      const state = (await (await fetch(`${url}/__fake/state`)).json()) as FakeState;
      assert.deepEqual(
        state.clients.map((c) => [c.clientId, c.secrets.entries.map((e) => e.status)]),
        [
          [VENDOR_OWNER.clientId, ['expired', 'current']],
          [GRACE_OWNER.clientId, ['previous', 'current']],
          [LOGIN_CLIENT.clientId, ['current']],
        ],
      );
      await waitFor(() => stdout.slice(banner).includes('/__fake/state'));
      const logged = stdout.slice(banner);
      assert.ok(!logged.includes(DEMO.configClient.secret));
      assert.match(logged, /POST \/entityType\.list client=7ns3pxeq92eghsqfu5sanshe939vmrjm -> 200 code 402/);
      assert.ok(!logged.includes(VENDOR_OWNER.expiredSecret));
      child.kill('SIGINT');
      assert.equal(await withinMs(5000, exited, 'main.js exit'), 0);
      assert.equal(stderr, '');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a bad --port with exit code 2', async () => {
    const main = path.join(__dirname, '..', 'fake-identity-cloud', 'main.js');
    const child = spawn(process.execPath, [main, '--port', 'x'], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 2);
  });
});
