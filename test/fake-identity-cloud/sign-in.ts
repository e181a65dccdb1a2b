// The sign-in simulation (DESIGN §14): a sign-in through an OIDC client works when the login policy it is bound to
// embeds owner credentials Capture accepts at that moment (grace periods included), the live check's own rule.
// Counters per client, and a load that signs in through every client at a steady total rate until stopped. While a
// load runs, every login client is also judged right after each change that decides a sign-in and at each grace
// period's end: "no failed sign-in at any moment" then holds for every state the fake was in, not only sampled ones.
import { performance } from 'node:perf_hooks';
import type { HostedLoginStore } from './config-api/hosted-login-store';
import type { FakeStore } from './store';

export type SignInFailure =
  | 'unknown-client'
  | 'no-login-policy'
  | 'unknown-login-policy'
  | 'unknown-capture-domain'
  | 'credentials-rejected'
  | 'not-owner';

export type SignInResult =
  | { ok: true; clientId: string; loginPolicy: string }
  | { ok: false; clientId: string; reason: SignInFailure; loginPolicy?: string };

export interface SignInCounter {
  attempted: number;
  failed: number;
}

export interface SignInFigures {
  attempted: number;
  failed: number;
  perClient: Record<string, SignInCounter>;
  /** ISO times on the fake's clock; null when nothing failed. */
  firstFailureAt: string | null;
  lastFailureAt: string | null;
  ratePerSecond: number;
  elapsedMs: number;
  /**
   * The part of attempted/failed judged right after a change (a client re-pointed, a policy created or deleted, a
   * secret reset) or at a grace period's end, rather than sampled by the load's clock.
   */
  atChanges: SignInCounter;
}

export interface SignInDeps {
  hostedLogin: HostedLoginStore;
  capture: FakeStore;
  /** The Capture domain this fake serves (`127.0.0.1:PORT`): a policy naming another one cannot sign anyone in. */
  captureHost: string;
  now: () => Date;
}

/** Why a sign-in fails, in words (for the control endpoint and test messages). */
export const SIGN_IN_FAILURES: Record<SignInFailure, string> = {
  'unknown-client': 'there is no OIDC client with that id',
  'no-login-policy': 'the client has no login policy (a configuration client cannot sign anyone in)',
  'unknown-login-policy': 'the client is bound to a login policy that does not exist',
  'unknown-capture-domain': "the login policy's domain is not the Capture domain this fake serves",
  'credentials-rejected': "Capture refuses the login policy's owner credentials (stale or wrong secret)",
  'not-owner': "the login policy's client is not an owner client",
};

export class SignInSimulator {
  private readonly counts = new Map<string, SignInCounter>();
  private readonly loads = new Set<SignInLoad>();
  private expiryTimer: NodeJS.Timeout | undefined;
  /** The grace period end (ms on the fake's clock) judged last: each is judged once, even on a clock that stands still. */
  private judgedExpiry = -Infinity;

  constructor(private readonly deps: SignInDeps) {}

  /** One sign-in through the client, judged on the state at this moment; counted (not by a load). */
  signIn(clientId: string): SignInResult {
    return this.attempt(clientId, [], false);
  }

  /** One of `load`'s sampled sign-ins. */
  sampleFor(load: SignInLoad, clientId: string): SignInResult {
    return this.attempt(clientId, [load], false);
  }

  /**
   * While a load runs: a sign-in through every login client, judged now and counted by every running load. The fake
   * calls it right after each change that can decide a sign-in and at each grace period's end; between two of those
   * moments no sign-in can start failing, so a client bound to a dead policy for less than a sampling gap is seen too.
   */
  judgeNow(): void {
    if (this.loads.size === 0) return;
    const loads = [...this.loads];
    for (const clientId of this.loginClients()) this.attempt(clientId, loads, true);
    this.watchExpiries();
  }

  /** Whether a sign-in through the client would work now (not counted). */
  wouldSignIn(clientId: string): boolean {
    return this.judge(clientId).ok;
  }

  /** Attempts and failures per client since the start (or resetCounters). */
  counters(): Record<string, SignInCounter> {
    return Object.fromEntries([...this.counts].map(([id, c]) => [id, { ...c }]));
  }

  resetCounters(): void {
    this.counts.clear();
  }

  /** The OIDC clients people sign in through: those bound to a login policy. */
  loginClients(): string[] {
    return this.deps.hostedLogin
      .clientList()
      .filter((c) => typeof c.document.loginPolicy === 'string')
      .map((c) => c.id);
  }

  /**
   * Signs in through every login client (as they are at each moment: clients re-pointed or added count at once),
   * round robin, `ratePerSecond` in total, until stop().
   */
  startLoad(options: { ratePerSecond?: number } = {}): SignInLoad {
    const load = new SignInLoad(this, options.ratePerSecond ?? 200, this.deps.now, () => {
      this.loads.delete(load);
      this.watchExpiries();
    });
    this.loads.add(load);
    this.watchExpiries();
    return load;
  }

  /** Stops every running load (close()). */
  stopAll(): void {
    for (const load of [...this.loads]) load.stop();
  }

  private attempt(clientId: string, loads: readonly SignInLoad[], atChange: boolean): SignInResult {
    const result = this.judge(clientId);
    const count = this.counts.get(clientId) ?? { attempted: 0, failed: 0 };
    count.attempted++;
    if (!result.ok) count.failed++;
    this.counts.set(clientId, count);
    for (const load of loads) load.record(result, atChange);
    return result;
  }

  /**
   * While a load runs, a timer for the next end of a grace period (the next moment a secret stops working without a
   * request), which judges every client just after it.
   */
  private watchExpiries(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (this.loads.size === 0) return;
    const now = this.deps.now().getTime();
    let next = Infinity;
    for (const client of this.deps.capture.list()) {
      for (const { expiresAt } of client.secrets) {
        const at = expiresAt?.getTime();
        if (at !== undefined && at > Math.max(now, this.judgedExpiry) && at < next) next = at;
      }
    }
    if (next === Infinity) return;
    // A secret works while expiresAt > now: 1 ms after it, it does not. The longest timeout Node takes is 2^31-1 ms.
    this.expiryTimer = setTimeout(
      () => {
        this.judgedExpiry = next;
        this.judgeNow();
      },
      Math.min(next - now + 1, 2 ** 31 - 1),
    );
    this.expiryTimer.unref();
  }

  private judge(clientId: string): SignInResult {
    const client = this.deps.hostedLogin.client(clientId);
    if (!client) return { ok: false, clientId, reason: 'unknown-client' };
    const loginPolicy = client.document.loginPolicy;
    if (typeof loginPolicy !== 'string') return { ok: false, clientId, reason: 'no-login-policy' };
    const fail = (reason: SignInFailure): SignInResult => ({ ok: false, clientId, reason, loginPolicy });
    const policy = this.deps.hostedLogin.policy(loginPolicy);
    if (!policy) return fail('unknown-login-policy');
    const details = policy.fields.identityStoreDetails.connectionDetails;
    if (details.domain.trim().toLowerCase() !== this.deps.captureHost.toLowerCase()) {
      return fail('unknown-capture-domain');
    }
    const owner = this.deps.capture.get(details.clientId);
    if (!owner || !this.deps.capture.accepts(owner, details.clientSecret)) return fail('credentials-rejected');
    if (!owner.features.includes('owner')) return fail('not-owner');
    return { ok: true, clientId, loginPolicy };
  }
}

/** A running sign-in load. Its figures count only its own sign-ins. */
export class SignInLoad {
  private readonly started = performance.now();
  private stoppedAt: number | undefined;
  private attempted = 0;
  private failed = 0;
  private readonly perClient = new Map<string, SignInCounter>();
  private firstFailureAt: string | null = null;
  private lastFailureAt: string | null = null;
  private readonly atChanges: SignInCounter = { attempted: 0, failed: 0 };
  private next = 0;
  /** Sign-in slots used so far (a slot with no login client to sign in through is skipped, not owed). */
  private slots = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly simulator: SignInSimulator,
    readonly ratePerSecond: number,
    private readonly now: () => Date,
    private readonly onStop: () => void,
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new RangeError('ratePerSecond must be > 0');
    // Small ticks, each catching up to the sign-ins due by now: the rate holds even when the event loop is busy.
    this.timer = setInterval(() => this.tick(), 5);
    this.timer.unref();
  }

  get running(): boolean {
    return this.stoppedAt === undefined;
  }

  /** Stops the load (idempotent) and returns its figures. */
  stop(): SignInFigures {
    if (this.stoppedAt === undefined) {
      this.tick();
      this.stoppedAt = performance.now();
      clearInterval(this.timer);
      this.onStop();
    }
    return this.figures();
  }

  figures(): SignInFigures {
    return {
      attempted: this.attempted,
      failed: this.failed,
      perClient: Object.fromEntries([...this.perClient].map(([id, c]) => [id, { ...c }])),
      firstFailureAt: this.firstFailureAt,
      lastFailureAt: this.lastFailureAt,
      ratePerSecond: this.ratePerSecond,
      elapsedMs: Math.round((this.stoppedAt ?? performance.now()) - this.started),
      atChanges: { ...this.atChanges },
    };
  }

  /** Called by the simulator for each of this load's sign-ins: sampled, or judged at a change (`atChange`). */
  record(result: SignInResult, atChange: boolean): void {
    if (this.stoppedAt !== undefined) return;
    this.attempted++;
    if (atChange) {
      this.atChanges.attempted++;
      if (!result.ok) this.atChanges.failed++;
    }
    const count = this.perClient.get(result.clientId) ?? { attempted: 0, failed: 0 };
    count.attempted++;
    if (!result.ok) {
      count.failed++;
      this.failed++;
      const at = this.now().toISOString();
      this.firstFailureAt ??= at;
      this.lastFailureAt = at;
    }
    this.perClient.set(result.clientId, count);
  }

  private tick(): void {
    if (this.stoppedAt !== undefined) return;
    const due = Math.floor(((performance.now() - this.started) * this.ratePerSecond) / 1000);
    const clients = this.simulator.loginClients();
    if (clients.length === 0) {
      this.slots = due;
      return;
    }
    for (; this.slots < due; this.slots++) {
      this.simulator.sampleFor(this, clients[this.next++ % clients.length] as string);
    }
  }
}
