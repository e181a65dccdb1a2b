// Everything before the first change (DESIGN §14): the journals of earlier runs, the live state (GETs and live checks
// only), where the new secret comes from and whether Capture accepts it, and the plan. What `rotate` prints without
// --apply is exactly this; with --apply, the executor runs the plan it returns. The new secret is read only when the
// plan needs it (a resume whose new policy exists takes it from that policy), and is kept in memory only.
import type { LoadedConfig } from '../../project/config-store';
import { fingerprint } from '../../shared/fingerprint';
import { JournalError, type JournalStore, type RotationJournal } from './journal';
import {
  checkKey,
  readRotationState,
  type CheckSecret,
  type OwnerApi,
  type RotationApi,
  type RotationState,
  type SecretCheck,
} from './live-state';
import type { GivenSource } from './plan-types';
import { planRotation, RotationRefusal, type PlanOutcome, type RotationRequest } from './planner';

export interface PrepareOptions {
  readonly request: RotationRequest;
  readonly api: RotationApi;
  /** Owner credentials (Configuration API): needed for a reset, and to resume one whose new policy is not created. */
  readonly owner: OwnerApi | undefined;
  readonly checkSecret: CheckSecret;
  readonly store: JournalStore;
  /** The given new secret (LOGIN_POLICY_NEW_OWNER_SECRET, stdin, or typed), read only when the plan needs it. */
  readonly readGivenSecret: (source: GivenSource) => Promise<string | undefined>;
  /** Fingerprints the workspace lists as replaced secrets of an owner client (previousSecrets of .loginpolicyrc.json). */
  readonly previousSecrets?: (ownerClientId: string) => readonly string[];
  readonly now: () => Date;
  readonly runId: () => string;
  readonly onReading?: (what: { policies: number; clients: number }) => void;
}

export interface Prepared {
  readonly outcome: PlanOutcome;
  readonly state: RotationState;
  /** Memory only. Undefined when the reset of this run makes it, or for an abort. */
  readonly newSecret: string | undefined;
}

/** Where the secret of an unfinished rotation was given, as the journal says, and how to give it again. */
const AGAIN: Record<GivenSource, string> = {
  env: 'from LOGIN_POLICY_NEW_OWNER_SECRET',
  stdin: 'from stdin',
  typed: 'it was typed into VS Code: type it again there, or pipe it to rotate on stdin',
};

/** Why a fresh rotation has no secret, by where it was to come from. */
const NONE: Record<GivenSource, string> = {
  env: 'LOGIN_POLICY_NEW_OWNER_SECRET is empty',
  stdin: 'nothing was read from stdin',
  typed: 'none was typed',
};

export async function prepareRotation(options: PrepareOptions): Promise<Prepared> {
  const { request, store } = options;
  const journals = new Map<string, RotationJournal>();
  for (const id of request.policyIds) {
    let journal: RotationJournal | undefined;
    try {
      journal = store.load(id);
    } catch (error) {
      if (error instanceof JournalError) throw new RotationRefusal('usage', error.message);
      throw error;
    }
    if (journal) journals.set(id, journal);
  }
  const state = await readRotationState({
    api: options.api,
    ...(options.owner ? { owner: options.owner } : {}),
    checkSecret: options.checkSecret,
    policyIds: request.policyIds,
    ...(options.onReading ? { onReading: options.onReading } : {}),
  });
  if (request.mode === 'rotate') refuseUnprovable(state, request.policyIds);
  const plan = (given: { sha256: string; check: SecretCheck } | undefined): PlanOutcome =>
    planRotation({
      request,
      state,
      journals,
      journalPath: (id) => store.where(id),
      given,
      now: options.now(),
      runId: options.runId,
    });
  const first = plan(undefined);
  const origin = first.secret;
  switch (origin.from) {
    case 'none':
    case 'reset':
      return { outcome: first, state, newSecret: undefined };
    case 'new-policy': {
      const created = state.policies.find((p) => p.id === origin.policyId);
      return { outcome: first, state, newSecret: created?.owner?.clientSecret };
    }
    case 'owner': {
      if (!state.ownerSecret) {
        throw new RotationRefusal(
          'usage',
          'the unfinished rotation reset the owner secret before creating the new policy: resuming it needs the owner credentials (LOGIN_POLICY_OWNER_CLIENT_ID and LOGIN_POLICY_OWNER_CLIENT_SECRET) to read the new secret',
        );
      }
      if (state.ownerSecret.sha256 !== origin.sha256) {
        throw new RotationRefusal(
          'failed',
          "the owner client's secret was reset again since this rotation reset it: check in the Console before going on, or abort the rotation",
        );
      }
      return { outcome: first, state, newSecret: state.ownerSecret.secret };
    }
    case 'given': {
      const secret = await options.readGivenSecret(origin.source);
      if (secret === undefined || secret === '') {
        throw new RotationRefusal(
          'usage',
          origin.sha256
            ? `the unfinished rotation needs its new secret again (${AGAIN[origin.source]}) until the new policy exists`
            : `no new secret: ${NONE[origin.source]} (set LOGIN_POLICY_NEW_OWNER_SECRET, pipe the secret on stdin, or let rotate reset it with --reset-secret --hours-to-live H)`,
        );
      }
      const { domain, ownerClientId } = first.plan;
      const applicationId =
        state.policies.find((p) => request.policyIds.includes(p.id) && p.owner)?.owner?.applicationId ?? '';
      const check = await options.checkSecret({ domain, applicationId, clientId: ownerClientId, clientSecret: secret });
      if (check.refusedHost) {
        throw new RotationRefusal('usage', `the new secret cannot be proven: ${check.why}`);
      }
      const sha256 = fingerprint(secret);
      const notCurrent = notCurrentReason(sha256, ownerClientId, state, options.previousSecrets?.(ownerClientId) ?? []);
      const verdict = check.state === 'accepted' && notCurrent ? { ...check, notCurrent } : check;
      return { outcome: plan({ sha256, check: verdict }), state, newSecret: secret };
    }
  }
}

/**
 * Capture accepts a secret in its grace period as well as the current one, but it stops when the period ends: moving
 * policies to it would only move the breakage later. Known with owner credentials (the current secret), else from
 * previousSecrets of .loginpolicyrc.json.
 */
function notCurrentReason(
  sha256: string,
  ownerClientId: string,
  state: RotationState,
  previous: readonly string[],
): string | undefined {
  if (state.ownerSecret) {
    return sha256 === state.ownerSecret.sha256
      ? undefined
      : 'the owner credentials show another current secret; this one stops working when its grace period ends';
  }
  return previous.includes(sha256)
    ? `.loginpolicyrc.json lists it in previousSecrets of owner client ${ownerClientId}: it stops working when its grace period ends`
    : undefined;
}

/**
 * The new secret is proven with the live check before anything is created; a Capture domain the check may not contact
 * (verify.allowedHosts) would only be found after a reset. Said now, before any change.
 */
function refuseUnprovable(state: RotationState, policyIds: readonly string[]): void {
  for (const policy of state.policies) {
    if (!policyIds.includes(policy.id) || !policy.owner || !policy.secretSha256) continue;
    const check = state.checks.get(checkKey(policy.owner.clientId, policy.secretSha256));
    if (check?.refusedHost) {
      throw new RotationRefusal(
        'usage',
        `the new secret is proven with the live check, which may not contact ${policy.owner.domain}: ${check.why}`,
      );
    }
  }
}

/** The replaced secrets `.loginpolicyrc.json` lists for an owner client (not its current one): for `previousSecrets`. */
export function previousSecretsOf(config: LoadedConfig | undefined, clientId: string): string[] {
  const entry = config?.config?.clients?.find((c) => c.clientId === clientId);
  return (entry?.previousSecrets ?? []).map((p) => p.sha256).filter((sha) => sha !== entry?.secretSha256);
}
