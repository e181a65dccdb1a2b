// OIDC client files: which texts count as a client configuration (facts §3.4) and where its loginPolicy value is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loginPolicyNode, readOidcClient } from '../../../server/src/project/oidc-clients';
import { policy } from '../harness';

const POLICY_ID = '7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58';

/** The GET response of facts §3.4, with optional changes. */
function client(changes: (c: Record<string, unknown>) => void = () => undefined): string {
  const value: Record<string, unknown> = {
    id: '1ab23456-7c8d-90ef-0123-456789abcdef',
    name: 'ACME Web Login Client',
    redirectURIs: ['https://www.acme.example/callback', 'http://localhost:3000/redirect_uri'],
    loginPolicy: POLICY_ID,
    tokenPolicy: 'a123bcde-4f56-7890-ab12-c34d567e8f90',
    type: 'public',
    _links: {
      self: { href: '/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/config/clients/1ab23456-7c8d-90ef-0123-456789abcdef' },
    },
  };
  changes(value);
  return JSON.stringify(value, null, 2);
}

describe('readOidcClient', () => {
  it('reads the documented client: id, name and loginPolicy', () => {
    assert.deepEqual(readOidcClient(client()), {
      id: '1ab23456-7c8d-90ef-0123-456789abcdef',
      name: 'ACME Web Login Client',
      loginPolicy: POLICY_ID,
    });
  });

  it('accepts a client known by redirectURIs alone or by its type alone, without id or name', () => {
    const bare = { loginPolicy: POLICY_ID };
    assert.deepEqual(readOidcClient(JSON.stringify({ loginPolicy: POLICY_ID, redirectURIs: [] })), bare);
    assert.deepEqual(readOidcClient(JSON.stringify({ loginPolicy: POLICY_ID, type: 'confidential' })), bare);
    assert.deepEqual(readOidcClient(`// web client\n{ "loginPolicy": "${POLICY_ID}", "type": "public" }`), bare);
  });

  it('rejects a login policy file', () => {
    assert.equal(readOidcClient(policy()), undefined);
  });

  it('rejects JSON without a string loginPolicy', () => {
    assert.equal(readOidcClient(client((c) => delete c['loginPolicy'])), undefined);
    assert.equal(readOidcClient(client((c) => (c['loginPolicy'] = 42))), undefined);
    assert.equal(readOidcClient(client((c) => (c['loginPolicy'] = ''))), undefined);
    const nested = client((c) => {
      c['settings'] = { loginPolicy: c['loginPolicy'] };
      delete c['loginPolicy'];
    });
    assert.equal(readOidcClient(nested), undefined, 'only a top-level loginPolicy counts');
  });

  it('rejects an object with loginPolicy that is not shaped like a client', () => {
    assert.equal(readOidcClient(JSON.stringify({ loginPolicy: POLICY_ID, note: 'not a client' })), undefined);
    assert.equal(readOidcClient(JSON.stringify({ loginPolicy: POLICY_ID, type: 'janrainCapture' })), undefined);
    assert.equal(readOidcClient(JSON.stringify({ loginPolicy: POLICY_ID, redirectURIs: 'https://a' })), undefined);
    assert.equal(readOidcClient(JSON.stringify([{ loginPolicy: POLICY_ID, type: 'public' }])), undefined);
  });

  it('rejects JSON cut off before the loginPolicy value', () => {
    assert.equal(readOidcClient('{ "type": "public", "loginPolicy": '), undefined);
  });

  it('rejects broken JSON', () => {
    assert.equal(readOidcClient(client().slice(0, -1)), undefined, 'missing closing brace');
    assert.equal(readOidcClient(client().replace('"type": "public"', '"type": "public",, "x": }')), undefined);
  });

  it('rejects deep nesting and too large texts without throwing', () => {
    const deep = client((c) => (c['extra'] = 'DEEP')).replace('"DEEP"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    assert.equal(readOidcClient(deep), undefined);
    const large = client((c) => (c['description'] = 'x'.repeat(1024 * 1024)));
    assert.equal(readOidcClient(large), undefined);
    const justUnder = client((c) => (c['description'] = 'x'.repeat(1024 * 1024 - 1000)));
    assert.equal(readOidcClient(justUnder)?.loginPolicy, POLICY_ID, 'a large client under 1 MiB is still read');
  });

  it('reads the last of repeated loginPolicy keys, as JSON and the API do', () => {
    const text = client().replace(
      `"loginPolicy": "${POLICY_ID}"`,
      `"loginPolicy": "FIRST",\n  "loginPolicy": "${POLICY_ID}"`,
    );
    assert.equal(readOidcClient(text)?.loginPolicy, POLICY_ID);
  });
});

describe('loginPolicyNode', () => {
  it('is the loginPolicy string value, quotes included', () => {
    const text = client();
    const node = loginPolicyNode(text);
    assert.ok(node);
    assert.equal(text.slice(node.offset, node.offset + node.length), `"${POLICY_ID}"`);
    assert.equal(node.value, POLICY_ID);
  });

  it('is undefined when loginPolicy is missing, not a string, or not at the top level', () => {
    assert.equal(loginPolicyNode(client((c) => delete c['loginPolicy'])), undefined);
    assert.equal(loginPolicyNode(client((c) => (c['loginPolicy'] = null))), undefined);
    assert.equal(loginPolicyNode(JSON.stringify({ settings: { loginPolicy: POLICY_ID } })), undefined);
    assert.equal(loginPolicyNode(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), undefined);
  });

  it('is the last of repeated loginPolicy keys, the one a re-pointing edit must change', () => {
    const text = client().replace(
      `"loginPolicy": "${POLICY_ID}"`,
      `"loginPolicy": "FIRST",\n  "loginPolicy": "${POLICY_ID}"`,
    );
    const node = loginPolicyNode(text);
    assert.equal(node?.value, POLICY_ID);
  });
});
