// /{customerId}/config/clients[/{id}]: list, GET and PUT of OIDC clients (facts §3.4). A PUT replaces the whole
// object; `loginPolicy` and `tokenPolicy` can be replaced but never removed, `type` never changes.
import type { Reply } from '../http-util';
import { dict, fail, parseJsonBody, requiredString } from './fields';
import type { HostedLoginStore, StoredOidcClient } from './hosted-login-store';
import { answering, apiError, json, methodNotAllowed, notFound } from './replies';

export function handleOidcClients(store: HostedLoginStore, method: string, rest: string[], body: string): Reply {
  const [id, ...more] = rest;
  if (id === undefined) {
    if (method !== 'GET') return methodNotAllowed(['GET']);
    // Items carry only id, name and _links (DESIGN §13): the binding needs a GET per client.
    const clients = store.clientList().map((c) => {
      const { name, _links } = store.clientDocument(c);
      return { id: c.id, name, _links };
    });
    return json({ total: clients.length, _embedded: { clients } });
  }
  const client = store.client(id);
  if (!client || more.length > 0) return notFound();
  if (method === 'GET') return json(store.clientDocument(client));
  if (method !== 'PUT') return methodNotAllowed(['GET', 'PUT']);
  return answering(() => put(store, client, body));
}

function put(store: HostedLoginStore, client: StoredOidcClient, body: string): Reply {
  const object = dict(parseJsonBody(body), []);
  const { id, _links: _ignored, ...document } = object;
  if (id !== undefined && id !== client.id) fail(['id'], 'does not match the client id in the path');
  requiredString(document, 'name');
  const type = requiredString(document, 'type');
  if (type !== client.document.type) return apiError(400, 'type cannot be changed');
  requiredString(document, 'tokenPolicy');
  if (client.document.loginPolicy !== undefined || document.loginPolicy !== undefined) {
    // Never removed (facts §3.4, NOREMOVE): the documented wording for tokenPolicy, by analogy.
    const policyId = requiredString(document, 'loginPolicy');
    if (!store.policy(policyId)) return apiError(400, `login policy ${policyId} does not exist`);
  }
  if (document.redirectURIs !== undefined) stringList(document.redirectURIs, 'redirectURIs');
  if ('secret' in document || 'client_secret' in document) {
    return apiError(400, 'the client secret cannot be changed with PUT; use /secret');
  }
  store.replaceClientDocument(client.id, document);
  return json(store.clientDocument(client));
}

function stringList(value: unknown, key: string): void {
  if (!Array.isArray(value)) fail([key], 'value is not a valid list');
  value.forEach((entry: unknown, i) => {
    if (typeof entry !== 'string') fail([key, i], 'str type expected');
  });
}
