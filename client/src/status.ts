// The language status item: which config applies to the active policy, its problems, and the server's state.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DocumentStatusRequest } from '../../server/src/protocol';
import { COMMANDS, POLICY_LANGUAGE_ID } from './constants';

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('loginPolicy.status', [
    { language: POLICY_LANGUAGE_ID },
    { pattern: '**/.loginpolicyrc.json' },
  ]);

  constructor() {
    this.item.name = 'Login Policy';
    this.item.text = 'Login Policy';
    this.item.command = { title: 'Show output', command: COMMANDS.showOutput };
  }

  starting(): void {
    this.item.busy = true;
    this.item.detail = 'starting…';
    this.item.severity = vscode.LanguageStatusSeverity.Information;
  }

  failed(message: string): void {
    this.item.busy = false;
    this.item.text = 'Login Policy: server stopped';
    this.item.detail = message;
    this.item.severity = vscode.LanguageStatusSeverity.Error;
  }

  async update(client: LanguageClient | undefined, editor: vscode.TextEditor | undefined): Promise<void> {
    this.item.busy = false;
    if (!client?.isRunning() || !editor) return;
    const status = await client.sendRequest(DocumentStatusRequest.type, { uri: editor.document.uri.toString() });
    this.item.text = 'Login Policy';
    this.item.severity = status.configBroken
      ? vscode.LanguageStatusSeverity.Warning
      : vscode.LanguageStatusSeverity.Information;
    const config = status.configPath
      ? `${vscode.workspace.asRelativePath(status.configPath)}${status.configBroken ? ' (has errors: ignored)' : ''}`
      : 'no .loginpolicyrc.json';
    this.item.detail =
      status.kind === 'policy' ? `config: ${config}` : status.kind === 'config' ? 'configuration file' : '';
  }

  dispose(): void {
    this.item.dispose();
  }
}
