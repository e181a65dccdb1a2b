// json-strict: comments and trailing commas, which editors accept and the API refuses, and the fixes that remove them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding, TextEdit } from '../../../server/src/engine/finding';
import { applyFix, expectFindings, expectNoFindings, findingsOf, policy, unmark } from '../harness';

/** Applies a finding's only fix and checks the rule has one finding fewer afterwards. */
function fixOne(text: string, finding: Finding): string {
  assert.equal(finding.fixes?.length, 1, 'one fix offered');
  const fixed = applyFix(text, finding.fixes[0]!);
  assert.equal(findingsOf('json-strict', fixed).length, findingsOf('json-strict', text).length - 1, 'finding gone');
  return fixed;
}

/** Applies every json-strict fix at once (their edits never overlap). */
function fixAll(text: string): string {
  const edits: TextEdit[] = findingsOf('json-strict', text).flatMap((f) => f.fixes![0]!.edits);
  return applyFix(text, { title: 'all', edits });
}

describe('json-strict', () => {
  describe('strict JSON', () => {
    it('is silent on a valid policy', () => {
      expectNoFindings('json-strict', policy());
    });

    it('does not mistake comment markers inside strings for comments', () => {
      expectNoFindings('json-strict', '{ "loginURL": "https://x//y", "title": "/* not a comment */ // nor this" }');
    });

    it('does not mistake commas between values for trailing commas', () => {
      expectNoFindings('json-strict', '{ "a": [1, 2, [3, 4], {}], "b": { "c": 1, "d": 2 } }');
    });
  });

  describe('comments', () => {
    it('marks a line comment and removes its whole line', () => {
      const marked = '{\n  ⟦// the display name⟧\n  "title": "t"\n}';
      const [finding] = expectFindings('json-strict', marked);
      assert.equal(finding!.severity, 'warning');
      assert.match(finding!.message, /Comments are not JSON/);
      assert.match(finding!.message, /accepts strict JSON only/);
      assert.equal(finding!.fixes![0]!.title, 'Remove the comment');
      assert.equal(fixOne(unmark(marked).text, finding!), '{\n  "title": "t"\n}');
    });

    it('removes a comment line with its CRLF line ending', () => {
      const marked = '{\r\n  ⟦// c⟧\r\n  "title": "t"\r\n}';
      const [finding] = expectFindings('json-strict', marked);
      assert.equal(fixOne(unmark(marked).text, finding!), '{\r\n  "title": "t"\r\n}');
    });

    it('removes a block comment spanning several lines with its lines', () => {
      const marked = '{\n  ⟦/* first line\n     second line */⟧\n  "a": 1\n}';
      const [finding] = expectFindings('json-strict', marked);
      assert.equal(fixOne(unmark(marked).text, finding!), '{\n  "a": 1\n}');
    });

    it('removes a header comment before the policy and a footer comment after it', () => {
      const header = '⟦// deployed by CI⟧\n{}';
      assert.equal(fixOne(unmark(header).text, expectFindings('json-strict', header)[0]!), '{}');
      const footer = '{}\n⟦// end⟧';
      assert.equal(fixOne(unmark(footer).text, expectFindings('json-strict', footer)[0]!), '{}\n');
    });

    it('removes an inline comment with the space that separated it, keeping the code on its line', () => {
      const trailing = '{\n  "title": "t", ⟦// note⟧\n  "loginURL": "u"\n}';
      assert.equal(
        fixOne(unmark(trailing).text, expectFindings('json-strict', trailing)[0]!),
        '{\n  "title": "t",\n  "loginURL": "u"\n}',
      );
      const leading = '{\n  ⟦/* block */⟧ "title": "t"\n}';
      assert.equal(fixOne(unmark(leading).text, expectFindings('json-strict', leading)[0]!), '{\n  "title": "t"\n}');
    });

    it('removes only the comment between two values on one line', () => {
      const marked = '[1, ⟦/* two */⟧2]';
      assert.equal(fixOne(unmark(marked).text, expectFindings('json-strict', marked)[0]!), '[1, 2]');
    });

    it('marks an unterminated comment (json-syntax reports it too)', () => {
      const marked = '{ "a": 1 ⟦/* unfinished⟧';
      expectFindings('json-strict', marked);
      assert.match(findingsOf('json-syntax', unmark(marked).text)[0]!.message, /Unterminated comment/);
    });
  });

  describe('trailing commas', () => {
    it('marks the comma itself in an object and in an array and removes just that comma', () => {
      const object = '{ "title": "t"⟦,⟧ }';
      const [inObject] = expectFindings('json-strict', object);
      assert.match(inObject!.message, /Trailing comma/);
      assert.match(inObject!.message, /strict JSON only/);
      assert.equal(inObject!.fixes![0]!.title, 'Remove the trailing comma');
      assert.equal(fixOne(unmark(object).text, inObject!), '{ "title": "t" }');

      const array = '[1, 2⟦,⟧]';
      assert.equal(fixOne(unmark(array).text, expectFindings('json-strict', array)[0]!), '[1, 2]');
    });

    it('marks a trailing comma before a closing brace on the next line', () => {
      const marked = policy().replace(/\n}$/, '⟦,⟧\n}');
      const [finding] = expectFindings('json-strict', marked);
      assert.equal(fixOne(unmark(marked).text, finding!), policy());
    });

    it('marks trailing commas at every level of nesting', () => {
      expectFindings('json-strict', '{ "a": { "b": [1⟦,⟧]⟦,⟧ }⟦,⟧ }');
    });
  });

  describe('a whole file', () => {
    it('turns a commented policy with trailing commas back into the strict policy', () => {
      const pretty = policy();
      const lines = pretty.split('\n');
      const noisy = [
        '// ACME production policy',
        lines[0],
        '  // frozen block: never edit',
        ...lines.slice(1, -1).map((line) => (line.endsWith('{') || line.endsWith(',') ? line : `${line},`)),
        '  /* end */',
        lines[lines.length - 1],
      ].join('\n');
      const findings = findingsOf('json-strict', noisy);
      assert.equal(findings.filter((f) => /Comments/.test(f.message)).length, 3);
      assert.ok(findings.filter((f) => /Trailing comma/.test(f.message)).length >= 5);
      expectNoFindings('json-syntax', noisy);
      const fixed = fixAll(noisy);
      assert.equal(fixed, pretty);
      expectNoFindings('json-strict', fixed);
    });
  });

  describe('a removal never joins what stands on either side of it (found by fuzzing)', () => {
    it('keeps a lone slash and the comment after a removed trailing comma apart', () => {
      // Removing the comma alone would make "//*…": a line comment swallowing the closing bracket.
      const marked = '[true /⟦,⟧⟦/* c */⟧\n]';
      const [finding] = expectFindings('json-strict', marked);
      assert.match(finding!.message, /Trailing comma/);
      const fixed = fixOne(unmark(marked).text, finding!);
      assert.equal(fixed, '[true / /* c */\n]');
      assert.deepEqual(
        findingsOf('json-strict', fixed).map((f) => f.message),
        ['Comments are not JSON: the Identity Cloud API accepts strict JSON only. Remove it before deploying.'],
        'the block comment is still a block comment',
      );
    });

    it('keeps two words apart when the comment between them goes', () => {
      const marked = '[true⟦/* c */⟧false]';
      const [finding] = expectFindings('json-strict', marked);
      assert.equal(fixOne(unmark(marked).text, finding!), '[true false]');
    });
  });

  describe('a comment left open at the end of the text (found by fuzzing)', () => {
    it('marks the comment up to the end of the text, not past it, and removes exactly it', () => {
      // jsonc-parser's scanner counts one character past the end of `{"a":1}/*`; an editor clamps such a range
      // and a program applying the fix would corrupt the file.
      const marked = '{"a":1}⟦/*⟧';
      const [finding] = expectFindings('json-strict', marked);
      assert.equal(fixOne(unmark(marked).text, finding!), '{"a":1}');
    });

    it('stays inside the text when the open comment ends in a line break, CRLF or not', () => {
      for (const marked of ['[⟦/*\r\n⟧', '{⟦/* x\n⟧', '⟦/*⟧']) {
        const [finding] = expectFindings('json-strict', marked);
        assert.equal(fixOne(unmark(marked).text, finding!), unmark(marked).text.replace(/\/\*[^]*$/, ''));
      }
    });
  });

  describe('severity', () => {
    it('is a warning by default and follows overrides', () => {
      const text = '[1,]';
      assert.equal(findingsOf('json-strict', text)[0]!.severity, 'warning');
      assert.equal(findingsOf('json-strict', text, { severities: { 'json-strict': 'error' } })[0]!.severity, 'error');
      assert.equal(findingsOf('json-strict', text, { severities: { 'json-strict': 'off' } }).length, 0);
    });
  });
});
