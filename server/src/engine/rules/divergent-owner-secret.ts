// divergent-owner-secret: two policies for the same owner clientId embed different secrets. A client has one
// current secret (two during a reset's grace period), so at least one of them is, or soon will be, stale. Only
// while nothing tells which one is current: then the owner-secret rules name the stale one.
import { rangeOf } from '../ast';
import { listed } from '../list-words';
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
    const others = (facts.workspace?.otherSecrets ?? []).filter((s) => s.sha256 !== verdict.secretSha256);
    if (others.length === 0) return;
    const theirs = listed(
      others.map((s) => {
        const more = s.files - 1;
        const who = more > 0 ? `${s.path} and ${more} other file${more === 1 ? '' : 's'} hold` : `${s.path} holds`;
        return `${who} ${shortFingerprint(s.sha256)}`;
      }),
    );
    report({
      range: rangeOf(node),
      message: `Policies for owner client ${verdict.clientId.slice(0, 8)}… embed different secrets: this file holds ${shortFingerprint(verdict.secretSha256)}, ${theirs}. The client has one current secret, so at least one of them is stale or soon will be; record the current one to see which.`,
    });
  },
});
