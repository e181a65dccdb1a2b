// The read-only documents the extension shows and never writes to disk: the deployment status (Markdown, one per
// workspace folder) and a rotation's plan (plain text). Each kind has its own scheme; a document is refreshed in place
// when it is set again.
import * as vscode from 'vscode';

export const STATUS_SCHEME = 'login-policy-status';
export const ROTATION_PLAN_SCHEME = 'login-policy-rotation-plan';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  /** `missing`: what a document of this kind says once its text is gone (after a reload of the window). */
  constructor(
    private readonly scheme: string,
    private readonly missing: string,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(scheme, this);
  }

  /** Keeps `text` as the document `name` of `folder` and returns its URI. */
  set(folder: vscode.WorkspaceFolder, name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${folder.name}/${name}`, query: folder.uri.toString() });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? this.missing;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
