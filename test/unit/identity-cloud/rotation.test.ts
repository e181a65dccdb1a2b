// The rotation's parts without HTTP: the executor over an in-memory API (what it does when Identity Cloud changed
// between the plan and the step), the planner's titles and refusals, and the .loginpolicyrc.json edit of a rotation.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { IdentityCloudError } from '../../../server/src/identity-cloud/api-error';
import { recordRotatedSecret } from '../../../server/src/identity-cloud/rotation/workspace-files';
import type { JsonObject, LoginPolicyDocument, OidcClientDocument } from '../../../server/src/identity-cloud/api-types';
import { executeRotation } from '../../../server/src/identity-cloud/rotation/executor';
import {
  FileJournalStore,
  type JournalStore,
  type RotationJournal,
} from '../../../server/src/identity-cloud/rotation/journal';
import { prepareRotation } from '../../../server/src/identity-cloud/rotation/prepare';
import { ConcurrentRotation } from '../../../server/src/identity-cloud/rotation/rotation-lock';
import {
  checkKey,
  livePolicy,
  type RotationApi,
  type RotationState,
} from '../../../server/src/identity-cloud/rotation/live-state';
import {
  planRotation,
  rotatedTitle,
  RotationRefusal,
  type PlanInput,
} from '../../../server/src/identity-cloud/rotation/planner';
import { fingerprint } from '../../../server/src/shared/fingerprint';

const OWNER = 'own3r';
const OLD_SECRET = 'old-secret-0123456789';
const NEW_SECRET = 'new-secret-0123456789';
const NOW = new Date('2026-03-01T10:00:00Z');

function policy(id: string, title: string, secret: string): LoginPolicyDocument {
  return {
    id,
    identityStoreDetails: {
      type: 'janrainCapture',
      connectionDetails: {
        domain: 'acme.janraincapture.com',
        applicationId: 'app',
        entityType: 'user',
        clientId: OWNER,
        clientSecret: secret,
      },
    },
    loginURL: 'https://v1.api.us.janrain.com/c/auth-ui/v2/login',
    title,
    _links: { self: { href: `/c/config/loginPolicies/${id}` } },
  };
}

/** Identity Cloud in memory, with every call noted. */
class MemoryApi implements RotationApi {
  readonly calls: string[] = [];
  readonly policies = new Map<string, LoginPolicyDocument>();
  readonly clients = new Map<string, OidcClientDocument>();
  listLoginPolicySummaries() {
    this.calls.push('list policies');
    return Promise.resolve([...this.policies.values()].map((p) => ({ id: p.id, title: String(p['title']) })));
  }
  getLoginPolicy(id: string) {
    return Promise.resolve(structuredClone(this.policies.get(id)!));
  }
  createLoginPolicy(body: JsonObject) {
    this.calls.push('POST policy');
    const created = { ...body, id: `new-${this.policies.size}` } as LoginPolicyDocument;
    this.policies.set(created.id, created);
    return Promise.resolve(created);
  }
  deleteLoginPolicy(id: string) {
    this.calls.push(`DELETE ${id}`);
    // As the API does: 409 while a client uses it.
    if ([...this.clients.values()].some((c) => c.loginPolicy === id)) {
      return Promise.reject(
        new IdentityCloudError('conflict', 'the login policy is still used (HTTP 409)', { request: `DELETE ${id}` }),
      );
    }
    this.policies.delete(id);
    return Promise.resolve();
  }
  getPushClaims() {
    return Promise.resolve(false);
  }
  setPushClaims() {
    return Promise.resolve();
  }
  getAllowedResponseTypes() {
    return Promise.resolve(['code']);
  }
  setAllowedResponseTypes() {
    return Promise.resolve();
  }
  listOidcClientSummaries() {
    return Promise.resolve([...this.clients.values()].map((c) => ({ id: c.id, name: String(c['name']) })));
  }
  getOidcClient(id: string) {
    return Promise.resolve(structuredClone(this.clients.get(id)!));
  }
  /** Clients whose next PUT fails (once each), as a 500 would. */
  readonly failPut = new Set<string>();
  putOidcClient(client: OidcClientDocument) {
    this.calls.push(`PUT ${client.id}`);
    if (this.failPut.delete(client.id)) return Promise.reject(new Error('HTTP 500'));
    this.clients.set(client.id, structuredClone(client));
    return Promise.resolve();
  }
  /** Someone in the Console binds a client to another policy. */
  bind(clientId: string, policyId: string) {
    this.clients.set(clientId, { ...this.clients.get(clientId)!, loginPolicy: policyId });
  }
}

class MemoryStore implements JournalStore {
  readonly saved = new Map<string, RotationJournal>();
  load(id: string) {
    return this.saved.get(id);
  }
  save(journal: RotationJournal) {
    this.saved.set(journal.oldPolicyId, structuredClone(journal));
  }
  archive() {}
  where(id: string) {
    return `.loginpolicy-rotation/${id}.json`;
  }
}

function world(): { api: MemoryApi; state: () => RotationState } {
  const api = new MemoryApi();
  api.policies.set('old', policy('old', 'ACME', OLD_SECRET));
  for (const id of ['a', 'b'])
    api.clients.set(id, { id, name: `app ${id}`, loginPolicy: 'old', tokenPolicy: 'tp', type: 'public' });
  const state = (): RotationState => ({
    policies: [...api.policies.values()].map((p) => livePolicy(structuredClone(p))),
    clients: [...api.clients.values()].map((c) => structuredClone(c)),
    settings: new Map([['old', { pushClaims: false, allowedResponseTypes: ['code'] }]]),
    checks: new Map([
      [checkKey(OWNER, fingerprint(OLD_SECRET)), { state: 'accepted', why: 'accepted' }],
      [checkKey(OWNER, fingerprint(NEW_SECRET)), { state: 'accepted', why: 'accepted' }],
    ]),
    ownerSecret: undefined,
  });
  return { api, state };
}

function input(state: RotationState, extra: Partial<PlanInput> = {}): PlanInput {
  return {
    request: {
      mode: 'rotate',
      customerId: 'c',
      policyIds: ['old'],
      source: 'env',
      hoursToLive: undefined,
      deleteOld: true,
    },
    state,
    journals: new Map(),
    journalPath: (id) => id,
    given: { sha256: fingerprint(NEW_SECRET), check: { state: 'accepted', why: 'accepted' } },
    now: NOW,
    runId: () => '0123abcd',
    ...extra,
  };
}

const deps = (api: MemoryApi, store: JournalStore = new MemoryStore()) => ({
  api,
  owner: undefined,
  checkSecret: () => Promise.resolve({ state: 'accepted' as const, why: 'accepted' }),
  store,
  local: undefined,
  now: () => NOW,
});

describe('rotation executor', () => {
  it('finds a new policy an earlier run created after the plan was read, by its title, and does not POST again', async () => {
    const { api, state } = world();
    const outcome = planRotation(input(state()));
    // Created meanwhile (another run whose answer was lost), under the title the journal chose.
    const title = outcome.journals[0]!.newPolicy.title;
    api.policies.set('made', policy('made', title, NEW_SECRET));
    const result = await executeRotation(outcome, state(), { newSecret: NEW_SECRET }, deps(api));
    assert.ok(!api.calls.includes('POST policy'), api.calls.join(', '));
    assert.equal(result.policies[0]!.newId, 'made');
    assert.equal(api.clients.get('a')!.loginPolicy, 'made');
  });

  it('leaves a client that moved since the plan alone: already on the new policy, or bound elsewhere', async () => {
    const { api, state } = world();
    api.policies.set('made', policy('made', 'ACME (rotated 2026-03-01 0123abcd)', NEW_SECRET));
    const store = new MemoryStore();
    const outcome = planRotation(input(state()));
    api.clients.set('a', { ...api.clients.get('a')!, loginPolicy: 'made' });
    api.clients.set('b', { ...api.clients.get('b')!, loginPolicy: 'elsewhere' });
    const result = await executeRotation(outcome, state(), { newSecret: NEW_SECRET }, deps(api, store));
    assert.deepEqual(
      api.calls.filter((c) => c.startsWith('PUT')),
      [],
    );
    assert.deepEqual(
      result.steps.filter((s) => s.id.startsWith('repoint')).map((s) => s.note),
      ['already on the new policy', 'now bound to elsewhere, not old: left alone'],
    );
    assert.equal(store.saved.get('old')!.done, true);
  });
});

describe('a client bound again to the policy it was moved from', () => {
  const keepOld = (state: RotationState, extra: Partial<PlanInput> = {}): PlanInput => {
    const base = input(state, extra);
    return { ...base, request: { ...base.request, deleteOld: false, ...extra.request } };
  };
  /** The next run of the same command: the saved journals, no secret given (the new policy holds it). */
  const again = (store: MemoryStore, state: RotationState, mode: 'rotate' | 'abort' = 'rotate') => {
    const base = keepOld(state, { journals: new Map(store.saved), given: undefined });
    return planRotation({ ...base, request: { ...base.request, mode, source: mode === 'abort' ? undefined : 'env' } });
  };

  it('after a finished rotation: the next run moves it again instead of saying there is nothing to do', async () => {
    const { api, state } = world();
    const store = new MemoryStore();
    await executeRotation(planRotation(keepOld(state())), state(), { newSecret: NEW_SECRET }, deps(api, store));
    const newId = api.clients.get('a')!.loginPolicy;
    api.bind('a', 'old');
    const outcome = again(store, state());
    assert.equal(outcome.finished, false);
    assert.deepEqual(
      outcome.plan.steps.filter((s) => s.kind === 'repoint').map((s) => [s.client!.id, s.progress]),
      [
        ['b', 'done'],
        ['a', 'pending'],
      ],
    );
    await executeRotation(outcome, state(), { newSecret: NEW_SECRET }, deps(api, store));
    assert.equal(api.clients.get('a')!.loginPolicy, newId);
    assert.equal(again(store, state()).finished, true, 'then there is nothing to do');
  });

  it('during an abort: a client moved back and then to the new policy again is moved back again', async () => {
    const { api, state } = world();
    const store = new MemoryStore();
    await executeRotation(planRotation(keepOld(state())), state(), { newSecret: NEW_SECRET }, deps(api, store));
    const newId = api.clients.get('a')!.loginPolicy!;
    // The abort moves "a" back, then fails on "b"; someone binds "a" to the new policy again.
    api.failPut.add('b');
    await assert.rejects(
      executeRotation(again(store, state(), 'abort'), state(), { newSecret: undefined }, deps(api, store)),
    );
    assert.equal(api.clients.get('a')!.loginPolicy, 'old');
    api.bind('a', newId);
    const outcome = again(store, state(), 'abort');
    assert.deepEqual(
      outcome.plan.steps.filter((s) => s.kind === 'move-back').map((s) => [s.client!.id, s.progress]),
      [
        ['a', 'pending'],
        ['b', 'failed'],
      ],
    );
    await executeRotation(outcome, state(), { newSecret: undefined }, deps(api, store));
    assert.deepEqual([api.clients.get('a')!.loginPolicy, api.clients.get('b')!.loginPolicy], ['old', 'old']);
    assert.ok(!api.policies.has(newId), 'the new policy is deleted once no client uses it');
  });
});

describe('a new policy deleted in the Console mid-rotation', () => {
  /** A rotation stopped at its first re-point, then its new policy deleted; the plan of the next run. */
  const interrupted = async () => {
    const { api, state } = world();
    const store = new MemoryStore();
    api.failPut.add('a');
    await assert.rejects(
      executeRotation(planRotation(input(state())), state(), { newSecret: NEW_SECRET }, deps(api, store)),
    );
    const deleted = store.saved.get('old')!.newPolicy.id!;
    api.policies.delete(deleted);
    return { api, state, store, deleted, next: () => input(state(), { journals: new Map(store.saved) }) };
  };

  it('is created again, its settings copied again, and every client moved to it', async () => {
    const { api, state, store, deleted, next } = await interrupted();
    const outcome = planRotation(next());
    assert.deepEqual(
      outcome.plan.steps.map((s) => `${s.kind} ${s.progress}`),
      [
        'prove pending',
        'create pending',
        'settings pending',
        'repoint failed',
        'repoint pending',
        'delete-old pending',
        'files pending',
      ],
    );
    assert.match(
      outcome.plan.notes.join('\n'),
      new RegExp(
        `\\(${deleted}\\) that an earlier run created for old is gone \\(deleted outside this rotation\\): it is created again; to stop the rotation instead, run it with --abort`,
      ),
    );
    await executeRotation(outcome, state(), { newSecret: NEW_SECRET }, deps(api, store));
    const created = [...api.policies.keys()];
    assert.equal(created.length, 1, 'one new policy, the old one deleted');
    assert.deepEqual([api.clients.get('a')!.loginPolicy, api.clients.get('b')!.loginPolicy], [created[0], created[0]]);
    assert.equal(store.saved.get('old')!.newPolicy.id, created[0]);
  });

  it('is not created again while a client is still bound to its id: a person looks first', async () => {
    const { api, deleted, next } = await interrupted();
    api.bind('b', deleted);
    assert.throws(
      () => planRotation(next()),
      (e: unknown) =>
        e instanceof RotationRefusal &&
        e.kind === 'failed' &&
        e.message ===
          `the new policy ${deleted} of the rotation of old is gone, yet "app b" (b) is still bound to it: bind it to a policy in the Console, then run rotate again`,
    );
  });
});

describe('a reset whose live checks were inconclusive', () => {
  const PREVIOUS = 'previous-secret-0123456789';
  const DEAD = 'dead-secret-0123456789';
  /** "old" and "sib" embed the current secret, "prev" one still in its grace period, "dead" one Capture refuses. */
  const resetWorld = (check: 'unknown' | 'accepted') => {
    const { api, state } = world();
    api.policies.set('sib', policy('sib', 'Sibling', OLD_SECRET));
    api.policies.set('prev', policy('prev', 'Previous', PREVIOUS));
    api.policies.set('dead', policy('dead', 'Dead', DEAD));
    api.clients.set('s', { id: 's', name: 'app s', loginPolicy: 'sib', tokenPolicy: 'tp', type: 'public' });
    const why = check === 'unknown' ? 'no answer within 3 s' : 'accepted';
    const live = state();
    return {
      ...live,
      checks: new Map([
        [checkKey(OWNER, fingerprint(OLD_SECRET)), { state: check, why }],
        [checkKey(OWNER, fingerprint(PREVIOUS)), { state: check, why }],
        [checkKey(OWNER, fingerprint(DEAD)), { state: 'rejected' as const, why: '402 invalid_client_credentials' }],
      ]),
      ownerSecret: { secret: OLD_SECRET, sha256: fingerprint(OLD_SECRET) },
    };
  };
  const reset = (state: RotationState, policyIds: string[], hoursToLive: number) => {
    const base = input(state, { given: undefined });
    return () =>
      planRotation({
        ...base,
        request: { ...base.request, policyIds, source: 'reset', hoursToLive, deleteOld: false },
      });
  };
  const refusal = (pattern: RegExp, alsoAffected?: string[]) => (e: unknown) =>
    e instanceof RotationRefusal &&
    e.kind === 'usage' &&
    pattern.test(e.message) &&
    (alsoAffected === undefined || e.alsoAffected.map((p) => p.id).join() === alsoAffected.join());

  it('counts every policy that embeds the current secret or one Capture did not refuse: each must be named', () => {
    const state = resetWorld('unknown');
    assert.throws(
      reset(state, ['old'], 1),
      refusal(/a reset stops the old secret of every policy that embeds it, and sib \("Sibling"\), prev/, [
        'sib',
        'prev',
      ]),
    );
    const plan = reset(state, ['old', 'sib', 'prev'], 1)().plan;
    assert.deepEqual(plan.reset?.affected, ['old', 'sib', 'prev']);
    assert.deepEqual(
      plan.untouched.policies.map((p) => p.note),
      ['same owner client; its secret is refused now (402 invalid_client_credentials): rotate it too'],
    );
  });

  it('refuses --hours-to-live 0 while a client signs in through one of them, checked or not', () => {
    for (const check of ['unknown', 'accepted'] as const) {
      assert.throws(
        reset(resetWorld(check), ['old', 'sib', 'prev'], 0),
        refusal(/--hours-to-live 0 stops the old secret at once, while OIDC clients still sign in through old, sib/),
        check,
      );
    }
  });

  it('says a policy left alone could not be checked, rather than that its secret keeps working', () => {
    const state = resetWorld('unknown');
    const base = input(state);
    const plan = planRotation({ ...base, request: { ...base.request, deleteOld: false } }).plan;
    assert.deepEqual(
      plan.untouched.policies.map((p) => [p.id, p.note]),
      [
        ['sib', 'same owner client; its secret could not be checked (no answer within 3 s)'],
        ['prev', 'same owner client; its secret could not be checked (no answer within 3 s)'],
        ['dead', 'same owner client; its secret is refused now (402 invalid_client_credentials): rotate it too'],
      ],
    );
  });
});

describe('the rotation lock', () => {
  const folders: string[] = [];
  after(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });
  const folder = () => {
    folders.push(mkdtempSync(path.join(tmpdir(), 'lpl-lock-')));
    return folders.at(-1)!;
  };
  const lockFile = (store: FileJournalStore) => path.join(store.dir, 'old.lock');
  const holder = (pid: number) => `${JSON.stringify({ pid, host: hostname(), startedAt: NOW.toISOString() })}\n`;
  const held = (pid: number) => (e: unknown) =>
    e instanceof ConcurrentRotation && e.message.startsWith(`another rotation of old is running (pid ${pid}): `);

  it("refuses while a live process holds it, and an editor's run changes nothing", async () => {
    const store = new FileJournalStore(folder());
    mkdirSync(store.dir);
    // The test's parent process is alive: another rotation, as far as this one can tell.
    writeFileSync(lockFile(store), holder(process.ppid));
    assert.throws(() => store.lock(['old']), held(process.ppid));
    const { api, state } = world();
    await assert.rejects(
      executeRotation(planRotation(input(state())), state(), { newSecret: NEW_SECRET }, deps(api, store)),
      held(process.ppid),
    );
    assert.deepEqual(api.calls, []);
    assert.equal(readFileSync(lockFile(store), 'utf8'), holder(process.ppid), 'the holder keeps its lock');
  });

  it('takes over the lock of a process that no longer runs, and removes it when released', () => {
    const store = new FileJournalStore(folder());
    mkdirSync(store.dir);
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(lockFile(store), holder(gone));
    const release = store.lock(['old']);
    assert.equal((JSON.parse(readFileSync(lockFile(store), 'utf8')) as { pid: number }).pid, process.pid);
    // Taken again by its holder (the CLI for its run, then the executor): held until the last release.
    store.lock(['old'])();
    assert.ok(existsSync(lockFile(store)));
    release();
    assert.deepEqual(readdirSync(store.dir), [], 'no lock, no staging file left');
  });

  it('a run whose plan was read before another run changed the journal does not start', async () => {
    const store = new FileJournalStore(folder());
    const { api, state } = world();
    const outcome = planRotation(input(state()));
    // Another run (the CLI, while an editor's plan waited for a click) starts the same rotation meanwhile.
    store.save({ ...outcome.journals[0]!, runId: 'ffffffff' });
    await assert.rejects(
      executeRotation(outcome, state(), { newSecret: NEW_SECRET }, deps(api, store)),
      (e: unknown) =>
        e instanceof ConcurrentRotation &&
        e.message ===
          'the journal of old changed since the plan was read (another run of this rotation): plan again to go on from there',
    );
    assert.deepEqual(api.calls, []);
    assert.ok(!existsSync(lockFile(store)), 'the lock is released');
  });
});

describe('prepareRotation', () => {
  it('asks for the secret of an unfinished rotation where it was given: typed into VS Code, not stdin', async () => {
    const { api, state } = world();
    const store = new MemoryStore();
    const base = input(state());
    const started = planRotation({ ...base, request: { ...base.request, source: 'typed' } }).journals[0]!;
    store.save({ ...started, steps: [{ id: 'prove', state: 'done', startedAt: NOW.toISOString() }] });
    const asked: string[] = [];
    await assert.rejects(
      prepareRotation({
        request: { ...base.request, source: undefined },
        api,
        owner: undefined,
        checkSecret: deps(api).checkSecret,
        store,
        readGivenSecret: (source) => {
          asked.push(source);
          return Promise.resolve(undefined);
        },
        now: () => NOW,
        runId: () => '0123abcd',
      }),
      (e: unknown) =>
        e instanceof RotationRefusal &&
        e.message ===
          'the unfinished rotation needs its new secret again (it was typed into VS Code: type it again there, or pipe it to rotate on stdin) until the new policy exists',
    );
    assert.deepEqual(asked, ['typed']);
  });
});

describe('rotation planner', () => {
  it('names a new policy after the old one, replacing an earlier suffix instead of stacking it', () => {
    assert.equal(rotatedTitle('ACME', '2026-03-01', '0123abcd'), 'ACME (rotated 2026-03-01 0123abcd)');
    assert.equal(
      rotatedTitle('ACME (rotated 2025-01-01 ffffffff)', '2026-03-01', '0123abcd'),
      'ACME (rotated 2026-03-01 0123abcd)',
    );
    assert.equal(rotatedTitle('ACME (2025-11-27, 2)', '2026-03-01', '0123abcd'), 'ACME (rotated 2026-03-01 0123abcd)');
  });

  it('refuses a given secret that differs from the one an unfinished rotation started with', () => {
    const { state } = world();
    const first = planRotation(input(state()));
    const journal = {
      ...first.journals[0]!,
      steps: [{ id: 'prove', state: 'done' as const, startedAt: NOW.toISOString() }],
    };
    const other = {
      sha256: fingerprint('another-secret-0000'),
      check: { state: 'accepted' as const, why: 'accepted' },
    };
    assert.throws(
      () => planRotation(input(state(), { journals: new Map([['old', journal]]), given: other })),
      (e: unknown) =>
        e instanceof RotationRefusal &&
        e.kind === 'usage' &&
        /not the one the unfinished rotation started with/.test(e.message),
    );
  });
});

describe('recordRotatedSecret', () => {
  it('makes the new fingerprint current and keeps the old one with when it stops, comments and all', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(64));
    const text = `{\n  // owners\n  "clients": [\n    { "clientId": "o", "secretSha256": "${a}", "previousSecrets": [{ "sha256": "${b}", "validUntil": null }] }\n  ]\n}\n`;
    const out = recordRotatedSecret(text, 'o', c!, [
      { sha256: a!, validUntil: '2026-03-02T10:00:00.000Z' },
      { sha256: b!, validUntil: '2026-03-01T10:00:00.000Z' },
    ]);
    assert.match(out, /^\{\n {2}\/\/ owners\n/);
    const entry = (JSON.parse(out.replace(/\/\/.*\n/, '')) as { clients: Record<string, unknown>[] }).clients[0]!;
    assert.equal(entry['secretSha256'], c);
    assert.deepEqual(entry['previousSecrets'], [
      { sha256: b, validUntil: '2026-03-01T10:00:00.000Z' },
      { sha256: a, validUntil: '2026-03-02T10:00:00.000Z' },
    ]);
    // An unknown or a later time does not replace a known one; running it again changes nothing.
    assert.equal(recordRotatedSecret(out, 'o', c!, [{ sha256: a!, validUntil: null }]), out);
    assert.equal(recordRotatedSecret(out, 'o', c!, [{ sha256: b!, validUntil: '2026-03-09T00:00:00.000Z' }]), out);
    const fresh = JSON.parse(recordRotatedSecret('{}', 'o', c!, [])) as { clients: unknown[] };
    assert.deepEqual(fresh.clients, [{ clientId: 'o', features: ['owner'], secretSha256: c }]);
  });
});
