// A rotation (reset with 1 hour of grace, 3 clients, --delete-old) with a fault at each step in turn: a 500, a timeout,
// an answer lost after the request was carried out, and the process killed mid-step. Each time the first run stops
// (exit 3 and one line naming the step, or the kill), the same command run again resumes to the same end state:
// exactly one new policy, every client on it and moved once, the old policy deleted, the journal done; and no
// sign-in fails at any moment, with sign-ins running through every client from before the first run to after the last.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { FaultKind } from '../fake-identity-cloud/server';
import {
  APP,
  assertRotated,
  CUSTOMER,
  failureLines,
  OWNER,
  RESET_1H_DELETE_APPLY,
  startWorld,
  waitFor,
  type RotationWorld,
} from './rotate-fixture';

/**
 * The command of every run, with its per-request limit. The first run's fault is answered at once (a 500, a reset
 * connection) or never (a hang): only a hang waits for the limit, so it gets a short one, and every other run a
 * limit no request meets on a busy machine (the fake and 200 sign-ins a second share the test's process; at 1 s for
 * every request of the first run, one would sooner or later time out instead of meeting its fault).
 */
const rotate = (w: RotationWorld, timeoutMs: number): string[] => [
  ...['rotate', '--policy', w.policyId, ...RESET_1H_DELETE_APPLY],
  ...['--timeout-ms', String(timeoutMs)],
];
const HANG_MS = 3000;
const ANSWERED_MS = 10_000;

/** How the failure line words each fault after naming the request. */
const ANSWER: Partial<Record<FaultKind, string>> = {
  error500: 'Identity Cloud failed \\(HTTP 500\\)',
  timeout: `no answer within ${HANG_MS / 1000} s \\(timeout\\)`,
  lostAnswer: 'connection reset',
};

interface Fault {
  /** The step, as the failure line names it. */
  readonly step: RegExp;
  readonly method: string;
  readonly path: (w: RotationWorld) => string;
  /** Matching requests hit before this one (the live check of the old secret comes before the proof of the new). */
  readonly times?: number;
}

const STEPS: Record<string, Fault> = {
  reset: {
    step: /step 1 of 9 \(reset the secret of owner client /,
    method: 'PUT',
    path: () => `/config/${APP}/clients/${OWNER.clientId}/secret`,
  },
  prove: {
    step: /step 2 of 9 \(prove the new secret/,
    method: 'POST',
    path: () => '/entityType.list',
    // The plan's live check of the old secret, then the proof: both hit, the first only makes the old one "unknown".
    times: 2,
  },
  create: {
    step: /step 3 of 9 \(create the new policy /,
    method: 'POST',
    path: () => `/${CUSTOMER}/config/loginPolicies`,
  },
  'push claims': {
    step: /step 4 of 9 \(copy the old policy's settings/,
    method: 'PUT',
    path: () => `/${CUSTOMER}/config/loginPolicies/*/pushClaims`,
  },
  'response types': {
    step: /step 4 of 9 \(copy the old policy's settings/,
    method: 'PUT',
    path: () => `/${CUSTOMER}/config/loginPolicies/*/allowedResponseTypes`,
  },
  're-point': {
    step: /step 6 of 9 \(re-point OIDC client "ACME app 2" /,
    method: 'PUT',
    path: (w) => `/${CUSTOMER}/config/clients/${w.clientIds[1]}`,
  },
  delete: {
    step: /step 8 of 9 \(delete the old policy /,
    method: 'DELETE',
    path: (w) => `/${CUSTOMER}/config/loginPolicies/${w.policyId}`,
  },
};

const CASES: [step: string, kind: FaultKind][] = [
  ['reset', 'error500'],
  ['reset', 'timeout'],
  ['reset', 'lostAnswer'],
  ['prove', 'error500'],
  ['create', 'error500'],
  ['create', 'timeout'],
  ['create', 'lostAnswer'],
  ['push claims', 'error500'],
  ['response types', 'lostAnswer'],
  ['re-point', 'error500'],
  ['re-point', 'timeout'],
  ['re-point', 'lostAnswer'],
  ['delete', 'error500'],
  ['delete', 'lostAnswer'],
];

describe('rotate resumes after a fault at any step, with no failed sign-in', () => {
  let world: RotationWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  for (const [name, kind] of CASES) {
    it(`${name}: ${kind}`, async (t) => {
      const w = (world = await startWorld({ clients: 3 }));
      const fault = STEPS[name]!;
      const path = fault.path(w);
      w.cloud.injectFault({ method: fault.method, path, kind, ...(fault.times ? { times: fault.times } : {}) });
      const load = w.startSignIns();
      const first = await w.run(rotate(w, kind === 'timeout' ? HANG_MS : ANSWERED_MS));
      assert.equal(first.code, 3, first.stderr);
      const [line, ...more] = failureLines(first.stderr);
      assert.deepEqual(more, [], first.stderr);
      assert.match(line!, new RegExp(`^login-policy-lint: rotation interrupted at ${fault.step.source}`));
      // Stopped by the planted fault on the faulted request, not by another request that met the limit. The proof is
      // worded as Capture's refusal of the new secret.
      const request = `${fault.method} ${path.replace(/\./g, '\\.').replace(/\*/g, '[^/]+')}`;
      const cause =
        name === 'prove'
          ? 'Capture does not accept the new secret .*: Capture answered HTTP 500'
          : `${request}: ${ANSWER[kind]}`;
      assert.match(line!, new RegExp(`\\): ${cause}; run the same command again`));
      assert.match(
        line!,
        /; run the same command again to resume where it stopped \(journal: \.loginpolicy-rotation\/[^)]+\.json\)\.$/,
      );
      w.cloud.clearFaults();
      const second = await w.run(rotate(w, ANSWERED_MS));
      const figures = load.stop();
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /^Resume the rotation plan /);
      if (name === 're-point') {
        // The resume plans to move only the clients still on the old policy; the others are listed as moved.
        const moved = kind === 'lostAnswer' ? ['ACME app 1', 'ACME app 2'] : ['ACME app 1'];
        const left = kind === 'lostAnswer' ? ['ACME app 3'] : ['ACME app 2', 'ACME app 3'];
        const names = (line: string | undefined) => [...(line ?? '').matchAll(/"(ACME app \d)"/g)].map((m) => m[1]);
        assert.deepEqual(names(/^ {4}moves .*$/m.exec(second.stdout)?.[0]), left);
        assert.deepEqual(names(/^ {4}already moved: .*$/m.exec(second.stdout)?.[0]), moved);
      }
      assertRotated(w, { deleted: true });
      assertMovedOnce(w, name === 're-point' && kind !== 'lostAnswer' ? w.clientIds[1] : undefined);
      assertCreatedOnce(w, name === 'create' && kind !== 'lostAnswer');
      assertResetOnce(w, name === 'reset' && kind !== 'lostAnswer');
      assert.equal(figures.failed, 0, `no sign-in failed: ${JSON.stringify(figures.perClient)}`);
      assert.ok(figures.atChanges.attempted > 0, 'every client judged after each change, not only sampled');
      t.diagnostic(
        `${figures.attempted} sign-ins (${figures.atChanges.attempted} right after a change), ${figures.failed} failed`,
      );
    });
  }

  // Killed while a request is out: carried out (the answer never came back) or not carried out at all.
  const KILLS: [step: string, applied: boolean, done: (w: RotationWorld) => boolean][] = [
    ['reset', true, (w) => w.cloud.currentSecret(OWNER.clientId) !== OWNER.secret],
    ['create', true, (w) => w.newPolicies().length === 1],
    ['create', false, () => true],
    ['re-point', true, (w) => w.cloud.oidcClient(w.clientIds[1]!)!['loginPolicy'] !== w.policyId],
    ['delete', false, () => true],
  ];
  for (const [name, applied, done] of KILLS) {
    it(`${name}: the process is killed mid-step (${applied ? 'request carried out' : 'request not carried out'})`, async (t) => {
      const w = (world = await startWorld({ clients: 3 }));
      const fault = STEPS[name]!;
      const path = fault.path(w);
      w.cloud.injectFault({ method: fault.method, path, kind: 'timeout', applied });
      const load = w.startSignIns();
      const { child, done: exited } = w.start(rotate(w, 30_000));
      const stepId = {
        reset: 'reset',
        create: 'create:',
        're-point': `repoint:${w.policyId}:${w.clientIds[1]}`,
        delete: 'delete-old:',
      }[name]!;
      await waitFor(`the journal to show ${stepId} started and the request out`, () => {
        const started = w.journal()?.steps.some((s) => s.id.startsWith(stepId) && s.state === 'started') ?? false;
        const out = w.cloud.requests.some((r) => r.method === fault.method && r.fault === 'timeout');
        return started && out && done(w);
      });
      child.kill('SIGKILL');
      const killed = await exited;
      assert.equal(killed.code, -1, 'killed by the signal');
      w.cloud.clearFaults();
      const second = await w.run(rotate(w, ANSWERED_MS));
      const figures = load.stop();
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /^Resume the rotation plan /);
      assertRotated(w, { deleted: true });
      assertMovedOnce(w, name === 're-point' && !applied ? w.clientIds[1] : undefined);
      assertCreatedOnce(w, name === 'create' && !applied);
      assertResetOnce(w, name === 'reset' && !applied);
      assert.equal(figures.failed, 0, `no sign-in failed: ${JSON.stringify(figures.perClient)}`);
      assert.ok(figures.atChanges.attempted > 0, 'every client judged after each change, not only sampled');
      t.diagnostic(
        `${figures.attempted} sign-ins (${figures.atChanges.attempted} right after a change), ${figures.failed} failed`,
      );
    });
  }
});

/** Each client was PUT once, except `retried`, whose first PUT was refused or never carried out. */
function assertMovedOnce(w: RotationWorld, retried: string | undefined): void {
  for (const id of w.clientIds) {
    const puts = w.cloud.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/config/clients/${id}`));
    assert.equal(puts.length, id === retried ? 2 : 1, `PUTs of client ${id}: ${JSON.stringify(puts)}`);
  }
}

/** One POST of a policy, or two when the first was refused or never carried out. */
function assertCreatedOnce(w: RotationWorld, retried: boolean): void {
  const posts = w.cloud.requests.filter((r) => r.method === 'POST' && r.path === `/${CUSTOMER}/config/loginPolicies`);
  assert.equal(posts.length, retried ? 2 : 1, JSON.stringify(posts));
}

/** One reset of the owner secret (a second would rotate it again), or two when the first never happened. */
function assertResetOnce(w: RotationWorld, retried: boolean): void {
  const resets = w.cloud.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/secret'));
  assert.equal(resets.length, retried ? 2 : 1, JSON.stringify(resets));
}
