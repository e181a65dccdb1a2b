// The Hosted Login configuration API with a configuration client (DESIGN §13, facts §3.2-§3.4): login policies,
// their push-claims status and allowed response types, OIDC clients. Used by the CLI and the VS Code extension
// host, never by the language server. Every failure is an IdentityCloudError; no secret reaches a message.
import { SecretRedactor } from '../shared/redact';
import { apiBaseFor, checkCustomerId } from './api-base';
import { IdentityCloudError } from './api-error';
import {
  isObject,
  type JsonObject,
  type LoginPolicyDocument,
  type LoginPolicySummary,
  type OidcClientDocument,
  type OidcClientSummary,
} from './api-types';
import { AdminTokenSource } from './admin-token';
import {
  exchange,
  failureOf,
  jsonOf,
  segment,
  unexpectedShape,
  type ExchangeContext,
  type ExchangeRequest,
  type FetchLike,
  type HttpAnswer,
} from './http-exchange';

/** Per request (DESIGN §13: 10 s unless --timeout-ms). */
export const DEFAULT_API_TIMEOUT_MS = 10_000;
/** How many GETs run at once when a list is read in full. */
const READ_CONCURRENCY = 4;

export interface ConnectionOptions {
  /** `us`, `eu`, `jp` or any two letters. */
  region: string;
  /** Default `https://v1.api.{region}.janrain.com`; `http://` only for a loopback host. */
  apiBase?: string;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
  /** For tests. Default: Node's global fetch. */
  fetch?: FetchLike;
  /** For tests. Default: the real clock. */
  now?: () => Date;
}

export interface IdentityCloudClientOptions extends ConnectionOptions {
  customerId: string;
  configClientId: string;
  configClientSecret: string;
}

/** The context of one client: base URL, fetch, timeout and the redactor that knows every secret seen. */
export function exchangeContext(options: ConnectionOptions): ExchangeContext {
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new IdentityCloudError('config', 'the timeout must be a positive number of milliseconds', { request: '' });
  }
  return {
    base: apiBaseFor(options.region, options.apiBase),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs,
    redactor: new SecretRedactor(),
  };
}

export class IdentityCloudClient {
  readonly #ctx: ExchangeContext;
  readonly #tokens: AdminTokenSource;
  readonly #customerPath: string;

  constructor(options: IdentityCloudClientOptions) {
    this.#ctx = exchangeContext(options);
    const customerId = checkCustomerId(options.customerId);
    this.#customerPath = `/${encodeURIComponent(customerId)}/config`;
    this.#tokens = new AdminTokenSource(
      this.#ctx,
      customerId,
      options.configClientId,
      options.configClientSecret,
      options.now ?? (() => new Date()),
    );
  }

  /** The base URL in use (never holds a secret). */
  get apiBase(): string {
    return this.#ctx.base;
  }

  // --- Login policies ---

  /** The list as the API gives it: id and title only (facts §9.2). */
  async listLoginPolicySummaries(): Promise<LoginPolicySummary[]> {
    const answer = await this.call('GET', '/loginPolicies');
    return this.embedded(answer, 'loginPolicies', 'a login policy list').map((item) => {
      if (typeof item.id !== 'string' || typeof item.title !== 'string') {
        throw unexpectedShape(answer, 'a login policy list (an item without id or title)');
      }
      return { id: item.id, title: item.title };
    });
  }

  /** Every login policy in full: the list, then a GET of each (the list holds no frozen block). */
  async listLoginPolicies(): Promise<LoginPolicyDocument[]> {
    const summaries = await this.listLoginPolicySummaries();
    return inBatches(summaries, (s) => this.getLoginPolicy(s.id));
  }

  async getLoginPolicy(id: string): Promise<LoginPolicyDocument> {
    return withId(await this.call('GET', `/loginPolicies/${segment(id)}`), 'a login policy');
  }

  /** POST: the body holds no `id` (the API assigns it); answers the created policy with its new id. */
  async createLoginPolicy(policy: JsonObject): Promise<LoginPolicyDocument> {
    return withId(await this.call('POST', '/loginPolicies', policy), 'the created login policy');
  }

  /** PUT the whole policy (id and identityStoreDetails unchanged; facts §1.2). */
  async updateLoginPolicy(id: string, policy: JsonObject): Promise<LoginPolicyDocument> {
    return withId(await this.call('PUT', `/loginPolicies/${segment(id)}`, policy), 'a login policy');
  }

  /**
   * DELETE. While OIDC clients still use the policy the API answers 409 with their paths: the error's kind is
   * `conflict` and `boundClients` lists their ids.
   */
  async deleteLoginPolicy(id: string): Promise<void> {
    const answer = await this.send('DELETE', `/loginPolicies/${segment(id)}`);
    if (answer.status === 409) throw stillBound(answer, failureOf(answer, 'hosted-login', this.#ctx.redactor));
    this.check(answer);
  }

  async getPushClaims(policyId: string): Promise<boolean> {
    const answer = await this.call('GET', `/loginPolicies/${segment(policyId)}/pushClaims`);
    return pushClaimsOf(answer);
  }

  /**
   * PUT. Only the status counts: the answer's body is not needed (a GET reads the setting), and an answer with none
   * (204, `{}`) must not fail a rotation that would then fail the same way on every resume. The same for the other PUTs.
   */
  async setPushClaims(policyId: string, enabled: boolean): Promise<void> {
    await this.call('PUT', `/loginPolicies/${segment(policyId)}/pushClaims`, { pushClaims: enabled });
  }

  async getAllowedResponseTypes(policyId: string): Promise<string[]> {
    const answer = await this.call('GET', `/loginPolicies/${segment(policyId)}/allowedResponseTypes`);
    return responseTypesOf(answer);
  }

  async setAllowedResponseTypes(policyId: string, types: readonly string[]): Promise<void> {
    await this.call('PUT', `/loginPolicies/${segment(policyId)}/allowedResponseTypes`, {
      allowedResponseTypes: [...types],
    });
  }

  // --- OIDC clients ---

  async listOidcClientSummaries(): Promise<OidcClientSummary[]> {
    const answer = await this.call('GET', '/clients');
    return this.embedded(answer, 'clients', 'an OIDC client list').map((item) => {
      if (typeof item.id !== 'string') throw unexpectedShape(answer, 'an OIDC client list (an item without id)');
      return { id: item.id, name: typeof item.name === 'string' ? item.name : '' };
    });
  }

  /** Every OIDC client in full (configuration clients included): the list, then a GET of each. */
  async listOidcClients(): Promise<OidcClientDocument[]> {
    const summaries = await this.listOidcClientSummaries();
    return inBatches(summaries, (s) => this.getOidcClient(s.id));
  }

  async getOidcClient(id: string): Promise<OidcClientDocument> {
    return withId(await this.call('GET', `/clients/${segment(id)}`), 'an OIDC client');
  }

  /** PUT the whole client back (facts §3.4: GET, change, PUT); `_links` is left out. A GET confirms, not the answer. */
  async putOidcClient(client: OidcClientDocument): Promise<void> {
    const { _links: _ignored, ...body } = client;
    await this.call('PUT', `/clients/${segment(client.id)}`, body);
  }

  /** One config call with the admin token; any answer but 2xx is an IdentityCloudError. */
  private async call(method: ExchangeRequest['method'], path: string, json?: unknown): Promise<HttpAnswer> {
    return this.check(await this.send(method, path, json));
  }

  private check(answer: HttpAnswer): HttpAnswer {
    if (answer.status < 200 || answer.status > 299) throw failureOf(answer, 'hosted-login', this.#ctx.redactor);
    return answer;
  }

  /**
   * Sends a config call with the admin token. A 403 means the token expired (facts §3.2): it is fetched again once
   * and the call retried once; the second answer stands, whatever it is, so there is never a loop.
   */
  private async send(method: ExchangeRequest['method'], path: string, json?: unknown): Promise<HttpAnswer> {
    const send = async (token: string): Promise<HttpAnswer> =>
      exchange(this.#ctx, {
        method,
        path: `${this.#customerPath}${path}`,
        authorization: `Bearer ${token}`,
        ...(json === undefined ? {} : { json }),
      });
    const token = await this.#tokens.get();
    const answer = await send(token);
    if (answer.status !== 403) return answer;
    this.#tokens.invalidate(token);
    return send(await this.#tokens.get());
  }

  /** The items of a HAL list `{total, _embedded: {<key>: [...]}}` (an empty list may leave `_embedded` out). */
  private embedded(answer: HttpAnswer, key: string, what: string): JsonObject[] {
    const body = jsonOf(answer);
    if (!isObject(body)) throw unexpectedShape(answer, what);
    if (body._embedded === undefined && (body.total === 0 || body.total === undefined)) return [];
    const items = isObject(body._embedded) ? body._embedded[key] : undefined;
    if (!Array.isArray(items) || !items.every(isObject)) throw unexpectedShape(answer, what);
    return items;
  }
}

function withId<T extends JsonObject & { id: string }>(answer: HttpAnswer, what: string): T {
  const body = jsonOf(answer);
  if (!isObject(body) || typeof body.id !== 'string') throw unexpectedShape(answer, what);
  return body as T;
}

function pushClaimsOf(answer: HttpAnswer): boolean {
  const body = jsonOf(answer);
  if (!isObject(body) || typeof body.pushClaims !== 'boolean') throw unexpectedShape(answer, 'a push-claims status');
  return body.pushClaims;
}

function responseTypesOf(answer: HttpAnswer): string[] {
  const body = jsonOf(answer);
  const types = isObject(body) ? body.allowedResponseTypes : undefined;
  if (!Array.isArray(types) || !types.every((t): t is string => typeof t === 'string')) {
    throw unexpectedShape(answer, 'a list of allowed response types');
  }
  return types;
}

/**
 * The 409 of a DELETE, with the bound clients' ids read from the documented body (facts §3.3: `errors` is a string
 * holding a JSON array of client paths). Any other 409 body keeps the plain conflict error.
 */
function stillBound(answer: HttpAnswer, plain: IdentityCloudError): IdentityCloudError {
  const errors = isObject(answer.json) ? answer.json.errors : undefined;
  let paths: unknown;
  try {
    paths = typeof errors === 'string' ? JSON.parse(errors) : undefined;
  } catch {
    return plain;
  }
  if (!Array.isArray(paths) || !paths.every((p): p is string => typeof p === 'string')) return plain;
  // Ids are the last segment of each path; keep only id-like text, since the body is the server's word.
  const ids = paths.map((p) => p.split('/').filter(Boolean).at(-1) ?? '').filter((id) => /^[\w.-]{1,100}$/.test(id));
  const what = `the login policy is still used by ${ids.length} OIDC client${ids.length === 1 ? '' : 's'} (HTTP 409): ${ids.join(', ')}`;
  return new IdentityCloudError('conflict', what, { request: answer.request, status: 409, boundClients: ids });
}

/**
 * Runs `read` over the items, a few at a time, keeping their order; the first failure fails the whole. Exported for
 * callers that read a list item by item themselves (`pull`, to report progress).
 */
export async function inBatches<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next++;
      try {
        results[index] = await read(items[index] as T);
      } catch (error) {
        failed = true; // the others take no new item
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  return results;
}
