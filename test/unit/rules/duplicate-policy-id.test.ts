// duplicate-policy-id: another workspace file claims this policy's id; on the id value, naming the other files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../../server/src/engine/analyze';
import { expectFindings, expectNoFindings, findingsOf, policy, VALID_POLICY } from '../harness';

const RULE = 'duplicate-policy-id';
const ID = VALID_POLICY.id;

/** Workspace facts with these other files claiming the same id (the index picks those). */
function others(...paths: string[]): AnalyzeOptions {
  return { facts: { workspace: { sameId: paths.map((path) => ({ path })), otherSecrets: [], boundClients: [] } } };
}

/** The valid policy with its id value marked. */
const marked = (text = policy()): string => text.replace(`"${ID}"`, `⟦"${ID}"⟧`);

describe('duplicate-policy-id', () => {
  it('marks the id value and names the other file', () => {
    const [finding] = expectFindings(RULE, marked(), others('other.loginpolicy.json'));
    assert.equal(finding!.severity, 'error');
    assert.ok(
      finding!.message.startsWith(`Policy id ${ID} is also claimed by other.loginpolicy.json: a PUT from either file`),
      finding!.message,
    );
    assert.match(finding!.message, /Keep one file per policy; a copy meant as a new policy must drop "id"\.$/);
  });

  it('names every other file with the id, the first ten by name', () => {
    const [finding] = expectFindings(RULE, marked(), others('other.loginpolicy.json', '../prod/acme.loginpolicy.json'));
    assert.ok(
      finding!.message.includes('claimed by other.loginpolicy.json, ../prod/acme.loginpolicy.json:'),
      finding!.message,
    );
    const many = Array.from({ length: 12 }, (_, i) => `copy-${i}.loginpolicy.json`);
    const [counted] = expectFindings(RULE, marked(), others(...many));
    assert.ok(counted!.message.includes('copy-9.loginpolicy.json and 2 more:'), counted!.message);
  });

  it('is silent when this policy has no id', () => {
    const text = policy((p) => {
      delete p['id'];
    });
    expectNoFindings(RULE, text, others('other.loginpolicy.json'));
  });

  it('is silent without workspace facts', () => {
    expectNoFindings(RULE, policy());
    expectNoFindings(RULE, policy(), { facts: {} });
    expectNoFindings(RULE, policy(), others());
  });

  it('follows severity overrides', () => {
    const options = (severity: 'warning' | 'off'): AnalyzeOptions => ({
      ...others('other.loginpolicy.json'),
      severities: { [RULE]: severity },
    });
    assert.equal(findingsOf(RULE, policy(), options('warning'))[0]!.severity, 'warning');
    assert.equal(findingsOf(RULE, policy(), options('off')).length, 0);
  });
});
