// /{customerId}/config/loginPolicies[/{id}[/pushClaims | /allowedResponseTypes]] (facts §3.3, §9; DESIGN §13's
// assumptions for what the vendor's docs leave open).
import type { Reply } from '../http-util';
import { dict, fail, parseJsonBody } from './fields';
import { RESPONSE_TYPES, type HostedLoginStore, type StoredPolicy } from './hosted-login-store';
import { readPolicyBody, sameIdentityStore } from './policy-body';
import { answering, apiError, json, methodNotAllowed, notFound } from './replies';

/** `rest` is the path after `loginPolicies`, split on "/". */
export function handleLoginPolicies(store: HostedLoginStore, method: string, rest: string[], body: string): Reply {
  const [id, sub, ...more] = rest;
  if (id === undefined) return collection(store, method, body);
  const policy = store.policy(id);
  if (!policy || more.length > 0) return notFound();
  switch (sub) {
    case undefined:
      return item(store, policy, method, body);
    case 'pushClaims':
      return pushClaims(policy, method, body);
    case 'allowedResponseTypes':
      return allowedResponseTypes(policy, method, body);
    default:
      return notFound();
  }
}

function collection(store: HostedLoginStore, method: string, body: string): Reply {
  if (method === 'GET') {
    // Lists carry only id, title and _links (facts §9.2): a frozen block needs a GET per policy.
    const loginPolicies = store.policyList().map((p) => {
      const { id, title, _links } = store.policyDocument(p);
      return { id, title, _links };
    });
    return json({ total: loginPolicies.length, _embedded: { loginPolicies } });
  }
  if (method !== 'POST') return methodNotAllowed(['GET', 'POST']);
  return answering(() => {
    const { fields } = readPolicyBody(parseJsonBody(body), 'create');
    return json(store.policyDocument(store.createPolicy(fields)), 201);
  });
}

function item(store: HostedLoginStore, policy: StoredPolicy, method: string, body: string): Reply {
  switch (method) {
    case 'GET':
      return json(store.policyDocument(policy));
    case 'PUT':
      return answering(() => {
        const { id, fields } = readPolicyBody(parseJsonBody(body), 'update');
        if (id !== policy.id) fail(['id'], 'does not match the login policy id in the path');
        // The frozen block (facts §1.2, MLP): any change in it, the secret included, is refused.
        if (!sameIdentityStore(fields, policy.fields)) return apiError(400, 'identityStoreDetails cannot be changed');
        // A PUT replaces the object: customClaims left out are gone (facts §1.2, gotcha 4).
        policy.fields = fields;
        return json(store.policyDocument(policy));
      });
    case 'DELETE': {
      const result = store.deletePolicy(policy.id);
      if (result.deleted) return { status: 204, body: undefined };
      // The documented body (facts §3.3, DLP): a string holding a JSON array of client paths, then "\n".
      const paths = result.boundClients.map((c) => `/customers/${store.customerId}/clients/${c}`);
      return apiError(409, `${JSON.stringify(paths).replace(/","/g, '", "')}\n`);
    }
    default:
      return methodNotAllowed(['GET', 'PUT', 'DELETE']);
  }
}

function pushClaims(policy: StoredPolicy, method: string, body: string): Reply {
  if (method === 'GET') return json({ pushClaims: policy.pushClaims });
  if (method !== 'PUT') return methodNotAllowed(['GET', 'PUT']);
  return answering(() => {
    const object = dict(parseJsonBody(body), []);
    const value = object.pushClaims;
    if (value === undefined) fail(['pushClaims'], 'field required');
    if (typeof value !== 'boolean') fail(['pushClaims'], 'value could not be parsed to a boolean');
    for (const key of Object.keys(object)) if (key !== 'pushClaims') fail([key], 'extra fields not permitted');
    policy.pushClaims = value;
    return json({ pushClaims: value });
  });
}

function allowedResponseTypes(policy: StoredPolicy, method: string, body: string): Reply {
  if (method === 'GET') return json({ allowedResponseTypes: [...policy.allowedResponseTypes] });
  if (method !== 'PUT') return methodNotAllowed(['GET', 'PUT']);
  return answering(() => {
    const object = dict(parseJsonBody(body), []);
    const value = object.allowedResponseTypes;
    const loc = ['allowedResponseTypes'];
    if (value === undefined) fail(loc, 'field required');
    if (!Array.isArray(value)) fail(loc, 'value is not a valid list');
    if (value.length === 0) fail(loc, 'ensure this value has at least 1 items');
    const permitted = RESPONSE_TYPES.map((t) => `'${t}'`).join(', ');
    value.forEach((entry: unknown, i) => {
      if (typeof entry !== 'string' || !(RESPONSE_TYPES as readonly string[]).includes(entry)) {
        fail([...loc, i], `value is not a valid enumeration member; permitted: ${permitted}`);
      }
    });
    for (const key of Object.keys(object))
      if (key !== 'allowedResponseTypes') fail([key], 'extra fields not permitted');
    policy.allowedResponseTypes = [...new Set(value as string[])];
    return json({ allowedResponseTypes: [...policy.allowedResponseTypes] });
  });
}
