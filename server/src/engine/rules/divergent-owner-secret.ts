// divergent-owner-secret: two policies for the same owner clientId embed different secrets. A client has one
// current secret (two during a reset's grace period), so at least one of them is, or soon will be, stale. Only
// while nothing tells which one is current: then the owner-secret rules name the stale one.
import { rangeOf } from '../ast';
import { PATHS } from '../policy/paths';
import { verdictOf } from '../owner-secret/verdict';
import { defineRule } from '../rule';
import { shortFingerprint } from '../../shared/fingerprint';

export default defineRule({
  id: 'divergent-owner-secret',
  defaultSeverity: 'warning',
  docs: { summary: 'Two policies for the same owner clientId embed different secrets: one of them is stale.' },
  check({ model, facts, now, report }) {
    const node = model.node(PATHS.clientSecret);
    const verdict = verdictOf({ model, facts, now });
    // Once this secret is known to be current, rotated or stale, the owner-secret rules say so more precisely.
    if (!node || !verdict || (verdict.secret.kind !== 'unknown' && verdict.secret.kind !== 'check-failed')) return;
    const { clientId, secretSha256: mine } = verdict;
    const others = (facts.workspace?.otherPolicies ?? []).filter(
      (p) => p.clientId === clientId && p.secretSha256 !== undefined && p.secretSha256 !== mine,
    );
    if (others.length === 0) return;
    const theirs = others.map((p) => `${p.path} holds ${shortFingerprint(p.secretSha256!)}`).join(', ');
    report({
      range: rangeOf(node),
      message: `Policies for owner client ${clientId.slice(0, 8)}… embed different secrets: this file holds ${shortFingerprint(mine)}, ${theirs}. The client has one current secret, so at least one of them is stale or soon will be; record the current one to see which.`,
    });
  },
});
