// duplicate-policy-id: another workspace file claims this policy's id; on the id value, naming the other files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../../server/src/engine/analyze';
import type { PolicySummary } from '../../../server/src/engine/facts';
import { expectFindings, expectNoFindings, findingsOf, policy, VALID_POLICY } from '../harness';

const RULE = 'duplicate-policy-id';
const ID = VALID_POLICY.id;

/** Workspace facts with these other policy files (and no OIDC clients). */
function others(...otherPolicies: PolicySummary[]): AnalyzeOptions {
  return { facts: { workspace: { otherPolicies, oidcClients: [] } } };
}

/** The valid policy with its id value marked. */
const marked = (text = policy()): string => text.replace(`"${ID}"`, `⟦"${ID}"⟧`);

describe('duplicate-policy-id', () => {
  it('marks the id value and names the other file', () => {
    const [finding] = expectFindings(RULE, marked(), others({ path: 'other.loginpolicy.json', id: ID }));
    assert.equal(finding!.severity, 'error');
    assert.ok(
      finding!.message.startsWith(`Policy id ${ID} is also claimed by other.loginpolicy.json: a PUT from either file`),
      finding!.message,
    );
    assert.match(finding!.message, /Keep one file per policy; a copy meant as a new policy must drop "id"\.$/);
  });

  it('names every other file with the id, and only those', () => {
    const [finding] = expectFindings(
      RULE,
      marked(),
      others(
        { path: 'other.loginpolicy.json', id: ID },
        { path: 'unrelated.loginpolicy.json', id: '0d9c8b7a-6f5e-4d3c-2b1a-098765432100' },
        { path: 'draft.loginpolicy.json' },
        { path: '../prod/acme.loginpolicy.json', id: ID },
      ),
    );
    assert.ok(
      finding!.message.includes('claimed by other.loginpolicy.json, ../prod/acme.loginpolicy.json:'),
      finding!.message,
    );
    assert.ok(!finding!.message.includes('unrelated'), finding!.message);
    assert.ok(!finding!.message.includes('draft'), finding!.message);
  });

  it('matches ids regardless of case', () => {
    expectFindings(RULE, marked(), others({ path: 'upper.loginpolicy.json', id: ID.toUpperCase() }));
    const upper = policy((p) => {
      p['id'] = ID.toUpperCase();
    });
    expectFindings(
      RULE,
      upper.replace(`"${ID.toUpperCase()}"`, `⟦"${ID.toUpperCase()}"⟧`),
      others({ path: 'o.json', id: ID }),
    );
  });

  it('is silent when the ids differ', () => {
    expectNoFindings(
      RULE,
      policy(),
      others({ path: 'other.loginpolicy.json', id: '0d9c8b7a-6f5e-4d3c-2b1a-098765432100' }),
    );
    expectNoFindings(RULE, policy(), others({ path: 'other.loginpolicy.json' }));
  });

  it('is silent when this policy has no id', () => {
    const text = policy((p) => {
      delete p['id'];
    });
    expectNoFindings(RULE, text, others({ path: 'other.loginpolicy.json', id: ID }));
  });

  it('is silent without workspace facts', () => {
    expectNoFindings(RULE, policy());
    expectNoFindings(RULE, policy(), { facts: {} });
    expectNoFindings(RULE, policy(), others());
  });

  it('follows severity overrides', () => {
    const options = (severity: 'warning' | 'off'): AnalyzeOptions => ({
      ...others({ path: 'other.loginpolicy.json', id: ID }),
      severities: { [RULE]: severity },
    });
    assert.equal(findingsOf(RULE, policy(), options('warning'))[0]!.severity, 'warning');
    assert.equal(findingsOf(RULE, policy(), options('off')).length, 0);
  });
});
