// immutable-identity-store: every edit of the frozen block against the deployed baseline, on the value a user edited.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../../server/src/engine/analyze';
import { knownClientsFrom } from '../../../server/src/engine/owner-secret/known-clients';
import { fingerprint, shortFingerprint } from '../../../server/src/shared/fingerprint';
import { expectFindings, expectNoFindings, findingsOf, mark, markValue, policy, VALID_POLICY } from '../harness';

const RULE = 'immutable-identity-store';
const API_ERROR = '{"errors": "identityStoreDetails cannot be changed"}';
const DEPLOYED = VALID_POLICY.identityStoreDetails;
const SECRET = DEPLOYED.connectionDetails.clientSecret;
const NEW_SECRET = 'z1x2c3v4b5n6m7a8s9d0f1g2h3j4k5l6';

type Json = Record<string, unknown>;

/** Analysis options with the deployed identityStoreDetails as the baseline fact. */
function deployed(identityStoreDetails: unknown = DEPLOYED, label = 'git HEAD'): AnalyzeOptions {
  return { facts: { baseline: { id: VALID_POLICY.id, identityStoreDetails, label } } };
}

/** Sets (or with `undefined`, deletes) the value at a dotted path of a policy object. */
function setAt(p: Json, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  const parent = keys.slice(0, -1).reduce((o, k) => o[k] as Json, p);
  if (value === undefined) delete parent[keys.at(-1)!];
  else parent[keys.at(-1)!] = value;
}

/** The valid policy with the edits applied (dotted path → new value; undefined deletes). */
function edited(edits: Record<string, unknown>): string {
  return policy((p) => {
    for (const [dotted, value] of Object.entries(edits)) setAt(p, dotted, value);
  });
}

const prefixOf = (secret: string): string => `fingerprint ${shortFingerprint(fingerprint(secret))}`;

/** Asserts a message shows neither secret nor any whole fingerprint. */
function assertNoSecret(message: string, secrets: string[] = [SECRET, NEW_SECRET]): void {
  for (const secret of secrets) {
    assert.ok(!message.includes(secret), `message shows a secret: ${message}`);
    assert.ok(!message.includes(fingerprint(secret)), `message shows a whole fingerprint: ${message}`);
  }
}

const LEAF_CHANGES: [dotted: string, deployedValue: string, newValue: string][] = [
  ['identityStoreDetails.type', DEPLOYED.type, 'janrainCaptureV2'],
  [
    'identityStoreDetails.connectionDetails.domain',
    DEPLOYED.connectionDetails.domain,
    'acme-test.eu.janraincapture.com',
  ],
  [
    'identityStoreDetails.connectionDetails.applicationId',
    DEPLOYED.connectionDetails.applicationId,
    'a1b2c3d4e5f6g7h8i9j0k1l2m3',
  ],
  ['identityStoreDetails.connectionDetails.entityType', DEPLOYED.connectionDetails.entityType, 'user_test'],
  [
    'identityStoreDetails.connectionDetails.clientId',
    DEPLOYED.connectionDetails.clientId,
    'c0c1c2c3c4c5c6c7c8c9d0d1d2d3d4d5',
  ],
];

describe('immutable-identity-store', () => {
  describe('changed values', () => {
    for (const [dotted, before, after] of LEAF_CHANGES) {
      const key = dotted.split('.').at(-1)!;
      it(`flags a changed ${key} on its value, naming the field and both values`, () => {
        const text = markValue(edited({ [dotted]: after }), key, JSON.stringify(after));
        const [finding] = expectFindings(RULE, text, deployed());
        assert.ok(
          finding!.message.startsWith(
            `"${dotted}" was changed from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
          ),
          finding!.message,
        );
      });
    }

    it('flags a changed clientSecret on its value, by fingerprint prefixes only', () => {
      const text = markValue(
        edited({ 'identityStoreDetails.connectionDetails.clientSecret': NEW_SECRET }),
        'clientSecret',
        `"${NEW_SECRET}"`,
      );
      const [finding] = expectFindings(RULE, text, deployed());
      assert.ok(
        finding!.message.startsWith(
          `"identityStoreDetails.connectionDetails.clientSecret" was changed from the secret with ${prefixOf(SECRET)} to the secret with ${prefixOf(NEW_SECRET)}`,
        ),
        finding!.message,
      );
      assertNoSecret(finding!.message);
    });

    it('reports several changes at once, one finding each, in document order', () => {
      let text = edited({
        'identityStoreDetails.connectionDetails.domain': 'acme-test.eu.janraincapture.com',
        'identityStoreDetails.connectionDetails.entityType': 'user_test',
        'identityStoreDetails.connectionDetails.clientSecret': NEW_SECRET,
      });
      text = markValue(text, 'domain', '"acme-test.eu.janraincapture.com"');
      text = markValue(text, 'entityType', '"user_test"');
      text = markValue(text, 'clientSecret', `"${NEW_SECRET}"`);
      const findings = expectFindings(RULE, text, deployed());
      assert.deepEqual(
        findings.map((f) => /^"([^"]+)"/.exec(f.message)?.[1]),
        [
          'identityStoreDetails.connectionDetails.domain',
          'identityStoreDetails.connectionDetails.entityType',
          'identityStoreDetails.connectionDetails.clientSecret',
        ],
      );
    });

    it('says why the PUT fails, where the baseline comes from, and the way out', () => {
      const text = edited({ 'identityStoreDetails.connectionDetails.entityType': 'user_test' });
      const [finding] = findingsOf(RULE, text, deployed(DEPLOYED, 'deployed/7c2e91a4.json'));
      assert.ok(finding, 'one finding');
      assert.ok(finding.message.includes('"identityStoreDetails.connectionDetails.entityType"'), finding.message);
      assert.ok(finding.message.includes('(deployed: deployed/7c2e91a4.json)'), finding.message);
      assert.ok(finding.message.includes(`A PUT of this policy fails with ${API_ERROR}`), finding.message);
      assert.match(
        finding.message,
        /revert it, or create a new login policy with it and point the OIDC clients at the new one\.$/,
      );
    });
  });

  describe('added and removed keys', () => {
    it('marks an added key on its value', () => {
      const text = markValue(edited({ 'identityStoreDetails.connectionDetails.region': 'eu' }), 'region', '"eu"');
      const [finding] = expectFindings(RULE, text, deployed());
      assert.ok(
        finding!.message.startsWith(
          '"identityStoreDetails.connectionDetails.region" was added; the deployed policy does not have it',
        ),
        finding!.message,
      );
    });

    it('marks a removed key on the key of the object that lost it', () => {
      const text = mark(
        edited({ 'identityStoreDetails.connectionDetails.entityType': undefined }),
        '"connectionDetails"',
      );
      const [finding] = expectFindings(RULE, text, deployed());
      assert.ok(
        finding!.message.startsWith(
          '"identityStoreDetails.connectionDetails.entityType" (deployed as "user") was removed',
        ),
        finding!.message,
      );
    });

    it('names a removed clientSecret by fingerprint prefix only', () => {
      const text = mark(
        edited({ 'identityStoreDetails.connectionDetails.clientSecret': undefined }),
        '"connectionDetails"',
      );
      const [finding] = expectFindings(RULE, text, deployed());
      assert.ok(
        finding!.message.startsWith(
          `"identityStoreDetails.connectionDetails.clientSecret" (deployed as the secret with ${prefixOf(SECRET)}) was removed`,
        ),
        finding!.message,
      );
      assertNoSecret(finding!.message);
    });

    it('marks the opening { when identityStoreDetails is gone entirely', () => {
      const text = `⟦{⟧${edited({ identityStoreDetails: undefined }).slice(1)}`;
      const [finding] = expectFindings(RULE, text, deployed());
      assert.match(finding!.message, /^"identityStoreDetails" \(deployed as .*\) was removed/);
    });
  });

  describe('never shows a secret inside a whole block', () => {
    // The secret first, so that it falls inside the part of a value a message shows (120 characters).
    const { clientSecret, ...rest } = DEPLOYED.connectionDetails;
    const secretFirst = { connectionDetails: { clientSecret, ...rest }, type: DEPLOYED.type };
    const cases: [string, string, AnalyzeOptions][] = [
      ['identityStoreDetails removed', edited({ identityStoreDetails: undefined }), deployed(secretFirst)],
      [
        'connectionDetails removed',
        edited({ 'identityStoreDetails.connectionDetails': undefined }),
        deployed(secretFirst),
      ],
      ['identityStoreDetails replaced by null', edited({ identityStoreDetails: null }), deployed(secretFirst)],
      [
        'the block is added to a baseline without one',
        policy(),
        {
          facts: {
            baseline: { id: VALID_POLICY.id, identityStoreDetails: undefined, label: 'the version first opened' },
          },
        },
      ],
    ];
    for (const [name, text, options] of cases) {
      it(`hides the secret when ${name}`, () => {
        const [finding] = findingsOf(RULE, text, options);
        assert.ok(finding, 'one finding');
        assertNoSecret(finding.message);
        if (name !== 'the block is added to a baseline without one') {
          assert.match(finding.message, /"clientSecret":"<fingerprint [0-9a-f]{8}…>"/, 'named by its fingerprint');
        }
      });
    }
  });

  describe('hides a secret moved or pasted out of clientSecret', () => {
    it('into another field: named by fingerprint, on both sides of the change', () => {
      const moved = edited({ 'identityStoreDetails.connectionDetails.entityType': SECRET });
      const [finding] = findingsOf(RULE, moved, deployed());
      assert.ok(finding, 'one finding');
      assertNoSecret(finding.message);
      assert.match(finding.message, new RegExp(`was changed from "user" to the secret with ${prefixOf(SECRET)}`));
      const back = findingsOf(
        RULE,
        policy(),
        deployed({ ...DEPLOYED, connectionDetails: { ...DEPLOYED.connectionDetails, entityType: SECRET } }),
      );
      assert.equal(back.length, 1);
      assertNoSecret(back[0]!.message);
    });

    it('as a key, or known only by its fingerprint, or inside an object that replaced clientSecret', () => {
      const asKey = edited({ [`identityStoreDetails.connectionDetails.${SECRET}`]: 1 });
      const [keyFinding] = findingsOf(RULE, asKey, deployed());
      assertNoSecret(keyFinding!.message);
      assert.ok(keyFinding!.message.includes(`["<${prefixOf(SECRET)}>"]" was added`), keyFinding!.message);
      // The owner client's current secret, known from .loginpolicyrc.json by its fingerprint only.
      const known: AnalyzeOptions = {
        facts: {
          ...deployed().facts,
          clients: knownClientsFrom({
            path: '.loginpolicyrc.json',
            clients: [
              { clientId: DEPLOYED.connectionDetails.clientId, secretSha256: fingerprint(NEW_SECRET), label: 'owner' },
            ],
          }),
        },
      };
      const pasted = edited({ 'identityStoreDetails.connectionDetails.entityType': NEW_SECRET });
      assertNoSecret(findingsOf(RULE, pasted, known)[0]!.message);
      const wrapped = edited({
        'identityStoreDetails.connectionDetails.clientSecret': { v: NEW_SECRET },
        'identityStoreDetails.connectionDetails.entityType': NEW_SECRET,
      });
      for (const finding of findingsOf(RULE, wrapped, deployed())) assertNoSecret(finding.message);
    });

    it('inside a longer value, or an object that replaced the secret', () => {
      const longer = edited({ 'identityStoreDetails.connectionDetails.domain': `x${SECRET}.example` });
      const [inDomain] = findingsOf(RULE, longer, deployed());
      assertNoSecret(inDomain!.message);
      assert.match(inDomain!.message, new RegExp(`"x<${prefixOf(SECRET)}>\\.example"`));
      const wrapped = edited({
        'identityStoreDetails.connectionDetails.clientSecret': { v: NEW_SECRET, list: [NEW_SECRET] },
      });
      const [inObject] = findingsOf(RULE, wrapped, deployed());
      assertNoSecret(inObject!.message);
      assert.match(inObject!.message, /\{"v":"<fingerprint [0-9a-f]{8}…>","list":\["<fingerprint [0-9a-f]{8}…>"\]\}/);
    });
  });

  it('says the block was added when the deployed version has none', () => {
    const [finding] = findingsOf(RULE, policy(), {
      facts: { baseline: { id: VALID_POLICY.id, identityStoreDetails: undefined, label: 'the version first opened' } },
    });
    assert.match(finding!.message, /^"identityStoreDetails" was added; the deployed policy does not have it/);
  });

  describe('no change', () => {
    it('is silent when the block equals the deployed one', () => {
      expectNoFindings(RULE, policy(), deployed());
    });

    it('ignores key order, whitespace and comments', () => {
      const c = DEPLOYED.connectionDetails;
      const reordered = policy((p) => {
        p['identityStoreDetails'] = {
          connectionDetails: {
            clientSecret: c.clientSecret,
            clientId: c.clientId,
            entityType: c.entityType,
            applicationId: c.applicationId,
            domain: c.domain,
          },
          type: DEPLOYED.type,
        };
      });
      expectNoFindings(RULE, reordered, deployed());
      const commented = JSON.stringify(VALID_POLICY)
        .replace('"identityStoreDetails":{', '"identityStoreDetails":  {\n\t// frozen since creation\n')
        .replace('"clientSecret"', '/* owner */ "clientSecret"');
      expectNoFindings(RULE, commented, deployed());
      const changed = commented.replace('"entityType":"user"', '"entityType":"user_test"');
      assert.equal(findingsOf(RULE, changed, deployed()).length, 1, 'the commented text is analysed');
    });

    it('is silent once the id is not the deployed one (the baseline is of another policy)', () => {
      const other = policy((p) => {
        p['id'] = '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a';
        (p['identityStoreDetails'] as { type: string }).type = 'other';
      });
      expectNoFindings(RULE, other, deployed());
      // The same id in upper case is the same policy.
      const upper = policy((p) => {
        p['id'] = VALID_POLICY.id.toUpperCase();
        (p['identityStoreDetails'] as { type: string }).type = 'other';
      });
      assert.equal(findingsOf(RULE, upper, deployed()).length, 1);
    });

    it('is silent for a policy without an id (not created yet)', () => {
      const text = edited({
        id: undefined,
        'identityStoreDetails.connectionDetails.domain': 'acme-test.eu.janraincapture.com',
      });
      expectNoFindings(RULE, text, deployed());
    });

    it('is silent without a baseline', () => {
      const text = edited({ 'identityStoreDetails.connectionDetails.domain': 'acme-test.eu.janraincapture.com' });
      expectNoFindings(RULE, text);
      expectNoFindings(RULE, text, { facts: {} });
    });
  });

  describe('duplicate keys', () => {
    const domain = DEPLOYED.connectionDetails.domain;
    const withTwoDomains = (first: string, second: string): string =>
      policy().replace(`"domain": "${domain}"`, `"domain": "${first}",\n      "domain": "${second}"`);

    it('compares the last of repeated keys', () => {
      expectNoFindings(RULE, withTwoDomains('acme-test.eu.janraincapture.com', domain), deployed());
      const text = withTwoDomains(domain, 'acme-test.eu.janraincapture.com').replace(
        '"acme-test.eu.janraincapture.com"',
        '⟦"acme-test.eu.janraincapture.com"⟧',
      );
      const [finding] = expectFindings(RULE, text, deployed());
      assert.ok(finding!.message.includes(`from "${domain}" to "acme-test.eu.janraincapture.com"`), finding!.message);
    });
  });

  describe('severity', () => {
    it('is a warning by default and follows overrides', () => {
      const text = edited({ 'identityStoreDetails.connectionDetails.entityType': 'user_test' });
      assert.equal(findingsOf(RULE, text, deployed())[0]!.severity, 'warning');
      const options = (severity: 'error' | 'off'): AnalyzeOptions => ({
        ...deployed(),
        severities: { [RULE]: severity },
      });
      assert.equal(findingsOf(RULE, text, options('error'))[0]!.severity, 'error');
      assert.equal(findingsOf(RULE, text, options('off')).length, 0);
    });
  });
});
