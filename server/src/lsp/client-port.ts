// Everything the server sends to the editor, behind one narrow port: the rest of the server never sees the LSP
// connection, and each refresh checks the editor's capability itself, so callers never test a flag.
import {
  CodeLensRefreshRequest,
  MessageType,
  ShowMessageNotification,
  type Connection,
  type Diagnostic,
  type Disposable,
  type ProtocolNotificationType,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import type { Logger } from '../util/logger';
import type { ClientCaps } from './capabilities';

export interface ClientPort {
  readonly logger: Logger;
  /** Pushes a document's diagnostics (a version only for documents the editor has open). */
  publish(uri: string, version: number | undefined, diagnostics: Diagnostic[]): void;
  /** Asks a pulling editor to pull every document's diagnostics again. */
  refreshDiagnostics(): void;
  /** Asks the editor to ask for code lenses again, where it can. */
  refreshCodeLenses(): void;
  /** The settings section for a document (workspace/configuration). */
  configuration(uri: string, section: string): Promise<unknown>;
  /** Registers a capability dynamically; resolves to its disposable. */
  register<O>(type: ProtocolNotificationType<unknown, O>, options: O): Promise<Disposable>;
  /** A progress reporter, where the editor shows progress; undefined otherwise or when it refuses. */
  progress(): Promise<WorkDoneProgressServerReporter | undefined>;
  /** Opens a document in the editor (rule docs), where it can; else shows the address in a message. */
  showDocument(uri: string, what: string): Promise<void>;
}

export function clientPort(connection: Connection, caps: () => ClientCaps, logger: Logger): ClientPort {
  return {
    logger,
    publish: (uri, version, diagnostics) => {
      void connection.sendDiagnostics({ uri, version, diagnostics });
    },
    refreshDiagnostics: () => {
      if (caps().diagnosticRefresh) connection.languages.diagnostics.refresh().catch(() => undefined);
    },
    refreshCodeLenses: () => {
      if (caps().codeLensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
    configuration: (uri, section) => connection.workspace.getConfiguration({ scopeUri: uri, section }),
    register: (type, options) => connection.client.register(type, options),
    progress: async () =>
      caps().workDoneProgress ? connection.window.createWorkDoneProgress().catch(() => undefined) : undefined,
    showDocument: async (uri, what) => {
      if (caps().showDocument) await connection.window.showDocument({ uri, takeFocus: true });
      // A notification: every editor shows these (the request form, showInformationMessage, is optional).
      else
        void connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Info,
          message: `${what}: ${uri}`,
        });
    },
  };
}
