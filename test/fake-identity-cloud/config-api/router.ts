// Which Hosted Login / Configuration API endpoint a request is for, and the Bearer check in front of the config
// endpoints. Served from the same base URL as the Capture endpoints (DESIGN §13: LOGIN_POLICY_API_BASE).
import type { Reply } from '../http-util';
import { readParams } from '../http-util';
import type { FakeStore } from '../store';
import { handleApiClients } from './api-clients';
import type { HostedLoginStore } from './hosted-login-store';
import { handleLoginPolicies } from './login-policies';
import { handleOidcClients } from './oidc-clients';
import { forbidden, notFound } from './replies';
import { bearerToken, handleToken, type TokenStore } from './token';

export interface ConfigApiContext {
  readonly customerId: string;
  readonly applicationId: string;
  readonly capture: FakeStore;
  readonly hostedLogin: HostedLoginStore;
  readonly tokens: TokenStore;
}

export interface ConfigApiCall {
  method: string;
  path: string;
  query: string;
  body: string;
  contentType: string | undefined;
  authorization: string | undefined;
}

/** /config/... (Configuration API) and /{customerId}/login/... or /{customerId}/config/... (Hosted Login). */
export function isConfigApiPath(path: string): boolean {
  return /^\/config(\/|$)/.test(path) || /^\/[^/]+\/(login|config)(\/|$)/.test(path);
}

function segments(path: string): string[] | undefined {
  const parts = path.split('/').slice(1);
  if (parts.at(-1) === '') parts.pop();
  try {
    return parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
}

export function handleConfigApi(ctx: ConfigApiContext, call: ConfigApiCall): Reply {
  const parts = segments(call.path);
  if (!parts) return notFound();
  const [first, area, resource, ...rest] = parts;
  if (first === 'config') {
    return handleApiClients(ctx.capture, ctx.applicationId, { ...call, rest: parts.slice(1) });
  }
  // Another customer's paths do not exist here (one customer per fake).
  if (first !== ctx.customerId) return notFound();
  if (area === 'login') {
    if (resource !== 'token' || rest.length > 0) return notFound();
    const params = readParams('', call.body, call.contentType);
    return handleToken(ctx.hostedLogin, ctx.tokens, { ...call, params });
  }
  // Every config call needs a Bearer token that has not expired (facts §3.2).
  const token = bearerToken(call.authorization);
  if (token === undefined || !ctx.tokens.accepts(token)) return forbidden();
  switch (resource) {
    case 'loginPolicies':
      return handleLoginPolicies(ctx.hostedLogin, call.method, rest, call.body);
    case 'clients':
      return handleOidcClients(ctx.hostedLogin, call.method, rest, call.body);
    default:
      return notFound();
  }
}
