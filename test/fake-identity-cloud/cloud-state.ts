// Everything the fake knows and the in-code API over it, without HTTP: Capture's API clients and secrets, the
// Hosted Login policies and OIDC clients, admin tokens, injected faults, the sign-in simulation. server.ts serves it.
// Each change that can decide a sign-in (here or through a request) is followed by signIns.judgeNow().
import type { ConfigApiContext } from './config-api/router';
import { BodyError, type JsonObject } from './config-api/fields';
import { HostedLoginStore, type FakeOidcClient, type StoredPolicy } from './config-api/hosted-login-store';
import { readPolicyBody } from './config-api/policy-body';
import { DEFAULT_TOKEN_TTL_SECONDS, TokenStore } from './config-api/token';
import { FaultInjector, type FaultSpec, type FaultState } from './faults';
import { SignInSimulator, type SignInCounter, type SignInLoad, type SignInResult } from './sign-in';
import { FakeStore } from './store';
import type { FakeClient, FakeCloudOptions, FakeLoginPolicyState, FakeOidcClientState } from './types';

/** The facts file's example customer id (§2.2). */
export const DEFAULT_CUSTOMER_ID = '5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19';
/** The facts file's example Capture application id (§2.1). */
export const DEFAULT_APPLICATION_ID = 'q7w2e9r4t6y1u8i3o5p0a2s4dz';

export interface NewLoginPolicyOptions {
  /** Default: a random UUID. An `id` in the policy itself is used too. */
  id?: string;
  pushClaims?: boolean;
  allowedResponseTypes?: string[];
}

export class FakeCloudState {
  readonly customerId: string;
  readonly applicationId: string;
  protected readonly store: FakeStore;
  protected readonly hostedLogin: HostedLoginStore;
  protected readonly tokens: TokenStore;
  protected readonly faultInjector = new FaultInjector();
  protected readonly signIns: SignInSimulator;

  protected constructor(
    options: FakeCloudOptions,
    /** 127.0.0.1:PORT: the Capture domain this fake serves, what a policy's `domain` says. */
    readonly host: string,
  ) {
    const now = options.now ?? ((): Date => new Date());
    this.store = new FakeStore(now, options.clients ?? [], options.entityTypes ?? ['user']);
    this.customerId = options.customerId ?? DEFAULT_CUSTOMER_ID;
    this.applicationId = options.applicationId ?? DEFAULT_APPLICATION_ID;
    this.hostedLogin = new HostedLoginStore(this.customerId);
    this.tokens = new TokenStore(now, options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS);
    this.signIns = new SignInSimulator({ hostedLogin: this.hostedLogin, capture: this.store, captureHost: host, now });
  }

  // --- Capture: API clients and secrets ---

  /** Adds a client, replacing any client with the same id. */
  addClient(client: FakeClient): void {
    this.store.add(client);
    this.signIns.judgeNow();
  }

  hasClient(clientId: string): boolean {
    return this.store.get(clientId) !== undefined;
  }

  /** Like clients/reset_secret: a new 32-char [a-z0-9] secret; the old ones stay valid for hoursToLive hours (0 = stop now). */
  resetSecret(clientId: string, hoursToLive: number): string {
    return this.resetSecretWithExpiry(clientId, hoursToLive).secret;
  }

  resetSecretWithExpiry(clientId: string, hoursToLive: number): { secret: string; previousValidUntil: Date } {
    const reset = this.store.resetSecret(clientId, hoursToLive);
    this.signIns.judgeNow();
    return reset;
  }

  /** The secret `clients/list` reports for the client now (for test setup; never logged). */
  currentSecret(clientId: string): string | undefined {
    const client = this.store.get(clientId);
    return client && this.store.current(client)?.secret;
  }

  /** What `entityType.list` returns from now on. */
  setEntityTypes(entityTypes: readonly string[]): void {
    this.store.entityTypes = entityTypes;
  }

  // --- Hosted Login: login policies and OIDC clients ---

  /**
   * Adds a login policy as a POST body would create it (an `id` in it, or in options, fixes its id). Returns the
   * document GET returns. Throws TypeError with the API's wording when the body would be refused.
   */
  addLoginPolicy(policy: JsonObject, options: NewLoginPolicyOptions = {}): JsonObject {
    const { id, _links: _ignored, ...body } = policy;
    let fields;
    try {
      fields = readPolicyBody(body, 'create').fields;
    } catch (error) {
      if (error instanceof BodyError) throw new TypeError(error.message, { cause: error });
      throw error;
    }
    const givenId = options.id ?? (typeof id === 'string' ? id : undefined);
    const stored = this.hostedLogin.createPolicy(fields, {
      ...(givenId === undefined ? {} : { id: givenId }),
      ...(options.pushClaims === undefined ? {} : { pushClaims: options.pushClaims }),
      ...(options.allowedResponseTypes ? { allowedResponseTypes: options.allowedResponseTypes } : {}),
    });
    this.signIns.judgeNow();
    return this.hostedLogin.policyDocument(stored);
  }

  /** The login policy as GET returns it (secret included: test setup only), or undefined. */
  loginPolicy(id: string): JsonObject | undefined {
    const policy = this.hostedLogin.policy(id);
    return policy && this.hostedLogin.policyDocument(policy);
  }

  loginPolicies(): JsonObject[] {
    return this.hostedLogin.policyList().map((p) => this.hostedLogin.policyDocument(p));
  }

  /** The sub-resources of a policy: push-claims status and allowed response types. */
  loginPolicySettings(id: string): { pushClaims: boolean; allowedResponseTypes: string[] } | undefined {
    const policy = this.hostedLogin.policy(id);
    return policy && { pushClaims: policy.pushClaims, allowedResponseTypes: [...policy.allowedResponseTypes] };
  }

  /** Adds (or replaces) an OIDC client; returns it as GET returns it. Its loginPolicy must exist. */
  addOidcClient(client: FakeOidcClient): JsonObject {
    const added = this.hostedLogin.addClient(client);
    this.signIns.judgeNow();
    return this.hostedLogin.clientDocument(added);
  }

  oidcClient(id: string): JsonObject | undefined {
    const client = this.hostedLogin.client(id);
    return client && this.hostedLogin.clientDocument(client);
  }

  oidcClients(): JsonObject[] {
    return this.hostedLogin.clientList().map((c) => this.hostedLogin.clientDocument(c));
  }

  /** Every admin token issued so far stops working: the next config call gets 403 Forbidden. */
  expireTokens(): void {
    this.tokens.expireAll();
  }

  // --- Faults ---

  /** Adds a per-request fault (see FaultSpec); returns its id. The first added fault that matches is used. */
  injectFault(spec: FaultSpec): number {
    return this.faultInjector.add(spec);
  }

  removeFault(id: number): boolean {
    return this.faultInjector.remove(id);
  }

  clearFaults(): void {
    this.faultInjector.clear();
  }

  faults(): FaultState[] {
    return this.faultInjector.list();
  }

  // --- Sign-ins ---

  /** One simulated sign-in through the OIDC client, judged now; counted in signInCounters(). */
  signIn(oidcClientId: string): SignInResult {
    return this.signIns.signIn(oidcClientId);
  }

  signInCounters(): Record<string, SignInCounter> {
    return this.signIns.counters();
  }

  resetSignInCounters(): void {
    this.signIns.resetCounters();
  }

  /** Signs in through every login client at `ratePerSecond` in total (default 200) until the load is stopped. */
  startSignInLoad(options: { ratePerSecond?: number } = {}): SignInLoad {
    return this.signIns.startLoad(options);
  }

  protected configApi(): ConfigApiContext {
    return {
      customerId: this.customerId,
      applicationId: this.applicationId,
      capture: this.store,
      hostedLogin: this.hostedLogin,
      tokens: this.tokens,
    };
  }

  protected loginPolicyStates(): FakeLoginPolicyState[] {
    return this.hostedLogin.policyList().map((p) => this.policyState(p));
  }

  protected oidcClientStates(): FakeOidcClientState[] {
    return this.hostedLogin.clientList().map((c) => {
      const loginPolicy = typeof c.document.loginPolicy === 'string' ? c.document.loginPolicy : null;
      return {
        id: c.id,
        name: String(c.document.name),
        type: String(c.document.type),
        loginPolicy,
        signInWorks: loginPolicy === null ? null : this.signIns.wouldSignIn(c.id),
      };
    });
  }

  private policyState(policy: StoredPolicy): FakeLoginPolicyState {
    const details = policy.fields.identityStoreDetails.connectionDetails;
    const owner = this.store.get(details.clientId);
    const accepted = owner !== undefined && this.store.accepts(owner, details.clientSecret);
    return {
      id: policy.id,
      title: policy.fields.title,
      domain: details.domain,
      ownerClientId: details.clientId,
      ownerCredentials: !accepted ? 'rejected' : owner.features.includes('owner') ? 'accepted' : 'not-owner',
      pushClaims: policy.pushClaims,
      allowedResponseTypes: [...policy.allowedResponseTypes],
      clients: this.hostedLogin.clientsBoundTo(policy.id).map((c) => c.id),
    };
  }
}
