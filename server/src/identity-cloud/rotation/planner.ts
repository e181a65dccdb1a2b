// The rotation planner (DESIGN §14, facts §6 item 5 and §6.1): a pure function from the live state, the journals of
// earlier runs and what was asked, to the steps that reach the end state from here, or a refusal that says why. The
// same function plans a fresh rotation, the resume of an interrupted one and an abort, so a plan never depends on what
// a run remembers, only on what Identity Cloud says now and what the journal recorded.
import type { OidcClientDocument } from '../api-types';
import { newJournal, stepOf, type JournalStep, type RotationJournal } from './journal';
import { checkKey, type LivePolicy, type RotationState, type SecretCheck } from './live-state';
import type {
  ClientRef,
  GivenSource,
  PlannedPolicy,
  PlannedStep,
  RotationPlan,
  SecretSource,
  StepKind,
  StepProgress,
  UntouchedPolicy,
} from './plan-types';

/** Why a rotation will not start: bad usage or config (exit 2), or a failed precondition (exit 3). */
export class RotationRefusal extends Error {
  constructor(
    readonly kind: 'usage' | 'failed',
    message: string,
    /** A reset would put these other policies on the clock too: rotated with the named ones, it may go ahead. */
    readonly alsoAffected: readonly { readonly id: string; readonly title: string }[] = [],
  ) {
    super(message);
  }
}

export interface RotationRequest {
  readonly mode: 'rotate' | 'abort';
  readonly customerId: string;
  /** The named old policies, in the order given. */
  readonly policyIds: readonly string[];
  /** Where a fresh rotation takes its new secret from; undefined when nothing was given (a resume needs none). */
  readonly source: SecretSource | undefined;
  readonly hoursToLive: number | undefined;
  readonly deleteOld: boolean;
}

export interface PlanInput {
  readonly request: RotationRequest;
  readonly state: RotationState;
  /** The journal of each named policy, when it has one (finished ones included). */
  readonly journals: ReadonlyMap<string, RotationJournal>;
  /** Where a policy's journal is, for the plan. */
  readonly journalPath: (oldPolicyId: string) => string;
  /** The given new secret's fingerprint and Capture's verdict on it, once the caller has read it. */
  readonly given: { readonly sha256: string; readonly check: SecretCheck } | undefined;
  readonly now: Date;
  /** Eight hex digits for a fresh journal (random in real runs). */
  readonly runId: () => string;
}

/** Where the run takes the new secret from. */
export type SecretOrigin =
  /** The new policy exists: the secret it embeds (GET) is the new one. */
  | { readonly from: 'new-policy'; readonly policyId: string }
  /** A reset made by an earlier run: the owner client's current secret (owner credentials). */
  | { readonly from: 'owner'; readonly sha256: string }
  /** The reset step of this run makes it. */
  | { readonly from: 'reset' }
  /** LOGIN_POLICY_NEW_OWNER_SECRET, stdin or typed: the caller must read it (and check that its fingerprint matches). */
  | { readonly from: 'given'; readonly source: GivenSource; readonly sha256: string | undefined }
  /** An abort needs no new secret. */
  | { readonly from: 'none' };

export interface PlanOutcome {
  readonly plan: RotationPlan;
  /** The journals a run writes: the loaded ones, and fresh ones for policies without one. Not saved yet. */
  readonly journals: readonly RotationJournal[];
  /** Finished (or aborted) journals to keep under another name before a fresh rotation of the same policy. */
  readonly archive: readonly RotationJournal[];
  readonly secret: SecretOrigin;
  /** Nothing to do: every named rotation is finished. */
  readonly finished: boolean;
  /** The journals as the plan read them: a run refuses to start when another run has changed them since. */
  readonly basis: ReadonlyMap<string, RotationJournal>;
}

interface Target {
  readonly id: string;
  readonly live: LivePolicy | undefined;
  readonly journal: RotationJournal | undefined;
}

export function planRotation(input: PlanInput): PlanOutcome {
  const { request, state } = input;
  if (request.policyIds.length === 0) throw new RotationRefusal('usage', 'name the policy to rotate with --policy');
  const named = new Set(request.policyIds);
  const loaded = request.policyIds.map((id) => input.journals.get(id));
  checkUnfinished(loaded, named, request);
  // The same command again continues its rotation (or says it is done); any other set of policies starts afresh,
  // keeping the finished journals under another name. An aborted rotation is over.
  const continuing = loaded.every(
    (j) => j !== undefined && !j.aborted && j.together.length === named.size && j.together.every((id) => named.has(id)),
  );
  const archive: RotationJournal[] = [];
  const targets: Target[] = request.policyIds.map((id, i) => {
    let journal = loaded[i];
    const over = journal && (journal.aborted || !continuing || (journal.done && !newPolicyOf(journal, state)));
    if (journal && request.mode === 'rotate' && over) {
      archive.push(journal);
      journal = undefined;
    }
    const live = state.policies.find((p) => p.id === id);
    if (!live && !journal) {
      throw new RotationRefusal('usage', `--policy ${id}: there is no such login policy in Identity Cloud`);
    }
    return { id, live, journal };
  });
  const owner = sharedOwner(targets);
  return request.mode === 'abort' ? planAbort(input, targets, owner) : planRotate(input, targets, owner, archive);
}

interface SharedOwner {
  readonly clientId: string;
  readonly domain: string;
  readonly applicationId: string;
}

/** Every named policy embeds the same owner client: one new secret serves them all. */
function sharedOwner(targets: readonly Target[]): SharedOwner {
  const owners = targets.map((t) => {
    if (t.live && !t.live.owner) {
      throw new RotationRefusal(
        'usage',
        `--policy ${t.id}: its identityStoreDetails lacks the domain, applicationId, clientId or clientSecret, so there is no owner secret to rotate`,
      );
    }
    return t.live?.owner
      ? { clientId: t.live.owner.clientId, domain: t.live.owner.domain, applicationId: t.live.owner.applicationId }
      : undefined;
  });
  const known = owners.filter((o): o is SharedOwner => o !== undefined);
  const first = known[0] ?? {
    clientId: targets[0]!.journal!.ownerClientId,
    domain: '',
    applicationId: '',
  };
  for (const [i, o] of owners.entries()) {
    const clientId = o?.clientId ?? targets[i]!.journal?.ownerClientId;
    if (clientId !== first.clientId || (o && (o.domain !== first.domain || o.applicationId !== first.applicationId))) {
      throw new RotationRefusal(
        'usage',
        `--policy ${targets[i]!.id} embeds another owner client or Capture application than --policy ${targets[0]!.id}: one rotation moves policies of one owner client to its new secret; rotate them separately`,
      );
    }
  }
  return first;
}

/** An unfinished rotation resumes as it started: the same policies together, the same source of the secret. */
function checkUnfinished(
  journals: readonly (RotationJournal | undefined)[],
  named: ReadonlySet<string>,
  request: RotationRequest,
): void {
  for (const journal of journals) {
    if (!journal || journal.done || journal.aborted) continue;
    const missing = journal.together.filter((id) => !named.has(id));
    const extra = [...named].filter((id) => !journal.together.includes(id));
    if (missing.length > 0 || extra.length > 0) {
      const what = journal.together.map((id) => `--policy ${id}`).join(' ');
      throw new RotationRefusal(
        'usage',
        `the unfinished rotation of ${journal.oldPolicyId} rotates ${journal.together.join(', ')} together: finish it (or --abort it) with exactly ${what} before anything else`,
      );
    }
    if (request.mode === 'rotate' && request.source === 'reset' && !journal.reset) {
      throw new RotationRefusal(
        'usage',
        `the unfinished rotation of ${journal.oldPolicyId} does not reset the secret: run it again without --reset-secret to finish it, or abort it with --abort`,
      );
    }
  }
}

function newPolicyOf(journal: RotationJournal, state: RotationState): LivePolicy | undefined {
  if (journal.newPolicy.id) {
    const byId = state.policies.find((p) => p.id === journal.newPolicy.id);
    if (byId) return byId;
  }
  // A POST whose answer was lost: the policy exists under the title the journal chose before sending it.
  return state.policies.find((p) => p.title === journal.newPolicy.title && p.owner?.clientId === journal.ownerClientId);
}

function planRotate(
  input: PlanInput,
  targets: readonly Target[],
  owner: SharedOwner,
  archive: RotationJournal[],
): PlanOutcome {
  const { request, state, now } = input;
  const unfinished = targets.filter((t) => t.journal && !t.journal.done);
  const fresh = targets.filter((t) => !t.journal);
  // What the earlier runs decided about the secret, when there are any.
  const recorded = targets.map((t) => t.journal).find((j) => j !== undefined);
  const source = recorded?.newSecret.source ?? request.source;
  if (!source) {
    throw new RotationRefusal(
      'usage',
      'no new secret: set LOGIN_POLICY_NEW_OWNER_SECRET, pipe it on stdin (--new-secret-from stdin), or let rotate reset it (--reset-secret --hours-to-live H)',
    );
  }
  const reset = resetOf(input, targets, owner, source, recorded);
  const newPolicies = new Map(
    targets.flatMap((t) => {
      const found = t.journal && newPolicyOf(t.journal, state);
      return found ? [[t.id, found] as const] : [];
    }),
  );
  const gone = goneNewPolicies(targets, newPolicies, state);
  const newSha = newSecretSha256(input, targets, newPolicies, recorded);
  for (const t of targets) {
    if (t.live?.secretSha256 !== undefined && t.live.secretSha256 === newSha && !t.journal) {
      throw new RotationRefusal('usage', `--policy ${t.id} already embeds the new secret: there is nothing to rotate`);
    }
  }
  const date = now.toISOString().slice(0, 10);
  const journals = targets.map((t): RotationJournal => {
    if (t.journal) {
      const j = structuredClone(t.journal);
      j.deleteOld ||= request.deleteOld;
      // Found by its title after a lost POST answer: from now on it is known by its id.
      const created = newPolicies.get(t.id);
      if (created) j.newPolicy = { ...j.newPolicy, id: created.id };
      // Deleted behind the rotation's back: it is created again, under the same title.
      if (gone.includes(t.id)) j.newPolicy = { ...j.newPolicy, id: null };
      return j;
    }
    const live = t.live!;
    const runId = input.runId();
    const check = state.checks.get(checkKey(owner.clientId, live.secretSha256!));
    return newJournal({
      oldPolicyId: t.id,
      oldTitle: live.title,
      customerId: request.customerId,
      ownerClientId: owner.clientId,
      together: targets.map((x) => x.id),
      runId,
      startedAt: now.toISOString(),
      newSecret: { source, sha256: newSha ?? null },
      oldSecret: { sha256: live.secretSha256!, dead: check?.state === 'rejected' },
      reset:
        source === 'reset'
          ? { hoursToLive: request.hoursToLive!, previousSha256: state.ownerSecret!.sha256, at: null }
          : null,
      newPolicy: { title: rotatedTitle(live.title, date, runId), id: null },
      deleteOld: request.deleteOld,
    });
  });
  const policies = targets
    .map((t, i) => plannedPolicy(input, t, journals[i]!, newPolicies.get(t.id), owner))
    // A policy whose secret is refused now breaks sign-in now: its clients move before anything optional.
    .sort((a, b) => Number(b.dead) - Number(a.dead));
  const steps = rotateSteps(input, policies, journals, owner);
  const pendingWork = steps.some((s) => s.kind !== 'files' && s.kind !== 'prove' && s.progress !== 'done');
  const finished = unfinished.length === 0 && fresh.length === 0 && !pendingWork;
  return {
    plan: {
      mode: 'rotate',
      customerId: request.customerId,
      ownerClientId: owner.clientId,
      domain: owner.domain,
      resuming: unfinished.length > 0,
      newSecret: { source, check: input.given?.check },
      reset,
      policies,
      steps: finished ? [] : steps,
      untouched: untouchedOf(state, policies),
      notes: [...goneNotes(targets, gone), ...notesOf(input, targets, reset)],
    },
    journals,
    archive,
    secret: secretOrigin(source, newPolicies, recorded, newSha, reset),
    finished,
    basis: input.journals,
  };
}

/** The reset of this rotation: asked now (fresh) or recorded by an earlier run. Refuses what a reset would break. */
function resetOf(
  input: PlanInput,
  targets: readonly Target[],
  owner: SharedOwner,
  source: SecretSource,
  recorded: RotationJournal | undefined,
): RotationPlan['reset'] {
  if (source !== 'reset') return undefined;
  const { state, request } = input;
  if (recorded?.reset) {
    return {
      hoursToLive: recorded.reset.hoursToLive,
      at: recorded.reset.at ?? undefined,
      affected: recorded.together,
    };
  }
  const hours = request.hoursToLive;
  if (hours === undefined) throw new RotationRefusal('usage', '--reset-secret needs --hours-to-live H (1 to 168)');
  if (!state.ownerSecret) {
    throw new RotationRefusal(
      'failed',
      `the owner client ${owner.clientId} has no current secret the Configuration API would show: it cannot be reset here`,
    );
  }
  // A reset puts every secret of the owner client that works now on the clock: every policy embedding one. The
  // current secret is known (owner credentials), so a policy embedding it is affected whatever its live check said; any
  // other secret is affected unless Capture refused it: a check that timed out or failed proves nothing.
  const current = state.ownerSecret.sha256;
  const affected = state.policies.filter(
    (p) =>
      p.owner?.clientId === owner.clientId &&
      p.secretSha256 !== undefined &&
      (p.secretSha256 === current || state.checks.get(checkKey(owner.clientId, p.secretSha256))?.state !== 'rejected'),
  );
  const named = new Set(targets.map((t) => t.id));
  const missing = affected.filter((p) => !named.has(p.id));
  if (missing.length > 0) {
    throw new RotationRefusal(
      'usage',
      `a reset stops the old secret of every policy that embeds it, and ${missing.map((p) => `${p.id} ("${p.title}")`).join(', ')} ${missing.length === 1 ? 'embeds' : 'embed'} it too: name ${missing.map((p) => `--policy ${p.id}`).join(' ')} so they are rotated in the same run`,
      missing.map((p) => ({ id: p.id, title: p.title })),
    );
  }
  const bound = affected.filter((p) => boundTo(state.clients, p.id).length > 0);
  if (hours === 0 && bound.length > 0) {
    throw new RotationRefusal(
      'usage',
      `--hours-to-live 0 stops the old secret at once, while OIDC clients still sign in through ${bound.map((p) => p.id).join(', ')}: give the rotation at least 1 hour`,
    );
  }
  return { hoursToLive: hours, at: undefined, affected: affected.map((p) => p.id) };
}

function newSecretSha256(
  input: PlanInput,
  targets: readonly Target[],
  newPolicies: ReadonlyMap<string, LivePolicy>,
  recorded: RotationJournal | undefined,
): string | undefined {
  const fromPolicies = [...new Set([...newPolicies.values()].map((p) => p.secretSha256))];
  const fromJournals = [...new Set(targets.flatMap((t) => t.journal?.newSecret.sha256 ?? []))];
  const known = [...new Set([...fromPolicies, ...fromJournals].filter((s): s is string => s !== undefined))];
  if (known.length > 1) {
    throw new RotationRefusal(
      'failed',
      'the new policies of this rotation embed different secrets, or not the one its journal recorded; check them in Identity Cloud before going on',
    );
  }
  const given = input.given?.sha256;
  if (given !== undefined && known.length === 1 && given !== known[0]) {
    throw new RotationRefusal(
      'usage',
      `the new secret given is not the one the unfinished rotation started with (${recorded ? 'see its journal' : 'see the new policy'}): give that one, or abort the rotation with --abort`,
    );
  }
  return known[0] ?? given;
}

/**
 * The named policies whose new policy an earlier run created and that is not there now: deleted in the Console (which
 * the API allows only once no client uses it). The rotation creates it again rather than stop: with a reset, the old
 * secret is on the clock, and every client is still on the old policy, so nothing is lost by going on. A client bound
 * to the vanished id would sign in through nothing: that is for a person to look at.
 */
function goneNewPolicies(
  targets: readonly Target[],
  newPolicies: ReadonlyMap<string, LivePolicy>,
  state: RotationState,
): string[] {
  const gone = targets.filter(
    (t) =>
      t.journal &&
      !newPolicies.has(t.id) &&
      (t.journal.newPolicy.id !== null || stepOf(t.journal, `create:${t.id}`)?.state === 'done'),
  );
  for (const t of gone) {
    const id = t.journal!.newPolicy.id;
    const bound = id === null ? [] : boundTo(state.clients, id);
    if (bound.length > 0) {
      throw new RotationRefusal(
        'failed',
        `the new policy ${id} of the rotation of ${t.id} is gone, yet ${bound.map((c) => `"${c.name}" (${c.id})`).join(', ')} ${bound.length === 1 ? 'is' : 'are'} still bound to it: bind ${bound.length === 1 ? 'it' : 'them'} to a policy in the Console, then run rotate again`,
      );
    }
  }
  return gone.map((t) => t.id);
}

function goneNotes(targets: readonly Target[], gone: readonly string[]): string[] {
  return targets
    .filter((t) => gone.includes(t.id))
    .map(
      (t) =>
        `the new policy "${t.journal!.newPolicy.title}"${t.journal!.newPolicy.id ? ` (${t.journal!.newPolicy.id})` : ''} that an earlier run created for ${t.id} is gone (deleted outside this rotation): it is created again; to stop the rotation instead, run it with --abort`,
    );
}

function secretOrigin(
  source: SecretSource,
  newPolicies: ReadonlyMap<string, LivePolicy>,
  recorded: RotationJournal | undefined,
  newSha: string | undefined,
  reset: RotationPlan['reset'],
): SecretOrigin {
  const created = [...newPolicies.values()][0];
  if (created) return { from: 'new-policy', policyId: created.id };
  if (source === 'reset') {
    return reset?.at !== undefined && newSha !== undefined ? { from: 'owner', sha256: newSha } : { from: 'reset' };
  }
  return { from: 'given', source, sha256: recorded?.newSecret.sha256 ?? undefined };
}

function plannedPolicy(
  input: PlanInput,
  target: Target,
  journal: RotationJournal,
  created: LivePolicy | undefined,
  owner: SharedOwner,
): PlannedPolicy {
  const { state } = input;
  const live = target.live;
  const check: SecretCheck =
    (live?.secretSha256 && state.checks.get(checkKey(owner.clientId, live.secretSha256))) ||
    (live
      ? { state: 'unknown', why: 'not checked' }
      : { state: journal.oldSecret.dead ? 'rejected' : 'unknown', why: 'the policy is deleted' });
  const settings = state.settings.get(target.id);
  return {
    oldId: target.id,
    oldTitle: live?.title ?? journal.oldTitle,
    oldSecret: check,
    dead: check.state === 'rejected',
    exists: live !== undefined,
    newTitle: created?.title ?? journal.newPolicy.title,
    newId: created?.id,
    pushClaims: settings?.pushClaims,
    allowedResponseTypes: settings?.allowedResponseTypes,
    toMove: live ? boundTo(state.clients, target.id) : [],
    moved: created ? boundTo(state.clients, created.id) : [],
    deleteOld: journal.deleteOld,
    journal: input.journalPath(target.id),
  };
}

function rotateSteps(
  input: PlanInput,
  policies: readonly PlannedPolicy[],
  journals: readonly RotationJournal[],
  owner: SharedOwner,
): PlannedStep[] {
  const c = `/${input.request.customerId}/config`;
  const all = journals.map((j) => j.oldPolicyId);
  const journalOf = (id: string) => journals.find((j) => j.oldPolicyId === id)!;
  const progressOf = (journalIds: readonly string[], stepId: string): StepProgress => {
    const states = journalIds.map((id) => stepOf(journalOf(id), stepId)?.state);
    if (states.every((s) => s === 'done')) return 'done';
    if (states.some((s) => s === 'failed')) return 'failed';
    return states.some((s) => s === 'started') ? 'started' : 'pending';
  };
  const step = (
    id: string,
    kind: StepKind,
    journalIds: readonly string[],
    title: string,
    calls: string[],
    extra: { policyId?: string; client?: ClientRef; progress?: StepProgress; optional?: boolean } = {},
  ): PlannedStep => ({
    id,
    kind,
    journals: journalIds,
    title,
    calls,
    progress: extra.progress ?? progressOf(journalIds, id),
    optional: extra.optional ?? false,
    ...(extra.policyId ? { policyId: extra.policyId } : {}),
    ...(extra.client ? { client: extra.client } : {}),
  });
  const steps: PlannedStep[] = [];
  const reset = journals[0]!.reset;
  if (reset && reset.at === null) {
    steps.push(
      step(
        'reset',
        'reset',
        all,
        `reset the secret of owner client ${owner.clientId}; the old one keeps working ${hours(reset.hoursToLive)} (the new one is never shown)`,
        [
          `GET /config/${owner.applicationId}/clients/${owner.clientId}`,
          `PUT /config/${owner.applicationId}/clients/${owner.clientId}/secret {"hoursToLive": ${reset.hoursToLive}}`,
        ],
        // Not optional once asked: the new secret comes from it.
      ),
    );
  }
  const work = policies.some((p) => !p.newId || p.toMove.length > 0);
  if (work) {
    steps.push(
      step(
        'prove',
        'prove',
        all,
        `prove the new secret: Capture must accept it for owner client ${owner.clientId}`,
        [`POST /entityType.list at ${owner.domain} (the live check)`],
        { progress: 'pending' },
      ),
    );
  }
  for (const p of policies) {
    const old = `${c}/loginPolicies/${p.oldId}`;
    const created = p.newId !== undefined;
    steps.push(
      step(
        `create:${p.oldId}`,
        'create',
        [p.oldId],
        created
          ? `create the new policy "${p.newTitle}" (${p.newId})`
          : `create the new policy "${p.newTitle}": "${p.oldTitle}" with the new secret`,
        [`GET ${c}/loginPolicies`, `POST ${c}/loginPolicies`],
        // Not there now: created again even when the journal says an earlier run created it (deleted since).
        { policyId: p.oldId, progress: created ? 'done' : stillToDo(stepOf(journalOf(p.oldId), `create:${p.oldId}`)) },
      ),
    );
    const settings = [
      p.pushClaims === undefined ? undefined : `push claims ${p.pushClaims ? 'on' : 'off'}`,
      p.allowedResponseTypes === undefined ? undefined : `response types ${p.allowedResponseTypes.join(', ')}`,
    ].filter(Boolean);
    const newPath = `${c}/loginPolicies/${p.newId ?? '{new id}'}`;
    steps.push(
      step(
        `settings:${p.oldId}`,
        'settings',
        [p.oldId],
        `copy the old policy's settings to the new one${settings.length ? ` (${settings.join('; ')})` : ''}`,
        [
          `GET ${old}/pushClaims`,
          `GET ${old}/allowedResponseTypes`,
          `PUT ${newPath}/pushClaims`,
          `PUT ${newPath}/allowedResponseTypes`,
        ],
        // A policy created again needs its settings again.
        {
          policyId: p.oldId,
          ...(created ? {} : { progress: stillToDo(stepOf(journalOf(p.oldId), `settings:${p.oldId}`)) }),
        },
      ),
    );
    for (const client of p.moved) {
      const id = `repoint:${p.oldId}:${client.id}`;
      if (!stepOf(journalOf(p.oldId), id)) continue; // bound to the new policy by someone else: not ours to list
      steps.push(
        step(id, 'repoint', [p.oldId], repointTitle(client), [], { policyId: p.oldId, client, progress: 'done' }),
      );
    }
    for (const client of p.toMove) {
      const path = `${c}/clients/${client.id}`;
      const id = `repoint:${p.oldId}:${client.id}`;
      steps.push(
        step(id, 'repoint', [p.oldId], repointTitle(client), [`GET ${path}`, `PUT ${path}`, `GET ${path}`], {
          policyId: p.oldId,
          client,
          progress: stillToDo(stepOf(journalOf(p.oldId), id)),
        }),
      );
    }
  }
  for (const p of policies) {
    if (!p.deleteOld) continue;
    const id = `delete-old:${p.oldId}`;
    if (!p.exists && stepOf(journalOf(p.oldId), id)?.state !== 'done') continue;
    steps.push(
      step(
        id,
        'delete-old',
        [p.oldId],
        `delete the old policy "${p.oldTitle}" (${p.oldId}) once no client uses it`,
        [`DELETE ${c}/loginPolicies/${p.oldId}`],
        { policyId: p.oldId, optional: true, ...(p.exists ? {} : { progress: 'done' }) },
      ),
    );
  }
  steps.push(
    step(
      'files',
      'files',
      all,
      'update the files that exist: the new policy file, OIDC client files, the pulled folder, .loginpolicyrc.json',
      [],
      { progress: 'pending', optional: true },
    ),
  );
  return steps;
}

/**
 * A step whose subject is, right now, where the step would move it from: a client bound to the old policy (or, for an
 * abort, to the new one). It needs running whatever the journal says, since someone may have moved the client back
 * after an earlier run moved it: the journal only says whether a run began it (started) or failed it, never "done".
 */
function stillToDo(recorded: JournalStep | undefined): StepProgress {
  return recorded?.state === 'started' || recorded?.state === 'failed' ? recorded.state : 'pending';
}

function repointTitle(client: ClientRef): string {
  return `re-point OIDC client "${client.name}" (${client.id}) to the new policy`;
}

function planAbort(input: PlanInput, targets: readonly Target[], owner: SharedOwner): PlanOutcome {
  const { state, request } = input;
  const c = `/${request.customerId}/config`;
  const journals: RotationJournal[] = [];
  const policies: PlannedPolicy[] = [];
  const steps: PlannedStep[] = [];
  for (const t of targets) {
    if (!t.journal || t.journal.aborted) {
      throw new RotationRefusal('usage', `--abort: there is no rotation of ${t.id} to abort`);
    }
    const journal = structuredClone(t.journal);
    journals.push(journal);
    const created = newPolicyOf(journal, state);
    const planned = plannedPolicy(input, t, journal, created, owner);
    policies.push(planned);
    const ours = planned.moved.filter((client) => stepOf(journal, `repoint:${t.id}:${client.id}`));
    if (ours.length > 0 && (!t.live || planned.oldSecret.state !== 'accepted')) {
      throw new RotationRefusal(
        'failed',
        `--abort: the old policy ${t.id} ${t.live ? `is no longer usable (${planned.oldSecret.why})` : 'is deleted'}, so moving its clients back would break their sign-ins; finish the rotation instead`,
      );
    }
    for (const client of ours) {
      const path = `${c}/clients/${client.id}`;
      steps.push({
        id: `move-back:${t.id}:${client.id}`,
        kind: 'move-back',
        journals: [t.id],
        policyId: t.id,
        client,
        title: `move OIDC client "${client.name}" (${client.id}) back to the old policy`,
        calls: [`GET ${path}`, `PUT ${path}`, `GET ${path}`],
        progress: stillToDo(stepOf(journal, `move-back:${t.id}:${client.id}`)),
        optional: false,
      });
    }
    if (created) {
      const foreign = planned.moved.length - ours.length;
      if (foreign === 0) {
        steps.push({
          id: `delete-new:${t.id}`,
          kind: 'delete-new',
          journals: [t.id],
          policyId: t.id,
          title: `delete the new policy "${created.title}" (${created.id}) the rotation created`,
          calls: [`DELETE ${c}/loginPolicies/${created.id}`],
          progress: 'pending',
          optional: false,
        });
      }
    }
  }
  const all = journals.map((j) => j.oldPolicyId);
  steps.push({
    id: 'files',
    kind: 'files',
    journals: all,
    title: 'update the files that exist: OIDC client files and the pulled folder point to the old policy again',
    calls: [],
    progress: 'pending',
    optional: true,
  });
  const reset = journals[0]?.reset;
  const notes =
    reset?.at !== null && reset !== null && reset !== undefined
      ? [
          `the reset of ${reset.at} cannot be undone: the old secret stops working ${new Date(Date.parse(reset.at) + reset.hoursToLive * 3_600_000).toISOString()}, and every policy that embeds it with it`,
        ]
      : [];
  return {
    plan: {
      mode: 'abort',
      customerId: request.customerId,
      ownerClientId: owner.clientId,
      domain: owner.domain,
      resuming: true,
      newSecret: { source: journals[0]!.newSecret.source, check: undefined },
      reset: undefined,
      policies,
      steps,
      untouched: untouchedOf(state, policies),
      notes,
    },
    journals,
    archive: [],
    secret: { from: 'none' },
    finished: false,
    basis: input.journals,
  };
}

/** The OIDC clients bound to a policy now, in the order the API listed them. */
export function boundTo(clients: readonly OidcClientDocument[], policyId: string): ClientRef[] {
  return clients
    .filter((c) => c.loginPolicy === policyId)
    .map((c) => ({ id: c.id, name: typeof c['name'] === 'string' ? c['name'] : '' }));
}

function untouchedOf(state: RotationState, policies: readonly PlannedPolicy[]): RotationPlan['untouched'] {
  const ours = new Set(policies.flatMap((p) => [p.oldId, ...(p.newId ? [p.newId] : [])]));
  const owners = new Set(policies.flatMap((p) => state.policies.find((l) => l.id === p.oldId)?.owner?.clientId ?? []));
  const untouched: UntouchedPolicy[] = state.policies
    .filter((p) => !ours.has(p.id))
    .map((p) => {
      const check =
        p.owner && p.secretSha256 ? state.checks.get(checkKey(p.owner.clientId, p.secretSha256)) : undefined;
      const note = !p.owner
        ? 'no owner credentials'
        : !owners.has(p.owner.clientId)
          ? 'another owner client'
          : check?.state === 'rejected'
            ? `same owner client; its secret is refused now (${check.why}): rotate it too`
            : check === undefined || check.state === 'unknown'
              ? `same owner client; its secret could not be checked (${check?.why ?? 'not checked'})`
              : 'same owner client; its secret keeps working';
      return { id: p.id, title: p.title, note, clients: boundTo(state.clients, p.id).length };
    });
  const movedOrMoving = new Set(policies.flatMap((p) => [...p.toMove, ...p.moved].map((c) => c.id)));
  return { policies: untouched, clients: state.clients.filter((c) => !movedOrMoving.has(c.id)).length };
}

function notesOf(input: PlanInput, targets: readonly Target[], reset: RotationPlan['reset']): string[] {
  const notes: string[] = [];
  for (const t of targets) {
    const check = t.live?.secretSha256 && input.state.checks.get(checkKey(t.live.owner!.clientId, t.live.secretSha256));
    if (check && check.state === 'unknown') {
      notes.push(`could not tell whether ${t.id}'s secret works now (${check.why}); it is treated as working`);
    }
  }
  if (reset && reset.at === undefined && reset.hoursToLive > 0) {
    notes.push(
      `after the reset, LOGIN_POLICY_OWNER_CLIENT_SECRET (if it is this owner client's) works ${hours(reset.hoursToLive)} more: a resume must run within that time`,
    );
  }
  return notes;
}

/**
 * "ACME Login Policy (rotated 2026-11-27 3f9a0c1e)": unique by construction (the journal's random run id), since the
 * API does not enforce unique titles and the title is how a lost POST answer is found again. A suffix from an earlier
 * rotation or from the editor's "generate a new login policy" is replaced, not stacked.
 */
export function rotatedTitle(title: string, isoDate: string, runId: string): string {
  const base = title
    .replace(/ \(rotated \d{4}-\d\d-\d\d [0-9a-f]{8}\)$/, '')
    .replace(/ \(\d{4}-\d{2}-\d{2}(?:, \d+)?\)$/, '');
  return `${base || 'Login policy'} (rotated ${isoDate} ${runId})`;
}

function hours(n: number): string {
  return n === 1 ? 'for 1 hour' : `for ${n} hours`;
}
