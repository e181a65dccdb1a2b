// The .loginpolicyrc.json reader: valid files become a config, broken ones become located, worded findings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeConfig } from '../../../server/src/engine/config/analyze-config';
import { unmark } from '../harness';

function problems(marked: string): { text: string; messages: string[] } {
  const { text, ranges } = unmark(marked);
  const result = analyzeConfig(text);
  assert.equal(result.config, undefined, 'a broken config yields no config');
  assert.deepEqual(
    result.findings.map((f) => text.slice(f.range.offset, f.range.offset + f.range.length)).sort(),
    ranges.map((r) => text.slice(r.offset, r.offset + r.length)).sort(),
  );
  for (const f of result.findings) assert.equal(f.ruleId, 'invalid-config');
  return { text, messages: result.findings.map((f) => f.message) };
}

describe('analyzeConfig', () => {
  it('reads a full config with comments and trailing commas', () => {
    const sha = 'a'.repeat(64);
    const { config, findings } = analyzeConfig(`{
      // project config
      "policies": ["policies/**/*.json"],
      "rules": { "hosted-login-v1": "off", "schema": "warning" },
      "clients": [
        { "clientId": "m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6", "features": ["owner"], "secretSha256": "${sha}",
          "previousSecrets": [{ "sha256": "${sha}", "validUntil": "2026-12-01T09:00:00Z" }], "label": "prod owner" },
      ],
      "baseline": { "git": "origin/main" },
      "verify": { "allowedHosts": ["*.janraincapture.com"], "timeoutMs": 5000 },
    }`);
    assert.deepEqual(findings, []);
    assert.deepEqual(config?.rules, { 'hosted-login-v1': 'off', schema: 'warning' });
    assert.equal(config?.clients?.[0]?.label, 'prod owner');
    assert.deepEqual(config?.baseline, { git: 'origin/main' });
  });

  it('accepts an empty object', () => {
    assert.deepEqual(analyzeConfig('{}'), { config: {}, findings: [] });
  });

  it('names unknown keys and rule ids, with suggestions', () => {
    const { messages } = problems('{ ⟦"policie"⟧: [], "rules": { ⟦"hosted-login-1"⟧: "off" } }');
    assert.ok(
      messages.some((m) => /"policie" is not a property of the configuration\. Did you mean "policies"\?/.test(m)),
    );
    assert.ok(messages.some((m) => /Unknown rule "hosted-login-1"\. Did you mean "hosted-login-v1"\?/.test(m)));
  });

  it('says what a severity, a fingerprint or a baseline must be', () => {
    const { messages } = problems(
      '{ "rules": { "schema": ⟦"loud"⟧ }, "clients": [{ "clientId": "c", "secretSha256": ⟦"abc"⟧ }], "baseline": ⟦"HEAD"⟧ }',
    );
    assert.ok(
      messages.some((m) =>
        /"rules\.schema" must be "off" or "hint" or "info" or "warning" or "error", not "loud"/.test(m),
      ),
    );
    assert.ok(
      messages.some((m) =>
        /"clients\[0\]\.secretSha256" is not in the expected format: expected 64 lower-case hex digits/.test(m),
      ),
    );
    assert.ok(
      messages.some((m) =>
        /"baseline" is not valid: expected \{"git": "<ref>"\}, \{"dir": "<folder>"\} or "none"/.test(m),
      ),
    );
  });

  it('reports a missing client id on the opening brace of the entry that lacks it', () => {
    const { messages } = problems('{ "clients": [ ⟦{⟧ "features": ["owner"] } ] }');
    assert.match(messages[0]!, /Missing required property "clientId" \(client id\) in "clients\[0\]"/);
  });

  it('refuses a client listed twice, and a timeout out of range', () => {
    const { messages } = problems(
      '{ "clients": [{ "clientId": "a" }, { "clientId": ⟦"a"⟧ }], "verify": { "timeoutMs": ⟦1⟧ } }',
    );
    assert.ok(messages.some((m) => /Client "a" is listed twice in "clients": merge the two entries\./.test(m)));
    assert.ok(messages.some((m) => /"verify\.timeoutMs" must be at least 100/.test(m)));
  });

  it('has no "verify.mode": only the editor setting turns live checks on', () => {
    problems('{ "verify": { ⟦"mode"⟧: "onSave" } }');
  });

  it('reports syntax errors and duplicate keys instead of throwing', () => {
    const broken = analyzeConfig('{ "rules": { "schema": "off" ');
    assert.equal(broken.config, undefined);
    assert.ok(broken.findings.length > 0);
    const duplicate = analyzeConfig('{ "rules": {}, "rules": {} }');
    assert.match(duplicate.findings[0]!.message, /Duplicate key "rules"/);
    assert.match(analyzeConfig('').findings[0]!.message, /empty/);
  });
});
