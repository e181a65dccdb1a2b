// stale-owner-secret: the embedded clientSecret is known not to be the owner client's current secret (and is not
// inside a grace period). Sign-in through the policy is broken, and the policy cannot be edited back.
import { rangeOf } from '../ast';
import { verdictOf } from '../owner-secret/verdict';
import { fingerprintWords, NEW_POLICY_WAY_OUT, staleWhy } from '../owner-secret/words';
import { PATHS } from '../policy/paths';
import { defineRule } from '../rule';

export default defineRule({
  id: 'stale-owner-secret',
  defaultSeverity: 'error',
  docs: {
    summary: "The embedded clientSecret is not the owner client's current secret: sign-in through this policy fails.",
  },
  check(ctx) {
    const verdict = verdictOf(ctx);
    const node = ctx.model.node(PATHS.clientSecret);
    if (!verdict || !node || verdict.secret.kind !== 'stale') return;
    const why = staleWhy(verdict, verdict.secret, ctx.now);
    ctx.report({
      range: rangeOf(node),
      message: `Stale owner secret (${fingerprintWords(verdict.secretSha256)}): ${why}. Sign-in through this policy fails: users see the sign-in screen reset. ${NEW_POLICY_WAY_OUT}.`,
    });
  },
});
