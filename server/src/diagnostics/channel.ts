// How diagnostics reach the editor, chosen once at initialize: pushed (the server analyses and publishes), or
// pulled (the editor asks, and the server asks it to ask again when something other than the text changed).
// Everything that invalidates diagnostics calls this interface and never tests the mode.
import type { CancellationToken, Diagnostic, WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver';
import type { ClientPort } from '../lsp/client-port';
import type { Analyzer } from '../session/analysis';
import type { DocumentStore } from '../session/document-store';
import type { DiagnosticsReport } from './report';
import type { Scheduler } from './scheduler';
import { refreshWhenTimeMatters } from './validate';
import { workspaceDiagnostics, type ReportedResult } from './workspace-pull';

export interface DiagnosticsChannel {
  readonly pull: boolean;
  /** A document was opened (its first analysis runs at once) or edited (after the typing pauses). */
  edited(uri: string, justOpened: boolean): void;
  /** One document's facts changed (its deployed version arrived, a grace period ended). */
  refresh(uri: string): void;
  /** Other documents' facts changed because one file did: analysed after the typing pauses, or in the background. */
  refreshLater(uris: Iterable<string>): void;
  /** Anything may have changed (settings, a config, trust, what is known about secrets). */
  refreshAll(): void;
  /** An analysed document's diagnostics. */
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  /** A document closed and is no policy on disk any more: its diagnostics go. */
  cleared(uri: string): void;
}

export class PushChannel implements DiagnosticsChannel {
  readonly pull = false;

  constructor(
    private readonly client: ClientPort,
    private readonly documents: DocumentStore,
    private readonly analyzer: Analyzer,
    private readonly report: DiagnosticsReport,
    private readonly scheduler: Scheduler,
  ) {}

  edited(uri: string, justOpened: boolean): void {
    if (justOpened) this.scheduler.schedule(uri, 0);
    else this.scheduler.afterTyping(uri);
  }

  refresh(uri: string): void {
    this.analyzer.forget(uri);
    if (this.documents.isOpen(uri)) this.scheduler.soon(uri);
    else if (this.documents.documentOf(uri)) this.scheduler.inBackground([uri]);
  }

  refreshLater(uris: Iterable<string>): void {
    const background: string[] = [];
    for (const uri of uris) {
      this.analyzer.forget(uri);
      if (this.documents.isOpen(uri)) this.scheduler.afterTyping(uri);
      else if (this.documents.documentOf(uri)) background.push(uri);
    }
    this.scheduler.inBackground(background);
  }

  refreshAll(): void {
    this.analyzer.clear();
    this.client.refreshCodeLenses();
    this.report.clearConfigProblems();
    for (const doc of this.documents.open.all()) this.scheduler.soon(doc.uri);
    this.scheduler.inBackground(this.documents.unopenedDiskUris());
  }

  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void {
    this.client.publish(uri, version, diagnostics);
  }

  cleared(uri: string): void {
    this.client.publish(uri, undefined, []);
  }
}

export class PullChannel implements DiagnosticsChannel {
  readonly pull = true;
  private refreshTimer: NodeJS.Timeout | undefined;
  /** What each file not open last told a workspace pull (workspace/diagnostic). */
  private readonly reported = new Map<string, ReportedResult>();

  constructor(
    private readonly client: ClientPort,
    private readonly documents: DocumentStore,
    private readonly analyzer: Analyzer,
    private readonly report: DiagnosticsReport,
    private readonly scheduler: Scheduler,
    private readonly debounceMs: number,
  ) {}

  /**
   * The findings of the files the editor has not opened, answered "unchanged" where they are (by result id). A file
   * whose findings change with the clock is refreshed when that time comes, as an open one is: the editor is asked to
   * pull again, and that file is analysed anew.
   */
  workspace(
    previous: ReadonlyMap<string, string>,
    token: CancellationToken | undefined,
  ): Promise<WorkspaceDocumentDiagnosticReport[]> {
    return workspaceDiagnostics(
      this.documents,
      this.analyzer,
      this.report,
      this.reported,
      previous,
      token,
      (uri, result) => refreshWhenTimeMatters(this.scheduler, this, uri, result),
    );
  }

  /** The editor pulls on open and on edits itself. */
  edited(): void {}

  refresh(uri: string): void {
    this.refreshLater([uri]);
  }

  refreshLater(uris: Iterable<string>): void {
    for (const uri of uris) {
      this.analyzer.forget(uri);
      this.reported.delete(uri);
    }
    // One request to pull again for a burst of changes.
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.client.refreshDiagnostics(), this.debounceMs);
  }

  refreshAll(): void {
    this.analyzer.clear();
    this.reported.clear();
    this.client.refreshCodeLenses();
    this.report.clearConfigProblems();
    this.client.refreshDiagnostics();
  }

  /** Nothing is pushed: the editor asks. */
  publish(): void {}

  cleared(): void {}
}
