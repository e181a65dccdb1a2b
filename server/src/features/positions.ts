// Offsets ↔ LSP positions: the only place in the server that converts.
import type { Range, TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { OffsetRange, TextEdit } from '../engine/finding';

export function toRange(doc: TextDocument, range: OffsetRange): Range {
  return { start: doc.positionAt(range.offset), end: doc.positionAt(range.offset + range.length) };
}

export function toTextEdit(doc: TextDocument, edit: TextEdit): LspTextEdit {
  return { range: toRange(doc, edit), newText: edit.content };
}

export function toOffsetRange(doc: TextDocument, range: Range): OffsetRange {
  const offset = doc.offsetAt(range.start);
  return { offset, length: doc.offsetAt(range.end) - offset };
}
