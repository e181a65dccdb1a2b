// The fake Identity Cloud the leak tests of the Identity Cloud commands run against, every secret in it a canary: the
// owner client CLIENT_ID with the embedded secrets a test gives, the owner client of resets (OWNER_CANARY), and the
// configuration client (CONFIG_CANARY). Plus the check that no file under a folder holds a secret.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loginPolicyBody } from '../fake-identity-cloud/bodies';
import type { FakeIdentityCloud } from '../fake-identity-cloud/server';
import type { FakeCloudOptions } from '../fake-identity-cloud/types';
import { CONFIG_SCOPE, FakeIdentityCloud as Fake } from '../fake-identity-cloud/server';
import {
  assertClean,
  CLIENT_ID,
  CONFIG_CANARY,
  CONFIG_CLIENT_ID,
  OWNER_CANARY,
  OWNER_CLIENT_ID,
  type Forbidden,
} from './canaries';

type OwnerSecrets = NonNullable<FakeCloudOptions['clients']>[number]['secrets'];

export interface LeakCloud {
  readonly cloud: FakeIdentityCloud;
  /** Adds a login policy embedding CLIENT_ID and `clientSecret`; returns the whole policy as the fake holds it. */
  policy(title: string, clientSecret: string): Record<string, unknown>;
  /** The environment of the CLI for this fake: API base, customer, region and the configuration client. */
  readonly env: Record<string, string>;
}

export async function startLeakCloud(
  customerId: string,
  applicationId: string,
  owner: OwnerSecrets,
): Promise<LeakCloud> {
  const cloud = await Fake.start({
    customerId,
    applicationId,
    clients: [
      { clientId: CLIENT_ID, features: ['owner'], secrets: owner },
      { clientId: OWNER_CLIENT_ID, features: ['owner'], secrets: [{ secret: OWNER_CANARY }] },
    ],
  });
  cloud.addOidcClient({
    id: CONFIG_CLIENT_ID,
    name: 'leak config client',
    type: 'confidential',
    tokenPolicy: 'tp-config',
    secret: CONFIG_CANARY,
    tokenScopes: [CONFIG_SCOPE],
  });
  return {
    cloud,
    policy: (title, clientSecret) =>
      cloud.addLoginPolicy(
        loginPolicyBody({ domain: cloud.host, title, clientId: CLIENT_ID, clientSecret, applicationId }),
      ),
    env: {
      LOGIN_POLICY_API_BASE: cloud.url,
      LOGIN_POLICY_CUSTOMER_ID: customerId,
      LOGIN_POLICY_REGION: 'eu',
      LOGIN_POLICY_CONFIG_CLIENT_ID: CONFIG_CLIENT_ID,
      LOGIN_POLICY_CONFIG_CLIENT_SECRET: CONFIG_CANARY,
    },
  };
}

/** No file under `dir` holds any of `forbidden` (fingerprints are left to the caller's list: files hold them by design). */
export function assertFilesClean(dir: string, forbidden: readonly Forbidden[]): void {
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else assertClean(path.relative(dir, full), readFileSync(full, 'utf8'), forbidden);
    }
  };
  walk(dir);
}
