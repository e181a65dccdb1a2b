// The documents the server analyses: the ones open in the editor (the editor is authoritative: text and version),
// and the policy files found on disk by the workspace scan or the watcher (their text as read, no version the editor
// knows). `documentOf` prefers the open one; whether a document has an editor version is decided here only.
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { POLICY_LANGUAGE_ID } from '../documents';

export class DocumentStore {
  /** What the editor has open. */
  readonly open = new TextDocuments(TextDocument);
  /** Policy files read from disk, by uri. */
  private readonly disk = new Map<string, TextDocument>();
  /** Policy files the scan or the watcher found on disk (paths). */
  readonly onDisk = new Set<string>();
  /** Policies in the index only because they are open (a policy by its content, outside the scanned patterns). */
  readonly openOnly = new Set<string>();
  /** Disk copies get increasing versions, so a cached analysis of an older read is never taken for a newer one. */
  private diskVersion = 0;

  /** The open document, else the copy read from disk. */
  documentOf(uri: string): TextDocument | undefined {
    return this.open.get(uri) ?? this.disk.get(uri);
  }

  isOpen(uri: string): boolean {
    return this.open.get(uri) !== undefined;
  }

  /** The version to publish diagnostics with: the editor's for an open document, none for a disk copy. */
  versionFor(uri: string): number | undefined {
    return this.open.get(uri)?.version;
  }

  /** Records a policy file's text as read from disk. */
  setDisk(file: string, text: string): string {
    const uri = URI.file(file).toString();
    this.onDisk.add(file);
    this.openOnly.delete(file);
    this.disk.set(uri, TextDocument.create(uri, POLICY_LANGUAGE_ID, ++this.diskVersion, text));
    return uri;
  }

  /** Forgets a disk copy; true when there was one. */
  dropDisk(file: string): boolean {
    this.onDisk.delete(file);
    return this.disk.delete(URI.file(file).toString());
  }

  /** Uris of disk copies that are not open (their findings are shown as the scan read them). */
  *unopenedDiskUris(): Generator<string> {
    for (const uri of this.disk.keys()) if (!this.open.get(uri)) yield uri;
  }
}
