// rotated-owner-secret: the embedded secret was replaced by a reset but is still accepted during its grace
// period. Says when sign-in will break, so a new policy can be made before it does.
import { rangeOf } from '../ast';
import { verdictOf } from '../owner-secret/verdict';
import { clientName, evidenceWords, fingerprintWords, NEW_POLICY_WAY_OUT, rotatedWhen } from '../owner-secret/words';
import { PATHS } from '../policy/paths';
import { defineRule } from '../rule';

export default defineRule({
  id: 'rotated-owner-secret',
  defaultSeverity: 'warning',
  docs: {
    summary: 'The embedded secret is a previous secret still inside its grace period: says when it stops working.',
  },
  check(ctx) {
    const verdict = verdictOf(ctx);
    const node = ctx.model.node(PATHS.clientSecret);
    if (!verdict || !node || verdict.secret.kind !== 'rotated') return;
    const { secret } = verdict;
    const when = rotatedWhen(secret, ctx.now);
    ctx.report({
      range: rangeOf(node),
      message: `Replaced owner secret (${fingerprintWords(verdict.secretSha256)}): ${clientName(verdict.clientId, verdict.client)} has a new secret, and this one is accepted ${when} (${evidenceWords(secret.evidence, ctx.now)}). After that, sign-in through this policy fails. ${NEW_POLICY_WAY_OUT}, before then.`,
    });
  },
});
