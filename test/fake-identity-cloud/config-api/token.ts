// The admin token (facts §3.2): POST /{customerId}/login/token with a configuration client's Basic credentials and
// grant_type=client_credentials; Bearer tokens that expire after expires_in; 403 Forbidden once they have.
import { randomBytes } from 'node:crypto';
import { readCredentials } from '../auth';
import type { Reply } from '../http-util';
import { sameSecret } from '../store';
import { fail } from './fields';
import type { HostedLoginStore } from './hosted-login-store';
import { answering, apiError, forbidden, json, methodNotAllowed, unauthorized } from './replies';

/** The scope that gives full read/write on the config endpoints (facts §3.2). */
export const CONFIG_SCOPE = '*:config/**';
/** One hour (facts §3.2). */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlSeconds: number,
  ) {}

  issue(clientId: string): { token: string; expiresIn: number } {
    const at = this.now().getTime();
    for (const [token, issued] of this.tokens) if (issued.expiresAt <= at) this.tokens.delete(token);
    // 48 random bytes: 64 URL-safe characters, like the documented tokens.
    const token = randomBytes(48).toString('base64url');
    this.tokens.set(token, { clientId, expiresAt: at + this.ttlSeconds * 1000 });
    return { token, expiresIn: this.ttlSeconds };
  }

  /** True for a token this fake issued that has not expired at now(). */
  accepts(token: string): boolean {
    const issued = this.tokens.get(token);
    return issued !== undefined && issued.expiresAt > this.now().getTime();
  }

  /** Every token issued so far stops working (as if an hour had passed). */
  expireAll(): void {
    this.tokens.clear();
  }

  /** Tokens that still work. */
  get live(): number {
    const at = this.now().getTime();
    return [...this.tokens.values()].filter((t) => t.expiresAt > at).length;
  }
}

/** The Bearer token of an Authorization header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** The token endpoint. Authentication comes first (401), then the grant type (400), then the scope (403). */
export function handleToken(
  store: HostedLoginStore,
  tokens: TokenStore,
  call: { method: string; authorization: string | undefined; params: ReadonlyMap<string, string> },
): Reply {
  if (call.method !== 'POST') return methodNotAllowed(['POST']);
  const credentials = readCredentials(call.authorization, new Map());
  if (credentials.kind !== 'secret') return unauthorized();
  const client = store.client(credentials.clientId);
  if (!client?.secret || !sameSecret(client.secret, credentials.secret)) return unauthorized();
  return answering(() => {
    const grant = call.params.get('grant_type');
    if (grant === undefined) fail(['grant_type'], 'field required');
    if (grant !== 'client_credentials') return apiError(400, 'unsupported_grant_type');
    const scope = call.params.get('scope') ?? CONFIG_SCOPE;
    // A client whose token policy does not allow the scope (a login client, or a read-only policy) is refused.
    const wanted = scope.split(/\s+/).filter(Boolean);
    if (wanted.length === 0 || !wanted.every((s) => client.tokenScopes.includes(s))) return forbidden();
    const { token, expiresIn } = tokens.issue(client.id);
    return json({ access_token: token, expires_in: expiresIn, token_type: 'Bearer', scope });
  });
}
