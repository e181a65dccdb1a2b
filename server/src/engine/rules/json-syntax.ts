// json-syntax: the text is not JSON. One finding per parse error, on the offending token, in words.
import { printParseErrorCode } from 'jsonc-parser';
import type { OffsetRange } from '../finding';
import type { ParsedDocument, SyntaxError } from '../parse';
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
    const root = parsed.root;
    const errors = withoutFollowUps(
      text,
      parsed.syntaxErrors.filter((e) => !(bom && e.offset === 0)),
      root && root.offset + root.length,
    );
    // The byte order mark counts against the cap: at most MAX_SYNTAX_ERRORS findings in all.
    const shown = Math.min(errors.length, MAX_SYNTAX_ERRORS - (bom ? 1 : 0));
    for (let i = 0; i < shown; i++) {
      const error = errors[i]!;
      const hidden = errors.length - shown;
      const more =
        i === shown - 1 && hidden > 0 ? ` (${hidden} more syntax error${hidden === 1 ? '' : 's'} not shown)` : '';
      const key = unquotedKey(text, error, parsed);
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

/** What the parser reports when it trips over the token after a mistake: never the mistake itself, once one came. */
const FOLLOW_UP_CODES = new Set([
  'ValueExpected',
  'PropertyNameExpected',
  'CloseBraceExpected',
  'CloseBracketExpected',
]);

/**
 * Drops the errors that the parser's recovery reports after a real one, and keeps every other: `{a: 1}` gives three
 * errors of which only the first is the mistake, while a minified file with three missing commas has three mistakes.
 * Dropped: an "expected a value / property name / closing bracket" at most one token after the previous error on
 * its line; the rest of a line after a bracket of the wrong kind (the structure is lost until then); and more junk
 * after the end of the policy on the same line.
 */
function withoutFollowUps(text: string, errors: readonly SyntaxError[], rootEnd: number | undefined): SyntaxError[] {
  const kept: SyntaxError[] = [];
  let previous: SyntaxError | undefined;
  let lostUntil = -1;
  for (const error of errors) {
    const sameLine = previous !== undefined && !text.slice(previous.offset, error.offset).includes('\n');
    const afterEnd = rootEnd !== undefined && error.offset >= rootEnd;
    const dropped =
      error.offset <= lostUntil ||
      (sameLine && afterEnd && previous!.offset >= rootEnd) ||
      (sameLine && FOLLOW_UP_CODES.has(printParseErrorCode(error.code)) && nextToken(text, previous!, error));
    if (!dropped) kept.push(error);
    if (wrongBracket(text, error)) lostUntil = lineEnd(text, error.offset);
    previous = error;
  }
  return kept;
}

/** True when at most one token separates the two errors. */
function nextToken(text: string, previous: SyntaxError, error: SyntaxError): boolean {
  const end = previous.offset + previous.length;
  if (error.offset <= end) return true;
  return (text.slice(end, error.offset).match(/[:,{}[\]]|[^\s:,{}[\]]+/g) ?? []).length <= 1;
}

/** A `}` where an array needed `,` or `]`, or the reverse. */
function wrongBracket(text: string, error: SyntaxError): boolean {
  return (
    printParseErrorCode(error.code) === 'CommaExpected' && (text[error.offset] === '}' || text[error.offset] === ']')
  );
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline;
}

function messageOf(text: string, error: SyntaxError): string {
  const name = printParseErrorCode(error.code);
  // A bracket of the other kind where a comma was expected means the inner value was never closed.
  if (name === 'CommaExpected' && text[error.offset] === '}') return "Expected ']' to close the array before '}'";
  if (name === 'CommaExpected' && text[error.offset] === ']') return "Expected '}' to close the object before ']'";
  return MESSAGES[name] ?? 'Syntax error';
}

/**
 * The name, when the error is a property name written without double quotes (`a:` or `'a':`) where a property
 * name belongs: after `{` or `,`. Elsewhere (`"a"b: 1`, a colon missing after a key) quoting it fixes nothing.
 */
function unquotedKey(text: string, error: SyntaxError, parsed: ParsedDocument): string | undefined {
  if (printParseErrorCode(error.code) !== 'InvalidSymbol') return undefined;
  const token = text.slice(error.offset, error.offset + error.length);
  if (!/^\s*:/.test(text.slice(error.offset + error.length))) return undefined;
  // The `{` or `,` must be one the parser read as such, not the end of an unterminated string or of a comment.
  const before = previousNonBlank(text, error.offset);
  if (before < 0 || (text[before] !== '{' && text[before] !== ',')) return undefined;
  const covers = (range: OffsetRange) => range.offset <= before && before < range.offset + range.length;
  if (parsed.syntaxErrors.some(covers) || parsed.comments.some(covers)) return undefined;
  if (/^'[^'\n]*'$/.test(token)) return token.slice(1, -1);
  if (/^[A-Za-z_$][\w$-]*$/.test(token)) return token;
  return undefined;
}

/** Where the last character before `offset` that is not a blank or a line break is (-1: none). */
function previousNonBlank(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i;
}
