// stale-owner-secret: the vendor page's scenario and every other way a secret is known to be stale.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprint } from '../../../server/src/shared/fingerprint';
import { expectFindings, expectNoFindings } from '../harness';
import {
  configFacts,
  liveCheck,
  markedVendorPolicy,
  NOW,
  ownerEntry,
  VENDOR,
  vendorPolicy,
} from '../owner-secret/fixtures';

describe('stale-owner-secret', () => {
  it('flags the vendor page scenario on the clientSecret value', () => {
    const [finding] = expectFindings('stale-owner-secret', markedVendorPolicy(), {
      facts: configFacts([ownerEntry()]),
      now: NOW,
    });
    assert.equal(finding!.severity, 'error');
    assert.match(
      finding!.message,
      /^Stale owner secret \(fingerprint [0-9a-f]{8}…\): it is not the current secret of client 7ns3pxeq… \("demo owner"\) \(per \.loginpolicyrc\.json\)\./,
    );
    assert.match(finding!.message, /Sign-in through this policy fails: users see the sign-in screen reset\./);
    assert.match(
      finding!.message,
      /identityStoreDetails cannot be changed once the policy exists: create a new login policy/,
    );
  });

  it('is silent when the embedded secret is the current one', () => {
    expectNoFindings('stale-owner-secret', vendorPolicy(VENDOR.newSecret), {
      facts: configFacts([ownerEntry()]),
      now: NOW,
    });
  });

  it('is silent when nothing is known', () => {
    expectNoFindings('stale-owner-secret', vendorPolicy(), { now: NOW });
    expectNoFindings('stale-owner-secret', vendorPolicy(), {
      facts: configFacts([ownerEntry({ secretSha256: undefined })]),
      now: NOW,
    });
  });

  it('flags a previous secret whose grace period ended, saying when', () => {
    const entry = ownerEntry({
      previousSecrets: [{ sha256: fingerprint(VENDOR.oldSecret), validUntil: '2026-11-20T09:00:00Z' }],
    });
    const [finding] = expectFindings('stale-owner-secret', markedVendorPolicy(), {
      facts: configFacts([entry]),
      now: NOW,
    });
    assert.match(
      finding!.message,
      /a replaced secret of client 7ns3pxeq… \("demo owner"\) whose grace period ended 2026-11-20 09:00 UTC/,
    );
  });

  it('trusts a live rejection (402) even when the config says current', () => {
    const facts = configFacts(
      [ownerEntry({ secretSha256: fingerprint(VENDOR.oldSecret) })],
      [liveCheck({ outcome: 'rejected', code: 402, error: 'invalid_client_credentials' })],
    );
    const [finding] = expectFindings('stale-owner-secret', markedVendorPolicy(), { facts, now: NOW });
    assert.match(
      finding!.message,
      /Capture answered 402 invalid_client_credentials \(a live check against se-demos-gstemp\.us-dev\.janraincapture\.com 3 minutes ago\)/,
    );
  });

  it('never shows the secret or a whole fingerprint', () => {
    const [finding] = expectFindings('stale-owner-secret', markedVendorPolicy(), {
      facts: configFacts([ownerEntry()]),
      now: NOW,
    });
    for (const value of [
      VENDOR.oldSecret,
      VENDOR.newSecret,
      fingerprint(VENDOR.oldSecret),
      fingerprint(VENDOR.newSecret),
    ]) {
      assert.ok(!finding!.message.includes(value));
    }
  });

  it('waits for the syntax to be fixed', () => {
    expectNoFindings('stale-owner-secret', `${vendorPolicy()},`, { facts: configFacts([ownerEntry()]), now: NOW });
  });
});
