// The OIDC client files bound to a policy, as the hover on id and "Generate a new login policy" name them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundClients, clientList } from '../../../server/src/features/bound-clients';

const ID = '7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58';
const client = (i: number, name?: string) => ({
  path: `clients/c${i}.json`,
  loginPolicy: ID,
  ...(name ? { name } : {}),
});

describe('bound OIDC clients', () => {
  it('are the clients the analysis found bound to the policy, and none without workspace facts', () => {
    const facts = { workspace: { sameId: [], otherSecrets: [], boundClients: [client(1, 'Web')] } };
    assert.deepEqual(boundClients(facts), [client(1, 'Web')]);
    assert.deepEqual(boundClients({}), []);
  });

  it('are named with their file, and past ten as "and N more"', () => {
    assert.equal(clientList([client(1, 'Web'), client(2)]), 'Web (clients/c1.json), clients/c2.json');
    assert.equal(clientList([client(1, 'Web')], true), 'Web (`clients/c1.json`)');
    const many = Array.from({ length: 13 }, (_, i) => client(i));
    assert.match(clientList(many), /^clients\/c0\.json, .*, clients\/c9\.json and 3 more$/);
  });
});
