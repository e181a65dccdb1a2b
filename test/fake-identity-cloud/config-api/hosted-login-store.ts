// The Hosted Login side of the fake: login policies (with their push-claims status and allowed response types) and
// OIDC clients with their `loginPolicy` binding. One customer. The Capture secrets live in ../store.ts.
import { randomUUID } from 'node:crypto';
import type { JsonObject } from './fields';
import { policyDocument, type PolicyFields } from './policy-body';

/** Values `/allowedResponseTypes` accepts (facts §9.3). */
export const RESPONSE_TYPES = ['code', 'id_token', 'token', 'token id_token'] as const;
/** What a new policy allows until someone sets it (not documented; the authorization code flow is the default). */
export const DEFAULT_RESPONSE_TYPES: readonly string[] = ['code'];

export interface StoredPolicy {
  readonly id: string;
  fields: PolicyFields;
  pushClaims: boolean;
  allowedResponseTypes: string[];
}

/** An OIDC client of the fake (facts §3.4). What GET returns is `id`, the document fields, `_links`. */
export interface FakeOidcClient {
  /** Default: a random UUID. */
  id?: string;
  name: string;
  type: 'public' | 'confidential';
  /** The login policy id; configuration clients have none. */
  loginPolicy?: string;
  tokenPolicy: string;
  redirectURIs?: string[];
  /** Any other fields GET should return (kept after `type`, before `_links`). */
  extra?: Record<string, unknown>;
  /** A confidential client's own secret (token endpoint Basic auth). Never served. */
  secret?: string;
  /** Scopes its token policy lets it ask the token endpoint for: `['*:config/**']` for a configuration client. */
  tokenScopes?: string[];
}

export interface StoredOidcClient {
  readonly id: string;
  /** The fields GET returns besides id and _links, keys in GET order. */
  document: JsonObject;
  readonly secret?: string;
  readonly tokenScopes: readonly string[];
}

/** The order GET returns an OIDC client's known fields in (facts §3.4); other fields follow in the order given. */
const CLIENT_KEY_ORDER = ['name', 'redirectURIs', 'loginPolicy', 'tokenPolicy', 'type'];

export function orderClientDocument(fields: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of CLIENT_KEY_ORDER) if (fields[key] !== undefined) out[key] = fields[key];
  for (const [key, value] of Object.entries(fields)) if (!(key in out)) out[key] = value;
  return out;
}

export class HostedLoginStore {
  private readonly policies = new Map<string, StoredPolicy>();
  private readonly clients = new Map<string, StoredOidcClient>();

  constructor(readonly customerId: string) {}

  policy(id: string): StoredPolicy | undefined {
    return this.policies.get(id);
  }

  policyList(): StoredPolicy[] {
    return [...this.policies.values()];
  }

  /** Creates a policy (a new random UUID unless `id` is given) and returns it. */
  createPolicy(
    fields: PolicyFields,
    options: { id?: string; pushClaims?: boolean; allowedResponseTypes?: readonly string[] } = {},
  ): StoredPolicy {
    const id = options.id ?? randomUUID();
    if (this.policies.has(id)) throw new Error(`a login policy ${id} exists already`);
    const stored: StoredPolicy = {
      id,
      fields: structuredClone(fields),
      pushClaims: options.pushClaims ?? false,
      allowedResponseTypes: [...(options.allowedResponseTypes ?? DEFAULT_RESPONSE_TYPES)],
    };
    this.policies.set(id, stored);
    return stored;
  }

  /** Removes the policy, or returns the OIDC clients still bound to it (and removes nothing). */
  deletePolicy(id: string): { deleted: true } | { deleted: false; boundClients: string[] } {
    const boundClients = this.clientsBoundTo(id).map((c) => c.id);
    if (boundClients.length > 0) return { deleted: false, boundClients };
    this.policies.delete(id);
    return { deleted: true };
  }

  policyDocument(policy: StoredPolicy): JsonObject {
    return policyDocument(this.customerId, policy.id, policy.fields);
  }

  client(id: string): StoredOidcClient | undefined {
    return this.clients.get(id);
  }

  clientList(): StoredOidcClient[] {
    return [...this.clients.values()];
  }

  clientsBoundTo(policyId: string): StoredOidcClient[] {
    return this.clientList().filter((c) => c.document.loginPolicy === policyId);
  }

  /** Adds (or replaces) an OIDC client. Its `loginPolicy`, when set, must name an existing policy. */
  addClient(client: FakeOidcClient): StoredOidcClient {
    if (client.loginPolicy !== undefined && !this.policies.has(client.loginPolicy)) {
      throw new Error(`no login policy ${client.loginPolicy}`);
    }
    const id = client.id ?? randomUUID();
    const stored: StoredOidcClient = {
      id,
      document: orderClientDocument({
        name: client.name,
        ...(client.redirectURIs ? { redirectURIs: [...client.redirectURIs] } : {}),
        ...(client.loginPolicy ? { loginPolicy: client.loginPolicy } : {}),
        tokenPolicy: client.tokenPolicy,
        type: client.type,
        ...structuredClone(client.extra ?? {}),
      }),
      ...(client.secret === undefined ? {} : { secret: client.secret }),
      tokenScopes: [...(client.tokenScopes ?? [])],
    };
    this.clients.set(id, stored);
    return stored;
  }

  /** Replaces what GET returns for the client (a PUT that passed its checks). */
  replaceClientDocument(id: string, document: JsonObject): void {
    const client = this.clients.get(id);
    if (client) client.document = orderClientDocument(document);
  }

  clientDocument(client: StoredOidcClient): JsonObject {
    return {
      id: client.id,
      ...structuredClone(client.document),
      _links: { self: { href: `/${this.customerId}/config/clients/${client.id}` } },
    };
  }
}
