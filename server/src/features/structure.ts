// Document symbols (the outline), folding ranges and formatting, from the parse tree and jsonc-parser's formatter.
import { createScanner, format, type Node, type ScanError, type SyntaxKind } from 'jsonc-parser';
import {
  FoldingRangeKind,
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type FormattingOptions,
  type Range,
  type TextEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { keyOf, valueOf } from '../engine/ast';
import type { OffsetRange } from '../engine/finding';
import { maskSecret } from '../shared/redact';
import { toOffsetRange, toRange } from './positions';

/** Keys whose values are never shown, whatever file they are in (misspelled ones included). */
const SECRET_KEY = /secr|passw|token|credential/i;

/** `redact` masks the secrets known to the server wherever a value shows one (moved or pasted under another key). */
export function getDocumentSymbols(
  doc: TextDocument,
  root: Node | undefined,
  redact: (text: string) => string = (text) => text,
): DocumentSymbol[] {
  if (root?.type !== 'object') return [];
  return root.children!.map((property) => symbolOf(doc, property, redact));
}

function symbolOf(doc: TextDocument, property: Node, redact: (text: string) => string): DocumentSymbol {
  const key = keyOf(property);
  const value = valueOf(property);
  const name = (key.value as string) || '""';
  const symbol: DocumentSymbol = {
    name,
    kind: kindOf(value),
    range: toRange(doc, property),
    selectionRange: toRange(doc, key),
  };
  if (value?.type === 'object') symbol.children = value.children!.map((child) => symbolOf(doc, child, redact));
  else if (value?.type === 'array') symbol.detail = `${value.children!.length} items`;
  else if (value)
    symbol.detail =
      SECRET_KEY.test(name) && typeof value.value === 'string'
        ? maskSecret(value.value)
        : redact(JSON.stringify(value.value));
  return symbol;
}

function kindOf(value: Node | undefined): SymbolKind {
  switch (value?.type) {
    case 'object':
      return SymbolKind.Module;
    case 'array':
      return SymbolKind.Array;
    case 'string':
      return SymbolKind.String;
    case 'number':
      return SymbolKind.Number;
    case 'boolean':
      return SymbolKind.Boolean;
    default:
      return SymbolKind.Null;
  }
}

export function getFoldingRanges(
  doc: TextDocument,
  root: Node | undefined,
  comments: readonly OffsetRange[],
): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'object' || node.type === 'array') {
      const start = doc.positionAt(node.offset).line;
      const end = doc.positionAt(node.offset + node.length).line;
      // Fold up to the line before the closing bracket, so it stays visible.
      if (end - 1 > start) ranges.push({ startLine: start, endLine: end - 1 });
    }
    for (const child of node.children ?? []) visit(child);
  };
  if (root) visit(root);
  for (const comment of comments) {
    const start = doc.positionAt(comment.offset).line;
    const end = doc.positionAt(comment.offset + comment.length).line;
    if (end > start) ranges.push({ startLine: start, endLine: end, kind: FoldingRangeKind.Comment });
  }
  return ranges;
}

export function getFormattingEdits(doc: TextDocument, options: FormattingOptions, range?: Range): TextEdit[] {
  const text = doc.getText();
  const edits = format(text, range ? toOffsetRange(doc, range) : undefined, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    // LSP's insertFinalNewline only ever adds one: a final newline the file has stays (editors that leave the option
    // out, VS Code and Neovim among them, would otherwise see it deleted).
    insertFinalNewline: options.insertFinalNewline === true || endsWithLineBreak(text),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    keepLines: false,
  });
  const unfinished = unfinishedTokenEnds(text);
  return edits
    .filter((edit) => !unfinished.has(edit.offset))
    .map((edit) => ({ range: toRange(doc, edit), newText: edit.content }));
}

/** Whether the blanks after the last token hold a line break. */
function endsWithLineBreak(text: string): boolean {
  return /[\r\n]/.test(text.slice(text.trimEnd().length));
}

/**
 * Where the tokens the scanner could not finish end (a string still being typed ends at its line break). The
 * formatter would join the next line to such a string, pulling the following properties into it; the blanks after
 * it are left as they are.
 */
function unfinishedTokenEnds(text: string): Set<number> {
  const ends = new Set<number>();
  const scanner = createScanner(text, false);
  while (scanner.scan() !== EOF) {
    if (scanner.getTokenError() !== NO_ERROR) ends.add(scanner.getTokenOffset() + scanner.getTokenLength());
  }
  return ends;
}

/** jsonc-parser's SyntaxKind.EOF and ScanError.None (const enums, which isolated modules cannot read). */
const EOF = 17 as SyntaxKind;
const NO_ERROR = 0 as ScanError;
