// analysis-limit: files too large, binary or nested too deep get one info finding instead of a hang, a crash or noise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, DEFAULT_MAX_FILE_SIZE } from '../../../server/src/engine/analyze';
import { expectFindings, expectNoFindings, findingsOf, policy } from '../harness';

/** Asserts the text gets exactly one finding in all, from analysis-limit, at the start; returns its message. */
function onlyLimit(text: string, options: Parameters<typeof analyze>[1] = {}): string {
  const findings = analyze(text, options).findings;
  assert.deepEqual(
    findings.map((f) => `${f.ruleId} ${f.severity} ${f.range.offset}+${f.range.length}`),
    ['analysis-limit info 0+0'],
    findings.map((f) => `${f.ruleId}: ${f.message}`).join('\n'),
  );
  return findings[0]!.message;
}

describe('analysis-limit', () => {
  describe('within limits', () => {
    it('is silent on a valid policy, an empty file and broken JSON', () => {
      expectNoFindings('analysis-limit', policy());
      expectNoFindings('analysis-limit', '');
      expectNoFindings('analysis-limit', '{ "title": ');
    });

    it('is silent on text with non-ASCII characters, tabs and CRLF line ends', () => {
      const text = policy((p) => (p['title'] = 'Connexion ACME — été 2024 ✓ 登录 😀')).replace(/\n/g, '\r\n\t');
      expectNoFindings('analysis-limit', text);
    });

    it('is silent on nesting up to 256 levels', () => {
      expectNoFindings('analysis-limit', '['.repeat(256) + ']'.repeat(256));
    });

    it('is silent on a text exactly at the size limit', () => {
      const text = policy();
      expectNoFindings('analysis-limit', text, { maxFileSize: text.length });
    });
  });

  describe('deep nesting', () => {
    it('gives one finding, and nothing else, for 100,000 unclosed brackets', () => {
      const message = onlyLimit('['.repeat(100000));
      assert.equal(
        message,
        'Not checked: values are nested more than 256 levels deep (login policies are 4 levels deep).',
      );
    });

    it('gives one finding for 257 levels, closed or not', () => {
      onlyLimit('['.repeat(257) + ']'.repeat(257));
      onlyLimit('{"a":'.repeat(100000));
    });

    it('gives one finding when a policy hides deep nesting in an unknown property', () => {
      const text = policy((p) => (p['mfaSettings'] = 'DEEP')).replace('"DEEP"', '['.repeat(5000) + ']'.repeat(5000));
      onlyLimit(text);
    });

    it('marks the start of the file with a zero-length range', () => {
      expectFindings('analysis-limit', '⟦⟧' + '['.repeat(300));
    });
  });

  describe('size', () => {
    it('gives one info finding, and nothing else, for a text over the size limit', () => {
      const text = policy((p) => delete p['title']);
      const message = onlyLimit(text, { maxFileSize: 100 });
      assert.match(message, /^Not checked: this file is .* over the .* limit/);
      assert.match(message, /login policies are about 1 KB/);
    });

    it('gives one info finding for a generated 5 MB policy with the default limit', () => {
      const claims = Object.fromEntries(
        Array.from({ length: 100000 }, (_, i) => [`claim${i}`, `profile.attribute${i}`]),
      );
      const body = policy((p) => (p['customClaims'] = { userinfo: claims }));
      const text = body.padEnd(5 * 1024 * 1024, ' ');
      assert.equal(text.length, 5 * 1024 * 1024, 'the generated policy fits in 5 MB before padding');
      assert.ok(text.length > DEFAULT_MAX_FILE_SIZE);
      const message = onlyLimit(text);
      assert.match(message, /this file is 5\.0 MiB, over the 4\.0 MiB limit/);
    });
  });

  describe('binary', () => {
    it('gives one finding for a text with a NUL character, and no syntax errors', () => {
      assert.equal(onlyLimit(`${policy()}\u0000`), 'Not checked: this file is binary, not a JSON login policy.');
      onlyLimit('\u0000');
    });

    it('gives one finding for bytes that are not UTF-8', () => {
      const bytes = Buffer.from(Array.from({ length: 600 }, (_, i) => 0x80 + ((i * 37) % 0x80)));
      onlyLimit(bytes.toString('utf8'));
    });

    // Text that parses cleanly is searched only for U+FFFD; these two cases parse cleanly and are still binary.
    it('gives one finding for well-formed JSON whose strings are mostly decoding failures', () => {
      onlyLimit(JSON.stringify({ title: '\ufffd'.repeat(400) }));
    });

    it('gives one finding for well-formed JSON with a comment full of control characters', () => {
      onlyLimit(`${policy()}\n/* ${'\u0001\u0002\u0003'.repeat(200)} */`);
    });

    it('is silent on a few decoding failures in a valid policy', () => {
      expectNoFindings(
        'analysis-limit',
        policy((p) => (p['title'] = 'Caf\ufffd login')),
      );
    });
  });

  describe('severity', () => {
    it('is info by default and follows overrides', () => {
      const deep = '['.repeat(1000);
      assert.equal(
        findingsOf('analysis-limit', deep, { severities: { 'analysis-limit': 'warning' } })[0]!.severity,
        'warning',
      );
      assert.equal(analyze(deep, { severities: { 'analysis-limit': 'off' } }).findings.length, 0);
    });
  });

  describe("the editor's cap", () => {
    /** A policy with `n` unknown keys (warnings), one wrong type (an error) near the end, and the rest valid. */
    const noisy = (n: number): string =>
      policy((p) => {
        for (let i = 0; i < n; i++) p[`extra${i}`] = i;
        // Moved to the end, after every unknown key.
        delete p['title'];
        p['title'] = 42;
      });

    it('keeps every finding within the cap, and adds nothing', () => {
      const findings = analyze(noisy(20), { maxFindings: 1000 }).findings;
      assert.equal(findings.length, analyze(noisy(20)).findings.length);
      assert.ok(!findings.some((f) => f.ruleId === 'analysis-limit'));
    });

    it('sends at most the cap: errors first, and one analysis-limit finding that counts the rest', () => {
      const all = analyze(noisy(2500)).findings;
      assert.ok(all.length > 2500, 'the CLI gets every finding');
      const capped = analyze(noisy(2500), { maxFindings: 1000 }).findings;
      assert.equal(capped.length, 1000);
      assert.ok(
        capped.some((f) => f.ruleId === 'schema' && f.severity === 'error'),
        'the error near the end is kept',
      );
      const notice = capped.filter((f) => f.ruleId === 'analysis-limit');
      assert.equal(notice.length, 1);
      assert.deepEqual(notice[0]!.range, { offset: 0, length: 0 });
      assert.equal(notice[0]!.severity, 'info');
      const more = all.length - 999;
      assert.equal(
        notice[0]!.message,
        `${more.toLocaleString('en-US')} more findings in this file are not shown: the editor is sent at most 1,000 per file, errors first. The CLI (login-policy-lint) lists all ${all.length.toLocaleString('en-US')}.`,
      );
      const offsets = capped.map((f) => f.range.offset);
      assert.deepEqual(
        offsets,
        [...offsets].sort((a, b) => a - b),
        'in document order',
      );
    });

    it('leaves the last place to a finding when analysis-limit is off', () => {
      const capped = analyze(noisy(2500), { maxFindings: 1000, severities: { 'analysis-limit': 'off' } }).findings;
      assert.equal(capped.length, 1000);
      assert.ok(!capped.some((f) => f.ruleId === 'analysis-limit'));
    });
  });
});
