// Owns the language client, the log, the status item and every disposable: start, stop and restart live here.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './client';
import {
  FILL_SECRET_PLACEHOLDER_COMMAND,
  RECORD_OWNER_SECRET_COMMAND,
  RecordedFingerprintsNotification,
  SHOW_POLICY_CLIENTS_COMMAND,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  WorkspaceTrustNotification,
} from '../../server/src/protocol';
import { createLog, learnSecrets } from './log';
import { RecordedSecrets } from './recorded-secrets';
import { POLICY_LANGUAGE_ID } from './constants';
import { StatusItem } from './status';

export class Ctx implements vscode.Disposable {
  readonly log = createLog();
  readonly secrets: RecordedSecrets;
  private client: LanguageClient | undefined;
  private readonly status = new StatusItem();
  private readonly disposables: vscode.Disposable[] = [this.log, this.status];

  constructor(readonly context: vscode.ExtensionContext) {
    this.secrets = new RecordedSecrets(context);
    for (const doc of vscode.workspace.textDocuments) this.learn(doc);
    this.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.learn(doc)),
      vscode.workspace.onDidChangeTextDocument((event) => this.learn(event.document)),
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshStatus()),
      vscode.languages.onDidChangeDiagnostics(() => this.refreshStatus()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        void this.client?.sendNotification(WorkspaceTrustNotification.type, { trusted: true });
      }),
    );
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  push(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  async start(): Promise<void> {
    this.status.starting();
    await this.secrets.learnAll();
    this.client ??= createLanguageClient(this.context, this.log, () => ({
      pullDiagnostics: false,
      workspaceTrusted: vscode.workspace.isTrusted,
      recordedFingerprints: this.secrets.fingerprints(),
      clientCommands: [
        FILL_SECRET_PLACEHOLDER_COMMAND,
        SHOW_POLICY_CLIENTS_COMMAND,
        RECORD_OWNER_SECRET_COMMAND,
        SHOW_RULE_DOCUMENTATION_COMMAND,
      ],
    }));
    try {
      await this.client.start();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`The language server did not start: ${message}`);
      this.status.failed(message);
      return;
    }
    this.refreshStatus();
  }

  /** Tells the server every fingerprint recorded in the editor (never a secret). */
  sendRecordedFingerprints(): void {
    void this.client?.sendNotification(RecordedFingerprintsNotification.type, { clients: this.secrets.fingerprints() });
  }

  async restart(): Promise<void> {
    this.log.info('Restarting the language server…');
    if (this.client?.isRunning()) await this.client.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.client?.isRunning()) await this.client.stop();
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  /** Secrets in policy documents are masked in the trace and the log. */
  private learn(doc: vscode.TextDocument): void {
    if (doc.languageId === POLICY_LANGUAGE_ID || doc.languageId === 'json') learnSecrets(doc.getText());
  }

  private refreshStatus(): void {
    this.status.update(this.client, vscode.window.activeTextEditor).catch((e: unknown) => {
      this.log.debug(`Status update failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
