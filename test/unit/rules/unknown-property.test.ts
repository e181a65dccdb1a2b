import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFix, expectFindings, expectNoFindings, policy } from '../harness';

describe('unknown-property', () => {
  it('is silent on a valid policy', () => {
    expectNoFindings('unknown-property', policy());
  });

  it('marks a misspelled key and offers the rename', () => {
    const source = policy((p) => {
      p['loginUrl'] = p['loginURL'];
      delete p['loginURL'];
    }).replace('"loginUrl"', '⟦"loginUrl"⟧');
    const [finding] = expectFindings('unknown-property', source);
    assert.match(finding!.message, /"loginUrl" is not a property of the login policy\. Did you mean "loginURL"\?/);
    const rename = finding!.fixes!.find((f) => f.title === 'Rename to "loginURL"');
    assert.ok(rename, 'rename fix offered');
    assert.equal(rename.isPreferred, true);
    const fixed = applyFix(source.replace(/[⟦⟧]/g, ''), rename);
    expectNoFindings('unknown-property', fixed);
    assert.equal(
      (JSON.parse(fixed) as { loginURL: string }).loginURL,
      (JSON.parse(policy()) as { loginURL: string }).loginURL,
    );
  });

  it('marks the last of a repeated unknown key, the one JSON reads, in small objects and in large ones', () => {
    const unknownTwice = (extra: number) => {
      const known = Array.from({ length: extra }, (_, i) => `"k${i}": ${i}`).join(', ');
      return `{"type": "janrainCapture", "connectionDetails": {"domain": "a.b"}, "mfa": 1,${known ? ` ${known},` : ''} ⟦"mfa"⟧: 2}`;
    };
    for (const extra of [0, 40]) {
      const source = `{"identityStoreDetails": ${unknownTwice(extra)}}`;
      const findings = expectFindings(
        'unknown-property',
        source.replace(/"k\d+"/g, (k) => `⟦${k}⟧`),
      );
      assert.equal(findings.filter((f) => f.message.startsWith('"mfa"')).length, 1);
    }
  });

  it('finds unknown keys at every level and says where a misplaced key belongs', () => {
    const findings = expectFindings(
      'unknown-property',
      `{
  "identityStoreDetails": {
    "type": "janrainCapture",
    ⟦"clientSecret"⟧: "x",
    "connectionDetails": { ⟦"clientSecre"⟧: "y" }
  },
  ⟦"mfaSettings"⟧: {},
  "title": "t",
  "loginURL": "https://v1.api.us.janrain.com/00000000-0000-4000-8000-000000000000/auth-ui/v2/login"
}`,
    );
    assert.match(findings[0]!.message, /belongs in "identityStoreDetails\.connectionDetails"/);
    assert.match(findings[1]!.message, /Did you mean "clientSecret"\?/);
    assert.doesNotMatch(findings[2]!.message, /Did you mean/);
  });

  it('removes an unknown property cleanly', () => {
    const text = '{\n  "title": "t",\n  "pushClaims": true,\n  "loginURL": "u"\n}';
    const [finding] = expectFindings('unknown-property', text.replace('"pushClaims"', '⟦"pushClaims"⟧'));
    const remove = finding!.fixes!.find((f) => f.title === 'Remove "pushClaims"')!;
    assert.equal(applyFix(text, remove), '{\n  "title": "t",\n  "loginURL": "u"\n}');
  });

  it('does not suggest a key the object already has', () => {
    const [finding] = expectFindings('unknown-property', '{ "title": "a", ⟦"Title"⟧: "b" }');
    assert.doesNotMatch(finding!.message, /Did you mean/);
  });
});

describe('unknown-property on keys that are special in JavaScript', () => {
  it('reports "__proto__" and "constructor" like any other unknown key', () => {
    expectFindings('unknown-property', '{ "title": "t", ⟦"__proto__"⟧: { "x": 1 }, ⟦"constructor"⟧: 1 }');
  });
});
