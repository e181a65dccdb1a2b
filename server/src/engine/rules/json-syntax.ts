// json-syntax: the text is not JSON. One finding per parse error, on the offending token, in words.
import { printParseErrorCode } from 'jsonc-parser';
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
  check({ text, parsed, report }) {
    if (text.trim() === '') {
      report({
        range: { offset: 0, length: text.length },
        message: 'The file is empty: a login policy is a JSON object.',
      });
      return;
    }
    const errors = parsed.syntaxErrors;
    const shown = Math.min(errors.length, MAX_SYNTAX_ERRORS);
    for (let i = 0; i < shown; i++) {
      const error = errors[i]!;
      const more =
        i === shown - 1 && errors.length > shown ? ` (${errors.length - shown} more syntax errors not shown)` : '';
      report({
        range: { offset: error.offset, length: error.length },
        message: `${MESSAGES[printParseErrorCode(error.code)] ?? 'Syntax error'}.${more}`,
      });
    }
  },
});
