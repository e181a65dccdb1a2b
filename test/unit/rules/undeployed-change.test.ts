// undeployed-change: what a PUT of the file would change against the pulled deployed policy: title, loginURL and
// customClaims, one hint per field, on the value that differs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../../server/src/engine/analyze';
import type { DeployedBaseline } from '../../../server/src/engine/facts';
import { expectFindings, expectNoFindings, findingsOf, markValue, policy, VALID_POLICY } from '../harness';

const RULE = 'undeployed-change';
const ID = VALID_POLICY.id;
const PULLED = 'deployed/, pulled 2026-12-06T03:55:00.000Z';

/** Facts of a pull whose snapshot of this policy has these changeable fields (VALID_POLICY's by default). */
function deployedAs(changes: Partial<Record<'title' | 'loginURL' | 'customClaims', unknown>> = {}, pull = true) {
  const baseline: DeployedBaseline = {
    id: ID,
    identityStoreDetails: VALID_POLICY.identityStoreDetails,
    label: `deployed/${ID}.json`,
    changeable: {
      title: VALID_POLICY.title,
      loginURL: VALID_POLICY.loginURL,
      customClaims: VALID_POLICY.customClaims,
      ...changes,
    },
  };
  const options: AnalyzeOptions = {
    facts: { baseline, ...(pull ? { deployed: { ids: new Set([ID]), pulledAt: '', label: PULLED } } : {}) },
  };
  return options;
}

describe('undeployed-change', () => {
  it('is silent when the file is as deployed', () => {
    expectNoFindings(RULE, policy(), deployedAs());
  });

  it('marks a changed title, with both values', () => {
    const text = policy((p) => (p['title'] = 'ACME EU, renamed'));
    const [finding] = expectFindings(RULE, markValue(text, 'title', '"ACME EU, renamed"'), deployedAs());
    assert.equal(finding!.severity, 'hint');
    assert.equal(
      finding!.message,
      `"title" differs from the deployed policy (${PULLED}): "ACME EU Login Policy v2" there, "ACME EU, renamed" here. A PUT of this file changes it.`,
    );
  });

  it('names the first claim that differs, on the customClaims value', () => {
    const text = policy((p) => {
      (p['customClaims'] as { id_token: Record<string, string> }).id_token['newsletter'] = 'optIn.other';
    });
    const claims = JSON.stringify((JSON.parse(text) as { customClaims: object }).customClaims, null, 2).replace(
      /\n/g,
      '\n  ',
    );
    const [finding] = expectFindings(RULE, markValue(text, 'customClaims', claims), deployedAs());
    assert.match(
      finding!.message,
      /^"customClaims\.id_token\.newsletter" differs from the deployed policy .*: "optIn\.status" there, "optIn\.other" here\./,
    );
  });

  it('says what a PUT would add or remove', () => {
    const withoutClaims = policy((p) => delete p['customClaims']);
    const [removed] = expectFindings(RULE, markValue(withoutClaims, 'id', `"${ID}"`), deployedAs());
    assert.match(
      removed!.message,
      /^"customClaims" is deployed \(.*\) but not in this file: a PUT of this file removes it\.$/,
    );
    const [added] = expectFindings(
      RULE,
      markValue(policy(), 'loginURL', `"${VALID_POLICY.loginURL}"`),
      deployedAs({ loginURL: undefined }),
    );
    assert.equal(added!.message, '"loginURL" is not in the deployed policy: a PUT of this file adds it.');
  });

  it('speaks only with a pull, for the deployed policy of the same id', () => {
    const text = policy((p) => (p['title'] = 'Renamed'));
    expectNoFindings(RULE, text, deployedAs({}, false));
    expectNoFindings(RULE, text);
    const other = policy((p) => {
      p['title'] = 'Renamed';
      p['id'] = '0d9c8b7a-6f5e-4d3c-2b1a-098765432100';
    });
    expectNoFindings(RULE, other, deployedAs());
  });

  it('follows severity overrides', () => {
    const text = policy((p) => (p['title'] = 'Renamed'));
    assert.equal(findingsOf(RULE, text, { ...deployedAs(), severities: { [RULE]: 'info' } })[0]!.severity, 'info');
    assert.equal(findingsOf(RULE, text, { ...deployedAs(), severities: { [RULE]: 'off' } }).length, 0);
  });
});
