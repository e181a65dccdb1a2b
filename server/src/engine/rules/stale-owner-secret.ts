// stale-owner-secret: the embedded clientSecret is known not to be the owner client's current secret (and is not
// inside a grace period). Sign-in through the policy is broken, and the policy cannot be edited back.
import { rangeOf } from '../ast';
import { verdictOf } from '../owner-secret/verdict';
import {
  clientName,
  evidenceWords,
  fingerprintWords,
  liveAnswerWords,
  NEW_POLICY_WAY_OUT,
  utc,
} from '../owner-secret/words';
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
    const { secret } = verdict;
    const who = clientName(verdict.clientId, verdict.client);
    const why =
      secret.evidence.kind === 'live'
        ? `${liveAnswerWords(secret.evidence.check)} (${evidenceWords(secret.evidence, ctx.now).replace(/^per /, '')})`
        : secret.expiredAt
          ? `it is a replaced secret of ${who} whose grace period ended ${utc(secret.expiredAt)} (${evidenceWords(secret.evidence, ctx.now)})`
          : `it is not the current secret of ${who} (${evidenceWords(secret.evidence, ctx.now)})`;
    ctx.report({
      range: rangeOf(node),
      message: `Stale owner secret (${fingerprintWords(verdict.secretSha256)}): ${why}. Sign-in through this policy fails: users see the sign-in screen reset. ${NEW_POLICY_WAY_OUT}.`,
    });
  },
});
