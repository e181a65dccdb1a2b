// Where `pull` and `status` find Identity Cloud (DESIGN §13): the credentials only in environment variables (never a
// file, never argv), the customer id and region also in `identityCloud` of .loginpolicyrc.json (the environment wins).
// A missing or malformed value is bad usage (exit 2), named by its variable; no value is ever repeated in a message.
import type { LoginPolicyConfig } from '../engine/config/schema';
import { apiBaseFor, checkCustomerId, checkRegion } from '../identity-cloud/api-base';
import { IdentityCloudError } from '../identity-cloud/api-error';
import type { CaptureConfigClientOptions } from '../identity-cloud/capture-config-client';
import type { IdentityCloudClientOptions } from '../identity-cloud/identity-cloud-client';
import { UsageError } from './args';

export const ENV = {
  customerId: 'LOGIN_POLICY_CUSTOMER_ID',
  region: 'LOGIN_POLICY_REGION',
  configClientId: 'LOGIN_POLICY_CONFIG_CLIENT_ID',
  configClientSecret: 'LOGIN_POLICY_CONFIG_CLIENT_SECRET',
  apiBase: 'LOGIN_POLICY_API_BASE',
  ownerClientId: 'LOGIN_POLICY_OWNER_CLIENT_ID',
  ownerClientSecret: 'LOGIN_POLICY_OWNER_CLIENT_SECRET',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value; an empty one (an unset secret in CI) counts as missing. */
function variable(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** The customer and how to reach the API: checked, so a bad value stops before any request. */
export function connectionFrom(
  env: Env,
  config: LoginPolicyConfig | undefined,
  timeoutMs: number | undefined,
): IdentityCloudClientOptions {
  const customerId = variable(env, ENV.customerId) ?? config?.identityCloud?.customerId;
  const region = variable(env, ENV.region) ?? config?.identityCloud?.region;
  const configClientId = variable(env, ENV.configClientId);
  const configClientSecret = variable(env, ENV.configClientSecret);
  const missing = [
    ...(customerId ? [] : [`${ENV.customerId} (or "identityCloud.customerId" in .loginpolicyrc.json)`]),
    ...(region ? [] : [`${ENV.region} (or "identityCloud.region" in .loginpolicyrc.json)`]),
    ...(configClientId ? [] : [ENV.configClientId]),
    ...(configClientSecret ? [] : [ENV.configClientSecret]),
  ];
  if (missing.length > 0 || !customerId || !region || !configClientId || !configClientSecret) {
    throw new UsageError(
      `missing credential variable${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: a Hosted Login configuration client of the customer is needed (see --help).`,
    );
  }
  const apiBase = variable(env, ENV.apiBase);
  const fromEnv = (name: string): string => (variable(env, name) ? name : `"identityCloud" of .loginpolicyrc.json`);
  checked(fromEnv(ENV.customerId), () => checkCustomerId(customerId));
  checked(fromEnv(ENV.region), () => checkRegion(region));
  checked(ENV.apiBase, () => apiBaseFor(region, apiBase));
  return {
    customerId: customerId.trim(),
    region: region.trim().toLowerCase(),
    configClientId,
    configClientSecret,
    ...(apiBase ? { apiBase } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

/** The owner API client's credentials for `--owner-clients`, on the same API base. */
export function ownerConnectionFrom(env: Env, connection: IdentityCloudClientOptions): CaptureConfigClientOptions {
  const ownerClientId = variable(env, ENV.ownerClientId);
  const ownerClientSecret = variable(env, ENV.ownerClientSecret);
  const missing = [
    ...(ownerClientId ? [] : [ENV.ownerClientId]),
    ...(ownerClientSecret ? [] : [ENV.ownerClientSecret]),
  ];
  if (!ownerClientId || !ownerClientSecret) {
    throw new UsageError(
      `--owner-clients: missing credential variable${missing.length === 1 ? '' : 's'} ${missing.join(', ')}: an owner API client of the Capture application is needed.`,
    );
  }
  return {
    region: connection.region,
    ownerClientId,
    ownerClientSecret,
    ...(connection.apiBase ? { apiBase: connection.apiBase } : {}),
    ...(connection.timeoutMs !== undefined ? { timeoutMs: connection.timeoutMs } : {}),
  };
}

/** Runs a check of the API client; its refusal is bad usage, named by where the value came from. */
function checked(source: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof IdentityCloudError && error.kind === 'config')
      throw new UsageError(`${source}: ${error.message}.`);
    throw error;
  }
}
