// json-syntax: the text is not JSON. One finding per parse error, on the offending token, in words.
import { printParseErrorCode } from 'jsonc-parser';
import type { SyntaxError } from '../parse';
import { defineRule } from '../rule';

/** Binary junk can produce an error per byte; past this many the rest are summarised. */
export const MAX_SYNTAX_ERRORS = 100;

export const MESSAGES: Partial<Record<ReturnType<typeof printParseErrorCode>, string>> = {
  InvalidSymbol: 'Unexpected character: expected a JSON value',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name in double quotes',
  ValueExpected: 'Expected a value',
  ColonExpected: "Expected ':' after the property name",
  CommaExpected: "Expected ',' between values",
  CloseBraceExpected: "Expected '}' to close the object",
  CloseBracketExpected: "Expected ']' to close the array",
  EndOfFileExpected: 'Unexpected text after the end of the JSON value',
  InvalidCommentToken: 'Invalid comment',
  UnexpectedEndOfComment: "Unterminated comment: expected '*/'",
  UnexpectedEndOfString: 'Unterminated string: expected a closing double quote',
  UnexpectedEndOfNumber: 'Incomplete number',
  InvalidUnicode: 'Invalid unicode escape: expected \\u and 4 hex digits',
  InvalidEscapeCharacter: 'Invalid escape sequence in a string',
  InvalidCharacter: 'Invalid character in a string: control characters must be escaped',
};

export default defineRule({
  id: 'json-syntax',
  defaultSeverity: 'error',
  docs: { summary: 'The text is not JSON: each parse error, on the offending token.' },
  runsOn: 'parsed',
  check({ text, parsed, report }) {
    if (text.trim() === '') {
      report({
        range: { offset: 0, length: text.length },
        message: 'The file is empty: a login policy is a JSON object.',
      });
      return;
    }
    // A byte order mark is invisible, so "unexpected character" would puzzle; JSON.parse refuses it too.
    const bom = text.startsWith('\uFEFF');
    if (bom) {
      const range = { offset: 0, length: 1 };
      report({
        range,
        message:
          'The file starts with a byte order mark (U+FEFF), which JSON for the API must not have: save it as UTF-8 without BOM.',
        fixes: [{ title: 'Remove the byte order mark', edits: [{ ...range, content: '' }], isPreferred: true }],
      });
    }
    const errors = withoutFollowUps(
      text,
      parsed.syntaxErrors.filter((e) => !(bom && e.offset === 0)),
    );
    const shown = Math.min(errors.length, MAX_SYNTAX_ERRORS);
    for (let i = 0; i < shown; i++) {
      const error = errors[i]!;
      const hidden = errors.length - shown;
      const more =
        i === shown - 1 && hidden > 0 ? ` (${hidden} more syntax error${hidden === 1 ? '' : 's'} not shown)` : '';
      const key = unquotedKey(text, error);
      const range = { offset: error.offset, length: error.length };
      if (key !== undefined) {
        report({
          range,
          message: `Expected a property name in double quotes, found ${text.slice(error.offset, error.offset + error.length)}.${more}`,
          fixes: [
            {
              title: `Quote the property name: "${key}"`,
              edits: [{ ...range, content: JSON.stringify(key) }],
              isPreferred: true,
            },
          ],
        });
      } else {
        report({ range, message: `${messageOf(text, error)}.${more}` });
      }
    }
  },
});

/**
 * Drops the errors that the parser's recovery trips over right after a real one: `{a: 1}` gives three, of which only
 * the first is the mistake. An error counts as a follow-up when at most one token, on the same line, separates it
 * from the previous error. Errors with more between them stay, so a minified file shows every missing comma.
 */
function withoutFollowUps(text: string, errors: readonly SyntaxError[]): SyntaxError[] {
  const kept: SyntaxError[] = [];
  let previous: SyntaxError | undefined;
  for (const error of errors) {
    if (!previous || !followsUp(text, previous, error)) kept.push(error);
    previous = error;
  }
  return kept;
}

function followsUp(text: string, previous: SyntaxError, error: SyntaxError): boolean {
  const end = previous.offset + previous.length;
  if (error.offset <= end) return true;
  const gap = text.slice(end, error.offset);
  return !gap.includes('\n') && (gap.match(/[:,{}[\]]|[^\s:,{}[\]]+/g) ?? []).length <= 1;
}

function messageOf(text: string, error: SyntaxError): string {
  const name = printParseErrorCode(error.code);
  // A bracket of the other kind where a comma was expected means the inner value was never closed.
  if (name === 'CommaExpected' && text[error.offset] === '}') return "Expected ']' to close the array before '}'";
  if (name === 'CommaExpected' && text[error.offset] === ']') return "Expected '}' to close the object before ']'";
  return MESSAGES[name] ?? 'Syntax error';
}

/** The name, when the error is a property name written without double quotes (`a:` or `'a':`). */
function unquotedKey(text: string, error: SyntaxError): string | undefined {
  if (printParseErrorCode(error.code) !== 'InvalidSymbol') return undefined;
  const token = text.slice(error.offset, error.offset + error.length);
  if (!/^\s*:/.test(text.slice(error.offset + error.length))) return undefined;
  if (/^'[^'\n]*'$/.test(token)) return token.slice(1, -1);
  if (/^[A-Za-z_$][\w$-]*$/.test(token)) return token;
  return undefined;
}
