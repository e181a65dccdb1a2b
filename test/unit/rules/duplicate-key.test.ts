// duplicate-key: every repeated key in one object, on the repeat, at any depth and in claim maps of any size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectFindings, expectNoFindings, findingsOf, policy } from '../harness';

/** A pretty policy whose userinfo map holds `count` claims, then edited by `edit` (raw lines, may carry ⟦ ⟧). */
function policyWithClaims(count: number, edit: (entries: string[]) => void = () => undefined): string {
  const entries = Array.from({ length: count }, (_, i) => `"claim${i}": "attr.path${i}"`);
  edit(entries);
  return policy((p) => {
    (p['customClaims'] as Record<string, unknown>)['userinfo'] = { PLACEHOLDER: 'x' };
  }).replace('"PLACEHOLDER": "x"', entries.join(',\n      '));
}

describe('duplicate-key', () => {
  describe('no repeats', () => {
    it('is silent on a valid policy', () => {
      expectNoFindings('duplicate-key', policy());
    });

    it('allows the same key in different objects, array elements and claim maps', () => {
      expectNoFindings('duplicate-key', '{ "a": 1, "b": { "a": 2, "b": { "a": 3 } }, "c": [{ "a": 1 }, { "a": 1 }] }');
      expectNoFindings(
        'duplicate-key',
        policy((p) => {
          p['customClaims'] = { id_token: { zip: 'primaryAddress.zip' }, userinfo: { zip: 'primaryAddress.zip' } };
        }),
      );
    });

    it('treats keys that differ only in case as different keys', () => {
      expectNoFindings('duplicate-key', '{ "title": "a", "Title": "b" }');
    });

    it('is silent on a large claim map without repeats', () => {
      expectNoFindings('duplicate-key', policyWithClaims(3000));
    });
  });

  describe('repeated keys', () => {
    it('marks the repeated key, not the first one, and says which value counts is not guaranteed', () => {
      const text = policy().replace(/\n}$/, ',\n  ⟦"title"⟧: "Another title"\n}');
      const [finding] = expectFindings('duplicate-key', text);
      assert.equal(finding!.severity, 'error');
      assert.match(finding!.message, /Duplicate key "title"/);
      assert.match(finding!.message, /only the last value/);
      assert.match(finding!.message, /which one the API uses is not guaranteed/);
    });

    it('marks every repeat after the first', () => {
      expectFindings('duplicate-key', '{ "a": 1, ⟦"a"⟧: 2, "b": 0, ⟦"a"⟧: 3 }');
    });

    it('sees a key written with escapes as the same key, marking it as written', () => {
      const [finding] = expectFindings('duplicate-key', '{ "title": "a", ⟦"\\u0074itle"⟧: "b" }');
      assert.match(finding!.message, /Duplicate key "title"/);
    });

    it('finds repeats deep in the frozen block without showing the secret values', () => {
      const secret = 'zq0canary0secret0value0000000001';
      const text = policy().replace(
        '"clientSecret": "p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4"',
        `"clientSecret": "p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4",\n      ⟦"clientSecret"⟧: "${secret}"`,
      );
      const [finding] = expectFindings('duplicate-key', text);
      assert.match(finding!.message, /Duplicate key "clientSecret"/);
      assert.ok(!finding!.message.includes(secret));
      assert.ok(!finding!.message.includes('p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4'));
    });

    it('finds repeats in parts of the file the policy model does not know and inside arrays', () => {
      expectFindings('duplicate-key', '{ "mfaSettings": { "on": true, ⟦"on"⟧: false }, "x": [{ "k": 1, ⟦"k"⟧: 2 }] }');
      expectFindings('duplicate-key', '{ "_links": { "self": { "href": "/a", ⟦"href"⟧: "/b" } } }');
    });

    it('finds repeats in objects with many keys, early and late', () => {
      const keys = Array.from({ length: 40 }, (_, i) => `"k${i}": ${i}`);
      expectFindings('duplicate-key', `{ ${keys.join(', ')}, ⟦"k3"⟧: 0, ⟦"k35"⟧: 0, "k40": 0, ⟦"k40"⟧: 1 }`);
    });

    it('handles keys named like Object.prototype members', () => {
      expectFindings(
        'duplicate-key',
        '{ "__proto__": 1, ⟦"__proto__"⟧: 2, "constructor": 1, "hasOwnProperty": 1, ⟦"constructor"⟧: 2, "toString": 0 }',
      );
    });

    it('still finds a repeated key whose value is not typed yet', () => {
      expectFindings('duplicate-key', '{ "title": "a", ⟦"title"⟧: ');
    });
  });

  describe('claim maps with thousands of entries', () => {
    it('marks only the repeated claims, wherever they are', () => {
      const text = policyWithClaims(5000, (entries) => {
        entries.splice(2500, 0, '⟦"claim17"⟧: "other.path"');
        entries.push('⟦"claim4999"⟧: "other.path"', '⟦"claim0"⟧: "first.again"');
      });
      const findings = expectFindings('duplicate-key', text);
      assert.match(findings[0]!.message, /Duplicate key "claim17"/);
      assert.match(findings[1]!.message, /Duplicate key "claim4999"/);
      assert.match(findings[2]!.message, /Duplicate key "claim0"/);
    });
  });

  describe('severity', () => {
    it('is an error by default and follows overrides', () => {
      const text = '{ "a": 1, "a": 2 }';
      assert.equal(findingsOf('duplicate-key', text)[0]!.severity, 'error');
      assert.equal(findingsOf('duplicate-key', text, { severities: { 'duplicate-key': 'hint' } })[0]!.severity, 'hint');
      assert.equal(findingsOf('duplicate-key', text, { severities: { 'duplicate-key': 'off' } }).length, 0);
    });
  });
});
