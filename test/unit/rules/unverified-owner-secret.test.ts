// unverified-owner-secret: nothing is known about the owner client's current secret; says how to record it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectFindings, expectNoFindings } from '../harness';
import { configFacts, liveCheck, markedVendorPolicy, NOW, ownerEntry, vendorPolicy } from '../owner-secret/fixtures';

describe('unverified-owner-secret', () => {
  it('informs, on the secret, when nothing is known, and says how to record it', () => {
    const [finding] = expectFindings('unverified-owner-secret', markedVendorPolicy(), { now: NOW });
    assert.equal(finding!.severity, 'info');
    assert.match(finding!.message, /the current secret of client 7ns3pxeq… is not known/);
    assert.match(finding!.message, /add its fingerprint to \.loginpolicyrc\.json \(`login-policy-lint fingerprint`\)/);
    assert.match(
      finding!.message,
      /check it live \(`login-policy-lint --verify`, or the loginPolicy\.verify\.mode setting\)/,
    );
    // The CLI and editors other than VS Code have no command to record a secret: none is named.
    assert.doesNotMatch(finding!.message, /Login Policy:|record it/i);
  });

  it("names the editor's own command to record the secret where the editor has one (VS Code)", () => {
    const [finding] = expectFindings('unverified-owner-secret', markedVendorPolicy(), {
      facts: { editor: { recordSecretCommand: 'Login Policy: Record Current Owner Client Secret' } },
      now: NOW,
    });
    assert.match(finding!.message, /, or record it with "Login Policy: Record Current Owner Client Secret"\.$/);
  });

  it('also informs when the config knows the client but not its secret', () => {
    expectFindings('unverified-owner-secret', markedVendorPolicy(), {
      facts: configFacts([ownerEntry({ secretSha256: undefined })]),
      now: NOW,
    });
  });

  it('is silent once anything decides the state', () => {
    expectNoFindings('unverified-owner-secret', vendorPolicy(), { facts: configFacts([ownerEntry()]), now: NOW });
    expectNoFindings('unverified-owner-secret', vendorPolicy(), {
      facts: configFacts([], [liveCheck({ outcome: 'accepted' })]),
      now: NOW,
    });
    expectNoFindings('unverified-owner-secret', vendorPolicy(), {
      facts: configFacts([], [liveCheck({ outcome: 'failed', reason: 'no answer within 5 s' })]),
      now: NOW,
    });
  });

  it('is silent for a policy without credentials to judge', () => {
    expectNoFindings('unverified-owner-secret', '{ "title": "t" }', { now: NOW });
  });
});
