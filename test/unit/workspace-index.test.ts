// WorkspaceIndex: the scan of a real folder (what is a policy, what is a client, what is ignored), the cross-file
// facts it gives each document (only what its rules need: fingerprints, never a secret), and the files a change
// affects, which must not grow with the workspace.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PolicyIdentity } from '../../server/src/engine/facts';
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

/** What a policy file says about itself, as the server and the CLI give it to factsFor. */
const identity = (id: string | undefined, clientId = OWNER, secret = SECRET): PolicyIdentity =>
  summarize(policyText(id, clientId, secret));

/** Plain data (the paths are getters), for deepEqual. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('WorkspaceIndex.scan', () => {
  let root = '';
  const at = (relative: string): string => path.join(root, ...relative.split('/'));
  const index = new WorkspaceIndex();
  const progress: [number, number][] = [];
  const globsAskedFor: string[] = [];
  let found = new Map<string, string>();

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
    found = (await index.scan([root], {
      extraPolicyGlobs: (folder) => {
        globsAskedFor.push(folder);
        return ['custom/*.json'];
      },
      progress: (done, total) => progress.push([done, total]),
    }))!;
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
    assert.deepEqual([...found.keys()], index.policyFiles(), 'the policy files found, with their texts');
    assert.equal(found.get(at('acme.loginpolicy.json')), policyText(OLD_ID));
  });

  it('reports progress once per slice of files read, up to the total', () => {
    const total = 4 + 4; // four policy files; clients/web, readme, deep and mobile.oidcclient.json
    assert.deepEqual(progress, [[total, total]]);
  });

  it('reports progress in slices of a large folder, not per file', async () => {
    const big = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'workspace-index-big-')));
    try {
      for (let i = 0; i < 450; i++) writeFileSync(path.join(big, `p${i}.loginpolicy.json`), policyText(undefined));
      const reports: [number, number][] = [];
      const found = await new WorkspaceIndex().scan([big], {
        extraPolicyGlobs: () => [],
        progress: (done, total) => reports.push([done, total]),
      });
      assert.equal(found?.size, 450);
      assert.deepEqual(reports, [
        [200, 450],
        [400, 450],
        [450, 450],
      ]);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });

  it('gives a document only what its rules need: the same id, other secrets of its owner, its clients', () => {
    // acme.new embeds another secret of acme's owner: each sees the other's, relative to itself, as a fingerprint.
    const newFacts = index.factsFor(at('acme.new.loginpolicy.json'), identity(undefined, OWNER, NEW_SECRET));
    assert.deepEqual(plain(newFacts), {
      sameId: [],
      otherSecrets: [{ sha256: fingerprint(SECRET), files: 1, path: 'acme.loginpolicy.json' }],
      boundClients: [],
      replaces: {
        path: 'acme.loginpolicy.json',
        id: OLD_ID,
        clients: [{ path: 'clients/web.json', id: 'web-1', name: 'ACME Web', loginPolicy: OLD_ID }],
      },
    });
    const text = JSON.stringify(newFacts);
    assert.ok(!text.includes(SECRET) && !text.includes(NEW_SECRET), text);
    const fromSub = index.factsFor(at('sub/other.loginpolicy.json'), identity(OTHER_ID, OTHER_OWNER, 'x'));
    assert.deepEqual(plain(fromSub), {
      sameId: [],
      otherSecrets: [],
      boundClients: [{ path: '../mobile.oidcclient.json', loginPolicy: OTHER_ID }],
    });
    const acme = index.factsFor(at('acme.loginpolicy.json'), identity(OLD_ID));
    assert.deepEqual(plain(acme.otherSecrets), [
      { sha256: fingerprint(NEW_SECRET), files: 1, path: 'acme.new.loginpolicy.json' },
    ]);
    assert.deepEqual(plain(acme.boundClients), [
      { path: 'clients/web.json', id: 'web-1', name: 'ACME Web', loginPolicy: OLD_ID },
    ]);
    assert.ok(!('replaces' in acme));
  });

  it('judges a document by what its text says now, not by what the index last read of it', () => {
    // acme, edited to claim the custom policy's id: it sees that file, and the clients of that id (none).
    const edited = index.factsFor(at('acme.loginpolicy.json'), identity(CUSTOM_ID.toUpperCase()));
    assert.deepEqual(plain(edited.sameId), [{ path: 'custom/policy-x.json' }], 'ids compared regardless of case');
    assert.deepEqual(edited.boundClients, []);
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
  const set = (index: WorkspaceIndex, name: string, id: string | undefined, clientId = OWNER, secret = SECRET) =>
    [...index.setPolicy(at(name), summarize(policyText(id, clientId, secret, name)))].sort();

  it('setPolicy names no other file when only the title changed', () => {
    const index = new WorkspaceIndex();
    set(index, 'twin.loginpolicy.json', OLD_ID);
    set(index, 'acme.loginpolicy.json', OLD_ID);
    assert.deepEqual(
      [...index.setPolicy(at('acme.loginpolicy.json'), { ...identity(OLD_ID), title: 'Renamed' })],
      [],
      'only the title',
    );
    assert.deepEqual(index.titles(), new Set(['twin.loginpolicy.json', 'Renamed']));
  });

  it('names the files that claim the old or the new id', () => {
    const index = new WorkspaceIndex();
    set(index, 'acme.loginpolicy.json', OLD_ID, 'a'.repeat(32));
    set(index, 'old-twin.loginpolicy.json', OLD_ID, 'b'.repeat(32));
    set(index, 'new-twin.loginpolicy.json', OTHER_ID.toUpperCase(), 'c'.repeat(32));
    set(index, 'unrelated.loginpolicy.json', CUSTOM_ID, 'd'.repeat(32));
    assert.deepEqual(set(index, 'acme.loginpolicy.json', OTHER_ID, 'a'.repeat(32)), [
      at('new-twin.loginpolicy.json'),
      at('old-twin.loginpolicy.json'),
    ]);
  });

  it('names, for an owner client, only the files whose list of other secrets changes', () => {
    const index = new WorkspaceIndex();
    for (let i = 0; i < 5; i++) set(index, `same-${i}.loginpolicy.json`, `id-${i}`);
    set(index, 'odd.loginpolicy.json', 'id-odd', OWNER, NEW_SECRET);
    // Another file with the common secret: only the odd one counts it among its other secrets.
    assert.deepEqual(set(index, 'same-5.loginpolicy.json', 'id-5'), [at('odd.loginpolicy.json')]);
    // The odd one takes the common secret: every file had it among its other secrets.
    assert.deepEqual(
      set(index, 'odd.loginpolicy.json', 'id-odd'),
      Array.from({ length: 6 }, (_, i) => at(`same-${i}.loginpolicy.json`)),
    );
    const facts = index.factsFor(at('same-0.loginpolicy.json'), identity('id-0'));
    assert.deepEqual(facts.otherSecrets, [], 'one secret left for the owner client');
  });

  it('counts the files of each other secret and names the first by path', () => {
    const index = new WorkspaceIndex();
    set(index, 'b.loginpolicy.json', 'id-b', OWNER, NEW_SECRET);
    set(index, 'a.loginpolicy.json', 'id-a', OWNER, NEW_SECRET);
    set(index, 'c.loginpolicy.json', 'id-c');
    assert.deepEqual(plain(index.factsFor(at('c.loginpolicy.json'), identity('id-c')).otherSecrets), [
      { sha256: fingerprint(NEW_SECRET), files: 2, path: 'a.loginpolicy.json' },
    ]);
    index.removePolicy(at('a.loginpolicy.json'));
    assert.deepEqual(plain(index.factsFor(at('c.loginpolicy.json'), identity('id-c')).otherSecrets), [
      { sha256: fingerprint(NEW_SECRET), files: 1, path: 'b.loginpolicy.json' },
    ]);
  });

  it('setClient names the policies of its old and new id, and their replacements', () => {
    const index = new WorkspaceIndex();
    set(index, 'acme.loginpolicy.json', OLD_ID);
    set(index, 'acme.new.loginpolicy.json', undefined, OWNER, NEW_SECRET);
    set(index, 'other.loginpolicy.json', OTHER_ID);
    set(index, 'unrelated.loginpolicy.json', CUSTOM_ID);
    const file = at('clients/web.json');
    assert.deepEqual([...index.setClient(file, clientText(OLD_ID))].sort(), [
      at('acme.loginpolicy.json'),
      at('acme.new.loginpolicy.json'),
    ]);
    assert.deepEqual([...index.setClient(file, clientText(OLD_ID))], [], 'nothing changed');
    assert.deepEqual([...index.setClient(file, clientText(OTHER_ID))].sort(), [
      at('acme.loginpolicy.json'),
      at('acme.new.loginpolicy.json'),
      at('other.loginpolicy.json'),
    ]);
    assert.deepEqual(plain(index.factsFor(at('other.loginpolicy.json'), identity(OTHER_ID)).boundClients), [
      { path: 'clients/web.json', loginPolicy: OTHER_ID },
    ]);
    assert.deepEqual(
      [...index.setClient(file, JSON.stringify({ note: 'now a note' }))],
      [at('other.loginpolicy.json')],
    );
    assert.deepEqual(index.factsFor(at('other.loginpolicy.json'), identity(OTHER_ID)).boundClients, []);
  });

  it('removePolicy and removeClient forget a file and name the files that saw it', () => {
    const index = new WorkspaceIndex();
    set(index, 'a.loginpolicy.json', OLD_ID);
    set(index, 'b.loginpolicy.json', OLD_ID);
    index.setClient(at('web.oidcclient.json'), clientText(OLD_ID));
    assert.deepEqual([...index.removePolicy(at('a.loginpolicy.json'))], [at('b.loginpolicy.json')]);
    assert.equal(index.isPolicy(at('a.loginpolicy.json')), false);
    assert.deepEqual(index.factsFor(at('b.loginpolicy.json'), identity(OLD_ID)).sameId, []);
    assert.deepEqual([...index.removeClient(at('web.oidcclient.json'))], [at('b.loginpolicy.json')]);
    assert.deepEqual(index.clientsUsing(OLD_ID), []);
    assert.deepEqual([...index.removeClient(at('web.oidcclient.json'))], []);
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
    const replaces = () => {
      const facts = index.factsFor(replacement, {});
      return facts.replaces && { path: facts.replaces.path, id: facts.replaces.id };
    };
    set(index, 'acme.loginpolicy.json', undefined);
    assert.equal(replaces(), undefined, 'an old policy without id is replaced by nothing');
    set(index, 'acme.json', OTHER_ID);
    assert.deepEqual(replaces(), { path: 'acme.json', id: OTHER_ID });
    set(index, 'acme.loginpolicy.json', OLD_ID);
    assert.deepEqual(replaces(), { path: 'acme.loginpolicy.json', id: OLD_ID });
    // Once the first generation has been created, the second one replaces it (a rotation of a rotation).
    set(index, 'acme.new.loginpolicy.json', undefined);
    assert.equal(replaces()?.id, OLD_ID, 'not created yet: it replaces nothing');
    set(index, 'acme.new.loginpolicy.json', OTHER_ID, 'e'.repeat(32));
    assert.deepEqual(replaces(), { path: 'acme.new.loginpolicy.json', id: OTHER_ID });
  });

  it('names the replacements of a file whose id changed', () => {
    const index = new WorkspaceIndex();
    set(index, 'acme.loginpolicy.json', OLD_ID, 'f'.repeat(32));
    set(index, 'acme.new.loginpolicy.json', undefined, 'g'.repeat(32));
    set(index, 'acme.new-2.loginpolicy.json', undefined, 'h'.repeat(32));
    set(index, 'beta.new.loginpolicy.json', undefined, 'i'.repeat(32));
    assert.deepEqual(set(index, 'acme.loginpolicy.json', OTHER_ID, 'f'.repeat(32)), [
      at('acme.new-2.loginpolicy.json'),
      at('acme.new.loginpolicy.json'),
    ]);
  });

  it("keeps each file's facts and each change's reach the same size, however many files share an owner", () => {
    // All policies of one Capture application embed the same owner client: a workspace of N of them must not give
    // each file N entries, nor make a change reach N files.
    const sizes = [100, 400].map((n) => {
      const index = new WorkspaceIndex();
      for (let i = 0; i < n; i++) {
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        set(index, `p${i}.loginpolicy.json`, id);
        index.setClient(at(`clients/c${i}.json`), clientText(id));
      }
      const facts = index.factsFor(at('p7.loginpolicy.json'), identity('00000000-0000-4000-8000-000000000007'));
      const reach = set(index, 'p7.loginpolicy.json', '00000000-0000-4000-8000-000000000007').length;
      return { facts: JSON.stringify(plain(facts)).length, reach };
    });
    assert.equal(sizes[1]!.facts, sizes[0]!.facts, "a file's facts do not grow with the workspace");
    assert.equal(sizes[1]!.reach, 0);
  });
});

describe('summarize', () => {
  it('reads id, owner client, secret fingerprint and title, never the secret', () => {
    assert.deepEqual(summarize(policyText(OLD_ID)), {
      id: OLD_ID,
      clientId: OWNER,
      secretSha256: fingerprint(SECRET),
      title: 'ACME',
    });
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
      assert.deepEqual(Object.keys(entry), [], text.slice(0, 40));
    }
  });
});
