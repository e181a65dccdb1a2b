// custom-claims: bad attribute paths, unusable or standard claim names, empty maps and their removal, at any size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFix, expectFindings, expectNoFindings, findingsOf, policy, unmark } from '../harness';

/** The policy with these custom claims. */
function withClaims(claims: unknown): string {
  return policy((p) => (p['customClaims'] = claims));
}

/** The policy whose customClaims hold one map whose entries are raw lines (they may carry ⟦ ⟧). */
function withRawEntries(map: 'id_token' | 'userinfo', entries: readonly string[]): string {
  return withClaims({ [map]: { PLACEHOLDER: 'x' } }).replace('"PLACEHOLDER": "x"', entries.join(',\n      '));
}

describe('custom-claims', () => {
  describe('good claims', () => {
    it('is silent on a valid policy and on a policy without custom claims', () => {
      expectNoFindings('custom-claims', policy());
      expectNoFindings(
        'custom-claims',
        policy((p) => delete p['customClaims']),
      );
    });

    it('accepts namespaced claim names and nested attribute paths', () => {
      expectNoFindings(
        'custom-claims',
        withClaims({
          id_token: { 'urn:acme:tier': 'loyalty.tier', 'acme.region': 'primaryAddress.country', 'x-member': '_member' },
          userinfo: { Email: 'emailAddress', phone2: 'mobile.number_e164', tier: 'loyalty.level2.name' },
        }),
      );
    });

    it('leaves claim values of other types to schema', () => {
      const text = withClaims({ id_token: { tier: 5, flags: ['a'], none: null } });
      expectNoFindings('custom-claims', text);
      assert.equal(findingsOf('schema', text).length, 3);
    });

    it('ignores a claim whose value is still being typed', () => {
      expectNoFindings('custom-claims', withRawEntries('userinfo', ['"zip": "primaryAddress.zip"', '"tier": ']));
    });
  });

  describe('attribute paths', () => {
    it('marks values that are not dot-notation attribute paths, on the value', () => {
      const findings = expectFindings(
        'custom-claims',
        withRawEntries('userinfo', [
          '"a": ⟦"not a path"⟧',
          '"b": ⟦"address..zip"⟧',
          '"c": ⟦""⟧',
          '"d": ⟦".zip"⟧',
          '"e": ⟦"zip."⟧',
          '"f": ⟦"primary-address"⟧',
          '"g": ⟦"address.1st"⟧',
          '"h": ⟦" displayName"⟧',
          '"ok": "primaryAddress.zip"',
        ]),
      );
      assert.equal(findings[0]!.severity, 'warning');
      assert.equal(
        findings[0]!.message,
        'Custom claim "a" maps to "not a path", which is not a Capture attribute path (dot notation, such as "primaryAddress.zip"): the claim would never be returned.',
      );
      assert.match(findings[1]!.message, /^Custom claim "b" maps to "address\.\.zip"/);
    });
  });

  describe('claim names', () => {
    it('marks names that cannot be claim names, on the key', () => {
      const findings = expectFindings(
        'custom-claims',
        withRawEntries('id_token', [
          '⟦"1st_tier"⟧: "loyalty.tier"',
          '⟦"loyalty tier"⟧: "loyalty.tier"',
          '⟦""⟧: "loyalty.tier"',
          '⟦"_private"⟧: "loyalty.tier"',
        ]),
      );
      assert.equal(
        findings[0]!.message,
        'Custom claim name "1st_tier" in "customClaims.id_token" is not a usable claim name: start with a letter, then letters, digits, "_", "-", "." or ":".',
      );
    });

    it('marks names that shadow standard OpenID Connect claims, in either map', () => {
      const text = withClaims({
        id_token: { sub: 'uuid', tier: 'loyalty.tier', email: 'email' },
        userinfo: { given_name: 'givenName', updated_at: 'lastUpdated', nonce: 'x' },
      });
      const source = text
        .replace('"sub"', '⟦"sub"⟧')
        .replace('"email":', '⟦"email"⟧:')
        .replace('"given_name"', '⟦"given_name"⟧')
        .replace('"updated_at"', '⟦"updated_at"⟧')
        .replace('"nonce"', '⟦"nonce"⟧');
      const findings = expectFindings('custom-claims', source);
      assert.equal(
        findings[0]!.message,
        'Custom claim "sub" in "customClaims.id_token" shadows the standard OpenID Connect claim "sub", which Hosted Login sets itself: pick another name.',
      );
      assert.match(
        findings[2]!.message,
        /"given_name" in "customClaims\.userinfo" shadows the standard OpenID Connect claim/,
      );
    });

    it('treats claim names case-sensitively, as tokens do', () => {
      expectNoFindings('custom-claims', withClaims({ userinfo: { Email: 'email', SUB: 'uuid' } }));
    });

    it('reports a bad name and a bad value of one claim separately', () => {
      expectFindings('custom-claims', withRawEntries('userinfo', ['⟦"email"⟧: ⟦"e mail"⟧']));
    });
  });

  describe('empty maps', () => {
    it('marks an empty customClaims and removes it cleanly', () => {
      const text = withClaims({});
      const [finding] = expectFindings('custom-claims', text.replace('"customClaims": {}', '"customClaims": ⟦{}⟧'));
      assert.equal(finding!.message, '"customClaims" is empty: add claims to "id_token" or "userinfo", or remove it.');
      const fix = finding!.fixes!.find((f) => f.title === 'Remove the empty "customClaims"');
      assert.ok(fix);
      const fixed = applyFix(text, fix);
      assert.equal(
        fixed,
        policy((p) => delete p['customClaims']),
      );
      expectNoFindings('custom-claims', fixed);
    });

    it('removes an empty customClaims that comes first or last in a compact policy', () => {
      const first = '{"customClaims": ⟦{}⟧, "title": "t"}';
      const [a] = expectFindings('custom-claims', first);
      assert.equal(applyFix(unmark(first).text, a!.fixes![0]!), '{"title": "t"}');
      const last = '{"title": "t", "customClaims": ⟦{ }⟧}';
      const [b] = expectFindings('custom-claims', last);
      assert.equal(applyFix(unmark(last).text, b!.fixes![0]!), '{"title": "t"}');
    });

    it('marks an empty id_token map and removes it, keeping userinfo', () => {
      const text = withClaims({ id_token: {}, userinfo: { zip: 'primaryAddress.zip' } });
      const [finding] = expectFindings('custom-claims', text.replace('"id_token": {}', '"id_token": ⟦{}⟧'));
      assert.equal(finding!.message, '"customClaims.id_token" is empty: add claims or remove it.');
      assert.equal(finding!.fixes![0]!.title, 'Remove the empty "id_token"');
      const fixed = applyFix(text, finding!.fixes![0]!);
      assert.equal(fixed, withClaims({ userinfo: { zip: 'primaryAddress.zip' } }));
      expectNoFindings('custom-claims', fixed);
    });

    it('marks an empty userinfo map that comes last and removes it with its comma', () => {
      const text = policy((p) => ((p['customClaims'] as Record<string, unknown>)['userinfo'] = {}));
      const [finding] = expectFindings('custom-claims', text.replace('"userinfo": {}', '"userinfo": ⟦{}⟧'));
      const fixed = applyFix(text, finding!.fixes![0]!);
      assert.equal(
        fixed,
        policy((p) => delete (p['customClaims'] as Record<string, unknown>)['userinfo']),
      );
      expectNoFindings('custom-claims', fixed);
    });

    it('removes an empty map that is all customClaims holds together with customClaims (found by fuzzing)', () => {
      // Removing only the map would leave "customClaims": {}, itself a warning, in the same place.
      for (const map of ['id_token', 'userinfo'] as const) {
        const text = withClaims({ [map]: {} });
        const [finding] = expectFindings('custom-claims', text.replace(`"${map}": {}`, `"${map}": ⟦{}⟧`));
        assert.equal(finding!.fixes![0]!.title, `Remove the empty "${map}" with its "customClaims"`);
        const fixed = applyFix(text, finding!.fixes![0]!);
        assert.equal(
          fixed,
          policy((p) => delete p['customClaims']),
        );
        expectNoFindings('custom-claims', fixed);
      }
    });

    it('marks both maps when both are empty', () => {
      const text = withClaims({ id_token: {}, userinfo: {} });
      expectFindings(
        'custom-claims',
        text.replace('"id_token": {}', '"id_token": ⟦{}⟧').replace('"userinfo": {}', '"userinfo": ⟦{}⟧'),
      );
    });
  });

  describe('large maps', () => {
    it('marks exactly the few bad claims among 2,000', () => {
      const entries = Array.from({ length: 2000 }, (_, i) => `"claim${i}": "profile.attribute${i}"`);
      entries[3] = '⟦"email"⟧: "emailAddress"';
      entries[1000] = '"claim1000": ⟦"profile..broken"⟧';
      entries[1500] = '⟦"1500th"⟧: "profile.attribute1500"';
      entries[1999] = '"claim1999": ⟦"not a path"⟧';
      const findings = expectFindings('custom-claims', withRawEntries('userinfo', entries));
      assert.match(findings[0]!.message, /"email" in "customClaims\.userinfo" shadows/);
      assert.match(findings[1]!.message, /"claim1000" maps to "profile\.\.broken"/);
      assert.match(findings[2]!.message, /"1500th" in "customClaims\.userinfo" is not a usable claim name/);
      assert.match(findings[3]!.message, /"claim1999" maps to "not a path"/);
    });

    it('is silent on 2,000 good claims in each map', () => {
      const map = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`claim${i}`, `profile.attribute${i}`]));
      expectNoFindings('custom-claims', withClaims({ id_token: map, userinfo: map }));
    });
  });

  describe('severity', () => {
    it('is a warning by default and follows overrides', () => {
      const text = withClaims({});
      assert.equal(findingsOf('custom-claims', text)[0]!.severity, 'warning');
      assert.equal(findingsOf('custom-claims', text, { severities: { 'custom-claims': 'info' } })[0]!.severity, 'info');
      assert.equal(findingsOf('custom-claims', text, { severities: { 'custom-claims': 'off' } }).length, 0);
    });
  });
});
