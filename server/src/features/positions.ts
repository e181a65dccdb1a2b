// Offsets ↔ LSP positions: the only place in the server that converts.
import type { Range, TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OffsetRange, TextEdit } from '../engine/finding';
import { LineIndex } from '../shared/line-index';

/**
 * The line index of a document version, built once with native searches (the document's own index walks every
 * character, and every diagnostic of a version needs it). It counts positions exactly as the document does.
 */
const indexes = new WeakMap<TextDocument, { readonly version: number; readonly index: LineIndex }>();

function lineIndexOf(doc: TextDocument): LineIndex {
  const cached = indexes.get(doc);
  if (cached?.version === doc.version) return cached.index;
  const index = new LineIndex(doc.getText());
  indexes.set(doc, { version: doc.version, index });
  return index;
}

export function toRange(doc: TextDocument, range: OffsetRange): Range {
  return rangeIn(lineIndexOf(doc), range);
}

/**
 * A converter for many ranges of one document version at once (its diagnostics): the index is its own, built on the
 * first range, with no per-document cache to fill (a version's diagnostics are made once).
 */
export function rangesOf(doc: TextDocument): (range: OffsetRange) => Range {
  let lines: LineIndex | undefined;
  return (range) => rangeIn((lines ??= new LineIndex(doc.getText())), range);
}

function rangeIn(lines: LineIndex, range: OffsetRange): Range {
  return { start: lines.positionAt(range.offset), end: lines.positionAt(range.offset + range.length) };
}

export function toTextEdit(doc: TextDocument, edit: TextEdit): LspTextEdit {
  return { range: toRange(doc, edit), newText: edit.content };
}

export function toOffsetRange(doc: TextDocument, range: Range): OffsetRange {
  const offset = doc.offsetAt(range.start);
  return { offset, length: doc.offsetAt(range.end) - offset };
}
