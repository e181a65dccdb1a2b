// Custom LSP messages between the VS Code client and the server, declared once. The client imports this file
// (and server/src/shared/*) and nothing else from the server.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

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

/** Server command behind the "Verify owner secret now" code lens: a live check of a policy's embedded owner credentials. */
export const VERIFY_OWNER_SECRET_COMMAND = 'loginPolicy.verifyOwnerSecret';

/**
 * Client command run after "Generate a new login policy" created a file with a secret placeholder: VS Code fills it
 * from SecretStorage when the secret is recorded there. Arguments: [file uri, owner client id, { generated?: true }]:
 * a placeholder the edit did not just create is filled only after the user confirms.
 */
export const FILL_SECRET_PLACEHOLDER_COMMAND = 'loginPolicy.fillSecretPlaceholder';

/** Client command behind the code lens on a policy's id: pick one of the OIDC client files that use it. */
export const SHOW_POLICY_CLIENTS_COMMAND = 'loginPolicy.showPolicyClients';

/**
 * VS Code's command that records an owner client's current secret in SecretStorage. A client that lists it in
 * `clientCommands` has it, and messages then name it by its title; other editors are pointed at fingerprints.
 */
export const RECORD_OWNER_SECRET_COMMAND = 'loginPolicy.recordOwnerSecret';
export const RECORD_OWNER_SECRET_TITLE = 'Login Policy: Record Current Owner Client Secret';

/** What VERIFY_OWNER_SECRET_COMMAND returns. */
export interface VerifyResult {
  readonly performed: boolean;
  /** Why no request was made (live checks off, untrusted workspace, host not allowed, backing off…). */
  readonly reason?: string;
  /** "accepted", "rejected", "not-owner" or "failed". */
  readonly outcome?: string;
}

/** A fingerprint of a current secret recorded in the editor; the secret itself stays in SecretStorage. */
export interface RecordedFingerprint {
  readonly clientId: string;
  readonly sha256: string;
  readonly recordedAt?: string;
}

/** Sent by the client at start and whenever a secret is recorded or forgotten: every recorded fingerprint. */
export namespace RecordedFingerprintsNotification {
  export const method = 'loginPolicy/recordedFingerprints';
  export const type = new NotificationType<{ readonly clients: readonly RecordedFingerprint[] }>(method);
}

/** Sent by the client when the workspace becomes trusted (live checks are allowed only then). */
export namespace WorkspaceTrustNotification {
  export const method = 'loginPolicy/workspaceTrust';
  export const type = new NotificationType<{ readonly trusted: boolean }>(method);
}

/** Options the client passes in `initializationOptions`. */
export interface InitializationOptions {
  /** Whether the workspace is trusted. Clients without a notion of trust leave it out (trusted). */
  readonly workspaceTrusted?: boolean;
  /** Fingerprints recorded in the editor, known at start. */
  readonly recordedFingerprints?: readonly RecordedFingerprint[];
  /** Answer pull diagnostics instead of pushing them (when the client supports pull). Default: push. */
  readonly pullDiagnostics?: boolean;
  /** Milliseconds to wait after the last change before validating. Default: 150. */
  readonly debounceMs?: number;
  /**
   * Commands the client itself runs (FILL_SECRET_PLACEHOLDER_COMMAND, SHOW_POLICY_CLIENTS_COMMAND,
   * RECORD_OWNER_SECRET_COMMAND, SHOW_RULE_DOCUMENTATION_COMMAND): the server only attaches those to code actions and
   * lenses, or names them in messages, when the client says it has them. Other editors leave it out.
   */
  readonly clientCommands?: readonly string[];
  /**
   * The "loginPolicy" settings section, for editors that neither answer workspace/configuration nor send settings
   * with workspace/didChangeConfiguration. Either source wins over this one when it has the section.
   */
  readonly settings?: unknown;
}
