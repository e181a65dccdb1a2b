// The Hosted Login configuration API client against the fake Identity Cloud over real HTTP: the admin token's
// life (first use, reuse, one refresh on 403, never a storm), every call, and every error named in words.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { IdentityCloudError } from '../../../server/src/identity-cloud/api-error';
import type { FetchLike } from '../../../server/src/identity-cloud/http-exchange';
import { IdentityCloudClient } from '../../../server/src/identity-cloud/identity-cloud-client';
import {
  CONFIG_ID,
  CONFIG_SECRET,
  CUSTOMER,
  HOUR,
  NOSCOPE,
  POLICY_SECRET,
  policyBody,
  failure,
  world,
} from './cloud-fixture';

const TOKEN = 'POST /login/token 200';

describe('IdentityCloudClient: the admin token', () => {
  const w = world();

  it('is fetched on first use only, then reused by every call', async () => {
    const { client, seen, policies } = w();
    assert.deepEqual(seen(), [], 'nothing before the first call');
    await client.listLoginPolicySummaries();
    await client.getLoginPolicy(policies.a);
    await client.getPushClaims(policies.a);
    assert.deepEqual(seen(), [
      TOKEN,
      'GET /config/loginPolicies 200',
      `GET /config/loginPolicies/${policies.a} 200`,
      `GET /config/loginPolicies/${policies.a}/pushClaims 200`,
    ]);
  });

  it('calls that start together share one token request', async () => {
    const { client, seen, policies } = w();
    await Promise.all([
      client.getLoginPolicy(policies.a),
      client.getLoginPolicy(policies.b),
      client.listOidcClientSummaries(),
    ]);
    assert.equal(seen().filter((r) => r === TOKEN).length, 1);
  });

  it('is reused until a minute before expires_in, then fetched again before the call', async () => {
    const { client, seen, advance } = w();
    await client.listLoginPolicySummaries();
    advance(HOUR - 61_000);
    await client.listLoginPolicySummaries();
    assert.deepEqual(seen(), [TOKEN, 'GET /config/loginPolicies 200', 'GET /config/loginPolicies 200']);
    advance(2_000);
    await client.listLoginPolicySummaries();
    assert.deepEqual(seen(), [TOKEN, 'GET /config/loginPolicies 200'], 'no 403 on the way');
  });

  it('on 403 Forbidden (token expired early) is fetched again once and the call retried once', async () => {
    const { client, cloud, seen, policies } = w();
    await client.getLoginPolicy(policies.a);
    seen();
    cloud.expireTokens();
    const policy = await client.getLoginPolicy(policies.a);
    assert.equal(policy.id, policies.a);
    assert.deepEqual(seen(), [
      `GET /config/loginPolicies/${policies.a} 403`,
      TOKEN,
      `GET /config/loginPolicies/${policies.a} 200`,
    ]);
  });

  it('calls that meet 403 together share one new token', async () => {
    const { client, cloud, seen, policies } = w();
    await client.listLoginPolicySummaries();
    seen();
    cloud.expireTokens();
    await Promise.all([
      client.getLoginPolicy(policies.a),
      client.getLoginPolicy(policies.b),
      client.getPushClaims(policies.a),
      client.getAllowedResponseTypes(policies.b),
    ]);
    const after = seen();
    assert.equal(after.filter((r) => r === TOKEN).length, 1, after.join('\n'));
    assert.equal(after.filter((r) => r.endsWith(' 403')).length, 4);
  });

  it('401 on the token names the credentials; 403 names the scope; 404 names the customer', async () => {
    const { clientWith } = w();
    const wrong = await failure(clientWith({ configClientSecret: 'wrong-secret' }).listOidcClients(), 'credentials');
    assert.equal(
      wrong.message,
      `POST /${CUSTOMER}/login/token: the configuration client id or secret was refused (HTTP 401): Unauthorized`,
    );
    const noScope = clientWith({ configClientId: NOSCOPE.id, configClientSecret: NOSCOPE.secret });
    const scope = await failure(noScope.listLoginPolicies(), 'scope');
    assert.match(scope.message, /may not get an admin token \(HTTP 403\).*\*:config\/\*\*/);
    const other = clientWith({ customerId: '5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19' });
    const customer = await failure(other.listLoginPolicies(), 'not-found');
    assert.match(
      customer.message,
      /^POST \/5d0f3c1e-[^:]+\/login\/token: no such customer \(HTTP 404\): check the customer id/,
    );
  });
});

describe('IdentityCloudClient: tokens that never work', () => {
  // Every token the fake issues is dead on arrival: each call meets 403, whatever the client does.
  const dead = world({ tokenTtlSeconds: 0 });

  // The timeout turns a retry loop (which would never end against this fake) into a failure.
  it('a second 403 is an error, not a loop: two tokens, two tries, then "forbidden"', { timeout: 10_000 }, async () => {
    const { clientWith, seen } = dead();
    const error = await failure(clientWith({}).listLoginPolicySummaries(), 'forbidden');
    assert.equal(error.status, 403);
    assert.equal(
      error.message,
      "GET /01000000-0000-3000-9000-000000000000/config/loginPolicies: refused even with a fresh admin token (HTTP 403): the configuration client's token policy may not allow it: Forbidden",
    );
    assert.deepEqual(seen(), [TOKEN, 'GET /config/loginPolicies 403', TOKEN, 'GET /config/loginPolicies 403']);
  });
});

describe('IdentityCloudClient: login policies and OIDC clients', () => {
  const w = world();

  it('lists every policy in full (a GET each), in list order, as GET returns them', async () => {
    const { client, cloud, policies, seen } = w();
    const all = await client.listLoginPolicies();
    assert.deepEqual(
      all.map((p) => p.id),
      [policies.a, policies.b],
    );
    assert.deepEqual(all[0], cloud.loginPolicy(policies.a));
    assert.deepEqual(Object.keys(all[0]!), ['id', 'identityStoreDetails', 'loginURL', 'title', '_links']);
    assert.equal(seen().filter((r) => r.startsWith('GET /config/loginPolicies/')).length, 2);
    assert.deepEqual(await client.listLoginPolicySummaries(), [
      { id: policies.a, title: 'Policy A' },
      { id: policies.b, title: 'Policy B' },
    ]);
  });

  it('creates, updates and deletes a policy; push claims and allowed response types round-trip', async () => {
    const { client, cloud } = w();
    const created = await client.createLoginPolicy(policyBody(cloud.host, 'Policy C'));
    assert.equal(created.title, 'Policy C');
    await client.setPushClaims(created.id, true);
    assert.equal(await client.getPushClaims(created.id), true);
    await client.setAllowedResponseTypes(created.id, ['code', 'id_token']);
    assert.deepEqual(await client.getAllowedResponseTypes(created.id), ['code', 'id_token']);
    const { _links: _l, ...body } = created;
    const updated = await client.updateLoginPolicy(created.id, { ...body, title: 'Policy C2' });
    assert.equal(updated.title, 'Policy C2');
    await client.deleteLoginPolicy(created.id);
    await failure(client.getLoginPolicy(created.id), 'not-found');
  });

  it('a PUT answered 204 with no body is done: push claims, response types and a client re-point', async () => {
    const { client, cloud, policies, clients } = w();
    cloud.injectFault({ method: 'PUT', path: '/**', kind: 'noContent', times: Infinity });
    await client.setPushClaims(policies.b, true);
    await client.setAllowedResponseTypes(policies.b, ['token id_token']);
    await client.putOidcClient({ ...(await client.getOidcClient(clients.web)), loginPolicy: policies.b });
    assert.deepEqual(cloud.loginPolicySettings(policies.b), {
      pushClaims: true,
      allowedResponseTypes: ['token id_token'],
    });
    assert.equal(cloud.oidcClient(clients.web)!['loginPolicy'], policies.b);
    assert.equal(cloud.requests.filter((r) => r.status === 204).length, 3);
  });

  it('names the immutability refusal and the field-required errors (400) with the API text', async () => {
    const { client, policies } = w();
    const { _links: _l, ...policy } = await client.getLoginPolicy(policies.a);
    const changed = structuredClone(policy) as unknown as {
      identityStoreDetails: { connectionDetails: { entityType: string } };
    };
    changed.identityStoreDetails.connectionDetails.entityType = 'user_test';
    const frozen = await failure(client.updateLoginPolicy(policies.a, changed), 'bad-request');
    assert.equal(frozen.detail, 'identityStoreDetails cannot be changed');
    assert.equal(
      frozen.message,
      `PUT /${CUSTOMER}/config/loginPolicies/${policies.a}: refused (HTTP 400): identityStoreDetails cannot be changed`,
    );
    const { loginURL: _u, ...noURL } = policy;
    const missing = await failure(client.updateLoginPolicy(policies.a, noURL), 'bad-request');
    assert.equal(missing.detail, "('loginURL',) field required");
    const withId = await failure(client.createLoginPolicy(policy), 'bad-request');
    assert.equal(withId.detail, "('id',) extra fields not permitted");
  });

  it('DELETE while clients are bound: "conflict" with the bound client ids', async () => {
    const { client, policies, clients } = w();
    const error = await failure(client.deleteLoginPolicy(policies.a), 'conflict');
    assert.deepEqual(error.boundClients, [clients.web, clients.app]);
    assert.equal(
      error.message,
      `DELETE /${CUSTOMER}/config/loginPolicies/${policies.a}: the login policy is still used by 2 OIDC clients (HTTP 409): ${clients.web}, ${clients.app}`,
    );
    assert.ok((await client.getLoginPolicy(policies.a)).id);
  });

  it('lists OIDC clients in full and re-points one with GET, change, PUT', async () => {
    const { client, policies, clients } = w();
    const all = await client.listOidcClients();
    assert.deepEqual(
      all.map((c) => c.id),
      [CONFIG_ID, NOSCOPE.id, clients.web, clients.app],
    );
    assert.equal(all.find((c) => c.id === clients.web)?.loginPolicy, policies.a);
    assert.equal(all[0]?.loginPolicy, undefined, 'a configuration client has no login policy');
    const web = await client.getOidcClient(clients.web);
    await client.putOidcClient({ ...web, loginPolicy: policies.b });
    assert.equal((await client.getOidcClient(clients.web)).loginPolicy, policies.b);
    const { loginPolicy: _lp, ...unbound } = web;
    const refused = await failure(client.putOidcClient(unbound), 'bad-request');
    assert.equal(refused.detail, "('loginPolicy',) field required");
  });

  it('404 for an unknown id; an empty id is refused before any request', async () => {
    const { client, seen } = w();
    const error = await failure(client.getOidcClient('00000000-0000-4000-8000-000000000000'), 'not-found');
    assert.equal(
      error.message,
      `GET /${CUSTOMER}/config/clients/00000000-0000-4000-8000-000000000000: not found (HTTP 404): Not Found`,
    );
    seen();
    await failure(client.getLoginPolicy(''), 'config');
    assert.deepEqual(seen(), []);
  });
});

describe('IdentityCloudClient: failures in words', () => {
  const w = world();
  const policies = '/01000000-0000-3000-9000-000000000000/config/loginPolicies';

  it('5xx: "Identity Cloud failed", no retry', async () => {
    const { client, cloud, seen } = w();
    cloud.injectFault({ method: 'GET', path: policies, kind: 'error500' });
    const error = await failure(client.listLoginPolicies(), 'server');
    assert.equal(error.message, `GET ${policies}: Identity Cloud failed (HTTP 500)`);
    assert.deepEqual(seen(), [TOKEN, 'GET /config/loginPolicies 500']);
  });

  it('a timeout names the request and the time allowed', async () => {
    const { clientWith, cloud } = w();
    cloud.injectFault({ method: 'GET', path: policies, kind: 'timeout' });
    const started = performance.now();
    const error = await failure(clientWith({ timeoutMs: 300 }).listLoginPolicies(), 'timeout');
    assert.ok(performance.now() - started >= 290);
    assert.equal(error.message, `GET ${policies}: no answer within 0.3 s (timeout)`);
  });

  it('a slow answer within the timeout is fine; beyond it, a timeout even while the body is awaited', async () => {
    const { clientWith, cloud } = w();
    cloud.injectFault({ method: 'GET', path: policies, kind: 'slow', delayMs: 50 });
    assert.equal((await clientWith({ timeoutMs: 2000 }).listLoginPolicySummaries()).length, 2);
    cloud.injectFault({ path: `/${CUSTOMER}/login/token`, kind: 'slow', delayMs: 1000 });
    const error = await failure(clientWith({ timeoutMs: 200 }).listLoginPolicySummaries(), 'timeout');
    assert.equal(error.request, `POST /${CUSTOMER}/login/token`);
  });

  it('a non-JSON answer names the status and content type, never the body', async () => {
    const { client, cloud } = w();
    cloud.injectFault({ method: 'GET', path: policies, kind: 'notJson' });
    const error = await failure(client.listLoginPolicySummaries(), 'not-json');
    assert.equal(error.message, `GET ${policies}: the answer was not JSON (HTTP 200, text/html)`);
    assert.ok(!error.message.includes('Maintenance'));
  });

  it('a dropped connection and a refused one are network errors', async () => {
    const { client, cloud } = w();
    cloud.injectFault({ method: 'GET', path: policies, kind: 'reset' });
    const reset = await failure(client.listLoginPolicySummaries(), 'network');
    assert.equal(reset.message, `GET ${policies}: connection reset`);
    const port = await freePort();
    const nowhere = new IdentityCloudClient({
      customerId: CUSTOMER,
      region: 'us',
      apiBase: `http://127.0.0.1:${port}`,
      configClientId: CONFIG_ID,
      configClientSecret: CONFIG_SECRET,
    });
    const refused = await failure(nowhere.listLoginPolicies(), 'network');
    assert.equal(refused.message, `POST /${CUSTOMER}/login/token: connection refused`);
  });

  it('429 is "rate-limited"', async () => {
    const { client, cloud } = w();
    cloud.setMode('rateLimit');
    const error = await failure(client.listLoginPolicies(), 'rate-limited');
    assert.match(error.message, /rate limiting \(HTTP 429\)/);
  });

  it('JSON of the wrong shape, a redirect and an odd status are "unexpected"', async () => {
    const answers: [number, string, Record<string, string>][] = [];
    const stub: FetchLike = (url) => {
      if (url.endsWith('/login/token')) {
        return Promise.resolve(Response.json({ access_token: 'tok-abcdefghijkl', expires_in: 3600 }));
      }
      const [status, body, headers] = answers.shift()!;
      return Promise.resolve(
        new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } }),
      );
    };
    const client = new IdentityCloudClient({
      customerId: CUSTOMER,
      region: 'eu',
      configClientId: CONFIG_ID,
      configClientSecret: CONFIG_SECRET,
      fetch: stub,
    });
    answers.push([200, '{"total": 1, "_embedded": {"loginPolicies": [{"title": "no id"}]}}', {}]);
    await failure(client.listLoginPolicies(), 'unexpected');
    answers.push([200, '[]', {}]);
    const list = await failure(client.listOidcClients(), 'unexpected');
    assert.equal(list.message, `GET /${CUSTOMER}/config/clients: the answer is not an OIDC client list (HTTP 200)`);
    answers.push([200, '{"pushClaims": "yes"}', {}]);
    await failure(client.getPushClaims('p'), 'unexpected');
    answers.push([302, '', { location: 'https://elsewhere.example/' }]);
    const redirect = await failure(client.getLoginPolicy('p'), 'unexpected');
    assert.match(redirect.message, /redirect \(HTTP 302\), not followed/);
    answers.push([418, '{}', {}]);
    await failure(client.getLoginPolicy('p'), 'unexpected');
    answers.push([200, '{"total": 0}', {}]);
    assert.deepEqual(await client.listLoginPolicies(), [], 'an empty list may leave _embedded out');
    assert.equal(client.apiBase, 'https://v1.api.eu.janrain.com');
  });
});

describe('IdentityCloudClient: settings refused before any request', () => {
  const base = { customerId: CUSTOMER, region: 'us', configClientId: CONFIG_ID, configClientSecret: CONFIG_SECRET };

  it('derives the API base from the region; http:// only for loopback; no credentials, query or fragment', () => {
    assert.equal(new IdentityCloudClient(base).apiBase, 'https://v1.api.us.janrain.com');
    assert.equal(new IdentityCloudClient({ ...base, region: 'JP' }).apiBase, 'https://v1.api.jp.janrain.com');
    assert.equal(
      new IdentityCloudClient({ ...base, apiBase: 'https://login.example.com/proxy/' }).apiBase,
      'https://login.example.com/proxy',
    );
    assert.equal(
      new IdentityCloudClient({ ...base, apiBase: 'http://localhost:8080' }).apiBase,
      'http://localhost:8080',
    );
    const refused = (options: Partial<typeof base> & { apiBase?: string; timeoutMs?: number }, text: RegExp): void => {
      assert.throws(
        () => new IdentityCloudClient({ ...base, ...options }),
        (error: unknown) => error instanceof IdentityCloudError && error.kind === 'config' && text.test(error.message),
      );
    };
    refused({ apiBase: 'http://v1.api.us.janrain.com' }, /https:\/\/ \(http:\/\/ only for a loopback host/);
    refused(
      { apiBase: `https://user:${CONFIG_SECRET}@example.com` },
      /^the API base must not hold a user name or password$/,
    );
    refused(
      { apiBase: `https://example.com/?key=${CONFIG_SECRET}` },
      /^the API base must not hold a query or a fragment$/,
    );
    refused({ apiBase: 'ftp://example.com' }, /must start with https/);
    refused({ apiBase: 'not a url' }, /is not a URL/);
    refused({ region: 'usa' }, /two letters/);
    refused({ customerId: 'a/b' }, /customer id/);
    refused({ timeoutMs: 0 }, /timeout/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export { POLICY_SECRET };
