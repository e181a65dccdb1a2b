// One HTTP exchange with Identity Cloud: fetch with a timeout (for the answer and its body), no redirect followed,
// the body read as JSON when it is JSON; and the reading of a failed answer as an IdentityCloudError. Every secret
// sent or received is remembered by the redactor, so an `errors` text that echoes one is masked.
import { SecretRedactor } from '../shared/redact';
import { IdentityCloudError, oneLine } from './api-error';
import { networkReason } from './network-reason';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ExchangeContext {
  readonly base: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly redactor: SecretRedactor;
}

export interface ExchangeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Already encoded, starting with "/". Also the request's name in messages, so it must hold no secret. */
  path: string;
  authorization: string;
  json?: unknown;
  form?: Record<string, string>;
}

export interface HttpAnswer {
  /** `GET /path`, for messages. */
  request: string;
  status: number;
  contentType: string;
  /** Whether the body parsed as JSON (an empty body does not). */
  isJson: boolean;
  json: unknown;
}

/** Who answers a failure: the token endpoint, a Hosted Login config call, or the Configuration API (owner). */
export type Audience = 'token' | 'hosted-login' | 'owner';

export async function exchange(ctx: ExchangeContext, req: ExchangeRequest): Promise<HttpAnswer> {
  const request = `${req.method} ${req.path}`;
  const headers: Record<string, string> = { accept: 'application/json', authorization: req.authorization };
  let body: string | undefined;
  if (req.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.json);
    rememberSecrets(req.json, ctx.redactor);
  } else if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(req.form).toString();
  }
  // One signal for the answer and its body: a server that sends headers and then stalls still times out.
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  let response: Response;
  let text: string;
  try {
    // A redirect could carry the Authorization header elsewhere; Identity Cloud does not redirect these calls.
    response = await ctx.fetch(`${ctx.base}${req.path}`, {
      method: req.method,
      headers,
      body,
      redirect: 'manual',
      signal,
    });
    text = await response.text();
  } catch (error) {
    throw networkError(error, request, ctx.timeoutMs);
  }
  let json: unknown;
  let isJson = false;
  if (text.trim() !== '') {
    try {
      json = JSON.parse(text) as unknown;
      isJson = true;
      rememberSecrets(json, ctx.redactor);
    } catch {
      // Not JSON: the caller decides whether that matters; the text is never shown.
    }
  }
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() || 'no content type';
  return { request, status: response.status, contentType, isJson, json };
}

function networkError(error: unknown, request: string, timeoutMs: number): IdentityCloudError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new IdentityCloudError('timeout', `no answer within ${seconds(timeoutMs)} (timeout)`, { request });
  }
  return new IdentityCloudError('network', networkReason(error, timeoutMs), { request });
}

/** An id as one path segment: encoded, and never empty (an empty id would address the collection). */
export function segment(id: string): string {
  if (id === '') throw new IdentityCloudError('config', 'an empty id was given', { request: '' });
  return encodeURIComponent(id);
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The JSON body of a successful answer, or a not-json error naming the status and content type. */
export function jsonOf(answer: HttpAnswer): unknown {
  if (!answer.isJson) {
    throw new IdentityCloudError('not-json', `the answer was not JSON (HTTP ${answer.status}, ${answer.contentType})`, {
      request: answer.request,
      status: answer.status,
    });
  }
  return answer.json;
}

/** An answer that is JSON but not the shape expected. */
export function unexpectedShape(answer: HttpAnswer, expected: string): IdentityCloudError {
  return new IdentityCloudError('unexpected', `the answer is not ${expected} (HTTP ${answer.status})`, {
    request: answer.request,
    status: answer.status,
  });
}

/** The error for a non-2xx answer, in the words that fit who answered. */
export function failureOf(answer: HttpAnswer, audience: Audience, redactor: SecretRedactor): IdentityCloudError {
  const { status, request } = answer;
  const detail = errorsText(answer, redactor);
  const make = (kind: IdentityCloudError['kind'], what: string): IdentityCloudError =>
    new IdentityCloudError(kind, detail ? `${what}: ${detail}` : what, {
      request,
      status,
      ...(detail ? { detail } : {}),
    });
  const client = audience === 'owner' ? 'the owner client' : 'the configuration client';
  if (status === 401) return make('credentials', `${client} id or secret was refused (HTTP 401)`);
  if (status === 403) {
    if (audience === 'token') {
      return make(
        'scope',
        'the configuration client may not get an admin token (HTTP 403): it must be a configuration client whose token policy allows *:config/**',
      );
    }
    if (audience === 'owner')
      return make('forbidden', 'the owner client may not do this (HTTP 403): it needs the owner feature');
    return make(
      'forbidden',
      "refused even with a fresh admin token (HTTP 403): the configuration client's token policy may not allow it",
    );
  }
  if (status === 404) {
    return audience === 'token'
      ? make('not-found', 'no such customer (HTTP 404): check the customer id and the region')
      : make('not-found', 'not found (HTTP 404)');
  }
  if (status === 409) return make('conflict', 'conflict (HTTP 409)');
  if (status === 400 || status === 422) return make('bad-request', `refused (HTTP ${status})`);
  if (status === 429) return make('rate-limited', 'Identity Cloud is rate limiting (HTTP 429); try again later');
  if (status >= 500) return make('server', `Identity Cloud failed (HTTP ${status})`);
  if (status >= 300 && status < 400)
    return make('unexpected', `answered with a redirect (HTTP ${status}), not followed`);
  return make('unexpected', `unexpected answer (HTTP ${status})`);
}

/** The API's `{"errors": ...}` text, masked and on one line; undefined when the body holds none. */
function errorsText(answer: HttpAnswer, redactor: SecretRedactor): string | undefined {
  if (!answer.isJson || typeof answer.json !== 'object' || answer.json === null) return undefined;
  const errors = (answer.json as { errors?: unknown }).errors;
  if (errors === undefined || errors === null || errors === '') return undefined;
  const text = typeof errors === 'string' ? errors : JSON.stringify(errors);
  return oneLine(redactor.redact(text), 300);
}

const SECRET_KEY = /secret|password|(^|_)token$/i;

/** Remembers every string under a key that names a secret (clientSecret, _secret, access_token, …). */
export function rememberSecrets(value: unknown, redactor: SecretRedactor, depth = 0): void {
  if (depth > 8 || typeof value !== 'object' || value === null) return;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'string' && SECRET_KEY.test(key)) redactor.add(entry);
    else rememberSecrets(entry, redactor, depth + 1);
  }
}

export { SecretRedactor };
