// What the editor can do, read once from `initialize` into named fields, and what the server offers in return.
// Nothing else reads raw InitializeParams: every module asks ClientCaps.
import { TextDocumentSyncKind, type InitializeParams, type ServerCapabilities } from 'vscode-languageserver';
import type { EditorFacts } from '../engine/facts';
import {
  RECORD_OWNER_SECRET_COMMAND,
  RECORD_OWNER_SECRET_TITLE,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  VERIFY_OWNER_SECRET_COMMAND,
  type InitializationOptions,
} from '../protocol';

export const DEFAULT_DEBOUNCE_MS = 150;

export interface ClientCaps {
  /** Diagnostics are pulled by the editor (it asked for it and can), else pushed. */
  readonly pullDiagnostics: boolean;
  /** Settings can be read with workspace/configuration. */
  readonly configurationPull: boolean;
  /** The editor reports workspace folders added and removed. */
  readonly folderEvents: boolean;
  readonly codeLensRefresh: boolean;
  /** Workspace edits may create files. */
  readonly createFiles: boolean;
  readonly changeAnnotations: boolean;
  /** Commands the editor runs itself (InitializationOptions.clientCommands). */
  readonly clientCommands: ReadonlySet<string>;
  /** The editor opens documents it is asked to (window/showDocument). */
  readonly showDocument: boolean;
  /** The editor pulls every document's diagnostics again when asked (workspace/diagnostic/refresh). */
  readonly diagnosticRefresh: boolean;
  /** The "loginPolicy" settings the editor sent with initialize (InitializationOptions.settings). */
  readonly initialSettings: unknown;
  /** What the editor offers beyond the CLI, for the words of messages and hovers; undefined for plain editors. */
  readonly editor: EditorFacts | undefined;
  readonly workDoneProgress: boolean;
  /** Settings changes can be registered for dynamically. */
  readonly dynamicConfiguration: boolean;
  /** File watchers can be registered dynamically. */
  readonly dynamicWatchers: boolean;
  /** Watchers may be relative to a folder (LSP 3.17 RelativePattern). */
  readonly relativePatterns: boolean;
  /** How long typing must pause before an edited document is analysed. */
  readonly debounceMs: number;
}

export function clientCapsOf(params: InitializeParams): ClientCaps {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  const workspace = params.capabilities.workspace;
  const edits = workspace?.workspaceEdit;
  const commands: unknown = options.clientCommands;
  const clientCommands = new Set(
    Array.isArray(commands) ? commands.filter((c): c is string => typeof c === 'string') : [],
  );
  return {
    pullDiagnostics: options.pullDiagnostics === true && params.capabilities.textDocument?.diagnostic !== undefined,
    configurationPull: workspace?.configuration === true,
    folderEvents: workspace?.workspaceFolders === true,
    codeLensRefresh: workspace?.codeLens?.refreshSupport === true,
    createFiles: edits?.documentChanges === true && (edits.resourceOperations ?? []).includes('create'),
    changeAnnotations: edits?.changeAnnotationSupport !== undefined,
    clientCommands,
    showDocument: params.capabilities.window?.showDocument?.support === true,
    diagnosticRefresh: workspace?.diagnostics?.refreshSupport === true,
    initialSettings: options.settings,
    editor: editorFactsOf(clientCommands),
    workDoneProgress: params.capabilities.window?.workDoneProgress === true,
    dynamicConfiguration: workspace?.didChangeConfiguration?.dynamicRegistration === true,
    dynamicWatchers: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    relativePatterns: workspace?.didChangeWatchedFiles?.relativePatternSupport === true,
    debounceMs:
      typeof options.debounceMs === 'number' && options.debounceMs >= 0 ? options.debounceMs : DEFAULT_DEBOUNCE_MS,
  };
}

function editorFactsOf(clientCommands: ReadonlySet<string>): EditorFacts | undefined {
  return clientCommands.has(RECORD_OWNER_SECRET_COMMAND)
    ? { recordSecretCommand: RECORD_OWNER_SECRET_TITLE }
    : undefined;
}

/** "Show documentation for <rule>" is offered where it can open the page: VS Code's own command, or showDocument. */
export function canShowRuleDocs(caps: ClientCaps): boolean {
  return caps.showDocument || caps.clientCommands.has(SHOW_RULE_DOCUMENTATION_COMMAND);
}

export function serverCapabilitiesFor(caps: ClientCaps): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['"', ':'] },
    codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    documentFormattingProvider: true,
    documentRangeFormattingProvider: true,
    executeCommandProvider: { commands: [SHOW_RULE_DOCUMENTATION_COMMAND, VERIFY_OWNER_SECRET_COMMAND] },
    codeLensProvider: { resolveProvider: false },
    ...(caps.pullDiagnostics
      ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true } }
      : {}),
    ...(caps.folderEvents ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
  };
}
