// The fake Identity Cloud: a real HTTP server with Capture's behaviour and the Hosted Login configuration API
// (token, login policies, OIDC clients) and the Configuration API's API clients, for tests, benchmarks and demos.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { claimedClientId, readCredentials } from './auth';
import { captureError, handleCapture } from './capture-api';
import { FakeCloudState } from './cloud-state';
import { handleConfigApi, isConfigApiPath } from './config-api/router';
import { CONTROL_PREFIX, handleControl, type ControlTarget } from './control-api';
import type { Fault, FaultKind } from './faults';
import {
  BodyTooLargeError,
  readBody,
  readParams,
  sendHtml,
  sendJson,
  sendReply,
  splitTarget,
  type Reply,
} from './http-util';
import { FAKE_MODES, type FakeCloudOptions, type FakeMode, type FakeRequest, type FakeState } from './types';

export type {
  FakeClient,
  FakeClientState,
  FakeCloudOptions,
  FakeLoginPolicyState,
  FakeMode,
  FakeOidcClientState,
  FakeRequest,
  FakeSecret,
  FakeSecretState,
  FakeState,
} from './types';
export { FAKE_MODES } from './types';
export { sign as signCaptureRequest } from './auth';
export { DEFAULT_APPLICATION_ID, DEFAULT_CUSTOMER_ID, type NewLoginPolicyOptions } from './cloud-state';
export type { FakeOidcClient } from './config-api/hosted-login-store';
export { CONFIG_SCOPE } from './config-api/token';
export { FAULT_KINDS, type FaultKind, type FaultSpec, type FaultState } from './faults';
export type { SignInCounter, SignInFigures, SignInFailure, SignInLoad, SignInResult } from './sign-in';

const DEFAULT_LOG_LIMIT = 10_000;

/**
 * Whether a request can change what a sign-in needs: any write to the configuration API (a client re-pointed, a
 * policy created, changed or deleted, an owner secret reset) and Capture's clients/reset_secret.
 */
function mayChangeSignIns(method: string, path: string): boolean {
  return isConfigApiPath(path) ? method !== 'GET' && method !== 'HEAD' : path === '/clients/reset_secret';
}

export const ERROR_500_HTML =
  '<html><head><title>500 Internal Server Error</title></head><body>Internal Server Error</body></html>';
export const NOT_JSON_HTML =
  '<html><head><title>Maintenance</title></head><body><h1>We will be back soon</h1><p>Scheduled maintenance.</p></body></html>';

export class FakeIdentityCloud extends FakeCloudState implements ControlTarget {
  /** http://127.0.0.1:PORT: the Capture domain and the API base (LOGIN_POLICY_API_BASE) at once. */
  readonly url: string;

  private currentMode: FakeMode = 'normal';
  private readonly log: FakeRequest[] = [];
  private requestCount = 0;
  private readonly sockets = new Set<Socket>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    private readonly options: FakeCloudOptions,
    hostName: string,
    port: number,
  ) {
    super(options, `${hostName.includes(':') ? `[${hostName}]` : hostName}:${port}`);
    this.url = `http://${this.host}`;
  }

  static async start(options: FakeCloudOptions = {}): Promise<FakeIdentityCloud> {
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
    const cloud = new FakeIdentityCloud(server, options, hostName, port);
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

  /** A mode for every request outside /__fake/ (per-request faults, injectFault, take precedence). */
  setMode(mode: FakeMode): void {
    if (!FAKE_MODES.includes(mode)) throw new RangeError(`unknown mode; use one of ${FAKE_MODES.join(', ')}`);
    this.currentMode = mode;
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
      customerId: this.customerId,
      applicationId: this.applicationId,
      loginPolicies: this.loginPolicyStates(),
      oidcClients: this.oidcClientStates(),
      liveTokens: this.tokens.live,
      faults: this.faults(),
      signIns: this.signInCounters(),
    };
  }

  /** Stops listening, every sign-in load and every open socket (timeout mode keeps requests hanging). Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.signIns.stopAll();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  private record(entry: Omit<FakeRequest, 'at'>): void {
    const logged: FakeRequest = { ...entry, at: this.store.now() };
    this.requestCount++;
    this.log.push(logged);
    const limit = this.options.requestLogLimit ?? DEFAULT_LOG_LIMIT;
    if (this.log.length > limit) this.log.splice(0, this.log.length - limit);
    try {
      this.options.onRequest?.({ ...logged });
    } catch {
      // A failing observer must not break the fake.
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const { path, query } = splitTarget(req.url);
    const control = path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
    const authorization = req.headers.authorization;
    const contentType = req.headers['content-type'];
    let clientId = control ? undefined : claimedClientId(readCredentials(authorization, new Map()));
    const seen = (status: number, code?: number, fault?: FaultKind): Omit<FakeRequest, 'at'> => ({
      method,
      path,
      status,
      ...(clientId === undefined ? {} : { clientId }),
      ...(code === undefined ? {} : { code }),
      ...(fault === undefined ? {} : { fault }),
    });

    const fault = control ? undefined : this.faultInjector.take(method, path);
    if (fault && fault.delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
      if (this.closing || res.destroyed) return;
    }
    if (!control && !fault && this.currentMode !== 'normal') {
      this.answerInMode(req, res, seen, isConfigApiPath(path));
      return;
    }
    if (fault && !fault.applied) {
      this.answerFault(req, res, fault, seen);
      return;
    }

    let reply: Reply;
    try {
      const body = await readBody(req);
      if (control) {
        reply = handleControl(this, { method, path, params: readParams(query, body, contentType), body, contentType });
      } else if (isConfigApiPath(path)) {
        reply = handleConfigApi(this.configApi(), { method, path, query, body, contentType, authorization });
      } else {
        const params = readParams(query, body, contentType);
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
    // Carried out (even when its answer is lost below): the state every sign-in meets until the next change.
    if (!control && mayChangeSignIns(method, path)) this.signIns.judgeNow();
    if (res.destroyed) return;
    if (fault && fault.kind !== 'slow') {
      // Carried out; now the answer is lost or replaced.
      this.answerFault(req, res, fault, seen);
      return;
    }
    this.record(seen(reply.status, reply.code, fault?.kind));
    sendReply(res, reply);
  }

  private answerFault(
    req: IncomingMessage,
    res: ServerResponse,
    fault: Fault,
    seen: (status: number, code?: number, fault?: FaultKind) => Omit<FakeRequest, 'at'>,
  ): void {
    switch (fault.kind) {
      case 'timeout':
        // Never answers: the socket stays open until the client gives up or close() runs.
        this.record(seen(0, undefined, fault.kind));
        return;
      case 'reset':
      case 'lostAnswer':
        this.record(seen(0, undefined, fault.kind));
        req.socket.resetAndDestroy();
        return;
      case 'error500':
        this.record(seen(500, undefined, fault.kind));
        res.setHeader('Connection', 'close');
        sendHtml(res, 500, ERROR_500_HTML);
        return;
      case 'notJson':
        this.record(seen(200, undefined, fault.kind));
        sendHtml(res, 200, NOT_JSON_HTML);
        return;
      case 'noContent':
        this.record(seen(204, undefined, fault.kind));
        res.writeHead(204).end();
        return;
      case 'slow':
        return;
    }
  }

  private answerInMode(
    req: IncomingMessage,
    res: ServerResponse,
    seen: (status: number, code?: number) => Omit<FakeRequest, 'at'>,
    configApi: boolean,
  ): void {
    switch (this.currentMode) {
      case 'timeout':
        // Accept and never answer: the socket stays open until the client gives up or close() runs.
        this.record(seen(0));
        return;
      case 'reset':
        this.record(seen(0));
        req.socket.resetAndDestroy();
        return;
      case 'error500':
        this.record(seen(500));
        res.setHeader('Connection', 'close');
        sendHtml(res, 500, ERROR_500_HTML);
        return;
      case 'rateLimit': {
        // Capture says so in a 200 body; the Hosted Login API in HTTP terms.
        const reply = configApi
          ? { status: 429, body: { errors: 'Too Many Requests' } }
          : captureError(510, 'api_limit_error', 'too many simultaneous API calls; try again later');
        this.record(seen(reply.status, 'code' in reply ? reply.code : undefined));
        sendJson(res, reply.status, reply.body);
        return;
      }
      case 'notJson':
        this.record(seen(200));
        sendHtml(res, 200, NOT_JSON_HTML);
        return;
      case 'normal':
        return;
    }
  }
}
