// What the "editor" of an LSP test has open: each document's text and version. `show` opens or edits a document
// and waits for the diagnostics of exactly that version; `closeAll` puts the editor back as a test found it.
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { LspTestClient } from './lsp-client';
import type { OpenTexts } from './workspace-edit';

export class OpenDocuments {
  /** Texts by uri; a WorkspaceEdit applied to this map changes the open documents, not their files. */
  readonly texts: OpenTexts = new Map();
  private readonly versions = new Map<string, number>();

  constructor(private readonly client: LspTestClient) {}

  isOpen(uri: string): boolean {
    return this.versions.has(uri);
  }

  /** Opens the document with `text`, or changes it to `text`; resolves with the diagnostics of that version. */
  async show(uri: string, text: string, languageId = 'login-policy'): Promise<PublishDiagnosticsParams> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    if (version === 1) await this.client.open(uri, text, languageId, version);
    else await this.client.change(uri, text, version);
    this.versions.set(uri, version);
    this.texts.set(uri, text);
    return this.client.diagnostics(uri, (p) => p.version === version);
  }

  /** Opens the document unless it is open already (for requests that need an open document). */
  async ensureOpen(uri: string, text: string, languageId = 'login-policy'): Promise<void> {
    if (this.isOpen(uri)) return;
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.client.open(uri, text, languageId, 1);
  }

  /** Sends the open document's text after a WorkspaceEdit changed it in `texts`. */
  sync(uri: string): Promise<PublishDiagnosticsParams> {
    return this.show(uri, this.texts.get(uri)!);
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  async closeAll(): Promise<void> {
    for (const uri of this.versions.keys()) await this.client.close(uri);
    this.versions.clear();
    this.texts.clear();
  }
}
