// json-strict: comments and trailing commas. Editors accept them; the Identity Cloud API accepts strict JSON only.
import type { OffsetRange, TextEdit } from '../finding';
import { defineRule } from '../rule';

export default defineRule({
  id: 'json-strict',
  defaultSeverity: 'warning',
  docs: { summary: 'Comments or trailing commas: the API accepts strict JSON only.' },
  runsOn: 'parsed',
  check({ text, parsed, report }) {
    for (const comment of parsed.comments) {
      report({
        range: comment,
        message: 'Comments are not JSON: the Identity Cloud API accepts strict JSON only. Remove it before deploying.',
        fixes: [{ title: 'Remove the comment', edits: [apart(text, removalOf(text, comment))], isPreferred: true }],
      });
    }
    for (const comma of parsed.trailingCommas) {
      report({
        range: comma,
        message: 'Trailing comma: the Identity Cloud API accepts strict JSON only.',
        fixes: [
          { title: 'Remove the trailing comma', edits: [apart(text, { ...comma, content: '' })], isPreferred: true },
        ],
      });
    }
  },
});

/**
 * Removes a comment and the blanks that belonged to it: alone on its line, the whole line; at the end of a line,
 * the blanks before it; followed by more text, the blanks after it.
 */
function removalOf(text: string, comment: OffsetRange): TextEdit {
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
  const end = comment.offset + comment.length;
  let before = comment.offset;
  while (before > 0 && isBlank(text[before - 1])) before--;
  let after = end;
  while (after < text.length && isBlank(text[after])) after++;
  const startsLine = before === 0 || text[before - 1] === '\n';
  const endsLine = after === text.length || text[after] === '\n' || text[after] === '\r';
  if (startsLine && endsLine) {
    let next = after;
    if (text[next] === '\r') next++;
    if (text[next] === '\n') next++;
    return { offset: before, length: next - before, content: '' };
  }
  if (endsLine) return { offset: before, length: end - before, content: '' };
  return { offset: comment.offset, length: after - comment.offset, content: '' };
}

// A removal that would join what stands on either side of it into one token leaves a space instead: two words (`true`
// and `false` on either side of a comment), or a lone slash and the comment after a comma (`/` and `/*` would make a
// line comment that swallows the rest of the line). Removing a comma or a comment must not change how the rest of the
// text reads.
function apart(text: string, removal: TextEdit): TextEdit {
  const before = text.charAt(removal.offset - 1);
  const after = text.charAt(removal.offset + removal.length);
  const joins =
    (isWordCharacter(before) && isWordCharacter(after)) || (before === '/' && (after === '/' || after === '*'));
  return joins ? { ...removal, content: ' ' } : removal;
}

/** A character jsonc-parser reads as part of a word (a keyword, a number, an unknown symbol). */
function isWordCharacter(c: string): boolean {
  return c !== '' && !' \t\n\r{}[]":,/'.includes(c);
}
