// json-syntax: each parse error on its exact token, in words; empty files; the cap on how many errors are shown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import { applyFix, expectFindings, expectNoFindings, findingsOf, policy } from '../harness';

describe('json-syntax', () => {
  describe('valid JSON', () => {
    it('is silent on a valid policy, pretty or minified', () => {
      expectNoFindings('json-syntax', policy());
      expectNoFindings('json-syntax', JSON.stringify(JSON.parse(policy())));
    });

    it('leaves comments and trailing commas to json-strict', () => {
      const text = '{\n  // note\n  "title": "t", /* inline */\n  "loginURL": "u",\n}';
      expectNoFindings('json-syntax', text);
      assert.equal(findingsOf('json-strict', text).length, 3);
    });

    it('is silent when the root is valid JSON but not an object (schema reports that)', () => {
      for (const text of ['[]', '[1, 2]', '"policy"', '42', 'null', 'true']) expectNoFindings('json-syntax', text);
    });
  });

  describe('empty files', () => {
    it('says an empty file is not a policy, at the start of the file', () => {
      const [finding] = expectFindings('json-syntax', '⟦⟧');
      assert.equal(finding!.severity, 'error');
      assert.match(finding!.message, /The file is empty/);
      assert.match(finding!.message, /JSON object/);
      assert.deepEqual(
        analyze('').findings.map((f) => f.ruleId),
        ['json-syntax'],
        'an empty file gets one finding, not a cascade of schema errors',
      );
    });

    it('treats a whitespace-only file as empty and marks the whole of it', () => {
      const [finding] = expectFindings('json-syntax', '⟦  \n\t\r\n  ⟧');
      assert.match(finding!.message, /The file is empty/);
      assert.deepEqual(
        analyze('  \n\t\r\n  ').findings.map((f) => f.ruleId),
        ['json-syntax'],
      );
    });

    it('treats a file holding only a byte order mark as empty', () => {
      const [finding] = expectFindings('json-syntax', '⟦\uFEFF⟧');
      assert.match(finding!.message, /The file is empty/);
    });

    it('names a byte order mark before the policy, with a fix that removes it', () => {
      const [finding] = expectFindings('json-syntax', `⟦\uFEFF⟧${policy()}`);
      assert.match(finding!.message, /^The file starts with a byte order mark \(U\+FEFF\)/);
      assert.deepEqual(finding!.fixes![0]!.edits, [{ offset: 0, length: 1, content: '' }]);
      assert.deepEqual(
        findingsOf('json-syntax', `\uFEFF{"a": 1 "b": 2}`).map((f) => f.range.offset),
        [0, 9],
        'other errors still show',
      );
    });

    it('says a file holding only a comment lacks a value', () => {
      const [finding] = expectFindings('json-syntax', '// nothing yet\n⟦⟧');
      assert.match(finding!.message, /Expected a value/);
    });
  });

  describe('a value still being typed', () => {
    it('marks the token where the value should start', () => {
      const [finding] = expectFindings('json-syntax', '{ "title": ⟦}⟧');
      assert.match(finding!.message, /^Expected a value\.$/);
    });

    it('marks the comma after a property with no value in a full policy', () => {
      const text = policy().replace('"title": "ACME EU Login Policy v2",', '"title": ⟦,⟧');
      const [finding] = expectFindings('json-syntax', text);
      assert.match(finding!.message, /Expected a value/);
    });

    it('reports the first problem at the end of an unfinished file, not the cascade after it', () => {
      const findings = expectFindings('json-syntax', '{\n  "title": ⟦⟧');
      assert.match(findings[0]!.message, /Expected a value/);
    });

    it('marks a key typed without its colon', () => {
      const text = policy().replace('"title": "ACME EU Login Policy v2",', '"title"⟦,⟧');
      const [finding] = expectFindings('json-syntax', text);
      assert.match(finding!.message, /Expected ':' after the property name/);
    });
  });

  describe('parse errors on their exact token', () => {
    it('marks the property that follows a missing comma', () => {
      const [finding] = expectFindings('json-syntax', '{ "title": "t" ⟦"loginURL"⟧: "u" }');
      assert.match(finding!.message, /Expected ',' between values/);
    });

    it('marks an unterminated string (and not the brace it swallowed on the same line)', () => {
      const findings = expectFindings('json-syntax', '{"title": ⟦"ACME}⟧');
      assert.match(findings[0]!.message, /Unterminated string: expected a closing double quote/);
    });

    it('reports errors on different lines separately', () => {
      expectFindings('json-syntax', '{\n  "a": ⟦tru⟧,\n  "b" ⟦1⟧,\n  "c": 2\n}');
    });

    it('reports every error of a one-line (minified) file, but not the follow-ups of one mistake', () => {
      const missingCommas = expectFindings('json-syntax', '{"a": 1 ⟦"b"⟧: 2 ⟦"c"⟧: 3 ⟦"d"⟧: 4}');
      assert.ok(missingCommas.every((f) => /Expected ',' between values/.test(f.message)));
      expectFindings('json-syntax', '{"a":1⟦"b"⟧:2⟦"c"⟧:3}');
      expectFindings('json-syntax', '{"a" ⟦1⟧, "b" ⟦2⟧}');
      expectFindings('json-syntax', '{"a": ⟦tru⟧, "b": ⟦@⟧}');
      expectFindings('json-syntax', '["a" ⟦"b"⟧ ⟦"c"⟧]');
      expectFindings('json-syntax', '[1 ⟦2⟧ ⟦3⟧ ⟦4⟧]');
      expectFindings('json-syntax', '{"a":⟦"x\ty"⟧ ⟦"b"⟧:1}');
      expectFindings('json-syntax', '{⟦a⟧:1, ⟦b⟧:2}');
      // One mistake each, whatever the parser trips over after it.
      expectFindings('json-syntax', '{"a": [1, 2⟦}⟧');
      expectFindings('json-syntax', '{"a": [1, 2⟦}⟧, "b": 3}');
      expectFindings('json-syntax', '{"a": {"b": 1⟦]⟧, "c": 2}');
      expectFindings('json-syntax', '{"a": 0⟦1⟧}');
      expectFindings('json-syntax', '{"a": 1,⟦,⟧ "b": 2}');
    });

    it('marks an invalid escape, an invalid unicode escape and a raw control character in a string', () => {
      assert.match(expectFindings('json-syntax', '{"a": ⟦"\\x"⟧}')[0]!.message, /Invalid escape sequence/);
      assert.match(expectFindings('json-syntax', '{"a": ⟦"\\u12"⟧}')[0]!.message, /Invalid unicode escape/);
      assert.match(
        expectFindings('json-syntax', '{"a": ⟦"tab\there"⟧}')[0]!.message,
        /control characters must be escaped/,
      );
    });

    it('marks an incomplete number', () => {
      const [finding] = expectFindings('json-syntax', '{"a": ⟦1.⟧}');
      assert.match(finding!.message, /Incomplete number/);
    });

    it('marks text after the end of the policy', () => {
      const [finding] = expectFindings('json-syntax', '{"a": 1}⟦}⟧');
      assert.match(finding!.message, /Unexpected text after the end of the JSON value/);
    });

    it('marks an unclosed array where the object closes, and says what is missing', () => {
      const text = '{"a": [1, 2}';
      const findings = findingsOf('json-syntax', text);
      assert.deepEqual(findings[0]!.range, { offset: text.indexOf('}'), length: 1 });
      assert.match(findings[0]!.message, /Expected ',' between values|Expected '\]' to close the array/);
      const multiline = '{\n  "a": [1, 2\n}';
      assert.ok(findingsOf('json-syntax', multiline).some((f) => /Expected '\]' to close the array/.test(f.message)));
    });

    it('reports an unquoted or single-quoted key once, on the key, asking for double quotes', () => {
      // A JavaScript object literal pasted as JSON is the most common mistake: one error on the key, as VS Code's
      // own JSON support gives ("Property keys must be doublequoted"), not a cascade on the colon and the brace.
      for (const marked of ['{⟦a⟧: 1}', `{⟦'title'⟧: "t"}`]) {
        const [finding] = expectFindings('json-syntax', marked);
        assert.match(finding!.message, /property name in double quotes/);
      }
    });
  });

  describe('found by fuzzing', () => {
    it('marks an unterminated comment at the end of the text up to the end, not past it', () => {
      const [finding] = expectFindings('json-syntax', '{"a":1}⟦/*⟧');
      assert.match(finding!.message, /Unterminated comment/);
      expectFindings('json-syntax', '{"a":1⟦/* x⟧');
    });

    it('offers to quote a name only where a property name belongs, so the fix removes the error', () => {
      // After a key (a colon missing), after a value, after a comma inside an unterminated string or a comment,
      // quoting the word leaves an error in the same place.
      for (const text of [
        '{"loginURL"nul: "u"}',
        `{"a": 1 'b': 2}`,
        '{"a": "x,\n b: 2}',
        '{"a": 1, // note,\n b: 2}',
        '{"a": 1 /* , */ b: 2}',
      ]) {
        for (const finding of findingsOf('json-syntax', text))
          assert.deepEqual(finding.fixes ?? [], [], `${JSON.stringify(text)}: ${finding.message}`);
      }
      const [finding] = expectFindings('json-syntax', '{"a": 1,\n ⟦b⟧: 2}');
      const fixed = applyFix('{"a": 1,\n b: 2}', finding!.fixes![0]!);
      assert.equal(fixed, '{"a": 1,\n "b": 2}');
      expectNoFindings('json-syntax', fixed);
    });
  });

  describe('many errors', () => {
    it('shows at most 100 errors and says how many more there are on the last one', () => {
      const text = '{}' + '\n@'.repeat(250);
      const findings = findingsOf('json-syntax', text);
      assert.equal(findings.length, 100);
      assert.match(findings[99]!.message, /\(150 more syntax errors not shown\)/);
      assert.ok(
        findings.slice(0, 99).every((f) => !/more syntax errors/.test(f.message)),
        'only the last finding carries the count',
      );
      assert.deepEqual(findings[0]!.range, { offset: 3, length: 1 });
      assert.deepEqual(findings[99]!.range, { offset: 201, length: 1 });
      assert.equal(findingsOf('json-syntax', '{}' + ' @'.repeat(250)).length, 1, 'junk after the end is one error');
    });

    it('shows exactly 100 errors without a summary when there are exactly 100', () => {
      const findings = findingsOf('json-syntax', '{}' + '\n@'.repeat(100));
      assert.equal(findings.length, 100);
      assert.ok(findings.every((f) => !/more syntax errors/.test(f.message)));
    });

    it('leaves binary junk to analysis-limit instead of reporting an error per byte', () => {
      const junk = '{"a": 1}\u0000' + '\u0001@#'.repeat(1000);
      expectNoFindings('json-syntax', junk);
      assert.deepEqual(
        analyze(junk).findings.map((f) => f.ruleId),
        ['analysis-limit'],
      );
    });
  });

  describe('severity', () => {
    it('is an error by default and follows overrides', () => {
      const text = '{ "title": }';
      assert.equal(findingsOf('json-syntax', text)[0]!.severity, 'error');
      assert.equal(
        findingsOf('json-syntax', text, { severities: { 'json-syntax': 'warning' } })[0]!.severity,
        'warning',
      );
      assert.equal(findingsOf('json-syntax', text, { severities: { 'json-syntax': 'off' } }).length, 0);
    });
  });
});
