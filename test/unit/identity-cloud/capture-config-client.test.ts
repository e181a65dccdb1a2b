// The Capture Configuration API client with owner credentials, against the fake: API clients with their features
// and current secret, the secret reset with hoursToLive (seen by Capture's own check), and its errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOwnerCredentials } from '../../../server/src/identity-cloud/capture-check';
import { CaptureConfigClient } from '../../../server/src/identity-cloud/capture-config-client';
import { APP, HOUR, LOGIN_ID, LOGIN_SECRET, OWNER_ID, OWNER_SECRET, failure, world } from './cloud-fixture';

describe('CaptureConfigClient', () => {
  const w = world();
  const owner = (secret = OWNER_SECRET, id = OWNER_ID): CaptureConfigClient =>
    new CaptureConfigClient({ region: 'us', apiBase: w().cloud.url, ownerClientId: id, ownerClientSecret: secret });
  const live = (secret: string): Promise<string> =>
    checkOwnerCredentials(
      { origin: w().cloud.url, host: w().cloud.host },
      { clientId: OWNER_ID, clientSecret: secret },
      5000,
    ).then((r) => r.outcome);

  it('lists the API clients with features and current _secret, and filters by feature', async () => {
    const all = await owner().listApiClients(APP);
    assert.deepEqual(
      all.map((c) => [c._id, c._secret, c.features]),
      [
        [OWNER_ID, OWNER_SECRET, ['owner']],
        [LOGIN_ID, LOGIN_SECRET, ['login_client']],
      ],
    );
    const owners = await owner().listApiClients(APP, { hasFeature: ['owner'] });
    assert.deepEqual(
      owners.map((c) => c._id),
      [OWNER_ID],
    );
    assert.equal((await owner().getApiClient(APP, LOGIN_ID))._secret, LOGIN_SECRET);
  });

  it('resets a secret with hoursToLive: the answer holds the new _secret; Capture takes both until the grace ends', async () => {
    const { cloud, advance, seen } = w();
    seen();
    const reset = await owner().resetApiClientSecret(APP, OWNER_ID, 2);
    const fresh = reset._secret!;
    assert.match(fresh, /^[a-z0-9]{32}$/);
    assert.equal(cloud.currentSecret(OWNER_ID), fresh);
    assert.deepEqual(seen(), [`PUT /config/${APP}/clients/${OWNER_ID}/secret 200`], 'one request, no retry');
    assert.equal(await live(OWNER_SECRET), 'accepted', 'the old one in its grace period');
    assert.equal(await live(fresh), 'accepted');
    advance(2 * HOUR + 1);
    assert.equal(await live(OWNER_SECRET), 'rejected');
    // The old owner credentials no longer open the Configuration API either; the new ones do.
    await failure(owner().listApiClients(APP), 'credentials');
    assert.equal((await owner(fresh).getApiClient(APP, OWNER_ID))._secret, fresh);
  });

  it('refuses hoursToLive outside 0-168 before any request', async () => {
    const { seen } = w();
    seen();
    for (const hours of [-1, 169, 1.5, Number.NaN]) {
      const error = await failure(owner().resetApiClientSecret(APP, OWNER_ID, hours), 'config');
      assert.equal(error.message, 'hoursToLive must be a whole number from 0 to 168');
    }
    assert.deepEqual(seen(), []);
  });

  it('names 401 (owner credentials), 403 (not an owner, no retry) and 404 (app or client)', async () => {
    const { seen } = w();
    const wrong = await failure(owner('wrong').listApiClients(APP), 'credentials');
    assert.equal(
      wrong.message,
      `GET /config/${APP}/clients: the owner client id or secret was refused (HTTP 401): Unauthorized`,
    );
    seen();
    const notOwner = await failure(owner(LOGIN_SECRET, LOGIN_ID).resetApiClientSecret(APP, LOGIN_ID, 1), 'forbidden');
    assert.match(notOwner.message, /the owner client may not do this \(HTTP 403\): it needs the owner feature/);
    assert.equal(seen().length, 1, 'no retry');
    await failure(owner().listApiClients('zzzzzzzzzzzzzzzzzzzzzzzzzz'), 'not-found');
    await failure(owner().getApiClient(APP, 'nobody'), 'not-found');
  });

  it('a lost answer on the reset is a network error; the reset happened all the same', async () => {
    const { cloud } = w();
    cloud.injectFault({ method: 'PUT', path: '/config/*/clients/*/secret', kind: 'lostAnswer' });
    await failure(owner().resetApiClientSecret(APP, OWNER_ID, 48), 'network');
    assert.notEqual(cloud.currentSecret(OWNER_ID), OWNER_SECRET);
  });
});
