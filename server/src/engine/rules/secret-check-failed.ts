// secret-check-failed: a live check of the embedded credentials could not decide (network, timeout, 5xx, rate
// limit, an unexpected answer). Never an error, and never taken for a stale secret: it says why and nothing more.
import { rangeOf } from '../ast';
import { verdictOf } from '../owner-secret/verdict';
import { ago } from '../owner-secret/words';
import { PATHS } from '../policy/paths';
import { defineRule } from '../rule';

export default defineRule({
  id: 'secret-check-failed',
  defaultSeverity: 'info',
  docs: { summary: 'A live check of the embedded owner credentials could not decide; says why.' },
  check(ctx) {
    const verdict = verdictOf(ctx);
    const node = ctx.model.node(PATHS.clientSecret);
    if (!verdict || !node || verdict.secret.kind !== 'check-failed') return;
    const { check } = verdict.secret;
    ctx.report({
      range: rangeOf(node),
      message: `Live check inconclusive: ${check.reason} (${check.host}, ${ago(check.checkedAt, ctx.now)}). This says nothing about the secret.`,
    });
  },
});
