// json-strict: comments and trailing commas. Editors accept them; the Identity Cloud API accepts strict JSON only.
import type { OffsetRange, TextEdit } from '../finding';
import { defineRule } from '../rule';

export default defineRule({
  id: 'json-strict',
  defaultSeverity: 'warning',
  docs: { summary: 'Comments or trailing commas: the API accepts strict JSON only.' },
  check({ text, parsed, report }) {
    for (const comment of parsed.comments) {
      report({
        range: comment,
        message: 'Comments are not JSON: the Identity Cloud API accepts strict JSON only. Remove it before deploying.',
        fixes: [{ title: 'Remove the comment', edits: [removalOf(text, comment)] }],
      });
    }
    for (const comma of parsed.trailingCommas) {
      report({
        range: comma,
        message: 'Trailing comma: the Identity Cloud API accepts strict JSON only.',
        fixes: [{ title: 'Remove the trailing comma', edits: [{ ...comma, content: '' }] }],
      });
    }
  },
});

/** Removes a comment; when it is alone on its line, removes the whole line. */
function removalOf(text: string, comment: OffsetRange): TextEdit {
  const end = comment.offset + comment.length;
  let lineStart = comment.offset;
  while (lineStart > 0 && (text[lineStart - 1] === ' ' || text[lineStart - 1] === '\t')) lineStart--;
  let lineEnd = end;
  while (lineEnd < text.length && (text[lineEnd] === ' ' || text[lineEnd] === '\t')) lineEnd++;
  const aloneOnLine =
    (lineStart === 0 || text[lineStart - 1] === '\n') &&
    (lineEnd === text.length || text[lineEnd] === '\n' || text[lineEnd] === '\r');
  if (!aloneOnLine) return { offset: comment.offset, length: comment.length, content: '' };
  let next = lineEnd;
  if (text[next] === '\r') next++;
  if (text[next] === '\n') next++;
  return { offset: lineStart, length: next - lineStart, content: '' };
}
