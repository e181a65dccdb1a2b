// value-format: observed formats of ids, secrets, domain and UUIDs, their fixes, and no secret in any rule's output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import type { Finding } from '../../../server/src/engine/finding';
import { fingerprint } from '../../../server/src/shared/fingerprint';
import { applyFix, expectFindings, expectNoFindings, findingsOf, markValue, policy } from '../harness';

type Json = Record<string, unknown>;
const connection = (p: Json): Json => (p['identityStoreDetails'] as Json)['connectionDetails'] as Json;
const withConnection = (key: string, value: unknown): string => policy((p) => (connection(p)[key] = value));

/** The one value-format finding on a connection detail, checked to be on its value. */
function findingOn(key: string, value: string): { text: string; finding: Finding } {
  const text = withConnection(key, value);
  const [finding] = expectFindings('value-format', markValue(text, key, JSON.stringify(value)));
  return { text, finding: finding! };
}

function fixNamed(finding: Finding, title: string) {
  const fix = finding.fixes?.find((f) => f.title === title);
  assert.ok(fix, `fix "${title}" offered; got ${JSON.stringify(finding.fixes?.map((f) => f.title))}`);
  return fix;
}

const SECRET = 'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4';

describe('value-format', () => {
  describe('well-formed values', () => {
    it('is silent on a valid policy', () => {
      expectNoFindings('value-format', policy());
    });

    it('accepts the documented domain shapes, in any letter case', () => {
      for (const domain of [
        'acme.us-dev.janraincapture.com',
        'us-dev.janraincapture.com',
        'alb.capture.multi.dev.or.janrain.com',
        'ACME-Prod.EU.janraincapture.com',
      ]) {
        expectNoFindings('value-format', withConnection('domain', domain));
      }
    });

    it('is silent on a create body without id or _links, and on any non-empty entity type', () => {
      expectNoFindings(
        'value-format',
        policy((p) => {
          delete p['id'];
          delete p['_links'];
          connection(p)['entityType'] = 'CustomerProfile';
        }),
      );
    });

    it('is silent on values of the wrong type, which schema reports', () => {
      const text = withConnection('clientId', 42);
      expectNoFindings('value-format', text);
      assert.equal(findingsOf('schema', text).length, 1);
    });
  });

  describe('ids', () => {
    it('marks a client id of the wrong length, saying the expected format and the length found', () => {
      const { finding } = findingOn('clientId', 'm3n8b2v7c1');
      assert.equal(finding.severity, 'warning');
      assert.equal(
        finding.message,
        '"identityStoreDetails.connectionDetails.clientId" is not in the expected format: expected 32 lower-case letters and digits (it is 10 characters long).',
      );
      assert.deepEqual(finding.fixes, []);
    });

    it('offers lower case for an upper-case client id, which restores the policy', () => {
      const { text, finding } = findingOn('clientId', 'M3N8B2V7C1X6Z9L4K5J0H2G7F3D8S1A6');
      assert.match(finding.message, /it has upper-case letters/);
      const fixed = applyFix(text, fixNamed(finding, 'Change to lower case'));
      assert.equal(fixed, policy());
      expectNoFindings('value-format', fixed);
    });

    it('offers to trim spaces around a client id, as the preferred fix', () => {
      const { text, finding } = findingOn('clientId', ' m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6 ');
      assert.match(finding.message, /it has leading or trailing spaces/);
      const trim = fixNamed(finding, 'Remove the surrounding spaces');
      assert.equal(trim.isPreferred, true);
      assert.equal(applyFix(text, trim), policy());
    });

    it('names the spaces first: an upper-case value with spaces around it is not said to be upper-case too', () => {
      const { finding } = findingOn('clientId', ' M3N8B2V7C1X6Z9L4K5J0H2G7F3D8S1A6 ');
      assert.match(finding.message, /it has leading or trailing spaces/);
      assert.doesNotMatch(finding.message, /upper-case letters/);
    });

    it('trims a space on one side only', () => {
      for (const value of [' m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6', 'm3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6  ']) {
        const { text, finding } = findingOn('clientId', value);
        assert.equal(applyFix(text, fixNamed(finding, 'Remove the surrounding spaces')), policy(), value);
      }
    });

    it('marks an upper-case application id and lower-cases it', () => {
      const { text, finding } = findingOn('applicationId', 'Q7W2E9R4T6Y1U8I3O5P0A2S4DZ');
      assert.match(finding.message, /"identityStoreDetails\.connectionDetails\.applicationId"/);
      assert.match(finding.message, /26 lower-case letters and digits/);
      assert.equal(applyFix(text, fixNamed(finding, 'Change to lower case')), policy());
    });

    it('marks a policy id that is not a lower-case UUID', () => {
      const bad = policy((p) => {
        p['id'] = 'policy-one';
        delete p['_links'];
      });
      const [finding] = expectFindings('value-format', markValue(bad, 'id', '"policy-one"'));
      assert.equal(
        finding!.message,
        '"id" is not in the expected format: expected a lower-case UUID (found "policy-one").',
      );

      const upper = policy((p) => {
        p['id'] = '7C2E91A4-3F5D-4B8E-A1C6-92D04E7F3B58';
        delete p['_links'];
      });
      const [caseFinding] = expectFindings(
        'value-format',
        markValue(upper, 'id', '"7C2E91A4-3F5D-4B8E-A1C6-92D04E7F3B58"'),
      );
      assert.equal(
        applyFix(upper, fixNamed(caseFinding!, 'Change to lower case')),
        policy((p) => delete p['_links']),
      );
    });
  });

  describe('domain', () => {
    it('marks a domain written as a URL and offers its host name', () => {
      const { text, finding } = findingOn('domain', 'https://acme-prod.eu.janraincapture.com/');
      assert.match(finding.message, /"identityStoreDetails\.connectionDetails\.domain" is not in the expected format/);
      assert.match(finding.message, /a bare host name without scheme or path/);
      const fix = fixNamed(finding, 'Use the host name "acme-prod.eu.janraincapture.com"');
      assert.equal(fix.isPreferred, true);
      assert.equal(applyFix(text, fix), policy());
    });

    it('offers the host name for a domain with a port', () => {
      const { text, finding } = findingOn('domain', 'acme-prod.eu.janraincapture.com:443');
      assert.equal(applyFix(text, fixNamed(finding, 'Use the host name "acme-prod.eu.janraincapture.com"')), policy());
    });

    it('shows the value found for a domain that is no host name, with no fix', () => {
      const { finding } = findingOn('domain', 'localhost');
      assert.match(finding.message, /\(found "localhost"\)/);
      assert.deepEqual(finding.fixes, []);
    });

    it('trims spaces around a domain', () => {
      const { text, finding } = findingOn('domain', ' acme-prod.eu.janraincapture.com ');
      assert.equal(applyFix(text, fixNamed(finding, 'Remove the surrounding spaces')), policy());
    });

    it('fixes whitespace written as an escape into a value that is still valid JSON', () => {
      const text = policy().replace('"acme-prod.eu.janraincapture.com"', '"acme-prod.eu.janraincapture.com\\n"');
      const [finding] = findingsOf('value-format', text);
      assert.ok(finding, 'the trailing newline is reported');
      for (const fix of finding.fixes ?? []) {
        const fixed = applyFix(text, fix);
        assert.doesNotThrow(() => JSON.parse(fixed), `"${fix.title}" leaves valid JSON`);
        assert.equal(fixed, policy(), `"${fix.title}" removes the escaped newline`);
      }
      const leading = policy().replace(
        '"m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6"',
        '"\\u0020m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6"',
      );
      for (const fix of findingsOf('value-format', leading)[0]!.fixes ?? []) {
        assert.equal(applyFix(leading, fix), policy(), `"${fix.title}" removes the escaped space`);
      }
    });
  });

  describe('owner client secret', () => {
    it('says how long a wrong-length secret is, without showing it and without a fix', () => {
      const value = SECRET.slice(0, 31);
      const { finding } = findingOn('clientSecret', value);
      assert.equal(
        finding.message,
        '"identityStoreDetails.connectionDetails.clientSecret" is not in the expected format: expected 32 lower-case letters and digits (or "sha256:" and the secret\'s 64-hex fingerprint) (it is 31 characters long).',
      );
      assert.deepEqual(finding.fixes, []);
    });

    it('says an upper-case secret has upper-case letters but never offers to change its case', () => {
      const { finding } = findingOn('clientSecret', SECRET.toUpperCase());
      assert.match(finding.message, /it has upper-case letters/);
      assert.ok(!finding.message.includes(SECRET.toUpperCase()));
      assert.ok(finding.fixes!.every((f) => f.title !== 'Change to lower case'));
    });

    it('trims spaces around a secret with edits that only delete the spaces', () => {
      const { text, finding } = findingOn('clientSecret', `  ${SECRET} `);
      const trim = fixNamed(finding, 'Remove the surrounding spaces');
      assert.ok(trim.edits.every((e) => e.content === ''));
      assert.equal(applyFix(text, trim), policy());
    });

    it('accepts a fingerprint in place of the secret, as pull writes it', () => {
      expectNoFindings('value-format', withConnection('clientSecret', `sha256:${fingerprint(SECRET)}`));
    });

    it('says what a fingerprint looks like when one is malformed, without a length that does not apply', () => {
      for (const value of [`sha256:${fingerprint(SECRET).slice(1)}`, `sha256:${fingerprint(SECRET).toUpperCase()}`]) {
        const { finding } = findingOn('clientSecret', value);
        assert.match(finding.message, /[(,] ?a fingerprint is "sha256:" and 64 lower-case hex digits\)\.$/, value);
        assert.doesNotMatch(finding.message, /characters long/);
      }
    });

    it('leaves an empty secret to schema, which already reports it', () => {
      const text = withConnection('clientSecret', '');
      assert.equal(findingsOf('schema', text).length, 1);
      expectNoFindings('value-format', text);
    });
  });

  describe('self link', () => {
    it('marks a self link that is not /{customerId}/config/loginPolicies/{id}', () => {
      const text = policy((p) => (p['_links'] = { self: { href: '/config/policies/1' } }));
      const [finding] = expectFindings('value-format', markValue(text, 'href', '"/config/policies/1"'));
      assert.equal(
        finding!.message,
        '"_links.self.href" is not in the expected format: expected /{customerId}/config/loginPolicies/{id}.',
      );
    });

    it('marks a self link whose customer id is not a lower-case UUID', () => {
      const href = '/ACME/config/loginPolicies/7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58';
      const text = policy((p) => (p['_links'] = { self: { href } }));
      const [finding] = expectFindings('value-format', markValue(text, 'href', JSON.stringify(href)));
      assert.match(finding!.message, /names customer id "ACME", which is not a lower-case UUID/);
    });

    it('marks a self link that names another policy than "id"', () => {
      const other = '00000000-3f5d-4b8e-a1c6-92d04e7f3b58';
      const href = `/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/config/loginPolicies/${other}`;
      const text = policy((p) => (p['_links'] = { self: { href } }));
      const [finding] = expectFindings('value-format', markValue(text, 'href', JSON.stringify(href)));
      assert.match(
        finding!.message,
        new RegExp(`names policy "${other}" but "id" is "7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58"`),
      );
      assert.match(finding!.message, /mixes two policies/);
    });

    it('does not compare with "id" when the policy has none', () => {
      expectNoFindings(
        'value-format',
        policy((p) => delete p['id']),
      );
    });
  });

  describe('fixes that would not fix (found by fuzzing)', () => {
    it('does not offer lower case for an upper-case client id that is also too long', () => {
      const { finding } = findingOn('clientId', 'M3N8B2V7C1X6Z9L4K5J0H2G7F3D8S1A6X');
      assert.match(finding.message, /it has upper-case letters, it is 33 characters long/);
      assert.deepEqual(finding.fixes, []);
    });

    it('does not offer to trim spaces around a value that is still wrong without them', () => {
      const { finding } = findingOn('applicationId', ' q7w2e9r4t6 ');
      assert.deepEqual(finding.fixes, []);
      assert.deepEqual(findingOn('clientSecret', ` ${SECRET.slice(1)} `).finding.fixes, []);
    });

    it('trims and lower-cases at once when both are needed, and only then', () => {
      const { text, finding } = findingOn('clientId', ' M3N8B2V7C1X6Z9L4K5J0H2G7F3D8S1A6 ');
      assert.deepEqual(
        finding.fixes!.map((f) => f.title),
        ['Remove the surrounding spaces and change to lower case'],
      );
      const fixed = applyFix(text, finding.fixes![0]!);
      assert.equal(fixed, policy());
      expectNoFindings('value-format', fixed);
    });

    it('does not offer a host name that is itself no domain', () => {
      const { finding } = findingOn('domain', 'https://auth-ui/login');
      assert.deepEqual(finding.fixes, []);
    });
  });

  describe('severity', () => {
    it('is a warning by default and follows overrides', () => {
      const text = withConnection('clientId', 'short');
      assert.equal(findingsOf('value-format', text)[0]!.severity, 'warning');
      assert.equal(findingsOf('value-format', text, { severities: { 'value-format': 'error' } })[0]!.severity, 'error');
      assert.equal(findingsOf('value-format', text, { severities: { 'value-format': 'off' } }).length, 0);
    });
  });
});

describe('no rule shows the owner client secret', () => {
  // Wrong in several ways at once: too short, spaces inside and around, upper case.
  const CANARY = ' Canary Zq7X secret ';
  const needles = [CANARY, CANARY.trim(), CANARY.trim().toLowerCase(), 'Zq7X', 'zq7x', 'Canary'];
  const variants: Record<string, string> = {
    'in clientSecret': withConnection('clientSecret', CANARY),
    'in a repeated clientSecret': policy().replace(
      `"clientSecret": "${SECRET}"`,
      `"clientSecret": ${JSON.stringify(CANARY)},\n      "clientSecret": ${JSON.stringify(CANARY)}`,
    ),
    'in a misspelled key': policy().replace(
      `"clientSecret": "${SECRET}"`,
      `"clientSecrett": ${JSON.stringify(CANARY)}`,
    ),
    'in the wrong object': policy((p) => ((p['identityStoreDetails'] as Json)['clientSecret'] = CANARY)),
    'in an array': withConnection('clientSecret', [CANARY]),
    'with a comment and a trailing comma': policy().replace(
      `"clientSecret": "${SECRET}"`,
      `"clientSecret": ${JSON.stringify(CANARY)}, // rotated 2024`,
    ),
    'in an unterminated string': policy().replace(`"clientSecret": "${SECRET}"`, `"clientSecret": "${CANARY}`),
    'in the only value of a stub': `{ "identityStoreDetails": { "connectionDetails": { "clientSecret": ${JSON.stringify(CANARY)} } } }`,
  };
  for (const [name, text] of Object.entries(variants)) {
    it(`never in a message, fix title or fix edit (${name})`, () => {
      assert.ok(text.includes(CANARY.trim()), 'the canary is planted');
      const findings = analyze(text).findings;
      assert.ok(findings.length > 0, 'something is reported');
      for (const finding of findings) {
        const shown = [
          finding.message,
          ...(finding.fixes ?? []).flatMap((fix) => [
            fix.title,
            ...fix.edits.map((e) => e.content),
            ...(fix.createFiles ?? []).flatMap((f) => [f.name, f.content]),
          ]),
        ];
        for (const piece of shown) {
          for (const needle of needles) {
            assert.ok(!piece.includes(needle), `${finding.ruleId} shows ${JSON.stringify(needle)}: ${piece}`);
          }
        }
      }
    });
  }
});
