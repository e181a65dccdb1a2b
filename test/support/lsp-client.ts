// A small LSP client for tests: spawns the built server over stdio (or starts it in this process, with a clock the
// test controls), answers its requests (settings, dynamic registration, showDocument) and records what it
// publishes and logs.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  ErrorCodes,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { startServer } from '../../server/src/server';
import type { Clock } from '../../server/src/util/clock';
import type {
  ClientCapabilities,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  Registration,
  ShowDocumentParams,
} from 'vscode-languageserver-protocol';

export const repoRoot = path.resolve(__dirname, '../../..');
export const serverPath = path.join(repoRoot, 'server/dist/server.js');

export interface StartOptions {
  readonly rootPath?: string;
  /** The "loginPolicy" settings section the client reports (null: none, as Neovim answers for a missing section). */
  readonly settings?: Record<string, unknown> | null;
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: Record<string, unknown>;
  /** Environment of the server process (say, a PATH with a slow git). */
  readonly env?: NodeJS.ProcessEnv;
  /** Answer client/registerCapability with an error, as an editor that refuses a registration does. */
  readonly refuseRegistrations?: boolean;
}

export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
  },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } } },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
  window: { showDocument: { support: true } },
};

/** A diagnostic's message as text (LSP allows Markdown content too). */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

/**
 * A reader of LSP messages that never keeps this process alive. vscode-jsonrpc's reader re-arms a 10-second timer for
 * as long as a message is only partly read, and disposing the connection does not clear it. A server stopped in the
 * middle of a message (a big publish while the test ends) then kept the test file's process alive until node --test
 * gave up on it 5 minutes later, with every test passed.
 */
export function messageReaderOf(stream: NodeJS.ReadableStream): StreamMessageReader {
  const reader = new StreamMessageReader(stream);
  reader.partialMessageTimeout = 0;
  return reader;
}

export class LspTestClient {
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  readonly logs: { type: number; message: string }[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  /** Every request the server sent, by method, in order (to check it asks only what the client declared). */
  readonly requests: string[] = [];
  /** window/showMessage notifications. */
  readonly messages: { type: number; message: string }[] = [];
  readonly stderr: string[] = [];
  /** Capabilities the server registered, and the ids it unregistered since. */
  readonly registrations: Registration[] = [];
  readonly unregistered: string[] = [];
  /** How often the server asked the client to pull diagnostics again. */
  diagnosticRefreshes = 0;
  /** Work done progress the server reported, in order. */
  readonly progress: { token: string; value: { kind: string; title?: string; message?: string } }[] = [];
  settings: Record<string, unknown> | null;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly connection: ProtocolConnection,
    /** The server's process; undefined when the server runs in this process. */
    private readonly child: ChildProcess | undefined,
    settings: Record<string, unknown> | null,
  ) {
    this.settings = settings;
  }

  /** The server's process (spawned servers only). */
  get process(): ChildProcess {
    if (!this.child) throw new Error('the server runs in this process');
    return this.child;
  }

  /** Spawns the built server (server/dist/server.js) over stdio, as an editor does. */
  static async start(options: StartOptions = {}): Promise<{ client: LspTestClient; initialize: InitializeResult }> {
    const child = spawn(process.execPath, [serverPath, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    const connection = createProtocolConnection(messageReaderOf(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspTestClient(connection, child, options.settings === undefined ? {} : options.settings);
    child.stderr.on('data', (d: Buffer) => client.stderr.push(String(d)));
    return client.initialize(options);
  }

  /**
   * Starts the server's own code in this process, over in-memory streams, with a clock the test moves. For behaviour
   * that depends on the time of day (a grace period that ends), which a spawned server can only show by waiting.
   */
  static async inProcess(
    options: StartOptions & { readonly clock: Clock },
  ): Promise<{ client: LspTestClient; initialize: InitializeResult }> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    startServer(createConnection(messageReaderOf(toServer), new StreamMessageWriter(toClient)), {
      clock: options.clock,
    });
    const connection = createProtocolConnection(messageReaderOf(toClient), new StreamMessageWriter(toServer));
    return new LspTestClient(connection, undefined, options.settings === undefined ? {} : options.settings).initialize(
      options,
    );
  }

  private async initialize(options: StartOptions): Promise<{ client: LspTestClient; initialize: InitializeResult }> {
    const connection = this.connection;
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const list = this.published.get(params.uri) ?? [];
      list.push(params);
      this.published.set(params.uri, list);
      this.wake();
    });
    connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
      this.logs.push(params);
      this.wake();
    });
    connection.onNotification('window/showMessage', (params: { type: number; message: string }) => {
      this.messages.push(params);
      this.wake();
    });
    // Requests without a handler below are answered "method not found", as an editor without them would.
    // ProtocolConnection's types leave out jsonrpc's catch-all handler, which it has.
    (connection as unknown as { onRequest(handler: (method: string) => unknown): void }).onRequest((method) => {
      this.requests.push(method);
      this.wake();
      return new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
    });
    this.handle('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map(() => this.settings),
    );
    this.handle('client/registerCapability', (params: { registrations: Registration[] }) => {
      if (options.refuseRegistrations) return new ResponseError(ErrorCodes.InvalidRequest, 'registration refused');
      this.registrations.push(...params.registrations);
      this.wake();
      return null;
    });
    this.handle('client/unregisterCapability', (params: { unregisterations: { id: string }[] }) => {
      // The LSP spelling ("unregisterations") is a known typo kept for compatibility.
      for (const { id } of params.unregisterations) this.unregistered.push(id);
      this.wake();
      return null;
    });
    this.handle('window/showDocument', (params: ShowDocumentParams) => {
      this.shownDocuments.push(params);
      this.wake();
      return { success: true };
    });
    this.handle('workspace/diagnostic/refresh', () => {
      this.diagnosticRefreshes++;
      this.wake();
      return null;
    });
    this.handle('workspace/codeLens/refresh', () => null);
    this.handle('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', (params: { token: string; value: { kind: string } }) => {
      this.progress.push(params);
      this.wake();
    });
    connection.listen();
    const rootUri = options.rootPath ? `file://${options.rootPath}` : null;
    const initialize = await connection.sendRequest<InitializeResult>('initialize', {
      // A server in this process would watch itself (a timer that never ends); spawned ones watch the test run.
      processId: this.child ? process.pid : null,
      rootUri,
      workspaceFolders: options.rootPath ? [{ uri: rootUri, name: 'ws' }] : null,
      capabilities: options.capabilities ?? DEFAULT_CAPABILITIES,
      initializationOptions: options.initializationOptions ?? { debounceMs: 20 },
    });
    await connection.sendNotification('initialized', {});
    return { client: this, initialize };
  }

  /** Answers a request from the server, and records that it came. */
  private handle<P>(method: string, answer: (params: P) => unknown): void {
    this.connection.onRequest(method, (params: P) => {
      this.requests.push(method);
      return answer(params);
    });
  }

  /** What the editor's file watcher reports after files changed on disk (1 created, 2 changed, 3 deleted). */
  filesChanged(uris: readonly string[], type: 1 | 2 | 3): Promise<void> {
    return this.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: uris.map((uri) => ({ uri, type })),
    });
  }

  open(uri: string, text: string, languageId = 'login-policy', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  change(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** A request to the server; one it does not answer within `timeoutMs` fails the test, naming the method. */
  request<T>(method: string, params: unknown, timeoutMs = 30_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer to ${method} in ${timeoutMs} ms; stderr: ${this.stderr.join('')}`)),
        timeoutMs,
      );
    });
    return Promise.race([this.connection.sendRequest<T>(method, params), late]).finally(() => clearTimeout(timer));
  }

  /** How many times diagnostics were published for a document so far (to wait for a later publish). */
  publishedCount(uri: string): number {
    return this.published.get(uri)?.length ?? 0;
  }

  /** The first diagnostics published for a document after `count` earlier publishes. */
  nextDiagnostics(uri: string, count: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return this.waitFor(() => this.published.get(uri)?.[count], timeoutMs, `diagnostics for ${uri} after ${count}`);
  }

  /** The latest diagnostics published for a document that satisfy `accept` (polls as messages arrive). */
  async diagnostics(
    uri: string,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      () => {
        const latest = this.published.get(uri)?.at(-1);
        return latest && accept(latest) ? latest : undefined;
      },
      timeoutMs,
      `diagnostics for ${uri}`,
    );
  }

  async waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    try {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((resolve) => (timer = setTimeout(resolve, 2000)));
      // Cleared once answered: a pending 2 s timer held the test file's process after its last test.
      await Promise.race([this.connection.sendRequest('shutdown'), late]).finally(() => clearTimeout(timer));
      // In this process, "exit" would end the test run itself.
      if (this.child) await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    // Wait for the server to be gone: a child still running (or its open pipes) would keep this test file's process
    // alive after its last test, and node --test would report the file as timed out minutes later.
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
    for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
