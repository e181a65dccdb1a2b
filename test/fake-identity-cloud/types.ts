// Public types of the fake Identity Cloud; server.ts re-exports them.
import type { FaultKind, FaultState } from './faults';
import type { SignInCounter } from './sign-in';

export interface FakeSecret {
  secret: string;
  /** undefined: valid until replaced; a Date: stops working then */
  expiresAt?: Date;
}

export interface FakeClient {
  /** Must not be empty and must not contain ':' (Basic auth splits on the first colon). */
  clientId: string;
  /**
   * Every secret that authenticates the client, oldest first. The current secret (the one `clients/list`
   * reports) is the last unexpired one without `expiresAt`, else the unexpired one that expires last.
   */
  secrets: FakeSecret[];
  features: string[];
  /** Default "". The Configuration API reports it as `name`. */
  description?: string;
  /** Reported by `clients/list`, not enforced. Default ["0.0.0.0/0"]. */
  whitelist?: string[];
}

export type FakeMode = 'normal' | 'timeout' | 'error500' | 'rateLimit' | 'notJson' | 'reset';

export const FAKE_MODES: readonly FakeMode[] = ['normal', 'timeout', 'error500', 'rateLimit', 'notJson', 'reset'];

export interface FakeCloudOptions {
  clients?: FakeClient[];
  /** What `entityType.list` returns. Default ["user"]. */
  entityTypes?: string[];
  /** The clock for secret and token expiry (and the `at` of logged requests). Default: the real clock. */
  now?: () => Date;
  /** Default 127.0.0.1. The control endpoints have no auth: keep the fake on loopback. */
  host?: string;
  /** Default 0 = ephemeral. */
  port?: number;
  /** Called after each request is logged (main.ts prints it). Gets the same secret-free record. */
  onRequest?: (request: FakeRequest) => void;
  /** How many of the most recent requests `requests` keeps. Default 10000. */
  requestLogLimit?: number;
  /** The one customer whose Hosted Login paths (`/{customerId}/...`) exist. Default DEFAULT_CUSTOMER_ID. */
  customerId?: string;
  /** The Capture application the API clients belong to (`/config/{app_id}/...`). Default DEFAULT_APPLICATION_ID. */
  applicationId?: string;
  /** `expires_in` of admin tokens. Default 3600. */
  tokenTtlSeconds?: number;
}

export interface FakeRequest {
  method: string;
  /** The path without its query string (a query could carry legacy `client_secret`). */
  path: string;
  /** The client id the request claimed (Basic, Signature or legacy `client_id`), valid or not. */
  clientId?: string;
  /** HTTP status sent; 0 when no response was sent (modes `timeout` and `reset`, faults that drop the answer). */
  status: number;
  /** Capture error code of the answer, when it was a `"stat": "error"` body. */
  code?: number;
  /** The injected fault this request met, if any. */
  fault?: FaultKind;
  at: Date;
}

/** One secret as the state view shows it: never the value. */
export interface FakeSecretState {
  status: 'current' | 'previous' | 'expired';
  /** ISO time, or null for "valid until replaced". */
  expiresAt: string | null;
}

export interface FakeClientState {
  clientId: string;
  features: string[];
  owner: boolean;
  description: string;
  whitelist: string[];
  secrets: { count: number; valid: number; expired: number; entries: FakeSecretState[] };
}

/** A login policy as the state view shows it: whether Capture takes its owner credentials, never the secret. */
export interface FakeLoginPolicyState {
  id: string;
  title: string;
  domain: string;
  ownerClientId: string;
  /** What Capture says about the embedded credentials now (the live check's answer). */
  ownerCredentials: 'accepted' | 'rejected' | 'not-owner';
  pushClaims: boolean;
  allowedResponseTypes: string[];
  /** OIDC clients bound to it. */
  clients: string[];
}

export interface FakeOidcClientState {
  id: string;
  name: string;
  type: string;
  loginPolicy: string | null;
  /** null for a client without a login policy (configuration clients). */
  signInWorks: boolean | null;
}

/** What `GET /__fake/state` returns. */
export interface FakeState {
  url: string;
  host: string;
  mode: FakeMode;
  now: string;
  requestCount: number;
  entityTypes: string[];
  clients: FakeClientState[];
  customerId: string;
  applicationId: string;
  loginPolicies: FakeLoginPolicyState[];
  oidcClients: FakeOidcClientState[];
  liveTokens: number;
  faults: FaultState[];
  signIns: Record<string, SignInCounter>;
}
