// The deployed policies Rotate Owner Secret offers (client/src/rotation-picker.ts), against the fake Identity Cloud:
// with live checks off (the default) nothing is sent to Capture and each policy is labelled from the fingerprints the
// editor knows, stale first; with live checks on, each distinct embedded secret is checked live once.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { deployedPolicyChoices } from '../../../client/src/rotation-picker';
import { statusFacts } from '../../../server/src/identity-cloud/deployed-status';
import { IdentityCloudClient } from '../../../server/src/identity-cloud/identity-cloud-client';
import type { CheckSecret } from '../../../server/src/identity-cloud/rotation/live-state';
import { liveSecretChecker } from '../../../server/src/identity-cloud/rotation/secret-check';
import { fingerprint } from '../../../server/src/shared/fingerprint';
import { CONFIG_CLIENT, CUSTOMER, OWNER, startWorld, type RotationWorld } from '../../cli/rotate-fixture';

const NOW = new Date();

describe('the deployed policies Rotate Owner Secret offers', () => {
  let world: RotationWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  /** The choices, and the owner secrets checked live on the way (by the checker and as Capture saw them). */
  async function choices(w: RotationWorld, liveChecks: boolean, recorded: { clientId: string; secret: string }[]) {
    const checked: string[] = [];
    const real = liveSecretChecker({ allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 3000 });
    const checkSecret: CheckSecret = (credentials) => {
      checked.push(credentials.clientId);
      return real(credentials);
    };
    const before = w.cloud.requests.length;
    const result = await deployedPolicyChoices({
      api: new IdentityCloudClient({
        customerId: CUSTOMER,
        region: 'eu',
        configClientId: CONFIG_CLIENT.id,
        configClientSecret: CONFIG_CLIENT.secret,
        apiBase: w.cloud.url,
      }),
      checkSecret,
      liveChecks,
      facts: statusFacts(
        undefined,
        w.dir,
        recorded.map((r) => ({ clientId: r.clientId, sha256: fingerprint(r.secret), recordedAt: NOW.toISOString() })),
      ),
      now: NOW,
    });
    const capture = w.cloud.requests.slice(before).filter((r) => r.path === '/entityType.list').length;
    return { result, checked, capture };
  }

  it('live checks off: asks Capture nothing, and labels each policy from the fingerprints known', async () => {
    const w = (world = await startWorld({ clients: 2, siblings: 1 }));
    const unknown = await choices(w, false, []);
    assert.deepEqual(unknown.checked, [], 'no live check');
    assert.equal(unknown.capture, 0, 'no request to Capture');
    assert.deepEqual(
      unknown.result.map((c) => [c.label, c.broken, c.detail]),
      [
        [
          'ACME Login Policy',
          false,
          'The current secret of its owner client is not known here, and live checks are off: the rotation checks it if you pick it; 2 OIDC clients',
        ],
        [
          'ACME Sibling 1',
          false,
          'The current secret of its owner client is not known here, and live checks are off: the rotation checks it if you pick it; 1 OIDC client',
        ],
      ],
    );

    const current = await choices(w, false, [{ clientId: OWNER.clientId, secret: OWNER.secret }]);
    assert.equal(current.capture, 0);
    assert.match(current.result[0]!.detail, /^The current secret of client r0t4t3ow.*; 2 OIDC clients$/);

    // Reset in the Console, no grace: both policies embed a secret that no longer works.
    const reset = w.cloud.resetSecret(OWNER.clientId, 0);
    const stale = await choices(w, false, [{ clientId: OWNER.clientId, secret: reset }]);
    assert.deepEqual(stale.checked, []);
    assert.equal(stale.capture, 0);
    assert.deepEqual(
      stale.result.map((c) => [c.label, c.broken]),
      [
        ['ACME Login Policy', true],
        ['ACME Sibling 1', true],
      ],
    );
    assert.match(
      stale.result[0]!.detail,
      /^\$\(error\) It is not the current secret of client r0t4t3ow.*: sign-in through its 2 OIDC clients is failing$/,
    );
    for (const c of [...unknown.result, ...current.result, ...stale.result]) {
      assert.ok(!c.detail.includes(OWNER.secret) && !c.detail.includes(reset), 'no secret shown');
    }
  });

  it('live checks on: each distinct embedded secret is checked live once, and the answer labels it', async () => {
    const w = (world = await startWorld({ clients: 2, siblings: 1 }));
    const live = await choices(w, true, []);
    assert.deepEqual(live.checked, [OWNER.clientId], 'one secret, shared by both policies: one check');
    assert.equal(live.capture, 1);
    assert.deepEqual(
      live.result.map((c) => c.detail),
      ['its secret works now; 2 OIDC clients', 'its secret works now; 1 OIDC client'],
    );
  });
});
