// Custom LSP messages between the VS Code client and the server, declared once. The client imports this file
// (and server/src/shared/*) and nothing else from the server.
import { RequestType } from 'vscode-languageserver-protocol';

/** Server command behind "Show documentation for <rule>": opens docs/rules/<id>.md via window/showDocument. */
export const SHOW_RULE_DOCUMENTATION_COMMAND = 'loginPolicy.showRuleDocumentation';

export interface DocumentStatusParams {
  readonly uri: string;
}

export interface DocumentStatus {
  /** How the server sees the document. */
  readonly kind: 'policy' | 'config' | 'other';
  /** The .loginpolicyrc.json that applies, if any. */
  readonly configPath?: string;
  /** True when that config has errors (its settings are then ignored). */
  readonly configBroken?: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/** Sent by the client for the language status item: how is this document analysed? */
export namespace DocumentStatusRequest {
  export const method = 'loginPolicy/documentStatus';
  export const type = new RequestType<DocumentStatusParams, DocumentStatus, void>(method);
}

/** Options the client passes in `initializationOptions`. */
export interface InitializationOptions {
  /** Answer pull diagnostics instead of pushing them (when the client supports pull). Default: push. */
  readonly pullDiagnostics?: boolean;
  /** Milliseconds to wait after the last change before validating. Default: 150. */
  readonly debounceMs?: number;
}
