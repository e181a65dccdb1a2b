// No secret in any error of the Identity Cloud API client (DESIGN §10, §13): not the configuration secret, not the
// owner secret, not a token, not a policy's embedded clientSecret, even when the server echoes them back. Canaries
// are planted and every failure path is searched: message, stack, String(), util.inspect() and JSON.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { IdentityCloudError } from '../../../server/src/identity-cloud/api-error';
import { CaptureConfigClient } from '../../../server/src/identity-cloud/capture-config-client';
import type { FetchLike } from '../../../server/src/identity-cloud/http-exchange';
import { IdentityCloudClient } from '../../../server/src/identity-cloud/identity-cloud-client';
import {
  APP,
  CONFIG_ID,
  CONFIG_SECRET,
  CUSTOMER,
  LOGIN_SECRET,
  NOSCOPE,
  OWNER_ID,
  OWNER_SECRET,
  POLICY_SECRET,
  policyBody,
  world,
} from './cloud-fixture';

const TOKEN_CANARY = 'canaryTOKENcanaryTOKENcanaryTOKENcanaryTOKENcanaryTOKEN0000000001';
const NEW_SECRET = 'canarynewsecret00000000000000cc3';
const CANARIES = [CONFIG_SECRET, OWNER_SECRET, POLICY_SECRET, LOGIN_SECRET, NOSCOPE.secret, TOKEN_CANARY, NEW_SECRET];
const basic = (id: string, secret: string): string => Buffer.from(`${id}:${secret}`).toString('base64');

/** Every view of an error someone might print. */
function views(error: unknown): string[] {
  const e = error as Error;
  return [e.message, e.stack ?? '', String(e), inspect(e, { depth: 5 }), JSON.stringify(e)];
}

function assertClean(error: unknown, where: string): void {
  assert.ok(error instanceof IdentityCloudError, `${where}: ${String(error)}`);
  const secrets = [...CANARIES, basic(CONFIG_ID, CONFIG_SECRET), basic(OWNER_ID, OWNER_SECRET)];
  for (const text of views(error)) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${where}: a secret in "${text.slice(0, 200)}"`);
  }
}

/** A client on no network at all: every answer comes from `stub`. */
const stubbed = (stub: FetchLike): IdentityCloudClient =>
  new IdentityCloudClient({
    customerId: CUSTOMER,
    region: 'us',
    configClientId: CONFIG_ID,
    configClientSecret: CONFIG_SECRET,
    fetch: stub,
  });

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a failure');
}

describe('Identity Cloud API client: no secret in any error', () => {
  const w = world();

  it('every failure against the fake is secret-free', async () => {
    const { cloud, client, clientWith, policies } = w();
    const owner = (secret: string): CaptureConfigClient =>
      new CaptureConfigClient({ region: 'us', apiBase: cloud.url, ownerClientId: OWNER_ID, ownerClientSecret: secret });
    const errors: [string, unknown][] = [];
    const add = async (where: string, promise: Promise<unknown>): Promise<void> => {
      errors.push([where, await caught(promise)]);
    };
    await add('401 token', clientWith({ configClientSecret: `${CONFIG_SECRET}x` }).listLoginPolicies());
    await add(
      '403 token',
      clientWith({ configClientId: NOSCOPE.id, configClientSecret: NOSCOPE.secret }).listOidcClients(),
    );
    const policy = await client.getLoginPolicy(policies.a);
    const frozen = structuredClone(policy) as unknown as {
      identityStoreDetails: { connectionDetails: { clientSecret: string } };
    };
    frozen.identityStoreDetails.connectionDetails.clientSecret = NEW_SECRET;
    await add('400 immutable', client.updateLoginPolicy(policies.a, frozen));
    await add('400 id on POST', client.createLoginPolicy({ ...policyBody(cloud.host, 'x'), id: 'x' }));
    await add('409 bound', client.deleteLoginPolicy(policies.a));
    await add('404', client.getLoginPolicy('nope'));
    cloud.injectFault({ path: '/**', kind: 'error500' });
    await add('500', client.createLoginPolicy(policyBody(cloud.host, 'y', NEW_SECRET)));
    cloud.injectFault({ path: '/**', kind: 'notJson' });
    await add('not JSON', client.createLoginPolicy(policyBody(cloud.host, 'y', NEW_SECRET)));
    cloud.injectFault({ path: '/**', kind: 'reset' });
    await add('reset', client.createLoginPolicy(policyBody(cloud.host, 'y', NEW_SECRET)));
    cloud.injectFault({ path: '/**', kind: 'timeout' });
    await add('timeout', clientWith({ timeoutMs: 200 }).createLoginPolicy(policyBody(cloud.host, 'y', NEW_SECRET)));
    cloud.expireTokens();
    cloud.injectFault({ path: `/${CUSTOMER}/login/token`, kind: 'error500' });
    await add('500 on the refresh', client.listLoginPolicies());
    await add('401 owner', owner(`${OWNER_SECRET}x`).listApiClients(APP));
    await add(
      '403 owner',
      new CaptureConfigClient({
        region: 'us',
        apiBase: cloud.url,
        ownerClientId: 'l1l2l3l4l5l6l7l8l9l0l1l2l3l4l5l6',
        ownerClientSecret: LOGIN_SECRET,
      }).resetApiClientSecret(APP, OWNER_ID, 1),
    );
    try {
      clientWith({ apiBase: `https://u:${CONFIG_SECRET}@example.com` });
    } catch (error) {
      errors.push(['config: a secret in the API base', error]);
    }
    assert.equal(errors.length, 14);
    for (const [where, error] of errors) assertClean(error, where);
  });

  it('an API that echoes secrets in its errors text is masked', async () => {
    const echo = `bad: ${CONFIG_SECRET} ${TOKEN_CANARY} "clientSecret": "${POLICY_SECRET}" ${NEW_SECRET} ${basic(CONFIG_ID, CONFIG_SECRET)}`;
    const stub: FetchLike = (url) => {
      const json = url.endsWith('/login/token') ? { access_token: TOKEN_CANARY, expires_in: 3600 } : { errors: echo };
      const status = url.endsWith('/login/token') ? 200 : 400;
      return Promise.resolve(Response.json(json, { status }));
    };
    const client = stubbed(stub);
    const error = await caught(client.createLoginPolicy(policyBody('acme.janraincapture.com', 't', NEW_SECRET)));
    assertClean(error, 'echoed');
    assert.match((error as IdentityCloudError).message, /refused \(HTTP 400\): bad: ••••••••/);
    const owner = new CaptureConfigClient({
      region: 'us',
      ownerClientId: OWNER_ID,
      ownerClientSecret: OWNER_SECRET,
      fetch: () => Promise.resolve(Response.json({ errors: `nope ${OWNER_SECRET}` }, { status: 409 })),
    });
    assertClean(await caught(owner.resetApiClientSecret(APP, OWNER_ID, 1)), 'owner echo');
  });

  it('a non-JSON error page holding a secret is never quoted', async () => {
    const stub: FetchLike = () =>
      Promise.resolve(
        new Response(`<html>${CONFIG_SECRET}</html>`, { status: 200, headers: { 'content-type': 'text/html' } }),
      );
    const client = stubbed(stub);
    const error = await caught(client.listLoginPolicies());
    assertClean(error, 'html');
    assert.equal((error as IdentityCloudError).kind, 'not-json');
  });

  it('inspecting or serialising a client shows no secret and no token', async () => {
    const { client, clientWith, cloud } = w();
    await client.listLoginPolicies();
    const owner = new CaptureConfigClient({
      region: 'us',
      apiBase: cloud.url,
      ownerClientId: OWNER_ID,
      ownerClientSecret: OWNER_SECRET,
    });
    await owner.listApiClients(APP);
    for (const object of [client, owner, clientWith({})]) {
      for (const text of [inspect(object, { depth: 10, showHidden: true }), JSON.stringify(object)]) {
        for (const secret of [CONFIG_SECRET, OWNER_SECRET, basic(CONFIG_ID, CONFIG_SECRET)]) {
          assert.ok(!text.includes(secret), text);
        }
      }
    }
  });
});
