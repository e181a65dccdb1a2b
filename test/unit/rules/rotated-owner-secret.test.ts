// rotated-owner-secret: a replaced secret still inside its grace period, with when sign-in breaks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint } from '../../../server/src/shared/fingerprint';
import { expectFindings, expectNoFindings, findingsOf } from '../harness';
import {
  configFacts,
  liveCheck,
  markedVendorPolicy,
  NOW,
  ownerEntry,
  VENDOR,
  vendorPolicy,
} from '../owner-secret/fixtures';

const inGrace = (validUntil: string) =>
  configFacts([ownerEntry({ previousSecrets: [{ sha256: fingerprint(VENDOR.oldSecret), validUntil }] })]);

describe('rotated-owner-secret', () => {
  it('warns with the date and "in N hours" while the previous secret still works', () => {
    const [finding] = expectFindings('rotated-owner-secret', markedVendorPolicy(), {
      facts: inGrace('2026-11-29T01:00:00Z'),
      now: NOW,
    });
    assert.equal(finding!.severity, 'warning');
    assert.match(finding!.message, /accepted until 2026-11-29 01:00 UTC \(in 37 hours\)/);
    assert.match(finding!.message, /After that, sign-in through this policy fails\./);
    assert.match(
      finding!.message,
      /create a new login policy with the current secret and point its OIDC clients at it, before then\./,
    );
  });

  it('counts minutes near the end', () => {
    const [finding] = expectFindings('rotated-owner-secret', markedVendorPolicy(), {
      facts: inGrace('2026-11-27T12:45:00Z'),
      now: NOW,
    });
    assert.match(finding!.message, /\(in 45 minutes\)/);
  });

  it('becomes stale once validUntil has passed', () => {
    const facts = inGrace('2026-11-27T11:59:00Z');
    expectNoFindings('rotated-owner-secret', vendorPolicy(), { facts, now: NOW });
    assert.equal(findingsOf('stale-owner-secret', vendorPolicy(), { facts, now: NOW }).length, 1);
  });

  it('takes a live "accepted" for a secret the config calls replaced as a grace period of unknown end', () => {
    const facts = configFacts([ownerEntry()], [liveCheck({ outcome: 'accepted' })]);
    const [finding] = expectFindings('rotated-owner-secret', markedVendorPolicy(), { facts, now: NOW });
    assert.match(
      finding!.message,
      /accepted only for the grace period of the reset \(at most 168 hours; its end is not recorded\)/,
    );
    assert.equal(findingsOf('stale-owner-secret', vendorPolicy(), { facts, now: NOW }).length, 0);
  });

  it('is silent for the current secret', () => {
    expectNoFindings('rotated-owner-secret', vendorPolicy(VENDOR.newSecret), {
      facts: inGrace('2026-11-29T01:00:00Z'),
      now: NOW,
    });
  });
});
