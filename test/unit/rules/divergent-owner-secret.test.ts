// divergent-owner-secret: another policy for the same owner client embeds another secret, while nothing says
// which one is current; only fingerprint prefixes are shown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisFacts, PolicySummary } from '../../../server/src/engine/facts';
import { secretPlaceholder } from '../../../server/src/shared/secret-placeholder';
import { fingerprint, shortFingerprint } from '../../../server/src/shared/fingerprint';
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

const RULE = 'divergent-owner-secret';

/** Another policy file for the vendor's owner client, embedding `secret`. */
const other = (path: string, secret: string, clientId = VENDOR.clientId): PolicySummary => ({
  path,
  id: '0d9c8b7a-6f5e-4d3c-2b1a-098765432100',
  clientId,
  secretSha256: fingerprint(secret),
});

/** Facts with these other policies, on top of `base` (owner-secret knowledge). */
function workspace(otherPolicies: PolicySummary[], base: AnalysisFacts = {}): AnalysisFacts {
  return { ...base, workspace: { otherPolicies, oidcClients: [] } };
}

/** The vendor policy embedding `secret`, with that value marked. */

describe('divergent-owner-secret', () => {
  it('marks the clientSecret value and names both fingerprint prefixes and the other file', () => {
    const facts = workspace([other('eu/acme.loginpolicy.json', VENDOR.newSecret)]);
    const [finding] = expectFindings(RULE, markedVendorPolicy(), { facts, now: NOW });
    assert.equal(finding!.severity, 'warning');
    const mine = shortFingerprint(fingerprint(VENDOR.oldSecret));
    const theirs = shortFingerprint(fingerprint(VENDOR.newSecret));
    assert.ok(
      finding!.message.startsWith(
        `Policies for owner client 7ns3pxeq… embed different secrets: this file holds ${mine}, eu/acme.loginpolicy.json holds ${theirs}.`,
      ),
      finding!.message,
    );
    assert.match(
      finding!.message,
      /at least one of them is stale or soon will be; record the current one to see which\.$/,
    );
    for (const shown of [
      VENDOR.oldSecret,
      VENDOR.newSecret,
      fingerprint(VENDOR.oldSecret),
      fingerprint(VENDOR.newSecret),
    ])
      assert.ok(!finding!.message.includes(shown), finding!.message);
  });

  it('names only the other files that diverge', () => {
    const facts = workspace([
      other('a.loginpolicy.json', VENDOR.newSecret),
      other('same.loginpolicy.json', VENDOR.oldSecret),
      other('foreign.loginpolicy.json', VENDOR.newSecret, 'ffffffffffffffffffffffffffffffff'),
      { path: 'nosecret.loginpolicy.json', clientId: VENDOR.clientId },
      other('b.loginpolicy.json', 'a-third-secret-aaaaaaaaaaaaaaaaaa'),
    ]);
    const [finding] = expectFindings(RULE, markedVendorPolicy(), { facts, now: NOW });
    assert.match(
      finding!.message,
      /: this file holds [0-9a-f]{8}…, a\.loginpolicy\.json holds [0-9a-f]{8}…, b\.loginpolicy\.json holds [0-9a-f]{8}…\. /,
    );
    for (const name of ['same', 'foreign', 'nosecret']) assert.ok(!finding!.message.includes(name), finding!.message);
  });

  it('is silent when the other policy embeds the same secret, or is for another client', () => {
    expectNoFindings(RULE, vendorPolicy(), { facts: workspace([other('o.json', VENDOR.oldSecret)]), now: NOW });
    const foreign = other('o.json', VENDOR.newSecret, 'ffffffffffffffffffffffffffffffff');
    expectNoFindings(RULE, vendorPolicy(), { facts: workspace([foreign]), now: NOW });
  });

  it('is silent on a secret placeholder', () => {
    const text = vendorPolicy(secretPlaceholder(VENDOR.clientId));
    expectNoFindings(RULE, text, { facts: workspace([other('o.json', VENDOR.newSecret)]), now: NOW });
  });

  it('is silent without workspace facts', () => {
    expectNoFindings(RULE, vendorPolicy(), { now: NOW });
  });

  it('leaves it to the owner-secret rules once this secret is known current or stale', () => {
    const others = [other('o.json', VENDOR.newSecret)];
    const current = workspace(others, configFacts([ownerEntry({ secretSha256: fingerprint(VENDOR.oldSecret) })]));
    expectNoFindings(RULE, vendorPolicy(), { facts: current, now: NOW });
    const stale = workspace(others, configFacts([ownerEntry()]));
    expectNoFindings(RULE, vendorPolicy(), { facts: stale, now: NOW });
    assert.equal(findingsOf('stale-owner-secret', vendorPolicy(), { facts: stale, now: NOW }).length, 1);
  });

  it('still speaks while nothing decides: a client known without a fingerprint, or a failed live check', () => {
    const others = [other('o.json', VENDOR.newSecret)];
    const noFingerprint = workspace(others, configFacts([ownerEntry({ secretSha256: undefined })]));
    expectFindings(RULE, markedVendorPolicy(), { facts: noFingerprint, now: NOW });
    const failed = workspace(others, configFacts([], [liveCheck({ outcome: 'failed', reason: 'timeout' })]));
    expectFindings(RULE, markedVendorPolicy(), { facts: failed, now: NOW });
  });
});
