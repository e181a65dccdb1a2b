// startServer(connection): builds the parts of the language server and wires them to the connection. Data flows
// one way: an editor message changes the session (documents, configs, the workspace index), the diagnostics
// channel decides what to analyse again, the analyzer runs the engine, and the result is published or answered.
// CONTRIBUTING.md shows how a didChange travels to publishDiagnostics through these parts.
import type { Connection, InitializeParams } from 'vscode-languageserver';
import { PushChannel } from './diagnostics/channel';
import { DiagnosticsReport } from './diagnostics/report';
import { Scheduler } from './diagnostics/scheduler';
import { validate } from './diagnostics/validate';
import { clientCapsOf } from './lsp/capabilities';
import { clientPort } from './lsp/client-port';
import { registerLifecycle } from './lsp/lifecycle';
import type { ServerParts } from './lsp/parts';
import { registerRequests } from './lsp/switchboard';
import { Analyzer } from './session/analysis';
import { DocumentStore } from './session/document-store';
import { Session } from './session/session';
import { SettingsCache } from './session/settings-cache';
import { systemClock, type Clock } from './util/clock';
import { connectionLogger } from './util/logger';
import { URI } from 'vscode-uri';
import { WorkspaceScan } from './workspace/scan';
import { Watchers } from './workspace/watchers';

export interface ServerOptions {
  /** The time findings are judged by (grace periods); tests move it forward. */
  readonly clock?: Clock;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const clock = options.clock ?? systemClock;
  const session = new Session(clock);
  const logger = connectionLogger(connection, session.redactor);
  // What an editor that declares nothing can do, until initialize says more.
  const caps = clientCapsOf({ capabilities: {} } as InitializeParams);
  const client = clientPort(connection, () => parts.caps, logger);
  const documents = new DocumentStore();
  const settings = new SettingsCache(
    client,
    () => parts.caps.configurationPull,
    () => parts.caps.initialSettings,
  );
  const report = new DiagnosticsReport(client, documents);
  const analyzer = new Analyzer(
    session,
    documents,
    settings,
    clock,
    (files) => parts.channel.refreshLater([...files].map((file) => URI.file(file).toString())),
    () => parts.caps.editor,
  );
  const scheduler = new Scheduler(
    (uri) => validate(parts, uri),
    logger,
    clock,
    () => parts.caps.debounceMs,
  );
  const watchers = new Watchers(session, client, () => parts.caps);
  const parts: ServerParts = {
    connection,
    clock,
    logger,
    session,
    client,
    documents,
    settings,
    analyzer,
    report,
    scheduler,
    watchers,
    scan: new WorkspaceScan(
      session,
      documents,
      client,
      (file) => watchers.namedByConfig(file),
      (file) => analyzer.forgotten(URI.file(file).toString()),
    ),
    caps,
    // Until initialize says whether the editor pulls.
    channel: new PushChannel(client, documents, analyzer, report, scheduler),
  };
  session.onBaselineChanged((file) => parts.channel.refresh(URI.file(file).toString()));
  registerLifecycle(parts);
  registerRequests(parts);
  documents.open.listen(connection);
  connection.listen();
}
