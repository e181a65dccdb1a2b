// unverified-owner-secret: nothing is known about the owner client's current secret, so a stale embedded secret
// would go unnoticed. Says how to let the linter know it.
import { rangeOf } from '../ast';
import { verdictOf } from '../owner-secret/verdict';
import { clientName, howToKnowSecret } from '../owner-secret/words';
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
      message: `Not verified: the current secret of ${clientName(verdict.clientId, verdict.client)} is not known, so a stale copy here would go unnoticed. To know it, ${howToKnowSecret(ctx.facts.editor, verdict.secretInFile ? 'unverified' : 'fingerprinted')}.`,
    });
  },
});
