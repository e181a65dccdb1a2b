// The read-only documents of "Show Deployment Status": one Markdown text per workspace folder, served under the
// scheme login-policy-status so that nothing is written to disk, and refreshed in place when shown again.
import * as vscode from 'vscode';

export const STATUS_SCHEME = 'login-policy-status';

export class StatusDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(STATUS_SCHEME, this);

  /** Keeps `markdown` as the status document of `folder` and returns its URI. */
  set(folder: vscode.WorkspaceFolder, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: STATUS_SCHEME,
      path: `/${folder.name}/Deployment status.md`,
      query: folder.uri.toString(),
    });
    this.texts.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'Run "Login Policy: Show Deployment Status" again.\n';
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
