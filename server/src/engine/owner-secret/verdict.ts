// What is known about a policy's embedded owner credentials: is the client an owner, and is the embedded secret
// the client's current one? Decided from recorded fingerprints, .loginpolicyrc.json and live check results, all
// passed in as facts. The five owner-secret rules and the hover read this one verdict, so they always agree.
import type { AnalysisFacts, KnowledgeSource, KnownClient, LiveCheck } from '../facts';
import { liveCheckKey } from '../facts';
import type { PolicyModel } from '../policy/model';
import { PATHS } from '../policy/paths';
import { placeholderClientId } from '../../shared/secret-placeholder';
import { isFingerprinted, secretFingerprint } from '../../shared/fingerprint';

/** How a state was decided. */
export type Evidence = KnowledgeSource | { readonly kind: 'live'; readonly check: LiveCheck };

export type SecretState =
  | { readonly kind: 'current'; readonly evidence: Evidence }
  /** A replaced secret still accepted; `validUntil` is unknown when only a live check says so. */
  | { readonly kind: 'rotated'; readonly validUntil: Date | undefined; readonly evidence: Evidence }
  /** Not the current secret; `expiredAt` when it is a known previous secret whose grace period ended. */
  | { readonly kind: 'stale'; readonly expiredAt: Date | undefined; readonly evidence: Evidence }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'check-failed'; readonly check: LiveCheck & { readonly outcome: 'failed' } };

export type OwnerState =
  | { readonly kind: 'owner'; readonly evidence: Evidence }
  | { readonly kind: 'not-owner'; readonly evidence: Evidence; readonly features?: readonly string[] }
  | { readonly kind: 'unknown' };

export interface OwnerSecretVerdict {
  readonly clientId: string;
  /** The fingerprint of the embedded secret, or the one the file holds instead of it (`sha256:<hex>`). */
  readonly secretSha256: string;
  /** False when the file holds only the fingerprint: no live check can be made with it, and no secret is there. */
  readonly secretInFile: boolean;
  readonly domain: string | undefined;
  readonly client: KnownClient | undefined;
  readonly owner: OwnerState;
  readonly secret: SecretState;
  /** The live check for exactly these credentials, if one was made. */
  readonly live: LiveCheck | undefined;
}

/** The verdict for a policy, or undefined when it has no string clientId and clientSecret to judge. */
export function ownerSecretVerdict(
  model: PolicyModel,
  facts: AnalysisFacts,
  now: Date,
): OwnerSecretVerdict | undefined {
  const clientId = model.string(PATHS.clientId);
  const secret = model.string(PATHS.clientSecret);
  // A generated policy's placeholder is not a secret to judge: the schema already says to replace it.
  if (!clientId || secret === undefined || secret === '' || placeholderClientId(secret) !== undefined) return undefined;
  const secretSha256 = secretFingerprint(secret);
  const domain = model.string(PATHS.domain);
  const client = facts.clients?.get(clientId);
  const live = domain ? facts.liveChecks?.get(liveCheckKey(domain, clientId, secretSha256)) : undefined;
  return {
    clientId,
    secretSha256,
    secretInFile: !isFingerprinted(secret),
    domain,
    client,
    live,
    owner: ownerState(client, live),
    secret: secretState(offlineState(client, secretSha256, now), live),
  };
}

function ownerState(client: KnownClient | undefined, live: LiveCheck | undefined): OwnerState {
  // What Capture answered beats what a config says (it may be out of date).
  if (live?.outcome === 'not-owner') return { kind: 'not-owner', evidence: { kind: 'live', check: live } };
  // entityType.list is an owner-only call: accepted credentials belong to an owner.
  if (live?.outcome === 'accepted') return { kind: 'owner', evidence: { kind: 'live', check: live } };
  if (client?.features) {
    const evidence = client.featuresSource ?? { kind: 'recorded' as const };
    return client.features.includes('owner')
      ? { kind: 'owner', evidence }
      : { kind: 'not-owner', evidence, features: client.features };
  }
  return { kind: 'unknown' };
}

/** What the fingerprints alone say. */
function offlineState(client: KnownClient | undefined, sha256: string, now: Date): SecretState {
  if (!client) return { kind: 'unknown' };
  const source: Evidence = client.currentSource ?? { kind: 'recorded' };
  if (client.currentSha256 === sha256) return { kind: 'current', evidence: source };
  const previous = client.previousSecrets?.find((p) => p.sha256 === sha256);
  if (previous) {
    // Replaced at a time not recorded: it may still be in its grace period (up to 168 hours), so it is not known to be
    // stale, only replaced. A live check settles it: a 402 makes it stale.
    if (previous.validUntil === null) return { kind: 'rotated', validUntil: undefined, evidence: source };
    const validUntil = new Date(previous.validUntil);
    return validUntil.getTime() > now.getTime()
      ? { kind: 'rotated', validUntil, evidence: source }
      : { kind: 'stale', expiredAt: validUntil, evidence: source };
  }
  if (client.currentSha256) return { kind: 'stale', expiredAt: undefined, evidence: source };
  return { kind: 'unknown' };
}

/**
 * Combines fingerprints with a live check. A rejection is authoritative (the config may be out of date);
 * acceptance means current, or a grace period when the fingerprints say the secret was replaced; a failed
 * check never decides anything.
 */
function secretState(offline: SecretState, live: LiveCheck | undefined): SecretState {
  if (!live) return offline;
  const evidence: Evidence = { kind: 'live', check: live };
  switch (live.outcome) {
    case 'rejected':
      return { kind: 'stale', expiredAt: offline.kind === 'stale' ? offline.expiredAt : undefined, evidence };
    case 'accepted':
    case 'not-owner':
      if (offline.kind === 'rotated') return offline;
      if (offline.kind === 'stale') return { kind: 'rotated', validUntil: undefined, evidence };
      return { kind: 'current', evidence };
    case 'failed':
      return offline.kind === 'unknown' ? { kind: 'check-failed', check: live } : offline;
  }
}

/**
 * The last verdict: the rules of one analysis run one after another and ask for the same model's verdict, so one
 * slot is enough (a WeakMap entry per analysis cost more than the verdict itself in a 1 KB policy).
 */
let last: { model: PolicyModel; facts: AnalysisFacts; now: Date; verdict: OwnerSecretVerdict | undefined } | undefined;

/** The verdict for one analysis, computed once however many rules ask. */
export function verdictOf(ctx: {
  model: PolicyModel;
  facts: AnalysisFacts;
  now: Date;
}): OwnerSecretVerdict | undefined {
  if (last && last.model === ctx.model && last.facts === ctx.facts && last.now === ctx.now) return last.verdict;
  const verdict = ownerSecretVerdict(ctx.model, ctx.facts, ctx.now);
  last = { model: ctx.model, facts: ctx.facts, now: ctx.now, verdict };
  return verdict;
}
