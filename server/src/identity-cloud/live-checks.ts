// Live checks with manners: results cached per (host, client, secret fingerprint) with a time to live, failures
// backed off exponentially, one request at a time per host. Used by the language server and the CLI.
import type { LiveCheck, LiveCheckResult } from '../engine/facts';
import { liveCheckKey } from '../engine/facts';
import type { PolicyModel } from '../engine/policy/model';
import { PATHS } from '../engine/policy/paths';
import { fingerprint, isFingerprinted } from '../shared/fingerprint';
import { checkOwnerCredentials, type Credentials } from './capture-check';
import { endpointFor, type Endpoint } from './hosts';

/** How long a live check may take by default. */
export const DEFAULT_TIMEOUT_MS = 5000;

export interface LiveCheckSettings {
  readonly allowedHosts: readonly string[];
  readonly timeoutMs: number;
  /** Where the user changes allowedHosts, for the message when a host is refused. */
  readonly allowedHostsSetting?: string;
}

export interface LiveCheckRequest extends Credentials {
  readonly domain: string;
}

/**
 * The embedded credentials of a policy, when it has all three. A fingerprint in place of the secret (`sha256:<hex>`)
 * is no credential: sending it would only earn a 402, which would read as a stale secret.
 */
export function credentialsOf(model: PolicyModel): LiveCheckRequest | undefined {
  const domain = model.string(PATHS.domain);
  const clientId = model.string(PATHS.clientId);
  const clientSecret = model.string(PATHS.clientSecret);
  if (clientSecret !== undefined && isFingerprinted(clientSecret)) return undefined;
  return domain && clientId && clientSecret ? { domain, clientId, clientSecret } : undefined;
}

export type LiveCheckOutcome =
  | { readonly performed: true; readonly check: LiveCheck }
  | { readonly performed: false; readonly reason: string; readonly check?: LiveCheck };

interface Entry {
  check: LiveCheck;
  /** The last answer that decided something, kept when a later check fails. */
  decisive?: LiveCheck;
  /** After this (ms since epoch) a new check may be made. */
  freshUntil: number;
  failures: number;
}

export interface LiveCheckServiceOptions {
  readonly now?: () => Date;
  /** How long a decisive answer (accepted, rejected, not owner) is reused. */
  readonly ttlMs?: number;
  /** First back-off after a failure; doubles per failure, up to maxBackoffMs. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  readonly checker?: (endpoint: Endpoint, credentials: Credentials, timeoutMs: number) => Promise<LiveCheckResult>;
}

export class LiveCheckService {
  private readonly entries = new Map<string, Entry>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly inFlight = new Map<string, Promise<LiveCheckOutcome>>();
  private readonly now: () => Date;
  private readonly ttlMs: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly checker: NonNullable<LiveCheckServiceOptions['checker']>;

  constructor(options: LiveCheckServiceOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.backoffMs = options.backoffMs ?? 30_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10 * 60_000;
    this.checker = options.checker ?? checkOwnerCredentials;
  }

  /**
   * Every result, by liveCheckKey, for the analysis facts: the latest answer, or the last decisive one when the
   * latest check failed (a failed check never undoes what Capture already said).
   */
  results(): ReadonlyMap<string, LiveCheck> {
    return new Map(
      [...this.entries].map(([key, entry]) => [
        key,
        entry.check.outcome === 'failed' && entry.decisive ? entry.decisive : entry.check,
      ]),
    );
  }

  /** The last result for these credentials, if any. */
  lastResult(request: LiveCheckRequest): LiveCheck | undefined {
    return this.entries.get(this.keyOf(request))?.check;
  }

  /**
   * Checks the credentials unless a fresh result exists (`force` skips a fresh decisive result, never a
   * failure back-off). Refuses hosts that are not allowed.
   */
  async check(request: LiveCheckRequest, settings: LiveCheckSettings, force = false): Promise<LiveCheckOutcome> {
    const endpoint = endpointFor(request.domain, settings.allowedHosts);
    if ('refused' in endpoint) {
      const hint = settings.allowedHostsSetting ? `; add it to ${settings.allowedHostsSetting} to check it` : '';
      return { performed: false, reason: `${endpoint.refused}${hint}` };
    }
    const key = this.keyOf(request);
    const existing = this.entries.get(key);
    const now = this.now().getTime();
    if (existing && now < existing.freshUntil) {
      const failed = existing.check.outcome === 'failed';
      if (failed || !force) {
        return {
          performed: false,
          reason: failed
            ? `backing off after a failed check until ${new Date(existing.freshUntil).toISOString()}`
            : 'a recent result exists',
          check: existing.check,
        };
      }
    }
    // The same credentials asked for twice at once (three files with one secret): one request.
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const running = this.request(key, endpoint, request, settings, existing);
    this.inFlight.set(key, running);
    try {
      return await running;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async request(
    key: string,
    endpoint: Endpoint,
    request: LiveCheckRequest,
    settings: LiveCheckSettings,
    existing: Entry | undefined,
  ): Promise<LiveCheckOutcome> {
    // One request at a time per host: queue behind the previous one.
    const previous = this.queues.get(endpoint.host) ?? Promise.resolve();
    const run = previous.then(() => this.checker(endpoint, request, settings.timeoutMs));
    this.queues.set(
      endpoint.host,
      run.catch(() => undefined),
    );
    const result = await run.catch((): LiveCheckResult => ({ outcome: 'failed', reason: 'internal error' }));
    const check: LiveCheck = { ...result, host: endpoint.host, checkedAt: this.now().toISOString() };
    const failures =
      result.outcome === 'failed' ? (existing?.check.outcome === 'failed' ? existing.failures + 1 : 1) : 0;
    const wait = failures > 0 ? Math.min(this.backoffMs * 2 ** (failures - 1), this.maxBackoffMs) : this.ttlMs;
    const decisive =
      result.outcome === 'failed'
        ? (existing?.decisive ?? (existing?.check.outcome !== 'failed' ? existing?.check : undefined))
        : check;
    this.entries.set(key, {
      check,
      failures,
      freshUntil: this.now().getTime() + wait,
      ...(decisive ? { decisive } : {}),
    });
    return { performed: true, check };
  }

  private keyOf(request: LiveCheckRequest): string {
    return liveCheckKey(request.domain.trim(), request.clientId, fingerprint(request.clientSecret));
  }
}
