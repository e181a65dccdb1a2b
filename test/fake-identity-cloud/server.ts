// The fake Identity Cloud (Capture part): a real HTTP server with Capture's behaviour, for tests, benchmarks, demos.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { claimedClientId, readCredentials } from './auth';
import { captureError, handleCapture, type Reply } from './capture-api';
import { CONTROL_PREFIX, handleControl, type ControlTarget } from './control-api';
import { BodyTooLargeError, readBody, readParams, sendHtml, sendJson, splitTarget } from './http-util';
import { FakeStore } from './store';
import {
  FAKE_MODES,
  type FakeClient,
  type FakeCloudOptions,
  type FakeMode,
  type FakeRequest,
  type FakeState,
} from './types';

export type {
  FakeClient,
  FakeClientState,
  FakeCloudOptions,
  FakeMode,
  FakeRequest,
  FakeSecret,
  FakeSecretState,
  FakeState,
} from './types';
export { FAKE_MODES } from './types';
export { sign as signCaptureRequest } from './auth';

const DEFAULT_LOG_LIMIT = 10_000;

export const ERROR_500_HTML =
  '<html><head><title>500 Internal Server Error</title></head><body>Internal Server Error</body></html>';
export const NOT_JSON_HTML =
  '<html><head><title>Maintenance</title></head><body><h1>We will be back soon</h1><p>Scheduled maintenance.</p></body></html>';

export class FakeIdentityCloud implements ControlTarget {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** 127.0.0.1:PORT: what a policy's `domain` would say. */
  readonly host: string;

  private currentMode: FakeMode = 'normal';
  private readonly log: FakeRequest[] = [];
  private requestCount = 0;
  private readonly sockets = new Set<Socket>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly store: FakeStore,
    private readonly options: FakeCloudOptions,
    hostName: string,
    port: number,
  ) {
    const hostPart = hostName.includes(':') ? `[${hostName}]` : hostName;
    this.host = `${hostPart}:${port}`;
    this.url = `http://${this.host}`;
  }

  static async start(options: FakeCloudOptions = {}): Promise<FakeIdentityCloud> {
    const now = options.now ?? ((): Date => new Date());
    const store = new FakeStore(now, options.clients ?? [], options.entityTypes ?? ['user']);
    const hostName = options.host ?? '127.0.0.1';
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, hostName, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const cloud = new FakeIdentityCloud(server, store, options, hostName, port);
    server.on('connection', (socket) => {
      cloud.sockets.add(socket);
      socket.once('close', () => cloud.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      cloud.handle(req, res).catch(() => res.destroy());
    });
    return cloud;
  }

  /** Every request received (the most recent `requestLogLimit`), never with a secret or an Authorization header. */
  get requests(): readonly FakeRequest[] {
    return this.log.map((r) => ({ ...r }));
  }

  get mode(): FakeMode {
    return this.currentMode;
  }

  setMode(mode: FakeMode): void {
    if (!FAKE_MODES.includes(mode)) throw new RangeError(`unknown mode; use one of ${FAKE_MODES.join(', ')}`);
    this.currentMode = mode;
  }

  /** Adds a client, replacing any client with the same id. */
  addClient(client: FakeClient): void {
    this.store.add(client);
  }

  hasClient(clientId: string): boolean {
    return this.store.get(clientId) !== undefined;
  }

  /** Like clients/reset_secret: a new 32-char [a-z0-9] secret; the old ones stay valid for hoursToLive hours (0 = stop now). */
  resetSecret(clientId: string, hoursToLive: number): string {
    return this.store.resetSecret(clientId, hoursToLive).secret;
  }

  resetSecretWithExpiry(clientId: string, hoursToLive: number): { secret: string; previousValidUntil: Date } {
    return this.store.resetSecret(clientId, hoursToLive);
  }

  /** The secret `clients/list` reports for the client now (for test setup; never logged). */
  currentSecret(clientId: string): string | undefined {
    const client = this.store.get(clientId);
    return client && this.store.current(client)?.secret;
  }

  /** What `entityType.list` returns from now on. */
  setEntityTypes(entityTypes: readonly string[]): void {
    this.store.entityTypes = entityTypes;
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  /** The same secret-free view as GET /__fake/state. */
  state(): FakeState {
    return {
      url: this.url,
      host: this.host,
      mode: this.currentMode,
      now: this.store.now().toISOString(),
      requestCount: this.requestCount,
      entityTypes: this.store.entityTypes,
      clients: this.store.state(),
    };
  }

  /** Stops listening and destroys every open socket (timeout mode keeps requests hanging). Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  private record(method: string, path: string, status: number, clientId?: string, code?: number): void {
    const entry: FakeRequest = { method, path, status, at: this.store.now() };
    if (clientId !== undefined) entry.clientId = clientId;
    if (code !== undefined) entry.code = code;
    this.requestCount++;
    this.log.push(entry);
    const limit = this.options.requestLogLimit ?? DEFAULT_LOG_LIMIT;
    if (this.log.length > limit) this.log.splice(0, this.log.length - limit);
    try {
      this.options.onRequest?.({ ...entry });
    } catch {
      // A failing observer must not break the fake.
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const { path, query } = splitTarget(req.url);
    const control = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
    const authorization = req.headers.authorization;
    let clientId = control ? undefined : claimedClientId(readCredentials(authorization, new Map()));

    if (!control && this.currentMode !== 'normal') {
      this.answerInMode(req, res, method, path, clientId);
      return;
    }

    let reply: Reply;
    try {
      const body = await readBody(req);
      const params = readParams(query, body, req.headers['content-type']);
      if (control) {
        reply = handleControl(this, method, path, params);
      } else {
        const credentials = readCredentials(authorization, params);
        clientId = claimedClientId(credentials);
        const date = req.headers.date;
        reply = handleCapture(this.store, { method, path, params, credentials, ...(date ? { date } : {}) });
      }
    } catch (error) {
      reply =
        error instanceof BodyTooLargeError
          ? captureError(200, 'invalid_argument', 'the request body is too large', {}, 413)
          : captureError(500, 'unexpected_error', 'the fake Identity Cloud failed on this request', {}, 500);
      reply.headers = { Connection: 'close' };
    }
    if (res.destroyed) return;
    this.record(method, path, reply.status, clientId, reply.code);
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  private answerInMode(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    clientId: string | undefined,
  ): void {
    switch (this.currentMode) {
      case 'timeout':
        // Accept and never answer: the socket stays open until the client gives up or close() runs.
        this.record(method, path, 0, clientId);
        return;
      case 'reset':
        this.record(method, path, 0, clientId);
        req.socket.resetAndDestroy();
        return;
      case 'error500':
        this.record(method, path, 500, clientId);
        res.setHeader('Connection', 'close');
        sendHtml(res, 500, ERROR_500_HTML);
        return;
      case 'rateLimit': {
        const reply = captureError(510, 'api_limit_error', 'too many simultaneous API calls; try again later');
        this.record(method, path, reply.status, clientId, reply.code);
        sendJson(res, reply.status, reply.body);
        return;
      }
      case 'notJson':
        this.record(method, path, 200, clientId);
        sendHtml(res, 200, NOT_JSON_HTML);
        return;
      case 'normal':
        return;
    }
  }
}
