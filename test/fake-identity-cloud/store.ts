// The fake's state: API clients with their secrets (several valid at once during a grace period) and entity types.
import { createHash, timingSafeEqual } from 'node:crypto';
import { newSecret } from './ids';
import type { FakeClient, FakeClientState, FakeSecret } from './types';

export const MAX_HOURS_TO_LIVE = 168;
const HOUR_MS = 3_600_000;

export interface StoredClient {
  readonly clientId: string;
  readonly secrets: FakeSecret[];
  readonly features: readonly string[];
  readonly description: string;
  readonly whitelist: readonly string[];
}

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function isHoursToLive(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_HOURS_TO_LIVE;
}

export class FakeStore {
  private readonly clients = new Map<string, StoredClient>();
  private types: string[];

  constructor(
    readonly now: () => Date,
    clients: readonly FakeClient[],
    entityTypes: readonly string[],
  ) {
    this.types = [...entityTypes];
    for (const client of clients) this.add(client);
  }

  get entityTypes(): string[] {
    return [...this.types];
  }

  set entityTypes(types: readonly string[]) {
    this.types = [...types];
  }

  /** Adds a client (a copy of it), replacing any client with the same id. */
  add(client: FakeClient): void {
    if (typeof client.clientId !== 'string' || client.clientId === '' || client.clientId.includes(':')) {
      throw new TypeError('FakeClient.clientId must be a non-empty string without ":"');
    }
    for (const s of client.secrets) {
      if (typeof s.secret !== 'string' || s.secret === '') throw new TypeError('every FakeSecret needs a secret');
    }
    this.clients.set(client.clientId, {
      clientId: client.clientId,
      secrets: client.secrets.map((s) => ({ secret: s.secret, expiresAt: s.expiresAt && new Date(s.expiresAt) })),
      features: [...client.features],
      description: client.description ?? '',
      whitelist: [...(client.whitelist ?? ['0.0.0.0/0'])],
    });
  }

  get(clientId: string): StoredClient | undefined {
    return this.clients.get(clientId);
  }

  list(): StoredClient[] {
    return [...this.clients.values()];
  }

  private alive(secret: FakeSecret, at = this.now()): boolean {
    return secret.expiresAt === undefined || secret.expiresAt.getTime() > at.getTime();
  }

  /** True when `secret` is one of the client's secrets that has not expired at now(). */
  accepts(client: StoredClient, secret: string): boolean {
    const at = this.now();
    let ok = false;
    for (const s of client.secrets) if (sameSecret(s.secret, secret) && this.alive(s, at)) ok = true;
    return ok;
  }

  /** The secrets that authenticate the client now (for Signature checks). */
  validSecrets(client: StoredClient): string[] {
    const at = this.now();
    return client.secrets.filter((s) => this.alive(s, at)).map((s) => s.secret);
  }

  /**
   * The newest unexpired secret: the last one valid until replaced, else the unexpired one that expires last.
   * When every secret has expired, the newest one anyway (Capture always reports a secret).
   */
  current(client: StoredClient): FakeSecret | undefined {
    const at = this.now();
    const newest = (candidates: FakeSecret[]): FakeSecret | undefined => {
      let best: FakeSecret | undefined;
      for (const s of candidates) {
        if (best === undefined) best = s;
        else if (s.expiresAt === undefined) best = s;
        else if (best.expiresAt !== undefined && s.expiresAt.getTime() >= best.expiresAt.getTime()) best = s;
      }
      return best;
    };
    return newest(client.secrets.filter((s) => this.alive(s, at))) ?? newest(client.secrets);
  }

  /**
   * Like clients/reset_secret: adds a new current secret; every older secret stops working `hoursToLive` hours
   * from now (or earlier, if it was already due to). Returns the new secret and when the old ones stop.
   */
  resetSecret(clientId: string, hoursToLive: number): { secret: string; previousValidUntil: Date } {
    const client = this.clients.get(clientId);
    if (!client) throw new Error(`no API client ${clientId}`);
    if (!isHoursToLive(hoursToLive)) {
      throw new RangeError(`hoursToLive must be an integer from 0 to ${MAX_HOURS_TO_LIVE}`);
    }
    const until = new Date(this.now().getTime() + hoursToLive * HOUR_MS);
    for (const s of client.secrets) {
      if (s.expiresAt === undefined || s.expiresAt.getTime() > until.getTime()) s.expiresAt = new Date(until);
    }
    let secret = newSecret();
    while (client.secrets.some((s) => s.secret === secret)) secret = newSecret();
    client.secrets.push({ secret });
    return { secret, previousValidUntil: until };
  }

  /** The secret-free view of every client. */
  state(): FakeClientState[] {
    const at = this.now();
    return this.list().map((client) => {
      const current = this.current(client);
      const entries = client.secrets.map((s) => ({
        status: !this.alive(s, at)
          ? ('expired' as const)
          : s === current
            ? ('current' as const)
            : ('previous' as const),
        expiresAt: s.expiresAt ? s.expiresAt.toISOString() : null,
      }));
      const valid = entries.filter((e) => e.status !== 'expired').length;
      return {
        clientId: client.clientId,
        features: [...client.features],
        owner: client.features.includes('owner'),
        description: client.description,
        whitelist: [...client.whitelist],
        secrets: { count: entries.length, valid, expired: entries.length - valid, entries },
      };
    });
  }
}
