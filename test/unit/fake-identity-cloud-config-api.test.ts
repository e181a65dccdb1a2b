// The fake Identity Cloud's Hosted Login configuration API (token, login policies, OIDC clients) and the
// Configuration API's API clients, over real HTTP: shapes from the facts file §2-§3, errors as DESIGN §13 assumes.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loginPolicyBody } from '../fake-identity-cloud/bodies';
import { adminToken, basicAuth, rawCall, type RawAnswer, type RawCall } from '../fake-identity-cloud/raw-client';
import { CONFIG_SCOPE, FakeIdentityCloud, type FakeClient } from '../fake-identity-cloud/server';

const CUSTOMER = '01000000-0000-3000-9000-000000000000';
const APP = 'q7w2e9r4t6y1u8i3o5p0a2s4dz';
const OWNER_SECRET = 'ownersecret0000000000000000000aa';
const OWNER: FakeClient = {
  clientId: 'o1o2o3o4o5o6o7o8o9o0o1o2o3o4o5o6',
  secrets: [{ secret: OWNER_SECRET }],
  features: ['access_issuer', 'direct_access', 'owner'],
  description: 'application owner',
};
const LOGIN_SECRET = 'loginsecret0000000000000000000bb';
const LOGIN: FakeClient = {
  clientId: 'l1l2l3l4l5l6l7l8l9l0l1l2l3l4l5l6',
  secrets: [{ secret: LOGIN_SECRET }],
  features: ['login_client'],
};
const CONFIG = { id: 'c0c0c0c0-0000-4000-8000-000000000001', secret: 'configsecret-configsecret-configsecret-0001' };
const LOGIN_ONLY = { id: 'c0c0c0c0-0000-4000-8000-000000000002', secret: 'loginonlysecret-loginonlysecret-000000002' };
const TOKEN_POLICY = 'a123bcde-4f56-7890-ab12-c34d567e8f90';
const HOUR = 3_600_000;

/** A POST body for a policy whose owner credentials are OWNER's (at `domain`), with custom claims. */
function policyBody(domain: string, title: string, secret = OWNER_SECRET): Record<string, unknown> {
  return {
    ...loginPolicyBody({ domain, title, clientId: OWNER.clientId, clientSecret: secret, applicationId: APP }),
    customClaims: { userinfo: { zip: 'primaryAddress.zip' } },
  };
}

interface World {
  cloud: FakeIdentityCloud;
  token: string;
  advance: (hours: number) => void;
  /** A Bearer call on /{customer}/config/... */
  api: (path: string, options?: RawCall) => Promise<RawAnswer>;
  policyIds: { a: string; b: string };
  clientIds: { web: string; app: string };
}

/** A fresh fake per test: owner + login API clients, a configuration client, two policies, two bound clients. */
function world(): () => World {
  let current: World | undefined;
  beforeEach(async () => {
    await current?.cloud.close();
    let clock = new Date('2025-06-01T12:00:00Z');
    const cloud = await FakeIdentityCloud.start({
      clients: [OWNER, LOGIN],
      customerId: CUSTOMER,
      applicationId: APP,
      now: () => clock,
    });
    cloud.addOidcClient({
      id: CONFIG.id,
      name: 'config',
      type: 'confidential',
      tokenPolicy: TOKEN_POLICY,
      secret: CONFIG.secret,
      tokenScopes: [CONFIG_SCOPE],
    });
    const a = cloud.addLoginPolicy(policyBody(cloud.host, 'Policy A')).id as string;
    const b = cloud.addLoginPolicy(policyBody(cloud.host, 'Policy B')).id as string;
    const web = cloud.addOidcClient({
      name: 'Web',
      type: 'public',
      loginPolicy: a,
      tokenPolicy: TOKEN_POLICY,
      redirectURIs: ['https://www.acme.example/callback'],
    }).id as string;
    const app = cloud.addOidcClient({
      id: LOGIN_ONLY.id,
      name: 'App',
      type: 'confidential',
      loginPolicy: a,
      tokenPolicy: TOKEN_POLICY,
      secret: LOGIN_ONLY.secret,
      extra: { postLogoutRedirectURIs: ['https://app.acme.example/bye'] },
    }).id as string;
    const token = await adminToken(cloud.url, CUSTOMER, CONFIG.id, CONFIG.secret);
    current = {
      cloud,
      token,
      advance: (hours) => (clock = new Date(clock.getTime() + hours * HOUR)),
      api: (path, options = {}) =>
        rawCall(cloud.url, `/${CUSTOMER}/config${path}`, { auth: `Bearer ${token}`, ...options }),
      policyIds: { a, b },
      clientIds: { web, app },
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

const errors = (answer: RawAnswer): unknown => (answer.json as { errors?: unknown } | undefined)?.errors;

function assertError(answer: RawAnswer, status: number, text: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.type, /^application\/json/);
  assert.deepEqual(answer.json, { errors: text });
}

describe('fake config API: the admin token', () => {
  const w = world();
  const token = (auth: string | undefined, form: Record<string, string> = { grant_type: 'client_credentials' }) =>
    rawCall(w().cloud.url, `/${CUSTOMER}/login/token`, { ...(auth ? { auth } : {}), form });

  it('gives the configuration client a Bearer token in the documented shape', async () => {
    const answer = await token(basicAuth(CONFIG.id, CONFIG.secret), {
      grant_type: 'client_credentials',
      scope: CONFIG_SCOPE,
    });
    assert.equal(answer.status, 200);
    const body = answer.json as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['access_token', 'expires_in', 'token_type', 'scope']);
    assert.match(body.access_token as string, /^[A-Za-z0-9_-]{64}$/);
    assert.equal(body.expires_in, 3600);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, CONFIG_SCOPE);
    assert.equal((await w().api('/loginPolicies', { auth: `Bearer ${body.access_token as string}` })).status, 200);
  });

  it('answers 401 Unauthorized to a wrong secret, an unknown client, a public client and no credentials', async () => {
    for (const auth of [
      basicAuth(CONFIG.id, 'wrong'),
      basicAuth('nobody', CONFIG.secret),
      basicAuth(w().clientIds.web, 'anything'),
      basicAuth(OWNER.clientId, OWNER_SECRET),
      `Bearer ${w().token}`,
      undefined,
    ]) {
      assertError(await token(auth), 401, 'Unauthorized');
    }
  });

  it('answers 403 Forbidden to a client whose token policy does not allow the scope', async () => {
    assertError(await token(basicAuth(LOGIN_ONLY.id, LOGIN_ONLY.secret)), 403, 'Forbidden');
    const scoped = await token(basicAuth(CONFIG.id, CONFIG.secret), {
      grant_type: 'client_credentials',
      scope: '*:config/** *:admin/**',
    });
    assertError(scoped, 403, 'Forbidden');
  });

  it('checks the grant type after the credentials', async () => {
    assertError(await token(basicAuth(CONFIG.id, CONFIG.secret), {}), 400, "('grant_type',) field required");
    assertError(
      await token(basicAuth(CONFIG.id, CONFIG.secret), { grant_type: 'password' }),
      400,
      'unsupported_grant_type',
    );
    assertError(await token(basicAuth(CONFIG.id, 'wrong'), {}), 401, 'Unauthorized');
  });

  it('is POST only, and another customer id is 404 Not Found', async () => {
    const get = await rawCall(w().cloud.url, `/${CUSTOMER}/login/token`, { auth: basicAuth(CONFIG.id, CONFIG.secret) });
    assertError(get, 405, 'Method Not Allowed');
    assert.equal(get.headers.get('allow'), 'POST');
    const other = await rawCall(w().cloud.url, '/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/login/token', {
      auth: basicAuth(CONFIG.id, CONFIG.secret),
      form: { grant_type: 'client_credentials' },
    });
    assertError(other, 404, 'Not Found');
  });

  it('a token stops working after expires_in: 403 Forbidden, and a new one works', async () => {
    assert.equal((await w().api('/loginPolicies')).status, 200);
    w().advance(0.99);
    assert.equal((await w().api('/loginPolicies')).status, 200);
    w().advance(0.02);
    assertError(await w().api('/loginPolicies'), 403, 'Forbidden');
    const fresh = await adminToken(w().cloud.url, CUSTOMER, CONFIG.id, CONFIG.secret);
    assert.equal((await w().api('/loginPolicies', { auth: `Bearer ${fresh}` })).status, 200);
  });

  it('expireTokens() ends every token at once; tokenTtlSeconds sets expires_in', async () => {
    w().cloud.expireTokens();
    assertError(await w().api('/clients'), 403, 'Forbidden');
    const cloud = await FakeIdentityCloud.start({ customerId: CUSTOMER, tokenTtlSeconds: 90 });
    try {
      cloud.addOidcClient({
        ...CONFIG,
        name: 'c',
        type: 'confidential',
        tokenPolicy: 't',
        tokenScopes: [CONFIG_SCOPE],
      });
      const answer = await rawCall(cloud.url, `/${CUSTOMER}/login/token`, {
        auth: basicAuth(CONFIG.id, CONFIG.secret),
        form: { grant_type: 'client_credentials' },
      });
      assert.equal((answer.json as { expires_in: number }).expires_in, 90);
    } finally {
      await cloud.close();
    }
  });

  it('answers 403 Forbidden to a config call with no token, an unknown one, or Basic credentials', async () => {
    for (const auth of [undefined, 'Bearer not-a-token', basicAuth(CONFIG.id, CONFIG.secret)]) {
      const answer = await rawCall(w().cloud.url, `/${CUSTOMER}/config/loginPolicies`, auth ? { auth } : {});
      assertError(answer, 403, 'Forbidden');
    }
  });
});

describe('fake config API: login policies', () => {
  const w = world();

  it('lists policies as {total, _embedded.loginPolicies} with only id, title and _links', async () => {
    const { a, b } = w().policyIds;
    const answer = await w().api('/loginPolicies');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, {
      total: 2,
      _embedded: {
        loginPolicies: [
          { id: a, title: 'Policy A', _links: { self: { href: `/${CUSTOMER}/config/loginPolicies/${a}` } } },
          { id: b, title: 'Policy B', _links: { self: { href: `/${CUSTOMER}/config/loginPolicies/${b}` } } },
        ],
      },
    });
  });

  it('GETs one policy with its keys in the order of Akamai examples, secret in clear', async () => {
    const { a } = w().policyIds;
    const answer = await w().api(`/loginPolicies/${a}`);
    assert.equal(answer.status, 200);
    const policy = answer.json as Record<string, Record<string, Record<string, unknown>>>;
    assert.deepEqual(Object.keys(policy), [
      'id',
      'identityStoreDetails',
      'loginURL',
      'customClaims',
      'title',
      '_links',
    ]);
    assert.deepEqual(Object.keys(policy.identityStoreDetails!.connectionDetails!), [
      'domain',
      'applicationId',
      'entityType',
      'clientId',
      'clientSecret',
    ]);
    assert.equal(policy.identityStoreDetails!.connectionDetails!.clientSecret, OWNER_SECRET);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers 404 Not Found for an unknown policy, on every method and sub-resource', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const body = { json: { pushClaims: true } };
    for (const [path, options] of [
      [`/loginPolicies/${id}`, {}],
      [`/loginPolicies/${id}`, { method: 'DELETE' }],
      [`/loginPolicies/${id}`, { method: 'PUT', json: {} }],
      [`/loginPolicies/${id}/pushClaims`, {}],
      [`/loginPolicies/${id}/pushClaims`, { method: 'PUT', ...body }],
      [`/loginPolicies/${id}/allowedResponseTypes`, {}],
      [`/loginPolicies/${w().policyIds.a}/nothing`, {}],
      ['/tokenPolicies', {}],
    ] as const) {
      assertError(await w().api(path, options), 404, 'Not Found');
    }
  });

  it('POST answers 201 with the full object under a new id; GET and the list agree', async () => {
    const answer = await w().api('/loginPolicies', { json: policyBody(w().cloud.host, 'Policy C') });
    assert.equal(answer.status, 201);
    const created = answer.json as { id: string; title: string; _links: { self: { href: string } } };
    assert.ok(![w().policyIds.a, w().policyIds.b].includes(created.id));
    assert.equal(created._links.self.href, `/${CUSTOMER}/config/loginPolicies/${created.id}`);
    assert.deepEqual((await w().api(`/loginPolicies/${created.id}`)).json, created);
    assert.equal((await w().api('/loginPolicies')).text.includes(created.id), true);
    assert.deepEqual(w().cloud.loginPolicySettings(created.id), { pushClaims: false, allowedResponseTypes: ['code'] });
  });

  it('POST accepts _links (and ignores it) and leaves customClaims out when none are sent', async () => {
    const { customClaims: _none, ...body } = policyBody(w().cloud.host, 'No claims');
    const answer = await w().api('/loginPolicies', { json: { ...body, _links: { self: { href: '/x' } } } });
    assert.equal(answer.status, 201);
    assert.ok(!('customClaims' in (answer.json as object)));
    assert.notEqual((answer.json as { _links: { self: { href: string } } })._links.self.href, '/x');
  });

  it('POST refuses an id, unknown keys, missing or mistyped fields, and non-JSON with 400; nothing is created', async () => {
    const body = policyBody(w().cloud.host, 'Refused');
    const details = (body.identityStoreDetails as { connectionDetails: Record<string, unknown> }).connectionDetails;
    const { clientSecret: _s, ...withoutSecret } = details;
    const { loginURL: _l, ...withoutLoginURL } = body;
    const cases: [unknown, string][] = [
      [{ id: '7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58', ...body }, "('id',) extra fields not permitted"],
      [{ ...body, mfaSettings: {} }, "('mfaSettings',) extra fields not permitted"],
      [withoutLoginURL, "('loginURL',) field required"],
      [{ ...body, title: 42 }, "('title',) str type expected"],
      [
        { ...body, identityStoreDetails: { type: 'janrainCapture', connectionDetails: withoutSecret } },
        "('identityStoreDetails', 'connectionDetails', 'clientSecret') field required",
      ],
      [
        { ...body, identityStoreDetails: { type: 'other', connectionDetails: details } },
        "('identityStoreDetails', 'type') unexpected value; permitted: 'janrainCapture'",
      ],
      [{ ...body, customClaims: { access_token: {} } }, "('customClaims', 'access_token') extra fields not permitted"],
      [{ ...body, customClaims: { userinfo: { zip: 5 } } }, "('customClaims', 'userinfo', 'zip') str type expected"],
      [[body], "('__root__',) value is not a valid dict"],
    ];
    for (const [json, text] of cases) assertError(await w().api('/loginPolicies', { json }), 400, text);
    assertError(
      await w().api('/loginPolicies', { json: '{"title": ' }),
      400,
      'Expecting value: the request body is not valid JSON',
    );
    assert.equal(w().cloud.loginPolicies().length, 2);
  });

  it('PUT changes title, loginURL and customClaims, and a PUT without customClaims removes them', async () => {
    const { a } = w().policyIds;
    const { _links, ...policy } = (await w().api(`/loginPolicies/${a}`)).json as Record<string, unknown>;
    assert.ok(_links);
    const renamed = await w().api(`/loginPolicies/${a}`, { method: 'PUT', json: { ...policy, title: 'Renamed' } });
    assert.equal(renamed.status, 200);
    assert.equal((renamed.json as { title: string }).title, 'Renamed');
    const { customClaims: _c, ...withoutClaims } = policy;
    const put = await w().api(`/loginPolicies/${a}`, { method: 'PUT', json: { ...withoutClaims, title: 'Bare' } });
    assert.equal(put.status, 200);
    const after = (await w().api(`/loginPolicies/${a}`)).json as Record<string, unknown>;
    assert.equal(after.title, 'Bare');
    assert.ok(!('customClaims' in after));
  });

  it('PUT refuses any change under identityStoreDetails with the documented error, and keeps the policy', async () => {
    const { a } = w().policyIds;
    const original = (await w().api(`/loginPolicies/${a}`)).json as {
      identityStoreDetails: { connectionDetails: Record<string, string> };
    };
    for (const [key, value] of [
      ['clientSecret', 'newsecret0000000000000000000000zz'],
      ['entityType', 'user_test'],
      ['domain', 'acme.janraincapture.com'],
    ] as const) {
      const changed = structuredClone(original);
      changed.identityStoreDetails.connectionDetails[key] = value;
      const answer = await w().api(`/loginPolicies/${a}`, { method: 'PUT', json: changed });
      assertError(answer, 400, 'identityStoreDetails cannot be changed');
    }
    assert.deepEqual((await w().api(`/loginPolicies/${a}`)).json, original);
  });

  it('PUT needs id, identityStoreDetails, loginURL and title, and the id of the path', async () => {
    const { a, b } = w().policyIds;
    const policy = (await w().api(`/loginPolicies/${a}`)).json as Record<string, unknown>;
    for (const field of ['id', 'identityStoreDetails', 'loginURL', 'title']) {
      const { [field]: _gone, ...rest } = policy;
      assertError(
        await w().api(`/loginPolicies/${a}`, { method: 'PUT', json: rest }),
        400,
        `('${field}',) field required`,
      );
    }
    const moved = await w().api(`/loginPolicies/${b}`, { method: 'PUT', json: policy });
    assertError(moved, 400, "('id',) does not match the login policy id in the path");
  });

  it('DELETE is refused with 409 and the documented body while OIDC clients are bound, then succeeds', async () => {
    const { a, b } = w().policyIds;
    const { web, app } = w().clientIds;
    const refused = await w().api(`/loginPolicies/${a}`, { method: 'DELETE' });
    assertError(refused, 409, `["/customers/${CUSTOMER}/clients/${web}", "/customers/${CUSTOMER}/clients/${app}"]\n`);
    assert.deepEqual(JSON.parse(errors(refused) as string), [
      `/customers/${CUSTOMER}/clients/${web}`,
      `/customers/${CUSTOMER}/clients/${app}`,
    ]);
    assert.equal((await w().api(`/loginPolicies/${a}`)).status, 200, 'still there');
    for (const id of [web, app]) {
      const client = (await w().api(`/clients/${id}`)).json as Record<string, unknown>;
      assert.equal(
        (await w().api(`/clients/${id}`, { method: 'PUT', json: { ...client, loginPolicy: b } })).status,
        200,
      );
    }
    const deleted = await w().api(`/loginPolicies/${a}`, { method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    assertError(await w().api(`/loginPolicies/${a}`), 404, 'Not Found');
  });

  it('pushClaims: GET and PUT {"pushClaims": true|false}, with body checks', async () => {
    const path = `/loginPolicies/${w().policyIds.a}/pushClaims`;
    assert.deepEqual((await w().api(path)).json, { pushClaims: false });
    const on = await w().api(path, { method: 'PUT', json: { pushClaims: true } });
    assert.equal(on.status, 200);
    assert.deepEqual(on.json, { pushClaims: true });
    assert.deepEqual((await w().api(path)).json, { pushClaims: true });
    for (const [json, text] of [
      [{}, "('pushClaims',) field required"],
      [{ pushClaims: 'yes' }, "('pushClaims',) value could not be parsed to a boolean"],
      [{ pushClaims: true, enabled: true }, "('enabled',) extra fields not permitted"],
    ] as const) {
      assertError(await w().api(path, { method: 'PUT', json }), 400, text);
    }
    assertError(await w().api(path, { method: 'POST', json: { pushClaims: true } }), 405, 'Method Not Allowed');
    assert.deepEqual((await w().api(path)).json, { pushClaims: true });
  });

  it('allowedResponseTypes: GET and PUT {"allowedResponseTypes": [...]}, documented values only', async () => {
    const path = `/loginPolicies/${w().policyIds.b}/allowedResponseTypes`;
    assert.deepEqual((await w().api(path)).json, { allowedResponseTypes: ['code'] });
    const set = await w().api(path, { method: 'PUT', json: { allowedResponseTypes: ['code', 'token id_token'] } });
    assert.deepEqual(set.json, { allowedResponseTypes: ['code', 'token id_token'] });
    assert.deepEqual((await w().api(path)).json, { allowedResponseTypes: ['code', 'token id_token'] });
    for (const [json, text] of [
      [{}, "('allowedResponseTypes',) field required"],
      [{ allowedResponseTypes: 'code' }, "('allowedResponseTypes',) value is not a valid list"],
      [{ allowedResponseTypes: [] }, "('allowedResponseTypes',) ensure this value has at least 1 items"],
      [
        { allowedResponseTypes: ['code', 'implicit'] },
        "('allowedResponseTypes', 1) value is not a valid enumeration member; permitted: 'code', 'id_token', 'token', 'token id_token'",
      ],
    ] as const) {
      assertError(await w().api(path, { method: 'PUT', json }), 400, text);
    }
  });

  it('answers 405 with Allow to a method the path does not take', async () => {
    const answer = await w().api('/loginPolicies', { method: 'DELETE' });
    assertError(answer, 405, 'Method Not Allowed');
    assert.equal(answer.headers.get('allow'), 'GET, POST');
  });
});

describe('fake config API: OIDC clients', () => {
  const w = world();

  it('lists clients as {total, _embedded.clients} with only id, name and _links', async () => {
    const answer = await w().api('/clients');
    assert.equal(answer.status, 200);
    const body = answer.json as { total: number; _embedded: { clients: Record<string, unknown>[] } };
    assert.equal(body.total, 3);
    for (const item of body._embedded.clients) assert.deepEqual(Object.keys(item), ['id', 'name', '_links']);
    assert.deepEqual(
      body._embedded.clients.map((c) => c.id),
      [CONFIG.id, w().clientIds.web, w().clientIds.app],
    );
  });

  it('GETs a client in the documented key order, never with its secret; a configuration client has no loginPolicy', async () => {
    const app = await w().api(`/clients/${w().clientIds.app}`);
    assert.deepEqual(Object.keys(app.json as object), [
      'id',
      'name',
      'loginPolicy',
      'tokenPolicy',
      'type',
      'postLogoutRedirectURIs',
      '_links',
    ]);
    assert.ok(!app.text.includes(LOGIN_ONLY.secret));
    const config = (await w().api(`/clients/${CONFIG.id}`)).json as Record<string, unknown>;
    assert.ok(!('loginPolicy' in config));
    assertError(await w().api('/clients/00000000-0000-4000-8000-000000000000'), 404, 'Not Found');
  });

  it('re-points a client: GET, set loginPolicy, PUT the whole object (with or without _links)', async () => {
    const { web } = w().clientIds;
    const client = (await w().api(`/clients/${web}`)).json as Record<string, unknown>;
    const put = await w().api(`/clients/${web}`, { method: 'PUT', json: { ...client, loginPolicy: w().policyIds.b } });
    assert.equal(put.status, 200);
    assert.equal((put.json as { loginPolicy: string }).loginPolicy, w().policyIds.b);
    const { _links: _l, ...bare } = client;
    const back = await w().api(`/clients/${web}`, { method: 'PUT', json: { ...bare, loginPolicy: w().policyIds.a } });
    assert.equal(back.status, 200);
    assert.deepEqual((await w().api(`/clients/${web}`)).json, client);
  });

  it('refuses to remove loginPolicy or tokenPolicy, an unknown policy, and a change of type', async () => {
    const { web } = w().clientIds;
    const client = (await w().api(`/clients/${web}`)).json as Record<string, unknown>;
    const { loginPolicy: _lp, ...noLoginPolicy } = client;
    const { tokenPolicy: _tp, ...noTokenPolicy } = client;
    for (const [json, text] of [
      [noLoginPolicy, "('loginPolicy',) field required"],
      [{ ...client, loginPolicy: null }, "('loginPolicy',) none is not an allowed value"],
      [noTokenPolicy, "('tokenPolicy',) field required"],
      [
        { ...client, loginPolicy: '00000000-0000-4000-8000-000000000000' },
        'login policy 00000000-0000-4000-8000-000000000000 does not exist',
      ],
      [{ ...client, type: 'confidential' }, 'type cannot be changed'],
      [{ ...client, id: CONFIG.id }, "('id',) does not match the client id in the path"],
      [{ ...client, secret: 'x' }, 'the client secret cannot be changed with PUT; use /secret'],
    ] as const) {
      assertError(await w().api(`/clients/${web}`, { method: 'PUT', json }), 400, text);
    }
    assert.deepEqual((await w().api(`/clients/${web}`)).json, client);
  });

  it('a PUT replaces the object: fields left out are gone, new fields are kept', async () => {
    const { app } = w().clientIds;
    const { postLogoutRedirectURIs: _p, ...client } = (await w().api(`/clients/${app}`)).json as Record<
      string,
      unknown
    >;
    const put = await w().api(`/clients/${app}`, { method: 'PUT', json: { ...client, name: 'App 2', extra: 1 } });
    assert.equal(put.status, 200);
    const after = (await w().api(`/clients/${app}`)).json as Record<string, unknown>;
    assert.equal(after.name, 'App 2');
    assert.equal(after.extra, 1);
    assert.ok(!('postLogoutRedirectURIs' in after));
  });
});

describe('fake Configuration API: API clients and the owner secret reset', () => {
  const w = world();
  const config = (path: string, options: RawCall = {}): Promise<RawAnswer> =>
    rawCall(w().cloud.url, `/config/${APP}/clients${path}`, {
      auth: basicAuth(OWNER.clientId, OWNER_SECRET),
      ...options,
    });
  const probe = async (id: string, secret: string): Promise<string> => {
    const answer = await rawCall(w().cloud.url, '/entityType.list', { method: 'POST', auth: basicAuth(id, secret) });
    const body = answer.json as { stat: string; code?: number };
    return body.stat === 'ok' ? 'ok' : String(body.code);
  };

  it('lists every API client as an array with _id, current _secret, links, name, features, ipWhitelist', async () => {
    const answer = await config('');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, [
      {
        _id: OWNER.clientId,
        _secret: OWNER_SECRET,
        _self: `/config/${APP}/clients/${OWNER.clientId}`,
        _settings: `/config/${APP}/clients/${OWNER.clientId}/settings`,
        name: 'application owner',
        features: ['access_issuer', 'direct_access', 'owner'],
        ipWhitelist: ['0.0.0.0/0'],
      },
      {
        _id: LOGIN.clientId,
        _secret: LOGIN_SECRET,
        _self: `/config/${APP}/clients/${LOGIN.clientId}`,
        _settings: `/config/${APP}/clients/${LOGIN.clientId}/settings`,
        name: '',
        features: ['login_client'],
        ipWhitelist: ['0.0.0.0/0'],
      },
    ]);
    const owners = (await config('?has_feature=owner')).json as { _id: string }[];
    assert.deepEqual(
      owners.map((c) => c._id),
      [OWNER.clientId],
    );
    const one = await config(`/${LOGIN.clientId}`);
    assert.equal((one.json as { _secret: string })._secret, LOGIN_SECRET);
  });

  it('answers 401 to bad Basic credentials, 403 to a non-owner, 404 to an unknown app or client', async () => {
    assertError(await config('', { auth: basicAuth(OWNER.clientId, 'wrong') }), 401, 'Unauthorized');
    assertError(await config('', { auth: `Bearer ${w().token}` }), 401, 'Unauthorized');
    assertError(await rawCall(w().cloud.url, `/config/${APP}/clients`), 401, 'Unauthorized');
    assertError(await config('', { auth: basicAuth(LOGIN.clientId, LOGIN_SECRET) }), 403, 'Forbidden');
    assertError(
      await rawCall(w().cloud.url, '/config/zzzzzzzzzzzzzzzzzzzzzzzzzz/clients', {
        auth: basicAuth(OWNER.clientId, OWNER_SECRET),
      }),
      404,
      'Not Found',
    );
    assertError(await config('/nobody'), 404, 'Not Found');
  });

  it('PUT .../secret {"hoursToLive": 48}: 200 with the new _secret; Capture takes both until the grace ends', async () => {
    const answer = await config(`/${OWNER.clientId}/secret`, { method: 'PUT', json: { hoursToLive: 48 } });
    assert.equal(answer.status, 200);
    const fresh = (answer.json as { _id: string; _secret: string })._secret;
    assert.match(fresh, /^[a-z0-9]{32}$/);
    assert.notEqual(fresh, OWNER_SECRET);
    assert.equal((answer.json as { _id: string })._id, OWNER.clientId);
    assert.equal(w().cloud.currentSecret(OWNER.clientId), fresh, 'the same store as Capture');
    assert.equal(await probe(OWNER.clientId, OWNER_SECRET), 'ok');
    assert.equal(await probe(OWNER.clientId, fresh), 'ok');
    const legacy = await rawCall(w().cloud.url, '/clients/list', {
      method: 'POST',
      auth: basicAuth(OWNER.clientId, fresh),
    });
    const listed = (legacy.json as { results: { client_id: string; client_secret: string }[] }).results;
    assert.equal(listed.find((c) => c.client_id === OWNER.clientId)?.client_secret, fresh);
    w().advance(47.9);
    assert.equal(await probe(OWNER.clientId, OWNER_SECRET), 'ok');
    w().advance(0.2);
    assert.equal(await probe(OWNER.clientId, OWNER_SECRET), '402');
    assert.equal(await probe(OWNER.clientId, fresh), 'ok');
  });

  it('hoursToLive 0 stops the old secret at once; a non-owner cannot reset; bad hours are 400', async () => {
    const answer = await config(`/${LOGIN.clientId}/secret`, { method: 'PUT', json: { hoursToLive: 0 } });
    assert.equal(answer.status, 200);
    assert.equal(await probe(LOGIN.clientId, LOGIN_SECRET), '402');
    const current = w().cloud.currentSecret(LOGIN.clientId) ?? '';
    const denied = await config(`/${LOGIN.clientId}/secret`, {
      method: 'PUT',
      json: { hoursToLive: 1 },
      auth: basicAuth(LOGIN.clientId, current),
    });
    assertError(denied, 403, 'Forbidden');
    assert.equal(w().cloud.currentSecret(LOGIN.clientId), current, 'a refused reset changes nothing');
    for (const [json, text] of [
      [{}, "('hoursToLive',) field required"],
      [{ hoursToLive: '2' }, "('hoursToLive',) value is not a valid integer"],
      [{ hoursToLive: 1.5 }, "('hoursToLive',) value is not a valid integer"],
      [{ hoursToLive: 169 }, "('hoursToLive',) ensure this value is less than or equal to 168"],
      [{ hoursToLive: -1 }, "('hoursToLive',) ensure this value is greater than or equal to 0"],
    ] as const) {
      assertError(await config(`/${OWNER.clientId}/secret`, { method: 'PUT', json }), 400, text);
    }
    assert.equal(w().cloud.currentSecret(OWNER.clientId), OWNER_SECRET);
    assertError(
      await config(`/${OWNER.clientId}/secret`, { method: 'POST', json: { hoursToLive: 1 } }),
      405,
      'Method Not Allowed',
    );
  });
});

describe('fake config API: in-code seeding', () => {
  let cloud: FakeIdentityCloud | undefined;
  before(async () => {
    cloud = await FakeIdentityCloud.start({ customerId: CUSTOMER });
  });
  after(async () => {
    await cloud?.close();
  });

  it('addLoginPolicy refuses what POST would refuse, and addOidcClient refuses an unknown policy', () => {
    assert.ok(cloud);
    const { title: _t, ...noTitle } = policyBody(cloud.host, 'x');
    assert.throws(() => cloud!.addLoginPolicy(noTitle), { name: 'TypeError', message: "('title',) field required" });
    const id = '11111111-1111-4111-8111-111111111111';
    assert.equal(cloud.addLoginPolicy({ id, ...policyBody(cloud.host, 'fixed id') }).id, id);
    assert.throws(() => cloud!.addLoginPolicy(policyBody(cloud!.host, 'again'), { id }), /exists already/);
    assert.throws(
      () => cloud!.addOidcClient({ name: 'n', type: 'public', tokenPolicy: 't', loginPolicy: 'nope' }),
      /no login policy nope/,
    );
  });
});

describe('fake config API: no secret in the request log or the state', () => {
  it('never records the configuration secret, a token, a policy secret, an owner secret or a reset secret', async () => {
    const CONFIG_CANARY = 'canary-config-secret-canary-config-secret-01';
    const POLICY_CANARY = 'canarypolicysecretcanarypolicy01';
    const seen: string[] = [];
    const cloud = await FakeIdentityCloud.start({
      customerId: CUSTOMER,
      applicationId: APP,
      clients: [OWNER],
      onRequest: (r) => seen.push(JSON.stringify(r)),
    });
    try {
      cloud.addOidcClient({
        id: CONFIG.id,
        name: 'config',
        type: 'confidential',
        tokenPolicy: TOKEN_POLICY,
        secret: CONFIG_CANARY,
        tokenScopes: [CONFIG_SCOPE],
      });
      const token = await adminToken(cloud.url, CUSTOMER, CONFIG.id, CONFIG_CANARY);
      const bearer = { auth: `Bearer ${token}` };
      const created = await rawCall(cloud.url, `/${CUSTOMER}/config/loginPolicies`, {
        ...bearer,
        json: policyBody(cloud.host, 'Canary', POLICY_CANARY),
      });
      const id = (created.json as { id: string }).id;
      await rawCall(cloud.url, `/${CUSTOMER}/config/loginPolicies/${id}?client_secret=${POLICY_CANARY}`, bearer);
      await rawCall(cloud.url, `/${CUSTOMER}/login/token`, {
        auth: basicAuth(CONFIG.id, CONFIG_CANARY),
        form: { grant_type: 'client_credentials', client_secret: CONFIG_CANARY },
      });
      await rawCall(cloud.url, `/${CUSTOMER}/config/clients`, { auth: `Bearer ${CONFIG_CANARY}` });
      const reset = await rawCall(cloud.url, `/config/${APP}/clients/${OWNER.clientId}/secret`, {
        method: 'PUT',
        auth: basicAuth(OWNER.clientId, OWNER_SECRET),
        json: { hoursToLive: 1 },
      });
      const fresh = (reset.json as { _secret: string })._secret;
      cloud.injectFault({ path: '/**', kind: 'error500' });
      await rawCall(cloud.url, `/${CUSTOMER}/config/loginPolicies`, bearer);
      const texts = {
        requests: JSON.stringify(cloud.requests),
        observed: seen.join('\n'),
        state: (await rawCall(cloud.url, '/__fake/state')).text,
        requestsEndpoint: (await rawCall(cloud.url, '/__fake/requests')).text,
      };
      const basicToken = basicAuth(CONFIG.id, CONFIG_CANARY).slice('Basic '.length);
      for (const [where, text] of Object.entries(texts)) {
        for (const secret of [CONFIG_CANARY, POLICY_CANARY, token, OWNER_SECRET, fresh, basicToken]) {
          assert.ok(!text.includes(secret), `${where} must not contain a secret`);
        }
        assert.ok(!/authorization|bearer|client_secret/i.test(text), `${where}: no header, no query`);
      }
      assert.ok(texts.requests.includes(`/${CUSTOMER}/config/loginPolicies/${id}`), 'paths are logged');
      assert.ok(texts.requests.includes(CONFIG.id), 'the client id of Basic credentials is logged');
    } finally {
      await cloud.close();
    }
  });
});
