// Capture API client authentication: Basic (recommended), janrain-signed `Signature`, legacy form parameters.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FakeStore, StoredClient } from './store';

/** What the request presented. Secrets stay in here; nothing in this module logs or echoes them. */
export type Credentials =
  | { kind: 'none' }
  | { kind: 'malformed'; reason: string; clientId?: string }
  | { kind: 'secret'; clientId: string; secret: string }
  | { kind: 'signature'; clientId: string; signature: string }
  | { kind: 'oauth' }
  | { kind: 'unsupported' };

export type AuthResult =
  { ok: true; client: StoredClient } | { ok: false; code: 402 | 205 | 414; error: string; description: string };

export const BAD_CREDENTIALS = 'the client id does not exist or the client secret was wrong';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBasic(token: string): Credentials {
  const invalid = 'the Authorization header is not valid Basic credentials: base64(client_id:client_secret)';
  if (!BASE64.test(token) || token.length % 4 === 1) return { kind: 'malformed', reason: invalid };
  let decoded: string;
  try {
    decoded = utf8.decode(Buffer.from(token, 'base64'));
  } catch {
    return { kind: 'malformed', reason: invalid };
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'malformed', reason: invalid };
  const clientId = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  if (clientId === '' || secret === '') {
    return { kind: 'malformed', reason: invalid, ...(clientId === '' ? {} : { clientId }) };
  }
  return { kind: 'secret', clientId, secret };
}

/** Reads the Authorization header, or (without one) the legacy `client_id`/`client_secret` parameters. */
export function readCredentials(authorization: string | undefined, params: ReadonlyMap<string, string>): Credentials {
  const header = authorization?.trim() ?? '';
  if (header === '') {
    const clientId = params.get('client_id');
    const secret = params.get('client_secret');
    if (clientId === undefined && secret === undefined) return { kind: 'none' };
    if (!clientId || !secret || clientId.includes(':')) {
      return {
        kind: 'malformed',
        reason: 'the client_id and client_secret parameters must both be given',
        ...(clientId ? { clientId } : {}),
      };
    }
    return { kind: 'secret', clientId, secret };
  }
  const space = header.search(/\s/);
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const rest = space < 0 ? '' : header.slice(space).trim();
  switch (scheme) {
    case 'basic':
      return decodeBasic(rest);
    case 'signature': {
      const colon = rest.indexOf(':');
      if (colon <= 0 || colon === rest.length - 1) {
        return { kind: 'malformed', reason: 'the Authorization header is not a valid Signature client_id:signature' };
      }
      return { kind: 'signature', clientId: rest.slice(0, colon), signature: rest.slice(colon + 1) };
    }
    case 'oauth':
      return { kind: 'oauth' };
    default:
      return { kind: 'unsupported' };
  }
}

/** The client id a request claims, valid or not (for the request log). Never a secret. */
export function claimedClientId(credentials: Credentials): string | undefined {
  return credentials.kind === 'secret' || credentials.kind === 'signature' || credentials.kind === 'malformed'
    ? credentials.clientId
    : undefined;
}

/**
 * The janrain-signed string, as janrain-python-api builds it: "<path>\n<Date>\n" then the sorted "k=v" lines, each
 * ending in "\n".
 */
export function signedString(path: string, date: string, params: ReadonlyMap<string, string>): string {
  const lines = [...params].map(([k, v]) => `${k}=${v}`).sort();
  return `${path}\n${date}\n${lines.map((l) => `${l}\n`).join('')}`;
}

export function sign(secret: string, path: string, date: string, params: ReadonlyMap<string, string>): string {
  return createHmac('sha1', secret)
    .update(signedString(path, date, params), 'utf8')
    .digest('base64');
}

function signatureMatches(
  store: FakeStore,
  client: StoredClient,
  signature: string,
  path: string,
  date: string,
  params: ReadonlyMap<string, string>,
): boolean {
  const given = Buffer.from(signature, 'base64');
  let ok = false;
  for (const secret of store.validSecrets(client)) {
    const expected = Buffer.from(sign(secret, path, date, params), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}

/** Checks the credentials against the store at its now(): any unexpired secret of the client is accepted. */
export function authenticate(
  store: FakeStore,
  credentials: Credentials,
  request: { path: string; date?: string; params: ReadonlyMap<string, string> },
): AuthResult {
  const fail = (code: 402 | 205 | 414, error: string, description: string): AuthResult => ({
    ok: false,
    code,
    error,
    description,
  });
  switch (credentials.kind) {
    case 'none':
      return fail(
        402,
        'invalid_client_credentials',
        'no client credentials: the Authorization header is missing (send Basic base64(client_id:client_secret))',
      );
    case 'malformed':
      return fail(402, 'invalid_client_credentials', credentials.reason);
    case 'unsupported':
      return fail(
        205,
        'invalid_auth_method',
        'the Authorization header uses an HTTP auth method other than Basic, Signature or OAuth',
      );
    case 'oauth':
      return fail(414, 'access_token_expired', 'the access_token is not valid (this fake issues no access tokens)');
    case 'secret': {
      const client = store.get(credentials.clientId);
      if (!client || !store.accepts(client, credentials.secret)) {
        return fail(402, 'invalid_client_credentials', BAD_CREDENTIALS);
      }
      return { ok: true, client };
    }
    case 'signature': {
      if (!request.date) {
        return fail(402, 'invalid_client_credentials', 'a Signature request needs a Date header (YYYY-MM-DD HH:MM:SS)');
      }
      const client = store.get(credentials.clientId);
      if (
        !client ||
        !signatureMatches(store, client, credentials.signature, request.path, request.date, request.params)
      ) {
        return fail(402, 'invalid_client_credentials', BAD_CREDENTIALS);
      }
      return { ok: true, client };
    }
  }
}
