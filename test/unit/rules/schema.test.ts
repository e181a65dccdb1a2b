// schema: wrong types, missing properties and constants, on their exact anchors, with path and expectation named.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPILE_AFTER } from '../../../server/src/engine/compiled-schema';
import { secretPlaceholder } from '../../../server/src/shared/secret-placeholder';
import { expectFindings, expectNoFindings, findingsOf, mark, markValue, policy } from '../harness';

type Json = Record<string, unknown>;
const connection = (p: Json): Json => (p['identityStoreDetails'] as Json)['connectionDetails'] as Json;

describe('schema', () => {
  describe('valid policies', () => {
    it('is silent on a valid policy', () => {
      expectNoFindings('schema', policy());
    });

    it('is silent on a create (POST) body without id, _links or customClaims', () => {
      expectNoFindings(
        'schema',
        policy((p) => {
          delete p['id'];
          delete p['_links'];
          delete p['customClaims'];
        }),
      );
    });

    it('is silent on claim maps that hold only one of id_token and userinfo', () => {
      expectNoFindings(
        'schema',
        policy((p) => {
          p['customClaims'] = { userinfo: { zip: 'primaryAddress.zip' } };
        }),
      );
    });

    it('leaves unknown keys, value formats and URLs to their own rules', () => {
      const text = policy((p) => {
        p['mfaSettings'] = { enabled: true };
        p['id'] = 'not-a-uuid';
        p['loginURL'] = 'http://example.com/login';
        connection(p)['clientSecret'] = 'TOO SHORT';
        connection(p)['clientId'] = 'M3N8B2V7C1X6Z9L4K5J0H2G7F3D8S1A6';
        (p['customClaims'] as Json)['id_token'] = { email: 'not a path' };
      });
      expectNoFindings('schema', text);
    });
  });

  describe('the root', () => {
    it('marks the opening bracket of an array root', () => {
      const [finding] = expectFindings('schema', '⟦[⟧{ "title": "t" }]');
      assert.equal(finding!.severity, 'error');
      assert.equal(finding!.message, 'The login policy must be an object, not an array.');
    });

    it('marks a scalar root as a whole', () => {
      assert.match(expectFindings('schema', '⟦"policy"⟧')[0]!.message, /must be an object, not a string/);
      assert.match(expectFindings('schema', '⟦42⟧')[0]!.message, /must be an object, not a number/);
      assert.match(expectFindings('schema', '⟦null⟧')[0]!.message, /must be an object, not null/);
    });

    it('reports nothing on an empty file (json-syntax does)', () => {
      expectNoFindings('schema', '');
      expectNoFindings('schema', '  \n  ');
    });

    it('marks every missing top-level property on the opening brace of the root', () => {
      const findings = expectFindings('schema', '  ⟦⟦⟦{⟧⟧⟧ }');
      const messages = findings.map((f) => f.message).join('\n');
      assert.match(messages, /Missing required property "title" in the login policy: expected a non-empty string/);
      assert.match(messages, /Missing required property "loginURL" \(login URL\) in the login policy: expected https:/);
      assert.match(
        messages,
        /Missing required property "identityStoreDetails" \(identity store details\) in the login policy: expected an object with type and connectionDetails/,
      );
    });

    it('marks a missing top-level property of a full policy on the root brace, after leading comments', () => {
      const text = `// prod\n${policy((p) => delete p['loginURL'])}`;
      const [finding] = expectFindings('schema', text.replace('// prod\n{', '// prod\n⟦{⟧'));
      assert.match(finding!.message, /"loginURL"/);
      assert.match(finding!.message, /the login policy/);
    });
  });

  describe('missing nested properties', () => {
    it('marks a missing clientSecret on the key of connectionDetails, naming the path and the format', () => {
      const text = policy((p) => delete connection(p)['clientSecret']);
      const [finding] = expectFindings('schema', mark(text, '"connectionDetails"'));
      assert.equal(
        finding!.message,
        'Missing required property "clientSecret" (owner client secret) in "identityStoreDetails.connectionDetails": expected 32 lower-case letters and digits (or "sha256:" and the secret\'s 64-hex fingerprint).',
      );
    });

    it('marks each missing connection detail on the same key', () => {
      const text = policy((p) => {
        (p['identityStoreDetails'] as Json)['connectionDetails'] = {};
      });
      const findings = expectFindings('schema', text.replace('"connectionDetails"', '⟦⟦⟦⟦⟦"connectionDetails"⟧⟧⟧⟧⟧'));
      for (const key of ['domain', 'applicationId', 'entityType', 'clientId', 'clientSecret']) {
        assert.ok(
          findings.some((f) => f.message.startsWith(`Missing required property "${key}"`)),
          `missing ${key} reported`,
        );
      }
    });

    it('marks a missing identity store type on the key of identityStoreDetails', () => {
      const text = policy((p) => delete (p['identityStoreDetails'] as Json)['type']);
      const [finding] = expectFindings('schema', mark(text, '"identityStoreDetails"'));
      assert.match(
        finding!.message,
        /^Missing required property "type" \(identity store type\) in "identityStoreDetails"/,
      );
      assert.match(finding!.message, /"janrainCapture"/);
    });

    it('marks a missing type or connectionDetails on the key of identityStoreDetails', () => {
      const findings = expectFindings(
        'schema',
        mark(
          policy((p) => {
            p['identityStoreDetails'] = {};
          }),
          '"identityStoreDetails"',
        ).replace('⟦"identityStoreDetails"⟧', '⟦⟦"identityStoreDetails"⟧⟧'),
      );
      assert.match(
        findings.map((f) => f.message).join('\n'),
        /"type" \(identity store type\) in "identityStoreDetails"/,
      );
      assert.match(
        findings.map((f) => f.message).join('\n'),
        /"connectionDetails" \(connection details\) in "identityStoreDetails": expected an object with domain, applicationId, entityType, clientId and clientSecret/,
      );
    });
  });

  describe('wrong constants and types', () => {
    it('marks a wrong identity store type on the value and says which constant is expected', () => {
      const text = policy((p) => {
        (p['identityStoreDetails'] as Json)['type'] = 'capture';
      });
      const [finding] = expectFindings('schema', mark(text, '"capture"'));
      assert.equal(finding!.message, '"identityStoreDetails.type" must be "janrainCapture", not "capture".');
    });

    it("marks a generated policy's secret placeholder in the refinement's own words, however often it is checked", () => {
      const text = policy((p) => {
        const details = connection(p);
        details['clientSecret'] = secretPlaceholder(details['clientId'] as string);
      });
      const placeholder = JSON.stringify(connection(JSON.parse(text) as Json)['clientSecret']);
      // More analyses than it takes for the schema to be compiled: the message must not change when it is.
      for (let i = 0; i <= COMPILE_AFTER; i++) {
        const [finding] = expectFindings('schema', markValue(text, 'clientSecret', placeholder));
        assert.equal(
          finding!.message,
          '"identityStoreDetails.connectionDetails.clientSecret" is a placeholder: replace it with the current secret of the owner client.',
        );
      }
    });

    it('shortens a long wrong value in the message', () => {
      const long = 'x'.repeat(500);
      const text = policy((p) => {
        (p['identityStoreDetails'] as Json)['type'] = long;
      });
      const [finding] = expectFindings('schema', mark(text, `"${long}"`));
      assert.ok(finding!.message.length < 200, finding!.message);
      assert.match(finding!.message, /must be "janrainCapture", not "x+…"/);
    });

    it('marks values of the wrong type, naming the path, the expected type and the type found', () => {
      const cases: [(p: Json) => void, string, string, RegExp][] = [
        [(p) => (p['title'] = 5), 'title', '5', /^"title" must be a string \(a non-empty string\), not a number\.$/],
        [
          (p) => (p['loginURL'] = null),
          'loginURL',
          'null',
          /^"loginURL" must be a string \(https:\/\/v1\.api\..*\), not null\.$/,
        ],
        [(p) => (p['id'] = true), 'id', 'true', /^"id" must be a string \(a lower-case UUID\), not a boolean\.$/],
        [
          (p) => (p['identityStoreDetails'] = []),
          'identityStoreDetails',
          '[]',
          /^"identityStoreDetails" must be an object \(an object with type and connectionDetails\), not an array\.$/,
        ],
        [
          (p) => ((p['identityStoreDetails'] as Json)['connectionDetails'] = 'x'),
          'connectionDetails',
          '"x"',
          /^"identityStoreDetails\.connectionDetails" must be an object \(.*\), not a string\.$/,
        ],
        [
          (p) => (connection(p)['clientSecret'] = 42),
          'clientSecret',
          '42',
          /^"identityStoreDetails\.connectionDetails\.clientSecret" must be a string \(32 lower-case letters and digits \(or "sha256:" and the secret's 64-hex fingerprint\)\), not a number\.$/,
        ],
        [
          (p) => (p['customClaims'] = []),
          'customClaims',
          '[]',
          /^"customClaims" must be an object \(.*\), not an array\.$/,
        ],
        [(p) => (p['_links'] = 'x'), '_links', '"x"', /^"_links" must be an object, not a string\.$/],
        [
          (p) => (p['_links'] = { self: { href: 5 } }),
          'href',
          '5',
          /^"_links\.self\.href" must be a string \(.*\), not a number\.$/,
        ],
      ];
      for (const [change, key, value, message] of cases) {
        const [finding] = expectFindings('schema', markValue(policy(change), key, value));
        assert.match(finding!.message, message);
      }
    });

    it('marks an empty title or loginURL as empty, saying what is expected', () => {
      const title = expectFindings(
        'schema',
        mark(
          policy((p) => (p['title'] = '')),
          '""',
        ),
      );
      assert.equal(title[0]!.message, '"title" must not be empty: expected a non-empty string.');
      const url = expectFindings(
        'schema',
        mark(
          policy((p) => (p['loginURL'] = '')),
          '""',
        ),
      );
      assert.match(url[0]!.message, /^"loginURL" must not be empty: expected https:\/\//);
    });
  });

  describe('custom claim values', () => {
    it('marks claim values that are not strings on the value, naming the claim and the map', () => {
      const text = policy((p) => {
        p['customClaims'] = { id_token: { tier: 5, flags: ['a'], ok: 'loyalty.tier' }, userinfo: { member: true } };
      });
      const findings = expectFindings(
        'schema',
        markValue(markValue(markValue(text, 'tier', '5'), 'flags', '[\n        "a"\n      ]'), 'member', 'true'),
      );
      assert.equal(
        findings[0]!.message,
        'Custom claim "tier" in "customClaims.id_token" must be a string (an attribute path in dot notation, such as primaryAddress.zip), not a number.',
      );
      assert.match(
        findings[1]!.message,
        /Custom claim "flags" in "customClaims\.id_token" must be a string .*, not an array\./,
      );
      assert.match(
        findings[2]!.message,
        /Custom claim "member" in "customClaims\.userinfo" must be a string .*, not a boolean\./,
      );
    });

    it('says a null claim value is null, as for every other property', () => {
      const text = policy((p) => {
        p['customClaims'] = { id_token: { tier: null } };
      });
      const [finding] = expectFindings('schema', markValue(text, 'tier', 'null'));
      assert.match(finding!.message, /must be a string \(.*\), not null\.$/);
    });

    it('says a claim map must be an object, in the words the user knows', () => {
      const text = policy((p) => {
        p['customClaims'] = { id_token: 'primaryAddress.zip' };
      });
      const [finding] = expectFindings('schema', markValue(text, 'id_token', '"primaryAddress.zip"'));
      assert.match(
        finding!.message,
        /^"customClaims\.id_token" must be an object \(an object of claim name → attribute path\), not a string\.$/,
      );
    });
  });

  describe('a value still being typed', () => {
    it('reports nothing about a property whose value is missing (json-syntax does)', () => {
      const text = policy().replace('"title": "ACME EU Login Policy v2",', '"title": ,');
      expectNoFindings('schema', text);
      assert.equal(findingsOf('json-syntax', text).length, 1);
    });

    it('reports nothing about a nested property whose value is missing', () => {
      const text = policy().replace('"clientSecret": "p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4"', '"clientSecret": ');
      expectNoFindings('schema', text);
      expectNoFindings('value-format', text);
    });

    it('reports nothing about a key typed without its colon', () => {
      expectNoFindings('schema', policy().replace('"title": "ACME EU Login Policy v2",', '"title",'));
    });

    it('waits for the syntax to be fixed: after a syntax error the tree is a guess', () => {
      // Properties after the error may exist in the text; reporting them "missing" would mislead.
      expectNoFindings('schema', '{\n  "title": ');
      expectNoFindings('schema', '{a: 1, "title": "t"}');
      assert.ok(findingsOf('json-syntax', '{\n  "title": ').length > 0);
    });
  });

  describe('severity', () => {
    it('is an error by default; an override changes it or turns the rule off', () => {
      const text = policy((p) => {
        delete p['title'];
        p['mfaSettings'] = {};
      });
      assert.deepEqual(
        findingsOf('schema', text).map((f) => f.severity),
        ['error'],
      );
      assert.deepEqual(
        findingsOf('schema', text, { severities: { schema: 'warning' } }).map((f) => f.severity),
        ['warning'],
      );
      assert.equal(findingsOf('schema', text, { severities: { schema: 'off' } }).length, 0);
      assert.equal(findingsOf('unknown-property', text, { severities: { schema: 'off' } }).length, 1);
    });
  });
});
