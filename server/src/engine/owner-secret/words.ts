// The words owner-secret messages and hovers share: where knowledge came from, when, and what to do.
import type { EditorFacts, KnownClient, LiveCheck } from '../facts';
import { shortFingerprint } from '../../shared/fingerprint';
import type { Evidence, OwnerSecretVerdict, SecretState } from './verdict';

/** `client m3n8b2v7… ("prod owner")`: the id is not a secret, but a short form reads better. */
export function clientName(clientId: string, client: KnownClient | undefined): string {
  const short = clientId.length > 12 ? `${clientId.slice(0, 8)}…` : clientId;
  return client?.label ? `client ${short} ("${client.label}")` : `client ${short}`;
}

export function fingerprintWords(sha256: string): string {
  return `fingerprint ${shortFingerprint(sha256)}`;
}

/** "per .loginpolicyrc.json", "per the secret recorded in VS Code", "Capture said so at 09:12 UTC". */
export function evidenceWords(evidence: Evidence, now: Date): string {
  switch (evidence.kind) {
    case 'config':
      return `per ${evidence.path}`;
    case 'recorded':
      return 'per the secret recorded with "Login Policy: Record Current Owner Client Secret"';
    case 'live':
      return `per a live check against ${evidence.check.host} ${ago(evidence.check.checkedAt, now)}`;
  }
}

export function liveAnswerWords(check: LiveCheck): string {
  switch (check.outcome) {
    case 'accepted':
      return 'Capture accepted these credentials';
    case 'rejected':
    case 'not-owner':
      return `Capture answered ${check.code} ${check.error}`;
    case 'failed':
      return `the check could not decide: ${check.reason}`;
  }
}

/** `2026-12-01 09:00 UTC`. */
export function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "in 37 hours", "in 20 minutes". */
export function until(date: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((date.getTime() - now.getTime()) / 60_000));
  if (minutes < 120) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return `in ${hours} hours`;
}

/** "just now", "3 minutes ago", "2 hours ago". */
export function ago(iso: string, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours ago` : `${Math.round(hours / 24)} days ago`;
}

/**
 * How to let the linter know an owner client's current secret, the ways every editor and CI have first; the
 * editor's own command only where the editor has one. `unverified`: nothing is known; `fingerprinted`: the file
 * holds only its secret's fingerprint (a live check needs the secret); `check-failed`: a live check could not decide.
 */
export function howToKnowSecret(
  editor: EditorFacts | undefined,
  situation: 'unverified' | 'fingerprinted' | 'check-failed',
): string {
  const record = editor?.recordSecretCommand ? `, or record it with "${editor.recordSecretCommand}"` : '';
  switch (situation) {
    case 'unverified':
      return `add its fingerprint to .loginpolicyrc.json (\`login-policy-lint fingerprint\`), or check it live (\`login-policy-lint --verify\`, or the loginPolicy.verify.mode setting)${record}`;
    case 'fingerprinted':
      return `add its fingerprint to .loginpolicyrc.json (\`login-policy-lint fingerprint\`, or \`login-policy-lint pull --owner-clients\`)${record}. A live check needs the secret itself, which this file does not hold (\`login-policy-lint status --verify\` checks the deployed policy)`;
    case 'check-failed':
      return `try the live check again, or add the current secret's fingerprint to .loginpolicyrc.json (\`login-policy-lint fingerprint\`)${record}`;
  }
}

export const NEW_POLICY_WAY_OUT =
  'identityStoreDetails cannot be changed once the policy exists: create a new login policy with the current secret and point its OIDC clients at it';

/** Why a secret is stale, in words: what Capture answered, or what the fingerprints say. */
export function staleWhy(
  verdict: OwnerSecretVerdict,
  secret: Extract<SecretState, { kind: 'stale' }>,
  now: Date,
): string {
  const who = clientName(verdict.clientId, verdict.client);
  if (secret.evidence.kind === 'live')
    return `${liveAnswerWords(secret.evidence.check)} (${evidenceWords(secret.evidence, now).replace(/^per /, '')})`;
  return secret.expiredAt
    ? `it is a replaced secret of ${who} whose grace period ended ${utc(secret.expiredAt)} (${evidenceWords(secret.evidence, now)})`
    : `it is not the current secret of ${who} (${evidenceWords(secret.evidence, now)})`;
}

/** How long a replaced secret is still accepted: "until … (in 37 hours)", or that its end is not recorded. */
export function rotatedWhen(secret: Extract<SecretState, { kind: 'rotated' }>, now: Date): string {
  return secret.validUntil
    ? `until ${utc(secret.validUntil)} (${until(secret.validUntil, now)})`
    : 'only for the grace period of the reset (at most 168 hours; its end is not recorded)';
}
