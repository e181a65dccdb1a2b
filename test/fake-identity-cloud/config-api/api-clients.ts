// The Capture Configuration API's API clients (facts §3.5): GET /config/{app_id}/clients[/{client_id}] and the
// secret reset PUT /config/{app_id}/clients/{client_id}/secret {"hoursToLive": H}. Basic auth with an owner API
// client; the secrets are the Capture store's, so a reset here is the same reset Capture's endpoints see.
import { readCredentials } from '../auth';
import type { Reply } from '../http-util';
import { isHoursToLive, MAX_HOURS_TO_LIVE, type FakeStore, type StoredClient } from '../store';
import { dict, fail, parseJsonBody } from './fields';
import { answering, forbidden, json, methodNotAllowed, notFound, unauthorized } from './replies';

export interface ApiClientsCall {
  method: string;
  /** The path after /config, split on "/": [app_id, 'clients', client_id?, 'secret'?]. */
  rest: string[];
  authorization: string | undefined;
  query: string;
  body: string;
}

export function handleApiClients(store: FakeStore, applicationId: string, call: ApiClientsCall): Reply {
  const credentials = readCredentials(call.authorization, new Map());
  if (credentials.kind !== 'secret') return unauthorized();
  const caller = store.get(credentials.clientId);
  if (!caller || !store.accepts(caller, credentials.secret)) return unauthorized();
  // Owner permission is needed for client data and for a reset (facts §3.5).
  if (!caller.features.includes('owner')) return forbidden();
  const [appId, collection, clientId, sub, ...more] = call.rest;
  if (appId !== applicationId || collection !== 'clients' || more.length > 0) return notFound();
  if (clientId === undefined) {
    if (call.method !== 'GET') return methodNotAllowed(['GET']);
    // One has_feature parameter per feature; a client with at least one of them is listed (as legacy has_features).
    const wanted = new URLSearchParams(call.query).getAll('has_feature');
    const clients = store.list().filter((c) => wanted.length === 0 || wanted.some((f) => c.features.includes(f)));
    return json(clients.map((c) => apiClientDocument(store, appId, c)));
  }
  const client = store.get(clientId);
  if (!client) return notFound();
  if (sub === undefined) {
    return call.method === 'GET' ? json(apiClientDocument(store, appId, client)) : methodNotAllowed(['GET']);
  }
  if (sub !== 'secret') return notFound();
  if (call.method !== 'PUT') return methodNotAllowed(['PUT']);
  return answering(() => {
    const hours = dict(parseJsonBody(call.body), []).hoursToLive;
    if (hours === undefined) fail(['hoursToLive'], 'field required');
    if (typeof hours !== 'number' || !Number.isInteger(hours)) fail(['hoursToLive'], 'value is not a valid integer');
    if (!isHoursToLive(hours)) {
      fail(
        ['hoursToLive'],
        hours < 0
          ? 'ensure this value is greater than or equal to 0'
          : `ensure this value is less than or equal to ${MAX_HOURS_TO_LIVE}`,
      );
    }
    store.resetSecret(client.clientId, hours);
    // The answer is the client object, whose _secret is now the new secret (DESIGN §13).
    return json(apiClientDocument(store, appId, client));
  });
}

/** An API client as the Configuration API returns it (facts §3.5): `_secret` is its current secret. */
function apiClientDocument(store: FakeStore, appId: string, client: StoredClient): Record<string, unknown> {
  const self = `/config/${appId}/clients/${client.clientId}`;
  return {
    _id: client.clientId,
    _secret: store.current(client)?.secret ?? '',
    _self: self,
    _settings: `${self}/settings`,
    name: client.description,
    features: [...client.features],
    ipWhitelist: [...client.whitelist],
  };
}
