// The demo scenario of main.ts: the vendor page "Changing an owner client secret", plus a grace period and a
// login_client. Exported so tests and demos can start the same state.
import type { FakeClient, FakeCloudOptions } from './types';

const HOUR_MS = 3_600_000;

/** Vendor page: the policy holds OLD_SECRET, the owner client now has CURRENT_SECRET; the old one has expired. */
export const VENDOR_OWNER = {
  clientId: '7ns3pxeq92eghsqfu5sanshe939vmrjm',
  currentSecret: '2s277py2cv4ffg6vfwwjb2yf762tpfmv',
  expiredSecret: '6kr5746q7e4ex2gfedp8ehzjemwjjsqe',
  /** From the vendor page's policy (domain se-demos-gstemp.us-dev.janraincapture.com). */
  applicationId: '79y4mqf2rt3bxs378kw5479xdu',
  entityType: 'GREG_DEMO',
} as const;

/** An owner client reset 0 h ago with hours_to_live 48: both secrets work until the grace period ends. */
export const GRACE_OWNER = {
  clientId: 'm3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6',
  currentSecret: 'h7g4f1d8s5a2q9w6e3r0t7y4u1i8o5p2',
  previousSecret: 'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4',
  graceHours: 48,
} as const;

/** A valid client without the owner feature: Capture answers 403 client_permission_error on owner-only calls. */
export const LOGIN_CLIENT = {
  clientId: 't5r8e1w4q7a0s3d6f9g2h5j8k1l4z7x0',
  secret: 'c3v6b9n2m5q8w1e4r7t0y3u6i9o2p5a8',
} as const;

export const SCENARIO_ENTITY_TYPES = ['user', VENDOR_OWNER.entityType] as const;

/** The seeded clients, relative to `now` (the expired secret stopped 30 days before, the grace ends 48 h after). */
export function scenarioClients(now: Date): FakeClient[] {
  const at = (hours: number): Date => new Date(now.getTime() + hours * HOUR_MS);
  return [
    {
      clientId: VENDOR_OWNER.clientId,
      description: 'application owner (vendor page: changing an owner client secret)',
      features: ['access_issuer', 'direct_access', 'owner'],
      secrets: [
        { secret: VENDOR_OWNER.expiredSecret, expiresAt: at(-30 * 24) },
        { secret: VENDOR_OWNER.currentSecret },
      ],
    },
    {
      clientId: GRACE_OWNER.clientId,
      description: 'ACME application owner (secret reset, grace period running)',
      features: ['access_issuer', 'direct_access', 'owner'],
      secrets: [
        { secret: GRACE_OWNER.previousSecret, expiresAt: at(GRACE_OWNER.graceHours) },
        { secret: GRACE_OWNER.currentSecret },
      ],
    },
    {
      clientId: LOGIN_CLIENT.clientId,
      description: 'ACME web login client',
      features: ['login_client'],
      secrets: [{ secret: LOGIN_CLIENT.secret }],
    },
  ];
}

export function scenarioOptions(now: Date = new Date()): FakeCloudOptions {
  return { clients: scenarioClients(now), entityTypes: [...SCENARIO_ENTITY_TYPES] };
}

/**
 * A login policy (pretty JSON) whose owner credentials are `clientId` and `clientSecret` at Capture `domain`: what
 * the tests lint or open against this scenario.
 */
export function scenarioPolicy(domain: string, clientId: string, clientSecret: string): string {
  return JSON.stringify(
    {
      identityStoreDetails: {
        type: 'janrainCapture',
        connectionDetails: {
          domain,
          applicationId: VENDOR_OWNER.applicationId,
          entityType: 'user',
          clientId,
          clientSecret,
        },
      },
      loginURL: 'https://v1.api.us.janrain.com/00000000-0000-4000-8000-000000000000/auth-ui/v2/login',
      title: 'A policy',
    },
    null,
    2,
  );
}
