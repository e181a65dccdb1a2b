// unverified-owner-secret: nothing is known about the owner client's current secret, so a stale embedded secret
// would go unnoticed. Says how to record it.
import { rangeOf } from '../ast';
import { verdictOf } from '../owner-secret/verdict';
import { clientName } from '../owner-secret/words';
import { PATHS } from '../policy/paths';
import { defineRule } from '../rule';

export default defineRule({
  id: 'unverified-owner-secret',
  defaultSeverity: 'info',
  docs: { summary: "Nothing is known about this owner client's current secret: says how to record it." },
  check(ctx) {
    const verdict = verdictOf(ctx);
    const node = ctx.model.node(PATHS.clientSecret);
    if (!verdict || !node || verdict.secret.kind !== 'unknown' || verdict.owner.kind === 'not-owner') return;
    ctx.report({
      range: rangeOf(node),
      message: `Not verified: the current secret of ${clientName(verdict.clientId, verdict.client)} is not known, so a stale copy here would go unnoticed. Record it ("Login Policy: Record Current Owner Client Secret"), add its fingerprint to .loginpolicyrc.json ("login-policy-lint fingerprint"), or enable live checks.`,
    });
  },
});
