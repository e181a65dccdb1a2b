// divergent-owner-secret: another policy for the same owner client embeds another secret, while nothing says
// which one is current; only fingerprint prefixes are shown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalysisFacts, OtherSecret } from '../../../server/src/engine/facts';
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

/** Another secret other policies for the vendor's owner client embed: `path` is one of the `files` that do. */
const other = (path: string, secret: string, files = 1): OtherSecret => ({
  path,
  sha256: fingerprint(secret),
  files,
});

/** Facts with these other secrets of the owner client (the index picks them), on top of `base`. */
function workspace(otherSecrets: OtherSecret[], base: AnalysisFacts = {}): AnalysisFacts {
  return { ...base, workspace: { sameId: [], otherSecrets, boundClients: [] } };
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

  it('names one file per other secret, and counts the rest', () => {
    const facts = workspace([
      other('a.loginpolicy.json', VENDOR.newSecret, 41),
      other('b.loginpolicy.json', 'a-third-secret-aaaaaaaaaaaaaaaaaa'),
      other('c.loginpolicy.json', 'a-fourth-secret-aaaaaaaaaaaaaaaa', 2),
    ]);
    const [finding] = expectFindings(RULE, markedVendorPolicy(), { facts, now: NOW });
    assert.match(
      finding!.message,
      /: this file holds [0-9a-f]{8}…, a\.loginpolicy\.json and 40 other files hold [0-9a-f]{8}…, b\.loginpolicy\.json holds [0-9a-f]{8}…, c\.loginpolicy\.json and 1 other file hold [0-9a-f]{8}…\. /,
    );
  });

  it('is silent when the only other secret is this one', () => {
    expectNoFindings(RULE, vendorPolicy(), { facts: workspace([other('o.json', VENDOR.oldSecret)]), now: NOW });
    expectNoFindings(RULE, vendorPolicy(), { facts: workspace([]), now: NOW });
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
