// The login policy object (facts §1.2, §2): reading a POST or PUT body the way the API does, and the document GET
// returns, with its keys in the order of Akamai's own examples.
import { BodyError, dict, fail, noExtraKeys, requiredString, stringMap, type JsonObject } from './fields';

export interface ConnectionDetails {
  domain: string;
  applicationId: string;
  entityType: string;
  clientId: string;
  clientSecret: string;
}

export interface PolicyFields {
  identityStoreDetails: { type: 'janrainCapture'; connectionDetails: ConnectionDetails };
  loginURL: string;
  title: string;
  customClaims?: { id_token?: Record<string, string>; userinfo?: Record<string, string> };
}

const TOP_KEYS = ['id', 'identityStoreDetails', 'loginURL', 'customClaims', 'title', '_links'];
const CONNECTION_KEYS = ['domain', 'applicationId', 'entityType', 'clientId', 'clientSecret'] as const;

/**
 * Reads a body. `create` (POST): no `id` (the server assigns it, facts §1.2), unknown keys refused. `update` (PUT):
 * `id` required (the caller checks it equals the path). `_links` is accepted and ignored by both. Throws BodyError.
 */
export function readPolicyBody(body: unknown, mode: 'create' | 'update'): { id?: string; fields: PolicyFields } {
  const object = dict(body, []);
  const id = mode === 'update' ? requiredString(object, 'id') : undefined;
  const store = dict(required(object, 'identityStoreDetails'), ['identityStoreDetails']);
  const type = requiredString(store, 'type', ['identityStoreDetails']);
  if (type !== 'janrainCapture')
    fail(['identityStoreDetails', 'type'], "unexpected value; permitted: 'janrainCapture'");
  const loc = ['identityStoreDetails', 'connectionDetails'];
  const details = dict(required(store, 'connectionDetails', ['identityStoreDetails']), loc);
  const connectionDetails = {} as ConnectionDetails;
  for (const key of CONNECTION_KEYS) connectionDetails[key] = requiredString(details, key, loc);
  noExtraKeys(details, CONNECTION_KEYS, loc);
  noExtraKeys(store, ['type', 'connectionDetails'], ['identityStoreDetails']);
  const loginURL = requiredString(object, 'loginURL');
  const title = requiredString(object, 'title');
  const fields: PolicyFields = { identityStoreDetails: { type, connectionDetails }, loginURL, title };
  if (object.customClaims !== undefined) fields.customClaims = readClaims(object.customClaims);
  noExtraKeys(object, mode === 'create' ? TOP_KEYS.filter((k) => k !== 'id') : TOP_KEYS);
  return { ...(id === undefined ? {} : { id }), fields };
}

function required(object: JsonObject, key: string, loc: string[] = []): unknown {
  if (object[key] === undefined || object[key] === null) fail([...loc, key], 'field required');
  return object[key];
}

function readClaims(value: unknown): NonNullable<PolicyFields['customClaims']> {
  const claims = dict(value, ['customClaims']);
  noExtraKeys(claims, ['id_token', 'userinfo'], ['customClaims']);
  const out: NonNullable<PolicyFields['customClaims']> = {};
  if (claims.id_token !== undefined) out.id_token = stringMap(claims.id_token, ['customClaims', 'id_token']);
  if (claims.userinfo !== undefined) out.userinfo = stringMap(claims.userinfo, ['customClaims', 'userinfo']);
  return out;
}

/** The policy as GET returns it: id, identityStoreDetails, loginURL, customClaims (when set), title, _links. */
export function policyDocument(customerId: string, id: string, fields: PolicyFields): JsonObject {
  const c = fields.identityStoreDetails.connectionDetails;
  return {
    id,
    identityStoreDetails: {
      type: 'janrainCapture',
      connectionDetails: {
        domain: c.domain,
        applicationId: c.applicationId,
        entityType: c.entityType,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
      },
    },
    loginURL: fields.loginURL,
    ...(fields.customClaims ? { customClaims: structuredClone(fields.customClaims) } : {}),
    title: fields.title,
    _links: { self: { href: `/${customerId}/config/loginPolicies/${id}` } },
  };
}

/** True when two identityStoreDetails blocks hold the same values (key order does not matter). */
export function sameIdentityStore(a: PolicyFields, b: PolicyFields): boolean {
  const x = a.identityStoreDetails.connectionDetails;
  const y = b.identityStoreDetails.connectionDetails;
  return a.identityStoreDetails.type === b.identityStoreDetails.type && CONNECTION_KEYS.every((k) => x[k] === y[k]);
}

export { BodyError };
