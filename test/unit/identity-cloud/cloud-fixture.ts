// A fake Identity Cloud on 127.0.0.1 (ephemeral port) with a configuration client, an owner and a login API client,
// two policies and two bound OIDC clients, a clock shared by the fake and the client, and the client under test.
import assert from 'node:assert/strict';
import { after, beforeEach } from 'node:test';
import { IdentityCloudError } from '../../../server/src/identity-cloud/api-error';
import {
  IdentityCloudClient,
  type IdentityCloudClientOptions,
} from '../../../server/src/identity-cloud/identity-cloud-client';
import { loginPolicyBody } from '../../fake-identity-cloud/bodies';
import { CONFIG_SCOPE, FakeIdentityCloud, type FakeCloudOptions } from '../../fake-identity-cloud/server';

export const CUSTOMER = '01000000-0000-3000-9000-000000000000';
export const APP = 'q7w2e9r4t6y1u8i3o5p0a2s4dz';
/** Canaries: any of them in an error, a message or an inspected object is a leak. */
export const CONFIG_SECRET = 'canaryCONFIGsecret-4f1d8e2a9b3f4a6e8d7c2f5e1a9b';
export const OWNER_SECRET = 'canaryownersecret00000000000aa01';
export const POLICY_SECRET = OWNER_SECRET;
export const LOGIN_SECRET = 'canaryloginsecret00000000000bb02';
export const CONFIG_ID = 'c0c0c0c0-0000-4000-8000-000000000001';
export const OWNER_ID = 'o1o2o3o4o5o6o7o8o9o0o1o2o3o4o5o6';
export const LOGIN_ID = 'l1l2l3l4l5l6l7l8l9l0l1l2l3l4l5l6';
/** A confidential OIDC client with a secret but no configuration scope. */
export const NOSCOPE = { id: 'c0c0c0c0-0000-4000-8000-000000000002', secret: 'canaryNOSCOPEsecret-000000000000000002' };
export const HOUR = 3_600_000;

export const policyBody = (domain: string, title: string, clientSecret = POLICY_SECRET): Record<string, unknown> =>
  loginPolicyBody({ domain, title, clientId: OWNER_ID, clientSecret, applicationId: APP });

/** Rejects with an IdentityCloudError of that kind, its message on one line; returns it. */
export async function failure(
  promise: Promise<unknown>,
  kind: IdentityCloudError['kind'],
): Promise<IdentityCloudError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof IdentityCloudError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.ok(!error.message.includes('\n'), 'one line');
    return error;
  }
  assert.fail(`expected a ${kind} error`);
}

export interface World {
  cloud: FakeIdentityCloud;
  client: IdentityCloudClient;
  /** Another client on the same fake (other options). */
  clientWith: (options: Partial<IdentityCloudClientOptions>) => IdentityCloudClient;
  advance: (ms: number) => void;
  now: () => Date;
  policies: { a: string; b: string };
  clients: { web: string; app: string };
  /** Requests the fake saw since the last call of this, as "METHOD path-without-customer status". */
  seen: () => string[];
}

/** A fresh world per test. */
export function world(options: FakeCloudOptions = {}): () => World {
  let current: World | undefined;
  beforeEach(async () => {
    await current?.cloud.close();
    let clock = new Date('2025-06-01T12:00:00Z').getTime();
    const now = (): Date => new Date(clock);
    const cloud = await FakeIdentityCloud.start({
      customerId: CUSTOMER,
      applicationId: APP,
      now,
      clients: [
        { clientId: OWNER_ID, secrets: [{ secret: OWNER_SECRET }], features: ['owner'], description: 'owner' },
        { clientId: LOGIN_ID, secrets: [{ secret: LOGIN_SECRET }], features: ['login_client'] },
      ],
      ...options,
    });
    cloud.addOidcClient({
      id: CONFIG_ID,
      name: 'config',
      type: 'confidential',
      tokenPolicy: 'tp-config',
      secret: CONFIG_SECRET,
      tokenScopes: [CONFIG_SCOPE],
    });
    cloud.addOidcClient({ ...NOSCOPE, name: 'no scope', type: 'confidential', tokenPolicy: 'tp' });
    const a = cloud.addLoginPolicy(policyBody(cloud.host, 'Policy A')).id as string;
    const b = cloud.addLoginPolicy(policyBody(cloud.host, 'Policy B')).id as string;
    const bind = (name: string): string =>
      cloud.addOidcClient({ name, type: 'public', tokenPolicy: 'tp-login', loginPolicy: a }).id as string;
    const clients = { web: bind('Web'), app: bind('App') };
    const clientWith = (more: Partial<IdentityCloudClientOptions>): IdentityCloudClient =>
      new IdentityCloudClient({
        customerId: CUSTOMER,
        region: 'us',
        apiBase: cloud.url,
        configClientId: CONFIG_ID,
        configClientSecret: CONFIG_SECRET,
        now,
        ...more,
      });
    let mark = 0;
    current = {
      cloud,
      client: clientWith({}),
      clientWith,
      advance: (ms) => (clock += ms),
      now,
      policies: { a, b },
      clients,
      seen: () => {
        const all = cloud.requests.slice(mark);
        mark += all.length;
        return all.map((r) => `${r.method} ${r.path.replace(`/${CUSTOMER}`, '')} ${r.status}`);
      },
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
