// The seeded demo of `npm run fake-cloud`: one customer, three login policies sharing the vendor-page owner client,
// OIDC clients bound to them, and a configuration client. The story: the owner secret was reset with no grace
// period, so the policy still holding the old one is stale and every sign-in through its clients fails.
// Every id and secret here is made up.
import { loginPolicyBody } from './bodies';
import type { FakeCloudState } from './cloud-state';
import { CONFIG_SCOPE } from './config-api/token';
import { scenarioOptions, VENDOR_OWNER } from './scenario';
import type { FakeCloudOptions } from './types';

export const DEMO = {
  customerId: 'e0a70b4f-1eef-4856-bcdb-f050fee66aae',
  region: 'us',
  applicationId: VENDOR_OWNER.applicationId,
  configClient: {
    id: '4c1d8e2a-9b3f-4a6e-8d7c-2f5e1a9b3c60',
    name: 'login-policy-lint configuration client',
    secret: 'Zk3vQ9rT1mX7pL2wB8nC4yH6jD0sF5gAe1uR7tK3oV9q',
    tokenPolicy: '9d3c5e7a-1b2f-4c8d-a6e4-0f1b2c3d4e5f',
  },
  loginTokenPolicy: 'b7e2a4c6-8d0f-4e1a-9b3c-5d7f9a1b3c5e',
  /** Holds the secret reset away with hours_to_live 0: stale, its clients' sign-ins fail. */
  stalePolicy: { id: '0b5e8f2a-6c41-4d97-8e3a-5f1c2b9d7e60', title: 'ACME Default Login Policy' },
  currentPolicy: { id: '7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58', title: 'ACME Login Policy v2' },
  loyaltyPolicy: { id: '3e9a0d6b-1c72-4f58-b4e3-08a6d2c5f917', title: 'ACME Loyalty Login Policy' },
  clients: {
    web: { id: '15e60c44-a26e-45e3-9c9a-bbb7a4fd08f0', name: 'ACME Web Login' },
    ios: { id: 'fd72dfd7-3ad8-4237-a74d-013e04ae947c', name: 'ACME iOS App' },
    partners: { id: '2a9f6c3e-5b8d-4f1a-a7e2-6c4d8b0f2e19', name: 'ACME Partner Portal' },
    loyalty: { id: '8e1b3d5f-7a9c-4e2b-b6d8-1f3a5c7e9b2d', name: 'ACME Loyalty App' },
  },
} as const;

/** The fake's options for the demo: the vendor-page Capture clients, the demo customer and application. */
export function demoOptions(now: Date = new Date()): FakeCloudOptions {
  return { ...scenarioOptions(now), customerId: DEMO.customerId, applicationId: DEMO.applicationId };
}

/** Adds the demo's policies and clients to a started fake (the policies' `domain` is the fake's own host). */
export function seedDemo(cloud: FakeCloudState): void {
  const base = `https://v1.api.${DEMO.region}.janrain.com/${DEMO.customerId}/auth-ui`;
  const policy = (title: string, clientSecret: string, loginURL: string): Record<string, unknown> =>
    loginPolicyBody({
      domain: cloud.host,
      title,
      clientId: VENDOR_OWNER.clientId,
      clientSecret,
      applicationId: DEMO.applicationId,
      loginURL,
    });
  cloud.addLoginPolicy(policy(DEMO.stalePolicy.title, VENDOR_OWNER.expiredSecret, `${base}/login`), {
    id: DEMO.stalePolicy.id,
  });
  cloud.addLoginPolicy(policy(DEMO.currentPolicy.title, VENDOR_OWNER.currentSecret, `${base}/v2/login`), {
    id: DEMO.currentPolicy.id,
  });
  cloud.addLoginPolicy(
    {
      ...policy(DEMO.loyaltyPolicy.title, VENDOR_OWNER.currentSecret, `${base}/v2/login`),
      customClaims: { id_token: { loyalty_tier: 'loyalty.tier' }, userinfo: { zip: 'primaryAddress.zip' } },
    },
    { id: DEMO.loyaltyPolicy.id, pushClaims: true, allowedResponseTypes: ['code', 'token id_token'] },
  );
  const login = (
    client: { id: string; name: string },
    loginPolicy: string,
    type: 'public' | 'confidential',
    redirect: string,
  ): void => {
    cloud.addOidcClient({
      id: client.id,
      name: client.name,
      type,
      loginPolicy,
      tokenPolicy: DEMO.loginTokenPolicy,
      redirectURIs: [redirect],
    });
  };
  login(DEMO.clients.web, DEMO.stalePolicy.id, 'public', 'https://www.acme.example/callback');
  login(DEMO.clients.ios, DEMO.stalePolicy.id, 'public', 'com.acme.app://callback');
  login(DEMO.clients.partners, DEMO.currentPolicy.id, 'confidential', 'https://partners.acme.example/callback');
  login(DEMO.clients.loyalty, DEMO.loyaltyPolicy.id, 'public', 'https://loyalty.acme.example/callback');
  cloud.addOidcClient({
    id: DEMO.configClient.id,
    name: DEMO.configClient.name,
    type: 'confidential',
    tokenPolicy: DEMO.configClient.tokenPolicy,
    secret: DEMO.configClient.secret,
    tokenScopes: [CONFIG_SCOPE],
  });
}
