// Applies an LSP WorkspaceEdit the way an editor would: file creations (never over an existing file unless asked),
// then text edits, on open documents' texts or on the files on disk.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** Texts of documents open in the "editor", by uri: edits to them change these, not the files. */
export type OpenTexts = Map<string, string>;

/** Applies the edit; returns the uris it changed or created. Throws where an editor would refuse the edit. */
export function applyWorkspaceEdit(edit: WorkspaceEdit, open: OpenTexts = new Map()): string[] {
  const touched: string[] = [];
  const textOf = (uri: string) => open.get(uri) ?? readFileSync(fileURLToPath(uri), 'utf8');
  const write = (uri: string, text: string) => {
    if (open.has(uri)) open.set(uri, text);
    else writeFileSync(fileURLToPath(uri), text);
    if (!touched.includes(uri)) touched.push(uri);
  };
  const applyText = (uri: string, edits: readonly TextEdit[]) => {
    const doc = TextDocument.create(uri, 'json', 0, textOf(uri));
    write(uri, TextDocument.applyEdits(doc, [...edits]));
  };
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind !== 'create') throw new Error(`unexpected resource operation ${change.kind}`);
      const file = fileURLToPath(change.uri);
      if (existsSync(file) && !change.options?.overwrite) {
        if (change.options?.ignoreIfExists) continue;
        throw new Error(`${file} exists: the edit would overwrite it`);
      }
      write(change.uri, '');
    } else {
      applyText(
        change.textDocument.uri,
        change.edits.map((e) => {
          if (!('newText' in e)) throw new Error('unexpected snippet edit');
          return e;
        }),
      );
    }
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) applyText(uri, edits);
  return touched;
}
