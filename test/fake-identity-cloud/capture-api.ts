// The Capture API endpoints the linter uses (entityType.list, clients/list, clients/reset_secret), answered as
// Capture does: HTTP 200 with "stat": "ok" or a Capture error body.
import { authenticate, type Credentials } from './auth';
import { newRequestId } from './ids';
import type { Reply } from './http-util';
import { MAX_HOURS_TO_LIVE, type FakeStore, type StoredClient } from './store';

export type { Reply } from './http-util';

export interface CaptureCall {
  method: string;
  path: string;
  params: ReadonlyMap<string, string>;
  credentials: Credentials;
  /** The Date header (janrain-signed requests sign it). */
  date?: string;
}

interface Endpoint {
  methods: readonly string[];
  /** Owner-only endpoints answer 403 client_permission_error to any other valid client. */
  ownerOnly: boolean;
  run(store: FakeStore, params: ReadonlyMap<string, string>, client: StoredClient): Reply;
}

/** A Capture error body: stat, code, error, error_description, extra fields, a fresh 16-char request_id. */
export function captureError(
  code: number,
  error: string,
  description: string,
  extra: Record<string, string> = {},
  status = 200,
): Reply {
  return {
    status,
    code,
    body: { stat: 'error', code, error, error_description: description, ...extra, request_id: newRequestId() },
  };
}

const ok = (fields: Record<string, unknown>): Reply => ({ status: 200, body: { ...fields, stat: 'ok' } });

const missingArgument = (name: string): Reply =>
  captureError(100, 'missing_argument', `missing required argument: ${name}`, { argument_name: name });

const invalidArgument = (name: string, reason: string): Reply =>
  captureError(200, 'invalid_argument', `${name} was not valid for the following reason: ${reason}`, {
    argument_name: name,
  });

function entityTypeList(store: FakeStore): Reply {
  return { status: 200, body: { results: store.entityTypes, stat: 'ok' } };
}

function clientsList(store: FakeStore, params: ReadonlyMap<string, string>): Reply {
  const raw = params.get('has_features');
  let wanted: string[] | undefined;
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return invalidArgument('has_features', 'the JSON is not syntactically valid');
    }
    if (!Array.isArray(parsed) || !parsed.every((f): f is string => typeof f === 'string')) {
      return invalidArgument('has_features', 'expected a JSON array of feature names');
    }
    wanted = parsed;
  }
  const results = store
    .list()
    .filter((client) => wanted === undefined || wanted.some((f) => client.features.includes(f)))
    .map((client) => ({
      client_id: client.clientId,
      client_secret: store.current(client)?.secret ?? '',
      description: client.description,
      whitelist: [...client.whitelist],
      features: [...client.features],
    }));
  return ok({ results });
}

function resetSecret(store: FakeStore, params: ReadonlyMap<string, string>): Reply {
  const forClientId = params.get('for_client_id');
  if (!forClientId) return missingArgument('for_client_id');
  const hours = params.get('hours_to_live');
  if (hours === undefined || hours === '') return missingArgument('hours_to_live');
  if (!/^\d{1,3}$/.test(hours) || Number(hours) > MAX_HOURS_TO_LIVE) {
    return invalidArgument('hours_to_live', `must be an integer from 0 to ${MAX_HOURS_TO_LIVE}`);
  }
  if (!store.get(forClientId)) return invalidArgument('for_client_id', 'there is no API client with that id');
  return ok({ new_secret: store.resetSecret(forClientId, Number(hours)).secret });
}

export const CAPTURE_ENDPOINTS: ReadonlyMap<string, Endpoint> = new Map<string, Endpoint>([
  ['/entityType.list', { methods: ['GET', 'POST'], ownerOnly: true, run: entityTypeList }],
  ['/clients/list', { methods: ['GET', 'POST'], ownerOnly: true, run: clientsList }],
  ['/clients/reset_secret', { methods: ['POST'], ownerOnly: true, run: resetSecret }],
]);

/**
 * Unknown path: HTTP 404 with a Capture-style body, code 100 missing_argument (no API method of that name).
 * Known path, wrong HTTP method: HTTP 405 with an Allow header and the same kind of body.
 */
export function route(method: string, path: string): { endpoint: Endpoint } | { reply: Reply } {
  const endpoint = CAPTURE_ENDPOINTS.get(path);
  if (!endpoint) {
    return { reply: captureError(100, 'missing_argument', `there is no API method at ${path}`, {}, 404) };
  }
  if (!endpoint.methods.includes(method)) {
    const reply = captureError(
      100,
      'missing_argument',
      `${path} does not accept ${method}; use ${endpoint.methods.join(' or ')}`,
      {},
      405,
    );
    return { reply: { ...reply, headers: { Allow: endpoint.methods.join(', ') } } };
  }
  return { endpoint };
}

/** Routes, authenticates (any unexpired secret), checks the owner feature, then runs the endpoint. */
export function handleCapture(store: FakeStore, call: CaptureCall): Reply {
  const routed = route(call.method, call.path);
  if ('reply' in routed) return routed.reply;
  const auth = authenticate(store, call.credentials, call);
  if (!auth.ok) return captureError(auth.code, auth.error, auth.description);
  if (routed.endpoint.ownerOnly && !auth.client.features.includes('owner')) {
    return captureError(
      403,
      'client_permission_error',
      `the client ${auth.client.clientId} does not have the owner feature needed for ${call.path}`,
    );
  }
  return routed.endpoint.run(store, call.params, auth.client);
}
