// Fix builders that work on the parse tree already built, so a fix costs nothing to compute during analysis.
// (jsonc-parser's modify() re-parses the whole text per call; it is used where a fix is built on demand.)
import type { FormattingOptions, Node } from 'jsonc-parser';
import type { TextEdit } from './finding';

/** How a document is laid out: a tab or its first indent's spaces (2 when it has none), and its line ends. */
export function documentFormatting(text: string): FormattingOptions & { eol: string } {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent?.length ?? 2, eol };
}

/** Replaces a node's text (a key or a value) with a JSON value. */
export function replaceNode(node: Node, value: unknown): TextEdit {
  return { offset: node.offset, length: node.length, content: JSON.stringify(value) };
}

/** Removes a property with its separating comma and the whitespace that belonged to it; `index` spares a search. */
export function removeProperty(text: string, property: Node, index?: number): TextEdit {
  const siblings = property.parent!.children!;
  index ??= siblings.indexOf(property);
  const end = property.offset + property.length;
  if (index < siblings.length - 1) {
    // Not the last: remove up to the next property, taking the comma between them.
    const next = siblings[index + 1]!;
    return {
      offset: lineStartIfBlank(text, property.offset),
      length: lineStartIfBlank(text, next.offset) - lineStartIfBlank(text, property.offset),
      content: '',
    };
  }
  if (index > 0) {
    // The last: remove from the end of the previous property, taking the comma before it.
    const previous = siblings[index - 1]!;
    const start = previous.offset + previous.length;
    return { offset: start, length: end - start, content: '' };
  }
  // The only one: empty the object, keeping its braces.
  const object = property.parent!;
  return { offset: object.offset + 1, length: object.length - 2, content: '' };
}

/** Start of the line when only blanks precede `offset` on it, so a removal takes the indentation too. */
function lineStartIfBlank(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i === 0 || text[i - 1] === '\n' ? i : offset;
}
