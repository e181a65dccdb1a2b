// not-owner-client: the embedded clientId is known to lack Capture's `owner` feature. A login policy must hold
// an owner client of its application (facts §3.7); with any other client Hosted Login cannot sign users in.
import { rangeOf } from '../ast';
import { verdictOf } from '../owner-secret/verdict';
import { clientName, evidenceWords, liveAnswerWords, NEW_POLICY_WAY_OUT } from '../owner-secret/words';
import { PATHS } from '../policy/paths';
import { defineRule } from '../rule';

export default defineRule({
  id: 'not-owner-client',
  defaultSeverity: 'error',
  docs: { summary: 'The embedded clientId is known to lack the "owner" feature.' },
  check(ctx) {
    const verdict = verdictOf(ctx);
    const node = ctx.model.node(PATHS.clientId);
    if (!verdict || !node || verdict.owner.kind !== 'not-owner') return;
    const { owner } = verdict;
    const why =
      owner.evidence.kind === 'live'
        ? `${liveAnswerWords(owner.evidence.check)}, the answer for a client without the "owner" feature (${evidenceWords(owner.evidence, ctx.now).replace(/^per /, '')})`
        : `its features are ${owner.features?.length ? owner.features.map((f) => `"${f}"`).join(', ') : 'none'}, without "owner" (${evidenceWords(owner.evidence, ctx.now)})`;
    ctx.report({
      range: rangeOf(node),
      message: `Not an owner client: ${clientName(verdict.clientId, verdict.client)} ${why.startsWith('Capture') ? `is refused: ${why}` : `cannot be used: ${why}`}. A login policy needs an owner client of its Capture application. ${NEW_POLICY_WAY_OUT.replace('with the current secret', 'with an owner client')}.`,
    });
  },
});
