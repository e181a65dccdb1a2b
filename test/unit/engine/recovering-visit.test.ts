// The recovering visit against jsonc-parser's own: for any text, broken or not, the same callbacks in the same order
// with the same arguments (offsets, lengths, values, error codes), so the syntax rules see the same recovery.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { visit, type JSONVisitor } from 'jsonc-parser';
import { visitRecovering } from '../../../server/src/engine/recovering-visit';
import { policy } from '../harness';
import { SYNTAX_ERRORS } from './syntax-errors';

/** Every callback parse.ts uses, as a list of calls. */
function calls(run: (visitor: Required<JSONVisitor>) => void): unknown[] {
  const out: unknown[] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) => {
      // Lines and characters are not used (and not computed by the recovering visit); paths neither.
      const [first, second, third] = args;
      out.push(
        typeof first === 'number' ? [name, first, second] : [name, Object.is(first, -0) ? '-0' : first, second, third],
      );
    };
  const visitor = {
    onObjectBegin: record('objectBegin'),
    onObjectEnd: record('objectEnd'),
    onArrayBegin: record('arrayBegin'),
    onArrayEnd: record('arrayEnd'),
    onObjectProperty: record('property'),
    onLiteralValue: record('literal'),
    onSeparator: record('separator'),
    onComment: record('comment'),
    onError: record('error'),
  } as unknown as Required<JSONVisitor>;
  run(visitor);
  return out;
}

function assertSameVisit(text: string): void {
  const reference = calls((v) => {
    visit(text, v, { disallowComments: false, allowTrailingComma: true, allowEmptyContent: false });
  });
  assert.deepEqual(
    calls((v) => visitRecovering(text, v)),
    reference,
    JSON.stringify(text.slice(0, 200)),
  );
}

/** Texts made of the pieces JSON and its errors are made of, so recovery paths are common. */
const brokenJson = fc
  .array(
    fc.oneof(
      fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', '//x', '/*y*/', '/*', ' ', '\t', '\n', '\r'),
      fc.constantFrom('true', 'false', 'null', 'tru', 'nulls', '0', '-', '-1', '1.', '1.5', '1e', '1e+', '2E-3', '.5'),
      fc.constantFrom(
        '"a"',
        '"k":',
        '"\\u12"',
        '"\\u123"',
        '"\\u00e9"',
        '"\\x"',
        '"\\n"',
        '"\u0001"',
        'x',
        '\u00a0',
        '\u000b',
      ),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 30 },
  )
  .map((pieces) => pieces.join(''));

describe('the recovering visit', () => {
  it('calls back exactly as jsonc-parser does on every kind of broken text', () => {
    for (const text of [
      ...SYNTAX_ERRORS,
      '\n\r\n\r',
      '}',
      '[',
      '{"a":1 "b":2}',
      '[1,,2]',
      '"cr\rbreak"',
      '"short \\u12 unicode"',
      '"three digits \\u123"',
      '"\\uD83D\\uDE00 and \\uabcdef"',
      '"ends in a backslash\\',
      '1.x',
      '-x',
      '--1',
      '1e+',
      '1E5',
      '/*',
      '/*/',
      '{}/*',
      '// only a comment',
      '{"a": [1, {"b": }, 3], "c": tru, "d": "x" "e": 5,}',
      '{"a":{"b":{"c":',
      policy().slice(0, 300),
      policy().replace(/"/, ''),
      policy().replace(/,/g, ''),
      policy().replace(/:/, ''),
    ]) {
      assertSameVisit(text);
    }
  });

  it('calls back exactly as jsonc-parser does on any text of JSON pieces and stray characters', () => {
    fc.assert(
      fc.property(brokenJson, (text) => {
        assertSameVisit(text);
      }),
      { seed: 20261206, numRuns: 20_000 },
    );
  });

  it('calls back exactly as jsonc-parser does on policies with a character deleted or inserted anywhere', () => {
    const base = policy();
    for (let at = 0; at < base.length; at++) {
      assertSameVisit(base.slice(0, at) + base.slice(at + 1));
      assertSameVisit(`${base.slice(0, at)}"${base.slice(at)}`);
    }
  });
});
