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
    const errors = firstPerLine(text, parsed.syntaxErrors);
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
 * One error per line: after the first, the parser's recovery usually trips over the rest of the same line
 * (`{a: 1}` gives three errors), and those only distract from the real one.
 */
function firstPerLine(text: string, errors: readonly SyntaxError[]): SyntaxError[] {
  const kept: SyntaxError[] = [];
  let previous = -1;
  for (const error of errors) {
    if (previous >= 0 && error.offset >= previous && !text.slice(previous, error.offset).includes('\n')) continue;
    kept.push(error);
    previous = error.offset;
  }
  return kept;
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
