// Owns the language client, the log, the status items, the Identity Cloud connection, the read-only documents
// (deployment status, rotation plans) and every disposable: start, stop and restart live here.
import * as vscode from 'vscode';
import { DidChangeWatchedFilesNotification, type LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './client';
import {
  FILL_SECRET_PLACEHOLDER_COMMAND,
  RECORD_OWNER_SECRET_COMMAND,
  RecordedFingerprintsNotification,
  SHOW_POLICY_CLIENTS_COMMAND,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  WorkspaceTrustNotification,
} from '../../server/src/protocol';
import { DeployedStateItem } from './deployed-item';
import { IdentityCloudConnection } from './identity-cloud-connection';
import { createLog, learnSecrets } from './log';
import { RecordedSecrets } from './recorded-secrets';
import { POLICY_LANGUAGE_ID } from './constants';
import type { FileEvent } from './pull-file-events';
import { StatusItem } from './status';
import { ReadOnlyDocuments, ROTATION_PLAN_SCHEME, STATUS_SCHEME } from './read-only-documents';

export class Ctx implements vscode.Disposable {
  readonly log = createLog();
  readonly secrets: RecordedSecrets;
  readonly connection: IdentityCloudConnection;
  readonly statusDocuments = new ReadOnlyDocuments(
    STATUS_SCHEME,
    'Run "Login Policy: Show Deployment Status" again.\n',
  );
  readonly rotationPlans = new ReadOnlyDocuments(
    ROTATION_PLAN_SCHEME,
    'Run "Login Policy: Rotate Owner Secret…" again to see the plan.\n',
  );
  readonly deployedItem: DeployedStateItem;
  private client: LanguageClient | undefined;
  private readonly status = new StatusItem();
  private readonly disposables: vscode.Disposable[] = [this.log, this.status, this.statusDocuments, this.rotationPlans];

  constructor(readonly context: vscode.ExtensionContext) {
    this.secrets = new RecordedSecrets(context);
    this.connection = new IdentityCloudConnection(context);
    this.deployedItem = new DeployedStateItem(() => this.connection.fields());
    this.disposables.push(this.deployedItem);
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
    await this.connection.learn();
    void this.refreshDeployedItem();
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

  /** Tells the server of files the extension changed on disk that its watchers may not report (a pull's swap). */
  async reportFileChanges(events: readonly FileEvent[]): Promise<void> {
    if (events.length === 0 || !this.client?.isRunning()) return;
    await this.client.sendNotification(DidChangeWatchedFilesNotification.type, {
      changes: events.map((e) => ({ uri: vscode.Uri.file(e.path).toString(), type: e.type })),
    });
  }

  /** Reads the workspace's pulled.json files again (after a pull, a connect or a disconnect). */
  async refreshDeployedItem(): Promise<void> {
    try {
      await this.deployedItem.refresh();
    } catch (e) {
      this.log.debug(`Deployed state item update failed: ${e instanceof Error ? e.message : String(e)}`);
    }
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
