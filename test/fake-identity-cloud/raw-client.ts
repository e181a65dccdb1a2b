// Raw HTTP calls for tests of the fake itself: exact statuses and bodies, no interpretation (the product's client
// is server/src/identity-cloud/). Also a token helper for the Hosted Login endpoints.

export interface RawAnswer {
  status: number;
  type: string;
  text: string;
  /** The parsed body, or undefined when it was not JSON. */
  json: unknown;
  headers: Headers;
}

export interface RawCall {
  method?: string;
  /** A full Authorization header value. */
  auth?: string;
  /** Sent as JSON (a string is sent as is, with the JSON content type). */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  signal?: AbortSignal;
}

export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export async function rawCall(base: string, path: string, options: RawCall = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = {};
  if (options.auth !== undefined) headers.authorization = options.auth;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = typeof options.json === 'string' ? options.json : JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const res = await fetch(`${base}${path}`, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json, headers: res.headers };
}

/** An admin token for `clientId`/`secret` from the fake at `base` (throws unless it answers 200). */
export async function adminToken(base: string, customerId: string, clientId: string, secret: string): Promise<string> {
  const answer = await rawCall(base, `/${customerId}/login/token`, {
    auth: basicAuth(clientId, secret),
    form: { grant_type: 'client_credentials', scope: '*:config/**' },
  });
  const token = (answer.json as { access_token?: unknown } | undefined)?.access_token;
  if (answer.status !== 200 || typeof token !== 'string') throw new Error(`no token: HTTP ${answer.status}`);
  return token;
}
