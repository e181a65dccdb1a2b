// Severity layers: rule default < .loginpolicyrc.json "rules" < editor settings < CLI --rule, each layer only
// changing the rules it names. The server and the CLI pass their layers to mergeOverrides in that order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import { getRule } from '../../../server/src/engine/rules/index';
import { mergeOverrides, severityOf } from '../../../server/src/engine/severity';
import { policy } from '../harness';

const V1 = 'hosted-login-v1';
const rule = getRule(V1)!;
/** Findings of hosted-login-v1 on a v1 policy, with these layers merged in order. */
const v1Policy = policy((p) => {
  p['loginURL'] = 'https://v1.api.eu.janrain.com/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/auth-ui/login';
});
const severitiesOn = (...layers: Parameters<typeof mergeOverrides>) =>
  analyze(v1Policy, { severities: mergeOverrides(...layers) })
    .findings.filter((f) => f.ruleId === V1)
    .map((f) => f.severity);

describe('severity layers', () => {
  it('uses the rule default when no layer names the rule', () => {
    assert.equal(rule.defaultSeverity, 'info');
    assert.equal(severityOf(rule, mergeOverrides()), 'info');
    assert.equal(severityOf(rule, undefined), 'info');
    assert.deepEqual(severitiesOn({ 'json-strict': 'off' }), ['info']);
  });

  it('lets each later layer win: config < settings < CLI', () => {
    const config = { [V1]: 'error' } as const;
    const settings = { [V1]: 'warning' } as const;
    const cli = { [V1]: 'hint' } as const;
    assert.deepEqual(severitiesOn(config), ['error']);
    assert.deepEqual(severitiesOn(config, settings), ['warning']);
    assert.deepEqual(severitiesOn(config, settings, cli), ['hint']);
    assert.deepEqual(severitiesOn(config, undefined, cli), ['hint'], 'a missing layer is skipped');
  });

  it('merges rule by rule: a layer that names other rules keeps the earlier choice', () => {
    const merged = mergeOverrides({ [V1]: 'error', schema: 'warning' }, { schema: 'off' }, { 'json-strict': 'error' });
    assert.deepEqual(merged, { [V1]: 'error', schema: 'off', 'json-strict': 'error' });
  });

  it('turns a rule off from any layer, and back on from a later one', () => {
    assert.deepEqual(severitiesOn({ [V1]: 'off' }), []);
    assert.equal(severityOf(rule, { [V1]: 'off' }), undefined);
    assert.deepEqual(severitiesOn({ [V1]: 'off' }, { [V1]: 'warning' }), ['warning']);
  });

  it('does not change the layers it merges', () => {
    const config = { [V1]: 'error' } as const;
    mergeOverrides(config, { [V1]: 'hint' });
    assert.deepEqual(config, { [V1]: 'error' });
  });
});
