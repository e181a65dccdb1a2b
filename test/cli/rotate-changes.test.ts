// `rotate` when Identity Cloud or the workspace changed behind its back: a client bound to the old policy again after
// it was moved, the new policy deleted in the Console mid-rotation, another rotation of the same policy running at the
// same time. Each time the next run reaches the end state, or refuses in one line before changing anything.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { assertRotated, failureLines, OWNER, startWorld, waitFor, type RotationWorld } from './rotate-fixture';

describe('rotate after changes made behind its back', () => {
  let world: RotationWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('moves a client bound to the old policy again after the rotation, so --delete-old can finish', async () => {
    const w = (world = await startWorld({ clients: 2 }));
    const fresh = w.cloud.resetSecret(OWNER.clientId, 24);
    const first = await w.run(['rotate', '--policy', w.policyId, '--apply'], {
      env: { ...w.env, LOGIN_POLICY_NEW_OWNER_SECRET: fresh },
    });
    assert.equal(first.code, 0, first.stderr);
    // Someone points the first client back at the old policy in the Console.
    const client = await w.console.getOidcClient(w.clientIds[0]!);
    await w.console.putOidcClient({ ...client, loginPolicy: w.policyId });
    const again = await w.run(['rotate', '--policy', w.policyId, '--delete-old', '--apply']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^ {4}moves 1 OIDC client: "ACME app 1"/m);
    assertRotated(w, { deleted: true });
  });

  it('refuses a second --apply while the first runs, takes over the lock of a killed run, leaves no lock', async () => {
    const w = (world = await startWorld({ clients: 2 }));
    const rotate = ['rotate', '--policy', w.policyId, '--reset-secret', '--hours-to-live', '1', '--apply'];
    const lock = path.join(w.dir, '.loginpolicy-rotation', `${w.policyId}.lock`);
    const posts = () => w.cloud.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/config/loginPolicies'));
    // The first run's POST never answers: it holds the lock while it waits.
    w.cloud.injectFault({ method: 'POST', path: '/*/config/loginPolicies', kind: 'timeout' });
    const { child, done } = w.start([...rotate, '--timeout-ms', '60000']);
    await waitFor('the first run to wait for its POST', () => posts().length === 1);
    const requests = w.cloud.requests.length;
    const second = await w.run(rotate);
    assert.equal(second.code, 2, second.stderr);
    assert.equal(w.cloud.requests.length, requests, 'refused before it read anything');
    assert.deepEqual(failureLines(second.stderr), [
      `login-policy-lint: another rotation of ${w.policyId} is running (pid ${child.pid}): let it finish, or if none is running, remove ${lock}; nothing was changed.`,
    ]);
    assert.equal(posts().length, 1, 'the second run created nothing');
    child.kill('SIGKILL');
    assert.equal((await done).code, -1);
    assert.ok(existsSync(lock), 'a killed run leaves its lock');
    w.cloud.clearFaults();
    const resumed = await w.run(rotate);
    assert.equal(resumed.code, 0, resumed.stderr);
    assertRotated(w, { deleted: false });
    assert.deepEqual(readdirSync(path.dirname(lock)), [`${w.policyId}.json`], 'no lock left, and nothing beside it');
  });

  it('creates the new policy again when it was deleted in the Console mid-rotation', async () => {
    const w = (world = await startWorld({ clients: 2 }));
    const rotate = ['rotate', '--policy', w.policyId, '--reset-secret', '--hours-to-live', '1', '--apply'];
    w.cloud.injectFault({ method: 'PUT', path: `/*/config/clients/${w.clientIds[0]}`, kind: 'error500' });
    const first = await w.run(rotate);
    assert.equal(first.code, 3, first.stderr);
    assert.deepEqual(readdirSync(path.join(w.dir, '.loginpolicy-rotation')), [`${w.policyId}.json`], 'no lock left');
    const deleted = w.journal()!.newPolicy.id!;
    await w.console.deleteLoginPolicy(deleted);
    const again = await w.run(rotate);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      new RegExp(
        `\\(${deleted}\\) that an earlier run created for ${w.policyId} is gone \\(deleted outside this rotation\\): it is created again`,
      ),
    );
    assert.notEqual(assertRotated(w, { deleted: false })['id'], deleted);
  });
});
