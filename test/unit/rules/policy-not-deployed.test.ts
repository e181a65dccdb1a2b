// policy-not-deployed: a policy id the last pull did not find deployed; on the id value, naming the pull.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../../server/src/engine/analyze';
import type { DeployedState } from '../../../server/src/engine/facts';
import { expectFindings, expectNoFindings, findingsOf, markValue, policy, VALID_POLICY } from '../harness';

const RULE = 'policy-not-deployed';
const ID = VALID_POLICY.id;

/** Facts of a pull that found these ids deployed. */
function pulled(...ids: string[]): AnalyzeOptions {
  const deployed: DeployedState = {
    ids: new Set(ids.map((id) => id.toLowerCase())),
    pulledAt: '2026-12-06T03:55:00.000Z',
    label: 'deployed/, pulled 2026-12-06T03:55:00.000Z',
  };
  return { facts: { deployed } };
}

describe('policy-not-deployed', () => {
  it('marks an id the pull did not find, and says what a PUT would get', () => {
    const [finding] = expectFindings(
      RULE,
      markValue(policy(), 'id', `"${ID}"`),
      pulled('0d9c8b7a-6f5e-4d3c-2b1a-098765432100'),
    );
    assert.equal(finding!.severity, 'warning');
    assert.equal(
      finding!.message,
      `Policy ${ID} is not deployed (deployed/, pulled 2026-12-06T03:55:00.000Z): a PUT of this file fails with 404 {"errors": "Not Found"}. The policy was deleted or the id is wrong; to create it as a new policy, remove "id" and "_links" and POST it.`,
    );
  });

  it('is silent for a deployed id, whatever its case', () => {
    expectNoFindings(RULE, policy(), pulled(ID));
    expectNoFindings(RULE, policy(), pulled(ID.toUpperCase()));
  });

  it('is silent for a policy not created yet (no id), and without a pull', () => {
    const draft = policy((p) => {
      delete p['id'];
      delete p['_links'];
    });
    expectNoFindings(RULE, draft, pulled());
    expectNoFindings(RULE, policy());
  });

  it('follows severity overrides', () => {
    assert.equal(findingsOf(RULE, policy(), { ...pulled(), severities: { [RULE]: 'error' } })[0]!.severity, 'error');
    assert.equal(findingsOf(RULE, policy(), { ...pulled(), severities: { [RULE]: 'off' } }).length, 0);
  });
});
