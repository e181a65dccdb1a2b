// What a rotation starts from (DESIGN §14): the live state read with GETs, never files. Every login policy in full
// (its frozen block says which owner client and secret it embeds), every OIDC client in full (the list holds no
// binding), the named policies' push-claims status and allowed response types, and Capture's verdict on each embedded
// owner secret of the owner client concerned. Clear secrets stay in memory, in these objects only.
import { IdentityCloudError } from '../api-error';
import { isObject, type JsonObject, type LoginPolicyDocument, type OidcClientDocument } from '../api-types';
import type { CaptureConfigClient } from '../capture-config-client';
import { inBatches, type IdentityCloudClient } from '../identity-cloud-client';
import { fingerprint } from '../../shared/fingerprint';

/** The calls a rotation makes with the configuration client. */
export type RotationApi = Pick<
  IdentityCloudClient,
  | 'listLoginPolicySummaries'
  | 'getLoginPolicy'
  | 'createLoginPolicy'
  | 'deleteLoginPolicy'
  | 'getPushClaims'
  | 'setPushClaims'
  | 'getAllowedResponseTypes'
  | 'setAllowedResponseTypes'
  | 'listOidcClientSummaries'
  | 'getOidcClient'
  | 'putOidcClient'
>;

/** The calls a rotation makes with owner credentials (Configuration API): read the current secret, reset it. */
export type OwnerApi = Pick<CaptureConfigClient, 'getApiClient' | 'resetApiClientSecret'>;

/** The owner credentials a policy embeds. */
export interface OwnerCredentials {
  readonly domain: string;
  readonly applicationId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Capture's verdict on a pair of owner credentials (the live check, entityType.list). */
export interface SecretCheck {
  readonly state: 'accepted' | 'rejected' | 'not-owner' | 'unknown';
  /** In words, for the plan: "402 invalid_client_credentials", "no answer within 5 s". */
  readonly why: string;
  /** Set when the check was not made because the host may not be contacted (verify.allowedHosts). */
  readonly refusedHost?: boolean;
  /**
   * Set on an accepted new secret that is not the owner client's current one (a previous secret, in its grace
   * period): why, in words. It stops working when the grace period ends, so a rotation refuses it.
   */
  readonly notCurrent?: string;
}

export type CheckSecret = (credentials: OwnerCredentials) => Promise<SecretCheck>;

export interface LivePolicy {
  readonly id: string;
  readonly title: string;
  /** As GET returned it, clear secret included: memory only. */
  readonly document: LoginPolicyDocument;
  /** Undefined when the frozen block lacks a field: such a policy is listed, never rotated. */
  readonly owner: OwnerCredentials | undefined;
  readonly secretSha256: string | undefined;
}

export interface PolicySettings {
  readonly pushClaims: boolean;
  readonly allowedResponseTypes: readonly string[];
}

export interface RotationState {
  readonly policies: readonly LivePolicy[];
  readonly clients: readonly OidcClientDocument[];
  /** Push claims and response types of the named policies that exist. */
  readonly settings: ReadonlyMap<string, PolicySettings>;
  /** Capture's verdict per owner client id and secret fingerprint (`<clientId> <sha256>`). */
  readonly checks: ReadonlyMap<string, SecretCheck>;
  /** The owner client's current secret, read with owner credentials (when they were given). Memory only. */
  readonly ownerSecret: { readonly secret: string; readonly sha256: string } | undefined;
}

export const checkKey = (clientId: string, sha256: string): string => `${clientId} ${sha256}`;

export interface ReadOptions {
  readonly api: RotationApi;
  readonly owner?: OwnerApi;
  readonly checkSecret: CheckSecret;
  /** The named old policies. */
  readonly policyIds: readonly string[];
  /** Check the secret of every policy with owner credentials, not only the named ones' owner clients (a picker). */
  readonly checkAll?: boolean;
  /** Told how much there is to read, before the GETs of each policy and client. */
  readonly onReading?: (what: { policies: number; clients: number }) => void;
}

/** Reads everything a plan needs; every request is a GET (and live checks). */
export async function readRotationState(options: ReadOptions): Promise<RotationState> {
  const { api } = options;
  const summaries = await api.listLoginPolicySummaries();
  const clientSummaries = await api.listOidcClientSummaries();
  options.onReading?.({ policies: summaries.length, clients: clientSummaries.length });
  // A policy or client deleted between the list and its GET is simply not there.
  const policies = (await inBatches(summaries, (s) => orMissing(api.getLoginPolicy(s.id)))).flatMap((doc) =>
    doc ? [livePolicy(doc)] : [],
  );
  const clients = (await inBatches(clientSummaries, (s) => orMissing(api.getOidcClient(s.id)))).filter(
    (c): c is OidcClientDocument => c !== undefined,
  );
  const settings = new Map<string, PolicySettings>();
  for (const id of options.policyIds) {
    if (!policies.some((p) => p.id === id)) continue;
    settings.set(id, {
      pushClaims: await api.getPushClaims(id),
      allowedResponseTypes: await api.getAllowedResponseTypes(id),
    });
  }
  const named = policies.filter((p) => options.policyIds.includes(p.id));
  const ownerIds = new Set(named.flatMap((p) => (p.owner ? [p.owner.clientId] : [])));
  const checks = new Map<string, SecretCheck>();
  for (const policy of policies) {
    if (!policy.owner || !policy.secretSha256) continue;
    if (!options.checkAll && !ownerIds.has(policy.owner.clientId)) continue;
    const key = checkKey(policy.owner.clientId, policy.secretSha256);
    if (!checks.has(key)) checks.set(key, await options.checkSecret(policy.owner));
  }
  let ownerSecret: RotationState['ownerSecret'];
  const first = named.find((p) => p.owner)?.owner;
  if (options.owner && first && ownerIds.size === 1) {
    const client = await options.owner.getApiClient(first.applicationId, first.clientId);
    if (typeof client._secret === 'string' && client._secret !== '') {
      ownerSecret = { secret: client._secret, sha256: fingerprint(client._secret) };
    }
  }
  return { policies, clients, settings, checks, ownerSecret };
}

export function livePolicy(document: LoginPolicyDocument): LivePolicy {
  const owner = ownerCredentialsOf(document);
  return {
    id: document.id,
    title: typeof document['title'] === 'string' ? document['title'] : '',
    document,
    owner,
    secretSha256: owner ? fingerprint(owner.clientSecret) : undefined,
  };
}

/** The embedded owner credentials, when the frozen block has all four. */
export function ownerCredentialsOf(policy: JsonObject): OwnerCredentials | undefined {
  const store = policy['identityStoreDetails'];
  const details = isObject(store) ? store['connectionDetails'] : undefined;
  if (!isObject(details)) return undefined;
  const { domain, applicationId, clientId, clientSecret } = details;
  if (typeof domain !== 'string' || typeof applicationId !== 'string' || typeof clientId !== 'string') return undefined;
  if (typeof clientSecret !== 'string' || clientSecret === '') return undefined;
  return { domain, applicationId, clientId, clientSecret };
}

async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof IdentityCloudError && error.kind === 'not-found') return undefined;
    throw error;
  }
}
