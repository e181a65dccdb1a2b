// The seed's own story on the fake's demo (npm run fake-cloud): the owner secret was reset with no grace period, so
// "ACME Default Login Policy" still embeds a dead secret and every sign-in through its two clients fails. The plan
// says so and moves those clients first, before anything optional; each client signs in from the moment it is
// re-pointed. The test reports how many sign-ins failed before the rotation and after each re-point (none).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { PlannedStep } from '../../server/src/identity-cloud/rotation/plan-types';
import { cloudWorld, DEMO, VENDOR_OWNER } from './cloud-fixture';

const STALE: readonly string[] = [DEMO.clients.web.id, DEMO.clients.ios.id];
const WORKING: readonly string[] = [DEMO.clients.partners.id, DEMO.clients.loyalty.id];

describe("rotate: the seed's story, a policy whose secret is already dead", () => {
  const world = cloudWorld();

  it('moves its clients first, and each signs in from the moment it is re-pointed', async (t) => {
    const w = world();
    writeFileSync(
      path.join(w.dir, '.loginpolicyrc.json'),
      JSON.stringify({ verify: { allowedHosts: ['http://127.0.0.1:*'] } }),
    );
    const env = { ...w.env, LOGIN_POLICY_NEW_OWNER_SECRET: VENDOR_OWNER.currentSecret };
    const before = STALE.flatMap((id) => Array.from({ length: 10 }, () => w.cloud.signIn(id)));
    const failedBefore = before.filter((r) => !r.ok).length;
    assert.equal(failedBefore, before.length, 'sign-in through the stale policy fails now');

    const plan = await w.run(['rotate', '--policy', DEMO.stalePolicy.id, '--delete-old'], env);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(
      plan.stdout,
      /"ACME Default Login Policy" \(0b5e8f2a-[^)]+\): its secret is refused by Capture now \(402 invalid_client_credentials\): sign-in through its 2 OIDC clients is failing now; they move first, before anything optional\n/,
    );
    const json = await w.run(['rotate', '--policy', DEMO.stalePolicy.id, '--delete-old', '--format', 'json'], env);
    const steps = (JSON.parse(json.stdout) as { plan: { steps: PlannedStep[] } }).plan.steps;
    const lastMove = steps.map((s) => s.kind).lastIndexOf('repoint');
    const firstOptional = steps.findIndex((s) => s.optional);
    assert.deepEqual(
      steps.slice(0, lastMove + 1).map((s) => s.kind),
      ['prove', 'create', 'settings', 'repoint', 'repoint'],
    );
    assert.ok(firstOptional > lastMove, 'nothing optional comes before the moves');

    // Sign-ins through every login client, each attempt noted with the policy the client was bound to then.
    const attempts: { id: string; ok: boolean; policy: string | undefined }[] = [];
    const timer = setInterval(() => {
      for (const id of [...STALE, ...WORKING]) {
        const r = w.cloud.signIn(id);
        attempts.push({ id, ok: r.ok, policy: r.loginPolicy });
      }
    }, 5);
    const run = await w.run(['rotate', '--policy', DEMO.stalePolicy.id, '--delete-old', '--apply'], env);
    clearInterval(timer);
    assert.equal(run.code, 0, run.stderr);
    const newId = w.cloud.oidcClient(DEMO.clients.web.id)!['loginPolicy'] as string;
    assert.notEqual(newId, DEMO.stalePolicy.id);
    const after = [...STALE, ...WORKING].flatMap((id) => Array.from({ length: 10 }, () => w.cloud.signIn(id)));
    assert.ok(
      after.every((r) => r.ok),
      'every client signs in after the rotation',
    );
    for (const id of STALE) {
      const mine = attempts.filter((a) => a.id === id);
      const moved = mine.findIndex((a) => a.policy === newId);
      assert.ok(moved > 0, `client ${id} was seen before and after its re-point`);
      assert.ok(
        mine.slice(0, moved).every((a) => !a.ok && a.policy === DEMO.stalePolicy.id),
        'failing until re-pointed',
      );
      assert.ok(
        mine.slice(moved).every((a) => a.ok && a.policy === newId),
        `client ${id} signs in from its re-point on`,
      );
    }
    assert.ok(
      attempts.filter((a) => WORKING.includes(a.id)).every((a) => a.ok),
      'the other clients never failed',
    );
    assert.equal(w.cloud.loginPolicy(DEMO.stalePolicy.id), undefined, 'the dead policy is deleted');
    const config = JSON.parse(w.read('.loginpolicyrc.json')) as {
      clients: { previousSecrets: { validUntil: string }[] }[];
    };
    const dead = config.clients[0]!.previousSecrets[0]!;
    assert.ok(Date.parse(dead.validUntil) <= Date.now(), 'the dead secret is recorded as stopped (validUntil = now)');
    const during = attempts.filter((a) => STALE.includes(a.id));
    t.diagnostic(
      `sign-ins through the stale policy's 2 clients: ${failedBefore} of ${before.length} failed before the rotation; during it ${during.filter((a) => !a.ok).length} of ${during.length} failed, all while still bound to the dead policy; after each re-point ${during.filter((a) => a.policy === newId && !a.ok).length} of ${during.filter((a) => a.policy === newId).length} failed, and ${after.filter((r) => !r.ok).length} of ${after.length} after the rotation`,
    );
  });

  it('rotated with every policy of the owner client after a reset, the dead one still moves first', async () => {
    const w = world();
    writeFileSync(
      path.join(w.dir, '.loginpolicyrc.json'),
      JSON.stringify({ verify: { allowedHosts: ['http://127.0.0.1:*'] } }),
    );
    const all = [DEMO.currentPolicy.id, DEMO.loyaltyPolicy.id, DEMO.stalePolicy.id].flatMap((id) => ['--policy', id]);
    const left = await w.run(
      [
        'rotate',
        '--policy',
        DEMO.stalePolicy.id,
        '--policy',
        DEMO.currentPolicy.id,
        '--reset-secret',
        '--hours-to-live',
        '1',
      ],
      w.ownerEnv,
    );
    assert.equal(left.code, 2, 'the loyalty policy embeds the secret the reset puts on the clock');
    assert.match(left.stderr, new RegExp(`name --policy ${DEMO.loyaltyPolicy.id} so they are rotated in the same run`));
    const json = await w.run(
      ['rotate', ...all, '--reset-secret', '--hours-to-live', '1', '--format', 'json'],
      w.ownerEnv,
    );
    assert.equal(json.code, 0, json.stderr);
    const steps = (JSON.parse(json.stdout) as { plan: { steps: PlannedStep[] } }).plan.steps;
    const ids = steps.map((s) => `${s.kind}${s.policyId ? `:${s.policyId.slice(0, 4)}` : ''}`);
    assert.deepEqual(ids.slice(0, 6), [
      'reset',
      'prove',
      'create:0b5e',
      'settings:0b5e',
      'repoint:0b5e',
      'repoint:0b5e',
    ]);
    assert.deepEqual(ids.slice(6), [
      'create:7c2e',
      'settings:7c2e',
      'repoint:7c2e',
      'create:3e9a',
      'settings:3e9a',
      'repoint:3e9a',
      'files',
    ]);
  });
});
