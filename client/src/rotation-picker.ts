// The deployed policies Rotate Owner Secret offers when no policy file names one: read live with GETs (which policies
// exist, which OIDC clients each serves), each labelled with the state of its embedded owner secret as Show Deployment
// Status judges a pulled policy, from fingerprints (the config's clients, the secrets recorded in VS Code). Capture is
// asked about every policy's secret (a live check) only when the user turned live checks on (loginPolicy.verify.mode,
// DESIGN §5 and §10); otherwise only the policy picked is checked, by the rotation itself. No `vscode` import.
import { BROKEN, statusRows, type PulledClient } from '../../server/src/identity-cloud/deployed-status';
import { count } from '../../server/src/identity-cloud/progress';
import { jsonText, withSecretsFingerprinted } from '../../server/src/identity-cloud/pulled-folder';
import {
  checkKey,
  readRotationState,
  type CheckSecret,
  type LivePolicy,
  type RotationApi,
  type SecretCheck,
} from '../../server/src/identity-cloud/rotation/live-state';

/** What the quick pick shows of a deployed policy, and what the rotation takes from the choice. */
export interface PolicyChoice {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly id: string;
  /** The embedded owner client: the owner credentials box is prefilled with it. */
  readonly owner: string | undefined;
  /** Sign-in through it fails now: listed first. */
  readonly broken: boolean;
}

export interface ChoiceOptions {
  readonly api: RotationApi;
  readonly checkSecret: CheckSecret;
  /** loginPolicy.verify.mode is not off: every embedded secret is checked live. */
  readonly liveChecks: boolean;
  /** What the fingerprints say: the config's clients and the recorded secrets (statusFacts). */
  readonly facts: Parameters<typeof statusRows>[2];
  readonly now: Date;
}

export async function deployedPolicyChoices(options: ChoiceOptions): Promise<PolicyChoice[]> {
  const state = await readRotationState({
    api: options.api,
    checkSecret: options.checkSecret,
    policyIds: [],
    checkAll: options.liveChecks,
  });
  const clients: PulledClient[] = state.clients.map((c) => ({
    id: c.id,
    name: typeof c['name'] === 'string' ? c['name'] : '',
    loginPolicy: c.loginPolicy,
  }));
  // Judged as a pulled policy is: its secret as a fingerprint, never in the text analysed.
  const rows = new Map(
    statusRows(
      state.policies.map((p) => ({ fileId: p.id, text: jsonText(withSecretsFingerprinted(p.document)) })),
      clients,
      options.facts,
      options.now,
    ).map((row) => [row.id, row]),
  );
  const choices = state.policies.map((policy): PolicyChoice => {
    const served = count(clients.filter((c) => c.loginPolicy === policy.id).length, 'OIDC client');
    const live = liveCheckOf(policy, state.checks);
    const row = rows.get(policy.id);
    const broken = live ? live.state === 'rejected' : row !== undefined && BROKEN.includes(row.secret.state);
    const detail = !policy.owner
      ? 'no owner credentials in its identityStoreDetails: nothing to rotate'
      : live
        ? liveDetail(live, served)
        : row && row.secret.state !== 'unknown' && row.secret.state !== 'check-failed'
          ? `${broken ? '$(error) ' : ''}${capital(row.secret.why)}${broken ? `: sign-in through its ${served} is failing` : `; ${served}`}`
          : `The current secret of its owner client is not known here, and live checks are off: the rotation checks it if you pick it; ${served}`;
    return {
      label: policy.title || policy.id,
      description: policy.id,
      detail,
      id: policy.id,
      owner: policy.owner?.clientId,
      broken,
    };
  });
  return choices.sort((a, b) => Number(b.broken) - Number(a.broken));
}

function liveCheckOf(policy: LivePolicy, checks: ReadonlyMap<string, SecretCheck>): SecretCheck | undefined {
  return policy.owner && policy.secretSha256
    ? checks.get(checkKey(policy.owner.clientId, policy.secretSha256))
    : undefined;
}

function liveDetail(check: SecretCheck, served: string): string {
  return check.state === 'rejected'
    ? `$(error) its secret is refused by Capture now (${check.why}): sign-in through its ${served} is failing`
    : check.state === 'accepted'
      ? `its secret works now; ${served}`
      : `its secret could not be checked (${check.why}); ${served}`;
}

function capital(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
