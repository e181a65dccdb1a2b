// secret-check-failed: a live check that could not decide is reported as information, never as stale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectFindings, expectNoFindings, findingsOf } from '../harness';
import { configFacts, liveCheck, markedVendorPolicy, NOW, ownerEntry, vendorPolicy } from '../owner-secret/fixtures';

describe('secret-check-failed', () => {
  for (const reason of [
    'no answer within 5 s',
    'Capture answered HTTP 503',
    'Capture is rate limiting (510 api_limit_error)',
    'the answer was not JSON (text/html)',
    'connection refused',
  ]) {
    it(`says why: ${reason}`, () => {
      const facts = configFacts([], [liveCheck({ outcome: 'failed', reason }, 90)]);
      const [finding] = expectFindings('secret-check-failed', markedVendorPolicy(), { facts, now: NOW });
      assert.equal(finding!.severity, 'info');
      assert.equal(
        finding!.message,
        `Live check inconclusive: ${reason} (se-demos-gstemp.us-dev.janraincapture.com, 90 minutes ago). This says nothing about the secret.`,
      );
      assert.equal(findingsOf('stale-owner-secret', vendorPolicy(), { facts, now: NOW }).length, 0, 'never stale');
    });
  }

  it('gives way to what the fingerprints already decide', () => {
    const facts = configFacts([ownerEntry()], [liveCheck({ outcome: 'failed', reason: 'connection reset' })]);
    expectNoFindings('secret-check-failed', vendorPolicy(), { facts, now: NOW });
    assert.equal(findingsOf('stale-owner-secret', vendorPolicy(), { facts, now: NOW }).length, 1);
  });
});
