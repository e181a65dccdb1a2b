// The parts of a running server, built once by startServer and handed to the LSP wiring (lifecycle, requests,
// commands). `caps` and `channel` are set once, at initialize, when the editor has said what it can do.
import type { Connection } from 'vscode-languageserver';
import type { DiagnosticsChannel } from '../diagnostics/channel';
import type { DiagnosticsReport } from '../diagnostics/report';
import type { Scheduler } from '../diagnostics/scheduler';
import type { Analyzer } from '../session/analysis';
import type { DocumentStore } from '../session/document-store';
import type { Session } from '../session/session';
import type { SettingsCache } from '../session/settings-cache';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/logger';
import type { WorkspaceScan } from '../workspace/scan';
import type { Watchers } from '../workspace/watchers';
import type { ClientCaps } from './capabilities';
import type { ClientPort } from './client-port';

export interface ServerParts {
  readonly connection: Connection;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly session: Session;
  readonly client: ClientPort;
  readonly documents: DocumentStore;
  readonly settings: SettingsCache;
  readonly analyzer: Analyzer;
  readonly report: DiagnosticsReport;
  readonly scheduler: Scheduler;
  readonly watchers: Watchers;
  readonly scan: WorkspaceScan;
  caps: ClientCaps;
  channel: DiagnosticsChannel;
}
