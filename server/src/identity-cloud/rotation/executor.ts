// Runs a rotation plan (DESIGN §14) over the API clients, one step at a time, each recorded in the journal before and
// after it runs. Every step first looks at what Identity Cloud holds now, so running it twice does no harm: a policy
// whose POST answer was lost is found by its title, a client already on the new policy is not moved again, a policy
// already deleted stays deleted. The first failure stops the run with the step named; the next run resumes there.
// The new secret lives in memory only; progress goes out as events, for a terminal or an editor to show. The run
// holds the rotation's lock (rotation-lock.ts) and starts only from the journals its plan was read from.
import { IdentityCloudError } from '../api-error';
import { isObject, type JsonObject, type LoginPolicyDocument, type OidcClientDocument } from '../api-types';
import { fingerprint, fingerprintedSecret } from '../../shared/fingerprint';
import { recordStep, stepOf, type JournalStep, type JournalStore, type RotationJournal } from './journal';
import {
  ownerCredentialsOf,
  type CheckSecret,
  type OwnerApi,
  type RotationApi,
  type RotationState,
} from './live-state';
import type { PlannedStep, RotationPlan } from './plan-types';
import type { PlanOutcome } from './planner';
import { ConcurrentRotation } from './rotation-lock';

export type RotationEvent =
  | { readonly phase: 'start'; readonly step: PlannedStep; readonly index: number; readonly total: number }
  | {
      readonly phase: 'end';
      readonly step: PlannedStep;
      readonly index: number;
      readonly total: number;
      readonly ms: number;
      readonly note?: string;
    }
  /** Done by an earlier run: not run again. */
  | { readonly phase: 'skip'; readonly step: PlannedStep; readonly index: number; readonly total: number }
  | {
      readonly phase: 'fail';
      readonly step: PlannedStep;
      readonly index: number;
      readonly total: number;
      readonly ms: number;
      readonly message: string;
    };

/** What the files of the workspace should say after the run; documents with their secrets as fingerprints. */
export interface LocalUpdate {
  readonly mode: 'rotate' | 'abort';
  readonly ownerClientId: string;
  /** The owner client's current secret after a rotation (undefined for an abort). */
  readonly newSecretSha256: string | undefined;
  /** Old secrets of the owner client and when they stop working (null: not known). */
  readonly previousSecrets: readonly { readonly sha256: string; readonly validUntil: string | null }[];
  readonly policies: readonly {
    readonly oldId: string;
    readonly oldDeleted: boolean;
    /** The new policy as the API holds it; undefined after an abort deleted it. */
    readonly newDocument: JsonObject | undefined;
    readonly newId: string | undefined;
  }[];
  /** Clients whose binding changed, as GET returns them now. */
  readonly clients: readonly { readonly document: JsonObject; readonly from: string; readonly to: string }[];
}

/** The workspace side: files written or removed after the API steps (the CLI's; an editor would make edits). */
export interface LocalSide {
  /** Returns the paths written or removed. Throws with a secret-free message when a file cannot be written. */
  apply(update: LocalUpdate): Promise<readonly string[]>;
}

export interface ExecutorDeps {
  readonly api: RotationApi;
  readonly owner: OwnerApi | undefined;
  readonly checkSecret: CheckSecret;
  readonly store: JournalStore;
  readonly local: LocalSide | undefined;
  readonly now: () => Date;
  readonly onEvent?: (event: RotationEvent) => void;
  /**
   * Stops the run between two steps (an editor's Cancel): the step under way finishes and is recorded, the next one
   * does not start, and the journal is left unfinished for a resume. Requests are never cut short by it.
   */
  readonly signal?: AbortSignal;
}

export interface StepRecord {
  readonly id: string;
  readonly title: string;
  /** Undefined for a step done by an earlier run. */
  readonly ms: number | undefined;
  readonly note?: string;
}

export interface RotationResult {
  readonly mode: 'rotate' | 'abort';
  readonly policies: readonly {
    readonly oldId: string;
    readonly oldTitle: string;
    readonly newId: string | undefined;
    readonly newTitle: string;
    readonly clients: number;
    readonly oldDeleted: boolean;
    /** An abort deleted the new policy. */
    readonly newDeleted: boolean;
    readonly journal: string;
  }[];
  readonly steps: readonly StepRecord[];
  /** Files written or removed. */
  readonly files: readonly string[];
}

/** A step failed: the run stopped there, its journal says so, and the next run resumes from it. */
export class RotationInterrupted extends Error {
  constructor(
    readonly step: PlannedStep,
    readonly index: number,
    readonly total: number,
    override readonly cause: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** The run was stopped between two steps (ExecutorDeps.signal): `step` did not start; a resume starts there. */
export class RotationStopped extends Error {
  constructor(
    readonly step: PlannedStep,
    readonly index: number,
    readonly total: number,
  ) {
    super(`stopped before step ${index + 1} of ${total}`);
  }
}

/** A step whose result contradicts the plan, or a file that cannot be written: a secret-free message for the user. */
export class StepError extends Error {}

export async function executeRotation(
  outcome: PlanOutcome,
  state: RotationState,
  secrets: { newSecret: string | undefined },
  deps: ExecutorDeps,
): Promise<RotationResult> {
  const run = new Run(outcome, state, secrets.newSecret, deps);
  return run.execute();
}

class Run {
  readonly #journals: Map<string, RotationJournal>;
  readonly #plan: RotationPlan;
  readonly #newPolicies = new Map<string, LoginPolicyDocument>();
  readonly #clients = new Map<string, OidcClientDocument>();
  readonly #records: StepRecord[] = [];
  #newSecret: string | undefined;
  #files: readonly string[] = [];

  constructor(
    private readonly outcome: PlanOutcome,
    private readonly state: RotationState,
    newSecret: string | undefined,
    private readonly deps: ExecutorDeps,
  ) {
    this.#plan = outcome.plan;
    this.#journals = new Map(outcome.journals.map((j) => [j.oldPolicyId, j]));
    this.#newSecret = newSecret;
    for (const p of this.#plan.policies) {
      const doc = p.newId ? state.policies.find((l) => l.id === p.newId)?.document : undefined;
      if (doc) this.#newPolicies.set(p.oldId, doc);
    }
    for (const c of state.clients) this.#clients.set(c.id, c);
  }

  async execute(): Promise<RotationResult> {
    const release = this.deps.store.lock?.([...this.#journals.keys()]);
    try {
      this.refuseChangedJournals();
      return await this.steps();
    } finally {
      release?.();
    }
  }

  /**
   * The plan was read from the journals as they were then; another run (an editor's, while its plan waited for a
   * click) may have moved on since. Carrying out the old plan could create a second policy: plan again instead.
   */
  private refuseChangedJournals(): void {
    for (const id of this.#journals.keys()) {
      let now: RotationJournal | undefined | 'unreadable';
      try {
        now = this.deps.store.load(id);
      } catch {
        now = 'unreadable';
      }
      if (JSON.stringify(now) !== JSON.stringify(this.outcome.basis.get(id))) {
        throw new ConcurrentRotation(
          `the journal of ${id} changed since the plan was read (another run of this rotation): plan again to go on from there`,
        );
      }
    }
  }

  private async steps(): Promise<RotationResult> {
    for (const old of this.outcome.archive) this.deps.store.archive(old);
    for (const journal of this.#journals.values()) {
      journal.done = false;
      this.save(journal);
    }
    const steps = this.#plan.steps;
    for (const [index, step] of steps.entries()) {
      const total = steps.length;
      if (step.progress === 'done') {
        this.deps.onEvent?.({ phase: 'skip', step, index, total });
        this.#records.push({ id: step.id, title: step.title, ms: undefined, note: 'done in an earlier run' });
        continue;
      }
      if (this.deps.signal?.aborted) throw new RotationStopped(step, index, total);
      const startedAt = this.deps.now();
      // What an earlier run recorded for this step, before this run overwrites it.
      const earlier = step.journals.map((id) => stepOf(this.journal(id), step.id)).find((s) => s !== undefined);
      this.record(step, { id: step.id, state: 'started', startedAt: startedAt.toISOString() });
      this.deps.onEvent?.({ phase: 'start', step, index, total });
      const t0 = performance.now();
      let note: string | undefined;
      try {
        note = await this.run(step, startedAt, earlier);
      } catch (error) {
        const ms = Math.round(performance.now() - t0);
        const message = reasonOf(error);
        this.record(step, {
          id: step.id,
          state: 'failed',
          startedAt: startedAt.toISOString(),
          finishedAt: this.deps.now().toISOString(),
          ms,
          error: message,
        });
        this.deps.onEvent?.({ phase: 'fail', step, index, total, ms, message });
        throw new RotationInterrupted(step, index, total, error, message);
      }
      const ms = Math.round(performance.now() - t0);
      this.record(step, {
        id: step.id,
        state: 'done',
        startedAt: startedAt.toISOString(),
        finishedAt: this.deps.now().toISOString(),
        ms,
        ...(note ? { note } : {}),
      });
      this.#records.push({ id: step.id, title: step.title, ms, ...(note ? { note } : {}) });
      this.deps.onEvent?.({ phase: 'end', step, index, total, ms, ...(note ? { note } : {}) });
    }
    for (const journal of this.#journals.values()) {
      journal.done = true;
      if (this.#plan.mode === 'abort') journal.aborted = true;
      journal.updatedAt = this.deps.now().toISOString();
      this.save(journal);
    }
    return this.result();
  }

  private async run(step: PlannedStep, startedAt: Date, earlier: JournalStep | undefined): Promise<string | undefined> {
    switch (step.kind) {
      case 'reset':
        return this.reset(step, startedAt, earlier);
      case 'prove':
        return this.prove();
      case 'create':
        return this.create(step.policyId!);
      case 'settings':
        return this.settings(step.policyId!);
      case 'repoint':
        return this.bind(step.client!.id, step.policyId!, this.newId(step.policyId!), 'to');
      case 'move-back':
        return this.bind(step.client!.id, this.newId(step.policyId!), step.policyId!, 'back');
      case 'delete-old':
        return this.remove(step.policyId!, 'old');
      case 'delete-new':
        return this.remove(this.newId(step.policyId!), 'new');
      case 'files':
        return this.files();
    }
  }

  /**
   * Resets the owner client's secret, unless an earlier run already did and lost the answer: the current secret
   * differs from the one recorded before the reset. The new secret is kept in memory only.
   */
  private async reset(
    step: PlannedStep,
    startedAt: Date,
    earlier: JournalStep | undefined,
  ): Promise<string | undefined> {
    const owner = this.deps.owner;
    if (!owner) throw new StepError('the reset needs owner credentials (LOGIN_POLICY_OWNER_CLIENT_ID and _SECRET)');
    const journal = this.first();
    const reset = journal.reset!;
    const app = this.appId();
    const current = await owner.getApiClient(app, this.#plan.ownerClientId);
    const currentSha = typeof current._secret === 'string' ? fingerprint(current._secret) : undefined;
    let at = startedAt.toISOString();
    let note: string | undefined;
    if (currentSha !== undefined && currentSha !== reset.previousSha256) {
      if (!earlier) {
        throw new StepError(
          `the owner client's secret changed since the plan was read (someone else reset it): nothing was reset; run rotate again to plan from the new state`,
        );
      }
      // An earlier run sent the reset and was cut off before the answer: it happened then.
      this.#newSecret = current._secret;
      at = earlier.startedAt;
      note = 'an earlier run had made the reset; its answer was lost';
    } else {
      const answer = await owner.resetApiClientSecret(app, this.#plan.ownerClientId, reset.hoursToLive);
      this.#newSecret = answer._secret;
    }
    const sha = fingerprint(this.#newSecret!);
    for (const id of step.journals) {
      const j = this.journal(id);
      j.reset = { ...j.reset!, at };
      j.newSecret = { ...j.newSecret, sha256: sha };
    }
    return note;
  }

  private async prove(): Promise<string | undefined> {
    const secret = this.requireSecret();
    const { domain, ownerClientId: clientId } = this.#plan;
    const check = await this.deps.checkSecret({ domain, applicationId: this.appId(), clientId, clientSecret: secret });
    if (check.state !== 'accepted') {
      throw new StepError(`Capture does not accept the new secret for owner client ${clientId}: ${check.why}`);
    }
    return undefined;
  }

  /** POST the new policy, unless it exists (an earlier run's POST whose answer was lost is found by its title). */
  private async create(oldId: string): Promise<string | undefined> {
    const journal = this.journal(oldId);
    const secret = this.requireSecret();
    const summaries = await this.deps.api.listLoginPolicySummaries();
    const found = summaries.find((s) => s.title === journal.newPolicy.title);
    let created: LoginPolicyDocument;
    let note: string | undefined;
    if (found) {
      created = await this.deps.api.getLoginPolicy(found.id);
      const owner = ownerCredentialsOf(created);
      if (owner?.clientId !== this.#plan.ownerClientId || owner.clientSecret !== secret) {
        throw new StepError(
          `a policy titled "${journal.newPolicy.title}" exists (${found.id}) but does not hold the new secret; rename or delete it, then run again`,
        );
      }
      note = 'found by its title: an earlier run had created it';
    } else {
      const old = this.state.policies.find((p) => p.id === oldId);
      if (!old) throw new StepError(`the old policy ${oldId} is gone, so there is nothing to copy`);
      created = await this.deps.api.createLoginPolicy(newPolicyBody(old.document, secret, journal.newPolicy.title));
    }
    journal.newPolicy = { ...journal.newPolicy, id: created.id };
    this.#newPolicies.set(oldId, created);
    return note ?? `created ${created.id}`;
  }

  /** Push claims and allowed response types live beside a policy (facts §6 item 10, §9.3): copied, or claims change. */
  private async settings(oldId: string): Promise<string | undefined> {
    const newId = this.newId(oldId);
    if (!this.state.policies.some((p) => p.id === oldId)) return 'the old policy is gone: nothing to copy';
    const { api } = this.deps;
    const pushClaims = await api.getPushClaims(oldId);
    const types = await api.getAllowedResponseTypes(oldId);
    await api.setPushClaims(newId, pushClaims);
    await api.setAllowedResponseTypes(newId, types);
    return undefined;
  }

  /** GET, set loginPolicy, PUT the whole client, GET again to confirm (facts §3.4). Never moves a client twice. */
  private async bind(clientId: string, from: string, to: string, how: 'to' | 'back'): Promise<string | undefined> {
    const { api } = this.deps;
    const current = await api.getOidcClient(clientId);
    if (current.loginPolicy === to) {
      this.#clients.set(clientId, current);
      return how === 'to' ? 'already on the new policy' : 'already on the old policy';
    }
    if (current.loginPolicy !== from) {
      this.#clients.set(clientId, current);
      return `now bound to ${String(current.loginPolicy)}, not ${from}: left alone`;
    }
    await api.putOidcClient({ ...current, loginPolicy: to });
    const confirmed = await api.getOidcClient(clientId);
    if (confirmed.loginPolicy !== to) {
      throw new StepError(`the PUT was accepted, but the client is bound to ${String(confirmed.loginPolicy)}`);
    }
    this.#clients.set(clientId, confirmed);
    return undefined;
  }

  private async remove(policyId: string, which: 'old' | 'new'): Promise<string | undefined> {
    try {
      await this.deps.api.deleteLoginPolicy(policyId);
    } catch (error) {
      if (error instanceof IdentityCloudError && error.kind === 'not-found') return 'already deleted';
      if (error instanceof IdentityCloudError && error.kind === 'conflict') {
        throw new StepError(
          `${error.message}; ${which === 'old' ? 'run rotate --apply again to move them too' : 'the new policy is kept'}`,
        );
      }
      throw error;
    }
    return undefined;
  }

  private async files(): Promise<string | undefined> {
    if (!this.deps.local) return 'no workspace files to update';
    this.#files = await this.deps.local.apply(this.localUpdate());
    return this.#files.length === 0 ? 'no file to update' : `${this.#files.length} file(s) updated`;
  }

  private localUpdate(): LocalUpdate {
    const abort = this.#plan.mode === 'abort';
    const moves = this.#plan.steps.filter((s) => s.kind === (abort ? 'move-back' : 'repoint'));
    const clients = moves.flatMap((s) => {
      const doc = this.#clients.get(s.client!.id);
      const oldId = s.policyId!;
      const newId = this.#newPolicies.get(oldId)?.id;
      if (!doc || !newId) return [];
      const [from, to] = abort ? [newId, oldId] : [oldId, newId];
      return doc.loginPolicy === to ? [{ document: doc, from, to }] : [];
    });
    const deleted = (id: string, kind: 'delete-old' | 'delete-new') =>
      this.#plan.steps.some((s) => s.kind === kind && s.policyId === id);
    return {
      mode: this.#plan.mode,
      ownerClientId: this.#plan.ownerClientId,
      newSecretSha256: abort ? undefined : (this.first().newSecret.sha256 ?? undefined),
      previousSecrets: abort ? [] : this.previousSecrets(),
      policies: this.#plan.policies.map((p) => {
        const created = this.#newPolicies.get(p.oldId);
        return {
          oldId: p.oldId,
          oldDeleted: deleted(p.oldId, 'delete-old') || !p.exists,
          newId: created?.id,
          newDocument: created && !(abort && deleted(p.oldId, 'delete-new')) ? fingerprinted(created) : undefined,
        };
      }),
      clients,
    };
  }

  /**
   * Each old secret and when it stops: now when Capture already refused it, the reset's time plus its hours when a
   * reset put it on the clock, unknown otherwise.
   */
  private previousSecrets(): { sha256: string; validUntil: string | null }[] {
    const now = this.deps.now().toISOString();
    const first = this.first();
    const newSha = first.newSecret.sha256;
    const reset = first.reset;
    const resetEnd = reset?.at ? new Date(Date.parse(reset.at) + reset.hoursToLive * 3_600_000).toISOString() : null;
    const out = new Map<string, string | null>();
    const add = (sha: string, until: string | null): void => {
      if (sha === newSha) return;
      const known = out.get(sha);
      out.set(
        sha,
        known === undefined ? until : known === null ? until : until === null ? known : [known, until].sort()[0]!,
      );
    };
    for (const journal of this.#journals.values()) {
      add(journal.oldSecret.sha256, journal.oldSecret.dead ? now : resetEnd);
    }
    if (reset) add(reset.previousSha256, resetEnd);
    return [...out].map(([sha256, validUntil]) => ({ sha256, validUntil }));
  }

  private result(): RotationResult {
    return {
      mode: this.#plan.mode,
      policies: this.#plan.policies.map((p) => {
        const newId = this.#newPolicies.get(p.oldId)?.id;
        const kind = this.#plan.mode === 'abort' ? 'move-back' : 'repoint';
        return {
          oldId: p.oldId,
          oldTitle: p.oldTitle,
          newId,
          newTitle: p.newTitle,
          clients: this.#plan.steps.filter((s) => s.kind === kind && s.policyId === p.oldId).length,
          oldDeleted: this.#plan.steps.some((s) => s.kind === 'delete-old' && s.policyId === p.oldId) || !p.exists,
          newDeleted: this.#plan.steps.some((s) => s.kind === 'delete-new' && s.policyId === p.oldId),
          journal: p.journal,
        };
      }),
      steps: this.#records,
      files: this.#files,
    };
  }

  private record(step: PlannedStep, entry: Parameters<typeof recordStep>[1]): void {
    for (const id of step.journals) {
      const journal = this.journal(id);
      recordStep(journal, entry, this.deps.now());
      this.save(journal);
    }
  }

  private save(journal: RotationJournal): void {
    this.deps.store.save(journal);
  }

  private journal(oldId: string): RotationJournal {
    return this.#journals.get(oldId)!;
  }

  private first(): RotationJournal {
    return this.#journals.values().next().value!;
  }

  private newId(oldId: string): string {
    const id = this.#newPolicies.get(oldId)?.id;
    if (!id) throw new StepError(`the new policy of ${oldId} is not known: run rotate again to find it`);
    return id;
  }

  private appId(): string {
    const named = this.state.policies.find((p) => this.#journals.has(p.id) && p.owner);
    const created = [...this.#newPolicies.values()].map(ownerCredentialsOf).find((o) => o !== undefined);
    const app = named?.owner?.applicationId ?? created?.applicationId;
    if (!app) throw new StepError('the Capture application of the owner client is not known (the old policy is gone)');
    return app;
  }

  private requireSecret(): string {
    if (this.#newSecret === undefined) throw new StepError('the new secret is not known');
    return this.#newSecret;
  }
}

/** The POST body: the old policy without id and _links, with the new secret and the new title (facts §6.1 item 4). */
export function newPolicyBody(old: JsonObject, newSecret: string, title: string): JsonObject {
  const body: JsonObject = {};
  for (const [key, value] of Object.entries(structuredClone(old))) {
    if (key === 'id' || key === '_links') continue;
    body[key] = key === 'title' ? title : value;
  }
  if (!('title' in body)) body['title'] = title;
  const store = body['identityStoreDetails'];
  const details = isObject(store) ? store['connectionDetails'] : undefined;
  if (isObject(details)) details['clientSecret'] = newSecret;
  return body;
}

/** A policy document with its embedded secret replaced by its fingerprint (what files may hold). */
function fingerprinted(policy: JsonObject): JsonObject {
  const copy = structuredClone(policy);
  const store = copy['identityStoreDetails'];
  const details = isObject(store) ? store['connectionDetails'] : undefined;
  if (isObject(details) && typeof details['clientSecret'] === 'string') {
    details['clientSecret'] = fingerprintedSecret(details['clientSecret']);
  }
  return copy;
}

/** A failure in one line: an API error's own message (secret-free by construction), or ours. */
function reasonOf(error: unknown): string {
  if (error instanceof IdentityCloudError || error instanceof StepError) return error.message;
  if (error instanceof Error && (error as NodeJS.ErrnoException).code) {
    return `${(error as NodeJS.ErrnoException).code} while writing files`;
  }
  return error instanceof Error ? error.name : 'unknown error';
}
