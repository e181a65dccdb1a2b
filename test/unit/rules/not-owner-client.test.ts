// not-owner-client: a client known to lack the owner feature, from the config or a live 403.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectFindings, expectNoFindings, findingsOf, mark } from '../harness';
import { configFacts, liveCheck, NOW, ownerEntry, VENDOR, vendorPolicy } from '../owner-secret/fixtures';

const marked = () => mark(vendorPolicy(), `"${VENDOR.clientId}"`);

describe('not-owner-client', () => {
  it('flags the clientId when the config lists features without "owner"', () => {
    const facts = configFacts([ownerEntry({ features: ['login_client'], secretSha256: undefined })]);
    const [finding] = expectFindings('not-owner-client', marked(), { facts, now: NOW });
    assert.equal(finding!.severity, 'error');
    assert.match(finding!.message, /its features are "login_client", without "owner" \(per \.loginpolicyrc\.json\)/);
    assert.match(finding!.message, /A login policy needs an owner client of its Capture application\./);
    assert.equal(
      findingsOf('unverified-owner-secret', vendorPolicy(), { facts, now: NOW }).length,
      0,
      'no nagging about its secret',
    );
  });

  it('flags it after a live 403 client_permission_error', () => {
    const facts = configFacts([], [liveCheck({ outcome: 'not-owner', code: 403, error: 'client_permission_error' })]);
    const [finding] = expectFindings('not-owner-client', marked(), { facts, now: NOW });
    assert.match(finding!.message, /Capture answered 403 client_permission_error/);
  });

  it('believes Capture over an out-of-date config: an accepted owner-only call means owner', () => {
    const facts = configFacts([ownerEntry({ features: ['login_client'] })], [liveCheck({ outcome: 'accepted' })]);
    expectNoFindings('not-owner-client', vendorPolicy(), { facts, now: NOW });
  });

  it('is silent for an owner or an unknown client', () => {
    expectNoFindings('not-owner-client', vendorPolicy(), { facts: configFacts([ownerEntry()]), now: NOW });
    expectNoFindings('not-owner-client', vendorPolicy(), { now: NOW });
    expectNoFindings('not-owner-client', vendorPolicy(), {
      facts: configFacts([], [liveCheck({ outcome: 'accepted' })]),
      now: NOW,
    });
  });
});
