// WorkspaceIndex: the scan of a real folder (what is a policy, what is a client, what is ignored) and the cross-file
// facts it gives each document; fingerprints only, never a secret.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PolicySummary, WorkspaceFacts } from '../../server/src/engine/facts';
import { secretPlaceholder } from '../../server/src/shared/secret-placeholder';
import { fingerprint } from '../../server/src/shared/fingerprint';
import { summarize, WorkspaceIndex } from '../../server/src/workspace-index';

const OLD_ID = '7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58';
const OTHER_ID = '0d9c8b7a-6f5e-4d3c-2b1a-098765432100';
const CUSTOM_ID = 'c4f3e2d1-0b9a-4876-9543-210fedcba987';
const OWNER = 'm3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6';
const OTHER_OWNER = 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6';
const SECRET = 'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4';
const NEW_SECRET = 'z1x2c3v4b5n6m7a8s9d0f1g2h3j4k5l6';

/** A policy file's text. */
function policyText(id: string | undefined, clientId = OWNER, clientSecret = SECRET, title = 'ACME'): string {
  const connectionDetails = { domain: 'acme.eu.janraincapture.com', entityType: 'user', clientId, clientSecret };
  return JSON.stringify({ id, identityStoreDetails: { type: 'janrainCapture', connectionDetails }, title }, null, 2);
}

/** An OIDC client file's text (facts §3.4). */
function clientText(loginPolicy: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, loginPolicy, type: 'public' }, null, 2);
}

const sorted = (policies: readonly PolicySummary[]): PolicySummary[] =>
  [...policies].sort((a, b) => a.path.localeCompare(b.path));

describe('WorkspaceIndex.scan', () => {
  let root = '';
  const at = (relative: string): string => path.join(root, ...relative.split('/'));
  const index = new WorkspaceIndex();
  const progress: [number, number][] = [];
  const globsAskedFor: string[] = [];

  before(async () => {
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'workspace-index-')));
    const files: Record<string, string> = {
      'acme.loginpolicy.json': policyText(OLD_ID),
      'acme.new.loginpolicy.json': policyText(undefined, OWNER, NEW_SECRET),
      'sub/other.loginpolicy.json': policyText(OTHER_ID, OTHER_OWNER, secretPlaceholder(OTHER_OWNER)),
      'custom/policy-x.json': JSON.stringify({ id: CUSTOM_ID, title: 'matched by a config glob' }),
      'custom/.loginpolicyrc.json': JSON.stringify({ policies: ['custom/*.json'] }),
      'clients/web.json': clientText(OLD_ID, { id: 'web-1', name: 'ACME Web' }),
      'clients/readme.json': JSON.stringify({ note: 'not a client' }),
      'clients/deep.json': `{ "loginPolicy": "${OLD_ID}", "type": "public", "x": ${'['.repeat(5000)}${']'.repeat(5000)} }`,
      'mobile.oidcclient.json': clientText(OTHER_ID),
      'node_modules/pkg/evil.loginpolicy.json': policyText(OLD_ID),
      'node_modules/pkg/clients/x.json': clientText(OLD_ID),
      'node_modules/x.oidcclient.json': clientText(OLD_ID),
      '.git/stash.loginpolicy.json': policyText(OLD_ID),
    };
    for (const [relative, text] of Object.entries(files)) {
      mkdirSync(path.dirname(at(relative)), { recursive: true });
      writeFileSync(at(relative), text);
    }
    await index.scan(
      [root],
      (folder) => {
        globsAskedFor.push(folder);
        return ['custom/*.json'];
      },
      (done, total) => progress.push([done, total]),
    );
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('indexes policy files by name and by config glob, not the config file nor ignored folders', () => {
    assert.deepEqual(globsAskedFor, [root]);
    assert.deepEqual(
      index.policyFiles(),
      ['acme.loginpolicy.json', 'acme.new.loginpolicy.json', 'custom/policy-x.json', 'sub/other.loginpolicy.json']
        .map(at)
        .sort(),
    );
    assert.equal(index.isPolicy(at('custom/.loginpolicyrc.json')), false);
    assert.equal(index.textOf(at('acme.loginpolicy.json')), policyText(OLD_ID));
  });

  it('reports progress once per file read, up to the total', () => {
    const total = 4 + 4; // four policy files; clients/web, readme, deep and mobile.oidcclient.json
    assert.deepEqual(
      progress,
      Array.from({ length: total }, (_, i) => [i + 1, total]),
    );
  });

  it('gives a document the other policies relative to its folder, fingerprints instead of secrets', () => {
    const facts = index.factsFor(at('acme.new.loginpolicy.json'));
    assert.deepEqual(sorted(facts.otherPolicies), [
      { path: 'acme.loginpolicy.json', id: OLD_ID, clientId: OWNER, secretSha256: fingerprint(SECRET) },
      { path: 'custom/policy-x.json', id: CUSTOM_ID },
      { path: 'sub/other.loginpolicy.json', id: OTHER_ID, clientId: OTHER_OWNER },
    ]);
    const text = JSON.stringify(facts);
    assert.ok(!text.includes(SECRET) && !text.includes(NEW_SECRET), text);

    const fromSub = index.factsFor(at('sub/other.loginpolicy.json'));
    assert.deepEqual(
      sorted(fromSub.otherPolicies).map((p) => p.path),
      ['../acme.loginpolicy.json', '../acme.new.loginpolicy.json', '../custom/policy-x.json'],
    );
    assert.equal(
      fromSub.otherPolicies.find((p) => p.path === '../acme.new.loginpolicy.json')?.secretSha256,
      fingerprint(NEW_SECRET),
    );
  });

  it('gives the client files that are clients, relative to the document', () => {
    const byPath = (facts: WorkspaceFacts) => [...facts.oidcClients].sort((a, b) => a.path.localeCompare(b.path));
    assert.deepEqual(byPath(index.factsFor(at('acme.new.loginpolicy.json'))), [
      { path: 'clients/web.json', id: 'web-1', name: 'ACME Web', loginPolicy: OLD_ID },
      { path: 'mobile.oidcclient.json', loginPolicy: OTHER_ID },
    ]);
    assert.deepEqual(
      byPath(index.factsFor(at('sub/other.loginpolicy.json'))).map((c) => c.path),
      ['../clients/web.json', '../mobile.oidcclient.json'],
    );
  });

  it('says what x.new.loginpolicy.json replaces, and nothing for other files', () => {
    assert.deepEqual(index.factsFor(at('acme.new.loginpolicy.json')).replaces, {
      path: 'acme.loginpolicy.json',
      id: OLD_ID,
    });
    assert.ok(!('replaces' in index.factsFor(at('acme.loginpolicy.json'))));
    assert.ok(!('replaces' in index.factsFor(at('sub/other.loginpolicy.json'))));
  });

  it('lists the clients using a policy id, with absolute paths', () => {
    assert.deepEqual(index.clientsUsing(OLD_ID), [
      { file: at('clients/web.json'), client: { id: 'web-1', name: 'ACME Web', loginPolicy: OLD_ID } },
    ]);
    assert.deepEqual(index.clientsUsing('no-such-policy'), []);
  });
});

describe('WorkspaceIndex updates', () => {
  const DIR = path.join(path.sep, 'ws');
  const at = (name: string): string => path.join(DIR, name);

  it('setPolicy says true only when the id, owner client or secret changed', () => {
    const index = new WorkspaceIndex();
    const file = at('acme.loginpolicy.json');
    assert.equal(index.setPolicy(file, policyText(OLD_ID)), true, 'a new file');
    assert.equal(index.setPolicy(file, policyText(OLD_ID)), false, 'the same text');
    assert.equal(index.setPolicy(file, policyText(OLD_ID, OWNER, SECRET, 'Renamed')), false, 'only the title');
    assert.equal(index.textOf(file), policyText(OLD_ID, OWNER, SECRET, 'Renamed'), 'the text is kept all the same');
    assert.equal(index.setPolicy(file, policyText(OTHER_ID)), true, 'the id');
    assert.equal(index.setPolicy(file, policyText(OTHER_ID, OTHER_OWNER)), true, 'the owner client');
    assert.equal(index.setPolicy(file, policyText(OTHER_ID, OTHER_OWNER, NEW_SECRET)), true, 'the secret');
    assert.equal(index.setPolicy(file, policyText(OTHER_ID, OTHER_OWNER, NEW_SECRET).slice(0, 5)), true, 'broken');
  });

  it('setClient says true when the summary changed, and drops a file that is no longer a client', () => {
    const index = new WorkspaceIndex();
    const file = at('clients/web.json');
    const other = at('acme.loginpolicy.json');
    assert.equal(index.setClient(file, clientText(OLD_ID)), true);
    assert.equal(index.setClient(file, clientText(OLD_ID)), false);
    assert.equal(index.setClient(file, clientText(OTHER_ID)), true);
    assert.deepEqual(index.factsFor(other).oidcClients, [{ path: 'clients/web.json', loginPolicy: OTHER_ID }]);
    assert.equal(index.setClient(file, JSON.stringify({ note: 'now a note' })), true);
    assert.deepEqual(index.factsFor(other).oidcClients, []);
    assert.equal(index.setClient(file, JSON.stringify({ note: 'still a note' })), false);
  });

  it('remove forgets a policy or a client, and says whether it knew the file', () => {
    const index = new WorkspaceIndex();
    index.setPolicy(at('a.loginpolicy.json'), policyText(OLD_ID));
    index.setClient(at('web.oidcclient.json'), clientText(OLD_ID));
    assert.equal(index.remove(at('a.loginpolicy.json')), true);
    assert.equal(index.isPolicy(at('a.loginpolicy.json')), false);
    assert.deepEqual(index.factsFor(at('b.loginpolicy.json')).otherPolicies, []);
    assert.equal(index.remove(at('web.oidcclient.json')), true);
    assert.deepEqual(index.clientsUsing(OLD_ID), []);
    assert.equal(index.remove(at('web.oidcclient.json')), false);
  });

  it('clientsUsing sorts by file', () => {
    const index = new WorkspaceIndex();
    index.setClient(at('z.oidcclient.json'), clientText(OLD_ID));
    index.setClient(at('a.oidcclient.json'), clientText(OLD_ID));
    index.setClient(at('m.oidcclient.json'), clientText(OTHER_ID));
    assert.deepEqual(
      index.clientsUsing(OLD_ID).map((c) => c.file),
      [at('a.oidcclient.json'), at('z.oidcclient.json')],
    );
  });

  it('replaces: x.loginpolicy.json first, then x.json, only when it has an id', () => {
    const index = new WorkspaceIndex();
    const replacement = at('acme.new-2.loginpolicy.json');
    index.setPolicy(at('acme.loginpolicy.json'), policyText(undefined));
    assert.ok(!('replaces' in index.factsFor(replacement)), 'an old policy without id is replaced by nothing');
    index.setPolicy(at('acme.json'), policyText(OTHER_ID));
    assert.deepEqual(index.factsFor(replacement).replaces, { path: 'acme.json', id: OTHER_ID });
    index.setPolicy(at('acme.loginpolicy.json'), policyText(OLD_ID));
    assert.deepEqual(index.factsFor(replacement).replaces, { path: 'acme.loginpolicy.json', id: OLD_ID });
    // Once the first generation has been created, the second one replaces it (a rotation of a rotation).
    index.setPolicy(at('acme.new.loginpolicy.json'), policyText(undefined));
    assert.equal(index.factsFor(replacement).replaces?.id, OLD_ID, 'not created yet: it replaces nothing');
    index.setPolicy(at('acme.new.loginpolicy.json'), policyText(OTHER_ID));
    assert.deepEqual(index.factsFor(replacement).replaces, { path: 'acme.new.loginpolicy.json', id: OTHER_ID });
  });

  it('names the files that see a change: same id, same owner client, or a replacement of it', () => {
    const index = new WorkspaceIndex();
    index.setPolicy(at('acme.loginpolicy.json'), policyText(OLD_ID));
    index.setPolicy(at('acme.new.loginpolicy.json'), policyText(undefined, 'someoneelse00000000000000000000'));
    index.setPolicy(at('twin.loginpolicy.json'), policyText(OTHER_ID));
    index.setPolicy(at('unrelated.loginpolicy.json'), policyText(undefined, 'someoneelse00000000000000000000'));
    const affected = index.updatePolicy(at('acme.loginpolicy.json'), policyText(OTHER_ID));
    assert.deepEqual(affected.sort(), [
      at('acme.loginpolicy.json'),
      at('acme.new.loginpolicy.json'),
      at('twin.loginpolicy.json'),
    ]);
    assert.deepEqual(index.updatePolicy(at('acme.loginpolicy.json'), policyText(OTHER_ID)), [], 'nothing changed');
  });
});

describe('summarize', () => {
  it('reads id, owner client, secret fingerprint and title, never the secret', () => {
    const entry = summarize(policyText(OLD_ID));
    assert.deepEqual(
      { ...entry, text: undefined },
      { text: undefined, id: OLD_ID, clientId: OWNER, secretSha256: fingerprint(SECRET), title: 'ACME' },
    );
  });

  it('gives no fingerprint for a secret placeholder', () => {
    const entry = summarize(policyText(OLD_ID, OWNER, secretPlaceholder(OWNER)));
    assert.equal(entry.clientId, OWNER);
    assert.ok(!('secretSha256' in entry));
  });

  it('tolerates broken JSON, odd shapes and deep nesting without throwing', () => {
    assert.equal(summarize(`{ "id": "${OLD_ID}", "identityStoreDetails": {`).id, OLD_ID, 'read leniently');
    for (const text of [
      '',
      'null',
      '"a string"',
      '[1, 2]',
      '{ "identityStoreDetails": null }',
      '{ "identityStoreDetails": "x" }',
      '{ "identityStoreDetails": { "connectionDetails": 5 } }',
      '{ "id": 5, "identityStoreDetails": { "connectionDetails": { "clientId": [], "clientSecret": {} } } }',
      '['.repeat(100_000),
      `{ "a": ${'{ "a": '.repeat(50_000)}1${' }'.repeat(50_000)} }`,
    ]) {
      const entry = summarize(text);
      assert.deepEqual(Object.keys(entry), ['text'], text.slice(0, 40));
    }
  });
});
