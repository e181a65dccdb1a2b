// The deployed baseline: the same file at a git ref (a real temporary repository), a snapshot folder, and the text
// first opened; with the caches, the ref guard and the untrusted-workspace rule (no git process at all).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { GitRepo } from '../../support/git-repo';
import {
  BaselineStore,
  isSafeGitRef,
  type Baseline,
  type BaselineRequest,
  type BaselineSpec,
} from '../../../server/src/project/baseline';
import {
  GIT_NOT_INSTALLED,
  NOT_A_REPOSITORY,
  nodeGit,
  type GitResult,
  type GitRunner,
} from '../../../server/src/project/git';

const ID = '3b1f6a52-9c0e-4d7a-8f21-6e5d4c3b2a10';
const OTHER_ID = 'a7d2e9c4-1b3f-4e8a-9d6c-2f5e8b1a7c30';

function details(secret: string, domain = 'acme.us.janraincapture.com'): Record<string, unknown> {
  return {
    type: 'janrainCapture',
    connectionDetails: {
      domain,
      applicationId: '79y4mqf2rt3bxs378kw5479xdu',
      entityType: 'user',
      clientId: '7ns3pxeq92eghsqfu5sanshe939vmrjm',
      clientSecret: secret,
    },
  };
}

function policy(id: string | undefined, identityStoreDetails: unknown = details('a'.repeat(32))): string {
  return (
    JSON.stringify({ id, title: 'Acme', identityStoreDetails, loginURL: 'https://login.acme.com' }, null, 2) + '\n'
  );
}

const temporary: string[] = [];
after(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tempDir(name = 'baseline-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), name));
  temporary.push(dir);
  return dir;
}

/** A temporary repository (or, with `git: false`, a plain folder), removed after the tests. */
function newRepo(prefix = 'baseline-repo-', options: { git?: boolean } = {}): GitRepo {
  const created = GitRepo.create(prefix, options);
  temporary.push(created.dir);
  return created;
}

/** Wraps a runner and records every command line. */
function counting(inner: GitRunner = nodeGit): { runner: GitRunner; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    runner: {
      run(cwd, args) {
        calls.push([...args]);
        return inner.run(cwd, args);
      },
    },
  };
}

const isShow = (args: readonly string[]): boolean => args[0] === 'show';
const isRefLookup = (args: readonly string[]): boolean => args[0] === 'rev-parse' && args.includes('--verify');

function request(filePath: string, spec: BaselineSpec = { git: 'HEAD' }, id = ID, allowGit = true): BaselineRequest {
  return { filePath, id, spec, allowGit };
}

function secretOf(baseline: Baseline | undefined): unknown {
  const found = baseline?.identityStoreDetails as { connectionDetails?: { clientSecret?: unknown } } | undefined;
  return found?.connectionDetails?.clientSecret;
}

describe('git baseline', () => {
  it('is the file as committed at HEAD, not the edited working copy', async () => {
    const repo = newRepo();
    const committed = policy(ID, details('a'.repeat(32)));
    const file = repo.write('policies/acme.loginpolicy.json', committed);
    repo.commit('deploy');
    writeFileSync(file, policy(ID, details('b'.repeat(32))));

    const baseline = await new BaselineStore().find(request(file));
    assert.deepEqual(baseline, {
      identityStoreDetails: details('a'.repeat(32)),
      text: committed,
      label: 'git HEAD',
      source: 'git',
    });
  });

  it('reads a branch or HEAD~1, labelled with the ref as written', async () => {
    const repo = newRepo();
    const file = repo.write('acme.loginpolicy.json', policy(ID, details('1'.repeat(32))));
    repo.commit('first');
    repo.git('branch', 'deployed');
    repo.write('acme.loginpolicy.json', policy(ID, details('2'.repeat(32))));
    repo.commit('second');

    const store = new BaselineStore();
    const previous = await store.find(request(file, { git: 'HEAD~1' }));
    assert.equal(secretOf(previous), '1'.repeat(32));
    assert.equal(previous?.label, 'git HEAD~1');
    const branch = await store.find(request(file, { git: 'deployed' }));
    assert.equal(secretOf(branch), '1'.repeat(32));
    assert.equal(branch?.label, 'git deployed');
    assert.equal(secretOf(await store.find(request(file))), '2'.repeat(32));
    assert.equal(await store.find(request(file, { git: 'no-such-branch' })), undefined);
  });

  it('notices a moved HEAD once headTtlMs has passed', async () => {
    const repo = newRepo();
    const file = repo.write('acme.loginpolicy.json', policy(ID, details('1'.repeat(32))));
    repo.commit('first');
    let clock = 1_000_000;
    const store = new BaselineStore({ now: () => clock, headTtlMs: 1000 });
    assert.equal(secretOf(await store.find(request(file))), '1'.repeat(32));

    repo.write('acme.loginpolicy.json', policy(ID, details('2'.repeat(32))));
    repo.commit('second');
    clock += 999;
    assert.equal(secretOf(await store.find(request(file))), '1'.repeat(32), 'within the ttl the old HEAD is kept');
    clock += 1;
    assert.equal(secretOf(await store.find(request(file))), '2'.repeat(32));

    repo.git('checkout', '-q', 'HEAD~1');
    clock += 1000;
    assert.equal(secretOf(await store.find(request(file))), '1'.repeat(32), 'a checkout moves HEAD too');
  });

  it('asks again, after a while, whether a folder that was no repository has become one', async () => {
    const later = newRepo('baseline-later-repo-', { git: false });
    const file = later.write('acme.loginpolicy.json', policy(ID, details('1'.repeat(32))));
    let clock = 1_000_000;
    const store = new BaselineStore({ now: () => clock });
    assert.equal(await store.find(request(file)), undefined, 'not a repository yet');
    later.git('init', '-q');
    later.commit('first');
    clock += 5_000;
    assert.equal(await store.find(request(file)), undefined, 'still the cached answer');
    clock += 5_000;
    assert.equal(secretOf(await store.find(request(file))), '1'.repeat(32));
  });

  it('notices a moved HEAD at once after invalidate()', async () => {
    const repo = newRepo();
    const file = repo.write('acme.loginpolicy.json', policy(ID, details('1'.repeat(32))));
    repo.commit('first');
    const store = new BaselineStore({ now: () => 0, headTtlMs: 60_000 });
    assert.equal(secretOf(await store.find(request(file))), '1'.repeat(32));
    repo.write('acme.loginpolicy.json', policy(ID, details('2'.repeat(32))));
    repo.commit('second');
    assert.equal(secretOf(await store.find(request(file))), '1'.repeat(32));
    store.invalidate();
    assert.equal(secretOf(await store.find(request(file))), '2'.repeat(32));
  });

  it('is undefined for a file not in the commit: untracked, added later, or renamed', async () => {
    const repo = newRepo();
    const old = repo.write('old.loginpolicy.json', policy(ID));
    repo.commit('first');
    repo.git('mv', 'old.loginpolicy.json', 'new.loginpolicy.json');
    const renamed = repo.path('new.loginpolicy.json');
    const added = repo.write('added.loginpolicy.json', policy(ID));
    repo.commit('rename and add');
    const untracked = repo.write('untracked.loginpolicy.json', policy(ID));

    const store = new BaselineStore();
    assert.equal(await store.find(request(untracked)), undefined);
    assert.equal(await store.find(request(added, { git: 'HEAD~1' })), undefined);
    assert.ok(await store.find(request(added)));
    assert.ok(await store.find(request(renamed)));
    assert.equal(await store.find(request(renamed, { git: 'HEAD~1' })), undefined);
    assert.equal(await store.find(request(old)), undefined, 'the old name is gone at HEAD');
    assert.ok(await store.find(request(old, { git: 'HEAD~1' })), 'and still there a commit earlier');
  });

  it('is undefined when the committed policy has another id, or none', async () => {
    const repo = newRepo();
    const other = repo.write('other.loginpolicy.json', policy(OTHER_ID));
    const unsaved = repo.write('unsaved.loginpolicy.json', policy(undefined));
    repo.commit('first');
    const store = new BaselineStore();
    assert.equal(await store.find(request(other)), undefined);
    assert.ok(await store.find(request(other, { git: 'HEAD' }, OTHER_ID)));
    assert.equal(await store.find(request(unsaved)), undefined);
  });

  it('is undefined when the committed text is not a JSON object', async () => {
    const repo = newRepo();
    const broken = repo.write('broken.loginpolicy.json', `{ "id": "${ID}", "identityStoreDetails": {`);
    const array = repo.write('array.loginpolicy.json', `[{ "id": "${ID}" }]`);
    const empty = repo.write('empty.loginpolicy.json', '');
    repo.commit('first');
    const store = new BaselineStore();
    assert.equal(await store.find(request(broken)), undefined);
    assert.equal(await store.find(request(array)), undefined);
    assert.equal(await store.find(request(empty)), undefined);
  });

  it('tolerates trailing commas and a BOM, and returns a missing identityStoreDetails as undefined', async () => {
    const repo = newRepo();
    const trailing = repo.write(
      'trailing.loginpolicy.json',
      `\uFEFF{ "id": "${ID}", "identityStoreDetails": { "type": "janrainCapture", }, }`,
    );
    const without = repo.write('without.loginpolicy.json', JSON.stringify({ id: ID, title: 'Acme' }));
    repo.commit('first');
    const store = new BaselineStore();
    assert.deepEqual((await store.find(request(trailing)))?.identityStoreDetails, { type: 'janrainCapture' });
    const baseline = await store.find(request(without));
    assert.ok(baseline);
    assert.equal(baseline.identityStoreDetails, undefined);
  });

  it('finds files whose path has spaces and non-ASCII characters', async () => {
    const repo = newRepo('baseline repo ünï ');
    const file = repo.write('my policies/café ñandú.loginpolicy.json', policy(ID));
    repo.commit('first');
    const baseline = await new BaselineStore().find(request(file));
    assert.deepEqual(baseline?.identityStoreDetails, details('a'.repeat(32)));
  });

  it('finds a file reached through a symbolic link to the repository', async (t) => {
    const repo = newRepo();
    repo.write('policies/acme.loginpolicy.json', policy(ID));
    repo.commit('first');
    const link = path.join(tempDir(), 'linked');
    try {
      symlinkSync(repo.dir, link, 'dir');
    } catch {
      t.skip('cannot create symbolic links here');
      return;
    }
    const baseline = await new BaselineStore().find(request(path.join(link, 'policies', 'acme.loginpolicy.json')));
    assert.deepEqual(baseline?.identityStoreDetails, details('a'.repeat(32)));
  });

  it('is undefined outside a git repository', async () => {
    const plain = newRepo('baseline-', { git: false });
    plain.git('--version'); // a missing git fails here, saying so
    const dir = plain.dir;
    const file = plain.write('acme.loginpolicy.json', policy(ID));
    assert.equal(await new BaselineStore().find(request(file)), undefined);
    const result = await nodeGit.run(dir, ['rev-parse', '--show-toplevel']);
    assert.deepEqual(result, { ok: false, reason: NOT_A_REPOSITORY, exitCode: 128 });
  });

  it('is undefined when git is unavailable, or its runner fails in any way', async () => {
    const file = path.join(tempDir(), 'acme.loginpolicy.json');
    const missing: GitRunner = { run: () => Promise.resolve({ ok: false, reason: GIT_NOT_INSTALLED }) };
    assert.equal(await new BaselineStore({ git: missing }).find(request(file)), undefined);
    const rejecting: GitRunner = { run: () => Promise.reject(new Error('boom')) };
    assert.equal(await new BaselineStore({ git: rejecting }).find(request(file)), undefined);
    const throwing: GitRunner = {
      run: () => {
        throw new Error('boom');
      },
    };
    assert.equal(await new BaselineStore({ git: throwing }).find(request(file)), undefined);
    const nonsense: GitRunner = { run: () => Promise.resolve({ ok: true, stdout: '--output=/tmp/x\n' }) };
    assert.equal(await new BaselineStore({ git: nonsense }).find(request(file)), undefined);
  });

  it('runs no git at all when git is not allowed (untrusted workspace)', async () => {
    const repo = newRepo();
    const file = repo.write('acme.loginpolicy.json', policy(ID));
    repo.commit('first');
    const { runner, calls } = counting();
    const store = new BaselineStore({ git: runner });
    assert.equal(await store.find(request(file, { git: 'HEAD' }, ID, false)), undefined);
    assert.deepEqual(calls, []);
  });

  it('caches: within the ttl a repeated find runs no git; a shown file is kept per commit and path', async () => {
    const repo = newRepo();
    const file = repo.write('policies/acme.loginpolicy.json', policy(ID, details('1'.repeat(32))));
    const sibling = repo.write('policies/beta.loginpolicy.json', policy(OTHER_ID));
    repo.commit('first');
    const untracked = repo.write('policies/new.loginpolicy.json', policy(ID));
    let clock = 0;
    const { runner, calls } = counting();
    const store = new BaselineStore({ git: runner, now: () => clock, headTtlMs: 100 });

    assert.ok(await store.find(request(file)));
    assert.deepEqual(
      calls.map((args) => args[0]),
      ['rev-parse', 'rev-parse', 'show'],
    );
    assert.ok(await store.find(request(file)));
    assert.equal(calls.length, 3, 'nothing new within the ttl');

    assert.ok(await store.find(request(sibling, { git: 'HEAD' }, OTHER_ID)));
    assert.deepEqual(calls.slice(3), [
      ['show', `${repo.git('rev-parse', 'HEAD').trim()}:policies/beta.loginpolicy.json`],
    ]);

    assert.equal(await store.find(request(untracked)), undefined);
    assert.equal(await store.find(request(untracked)), undefined);
    assert.equal(calls.filter(isShow).length, 3, 'a miss is cached too');

    clock += 100;
    assert.ok(await store.find(request(file)));
    assert.equal(calls.filter(isRefLookup).length, 2, 'the ref is resolved again after the ttl');
    assert.equal(calls.filter(isShow).length, 3, 'but the same commit is not shown again');

    repo.write('policies/acme.loginpolicy.json', policy(ID, details('2'.repeat(32))));
    repo.commit('second');
    clock += 100;
    assert.equal(secretOf(await store.find(request(file))), '2'.repeat(32));
    assert.equal(calls.filter(isShow).length, 4);
    assert.equal(calls.filter((args) => args.includes('--show-toplevel')).length, 1, 'the root is cached per folder');
  });

  it('shares one lookup between concurrent requests', async () => {
    const repo = newRepo();
    const file = repo.write('acme.loginpolicy.json', policy(ID));
    repo.commit('first');
    const { runner, calls } = counting();
    const store = new BaselineStore({ git: runner });
    const results = await Promise.all([store.find(request(file)), store.find(request(file))]);
    assert.ok(results[0] && results[1]);
    assert.equal(calls.length, 3);
  });

  it('refuses refs git would read as options, ranges or several arguments, without running git', async () => {
    const repo = newRepo();
    const file = repo.write('acme.loginpolicy.json', policy(ID));
    repo.commit('first');
    const output = path.join(tempDir(), 'x');
    const { runner, calls } = counting();
    const store = new BaselineStore({ git: runner });
    for (const ref of [`--output=${output}`, '-p', 'HEAD --', 'a..b', 'HEAD...main', 'HEAD\n', 'HE\u0000AD', '']) {
      assert.equal(await store.find(request(file, { git: ref })), undefined, JSON.stringify(ref));
    }
    assert.deepEqual(calls, []);
    assert.equal(existsSync(output), false);
  });

  it('recognises safe refs', () => {
    for (const ref of ['HEAD', 'HEAD~1', 'HEAD^', 'origin/main', 'v1.2.3', 'release-2026.11', '@{u}', 'a'.repeat(40)]) {
      assert.equal(isSafeGitRef(ref), true, ref);
    }
    for (const ref of ['-n', '--all', 'a..b', 'a b', 'a\tb', 'x\u007f', ''])
      assert.equal(isSafeGitRef(ref), false, ref);
  });
});

describe('nodeGit', () => {
  it('says when git is not installed', async (t) => {
    const saved = process.env.PATH;
    process.env.PATH = tempDir();
    t.after(() => {
      process.env.PATH = saved;
    });
    const result: GitResult = await nodeGit.run(os.tmpdir(), ['--version']);
    assert.deepEqual(result, { ok: false, reason: GIT_NOT_INSTALLED });
  });

  it('names a missing working folder instead of blaming git', async () => {
    const missing = path.join(tempDir(), 'gone');
    const result = await nodeGit.run(missing, ['--version']);
    assert.deepEqual(result, { ok: false, reason: `folder not found: ${missing}` });
  });

  it('reports the exit code and only the first line of stderr', async () => {
    const repo = newRepo();
    repo.commit('empty');
    const result = await nodeGit.run(repo.dir, ['show', 'HEAD:missing.json']);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.exitCode === 128);
    assert.match(!result.ok ? result.reason : '', /^git exited with code 128: fatal: [^\n]*missing\.json[^\n]*$/);
  });
});

describe('snapshot folder baseline', () => {
  function folder(): { dir: string; deployed: string; file: string } {
    const dir = tempDir();
    const deployed = path.join(dir, 'deployed');
    mkdirSync(deployed);
    return { dir, deployed, file: path.join(dir, 'acme.loginpolicy.json') };
  }

  it('is <dir>/<id>.json, labelled with the folder name', async () => {
    const { deployed, file } = folder();
    const text = policy(ID);
    writeFileSync(path.join(deployed, `${ID}.json`), text);
    const baseline = await new BaselineStore().find(request(file, { dir: deployed }));
    assert.deepEqual(baseline, {
      identityStoreDetails: details('a'.repeat(32)),
      text,
      label: `deployed/${ID}.json`,
      source: 'dir',
    });
  });

  it('works where git is not allowed, and runs no git', async () => {
    const { deployed, file } = folder();
    writeFileSync(path.join(deployed, `${ID}.json`), policy(ID));
    const { runner, calls } = counting();
    assert.ok(await new BaselineStore({ git: runner }).find(request(file, { dir: deployed }, ID, false)));
    assert.deepEqual(calls, []);
  });

  it('is undefined for a missing snapshot, another id inside, or invalid JSON', async () => {
    const { deployed, file } = folder();
    writeFileSync(path.join(deployed, `${OTHER_ID}.json`), policy(ID));
    writeFileSync(path.join(deployed, 'broken.json'), '{ "id": "broken", ');
    mkdirSync(path.join(deployed, 'folder.json'));
    const store = new BaselineStore();
    assert.equal(await store.find(request(file, { dir: deployed })), undefined);
    assert.equal(await store.find(request(file, { dir: deployed }, OTHER_ID)), undefined);
    assert.equal(await store.find(request(file, { dir: deployed }, 'broken')), undefined);
    assert.equal(await store.find(request(file, { dir: deployed }, 'folder')), undefined);
    assert.equal(await store.find(request(file, { dir: path.join(deployed, 'nowhere') })), undefined);
  });

  it('never leaves the folder: ids that are not plain file names are not looked up', async () => {
    const { dir, deployed, file } = folder();
    writeFileSync(path.join(dir, 'x.json'), policy('../x'));
    writeFileSync(path.join(dir, 'y.json'), policy('..\\y'));
    const store = new BaselineStore();
    for (const id of ['../x', '..\\y', '/etc/passwd', 'a/b', '']) {
      assert.equal(await store.find(request(file, { dir: deployed }, id)), undefined, id);
    }
  });

  it('reads a snapshot again once it changed on disk, and notices it is gone', async () => {
    const { deployed, file } = folder();
    const snapshot = path.join(deployed, `${ID}.json`);
    writeFileSync(snapshot, policy(ID, details('1'.repeat(32))));
    const store = new BaselineStore();
    assert.equal(secretOf(await store.find(request(file, { dir: deployed }))), '1'.repeat(32));
    // Another size: the stat tells it changed even where timestamps are coarse.
    writeFileSync(snapshot, `${policy(ID, details('2'.repeat(32)))}\n\n`);
    assert.equal(secretOf(await store.find(request(file, { dir: deployed }))), '2'.repeat(32));
    renameSync(snapshot, `${snapshot}.bak`);
    assert.equal(await store.find(request(file, { dir: deployed })), undefined);
  });

  it('reads an unchanged snapshot once', async () => {
    const { deployed, file } = folder();
    const snapshot = path.join(deployed, `${ID}.json`);
    writeFileSync(snapshot, policy(ID, details('1'.repeat(32))));
    const store = new BaselineStore();
    const first = await store.find(request(file, { dir: deployed }));
    const again = await store.find(request(file, { dir: deployed }));
    // The same parsed value: not read and parsed a second time.
    assert.equal(again!.identityStoreDetails, first!.identityStoreDetails);
  });
});

describe('first-open baseline', () => {
  const file = path.join(os.tmpdir(), 'first-open', 'acme.loginpolicy.json');

  it('keeps the first text seen in the session, and ignores later ones', () => {
    const store = new BaselineStore();
    assert.equal(store.firstOpen(file, ID), undefined);
    const first = policy(ID, details('1'.repeat(32)));
    store.rememberFirstOpen(file, first);
    store.rememberFirstOpen(file, policy(ID, details('2'.repeat(32))));
    assert.deepEqual(store.firstOpen(file, ID), {
      identityStoreDetails: details('1'.repeat(32)),
      text: first,
      label: 'the version first opened',
      source: 'first-open',
    });
  });

  it('is undefined for another id or a text that does not parse', () => {
    const store = new BaselineStore();
    store.rememberFirstOpen(file, policy(ID));
    assert.equal(store.firstOpen(file, OTHER_ID), undefined);
    const broken = path.join(path.dirname(file), 'broken.loginpolicy.json');
    store.rememberFirstOpen(broken, `{ "id": "${ID}", `);
    assert.equal(store.firstOpen(broken, ID), undefined);
  });
});

describe('no baseline', () => {
  it('"none" is undefined and runs nothing', async () => {
    const { runner, calls } = counting();
    assert.equal(await new BaselineStore({ git: runner }).find(request('/policies/acme.json', 'none')), undefined);
    assert.deepEqual(calls, []);
  });
});
