// Capture's verdict on a pair of owner credentials for a rotation (DESIGN §14): the live check (entityType.list),
// never cached since a rotation asks about the present, only to allowed hosts. The CLI takes the hosts from
// `verify.allowedHosts` of .loginpolicyrc.json, VS Code from its `loginPolicy.verify.allowedHosts` setting.
import { LiveCheckService, type LiveCheckSettings } from '../live-checks';
import type { CheckSecret, SecretCheck } from './live-state';

export function liveSecretChecker(settings: LiveCheckSettings): CheckSecret {
  const service = new LiveCheckService({ ttlMs: 0, backoffMs: 0, maxBackoffMs: 0 });
  return async (credentials): Promise<SecretCheck> => {
    const outcome = await service.check(credentials, settings, true);
    const check = outcome.check;
    if (!outcome.performed && !check) return { state: 'unknown', why: outcome.reason, refusedHost: true };
    switch (check?.outcome) {
      case 'accepted':
        return { state: 'accepted', why: 'accepted' };
      case 'rejected':
        return { state: 'rejected', why: `${check.code} ${check.error}` };
      case 'not-owner':
        return { state: 'not-owner', why: `not an owner client, ${check.code} ${check.error}` };
      default:
        return { state: 'unknown', why: check?.outcome === 'failed' ? check.reason : 'not checked' };
    }
  };
}

/** Why the new secret stops the rotation before anything is created, or undefined when Capture accepts it. */
export function refusedSecret(check: SecretCheck | undefined): string | undefined {
  if (!check) return undefined;
  if (check.state === 'accepted') {
    return check.notCurrent
      ? `the new secret is not the owner client's current secret (${check.notCurrent})`
      : undefined;
  }
  return check.state === 'unknown'
    ? `the new secret could not be proven (${check.why})`
    : `Capture does not accept the new secret (${check.why})`;
}
