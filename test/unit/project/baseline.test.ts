// The deployed baseline: the same file at a git ref (a real temporary repository), a snapshot folder, and the text
// first opened; with the caches, the ref guard and the untrusted-workspace rule (no git process at all).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_MAX_FILE_SIZE } from '../../../server/src/engine/analyze';
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
  GIT_OUTPUT_TOO_LARGE,
  GIT_TIMED_OUT,
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

/** Wraps a runner and records every command line, and the lines it was given on stdin. */
function counting(inner: GitRunner = nodeGit): { runner: GitRunner; calls: string[][]; inputs: string[][] } {
  const calls: string[][] = [];
  const inputs: string[][] = [];
  return {
    calls,
    inputs,
    runner: {
      run(cwd, args, options) {
        calls.push([...args]);
        inputs.push(options?.input?.split('\n').slice(0, -1) ?? []);
        return inner.run(cwd, args, options);
      },
    },
  };
}

/** A process that reads files at a commit: one `cat-file --batch` (many files) or one `show` (one file). */
const isFileRead = (args: readonly string[]): boolean => args[0] === 'show' || args[0] === 'cat-file';
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
    const nonsense: GitRunner = { run: () => Promise.resolve({ ok: true, stdout: Buffer.from('--output=/tmp/x\n') }) };
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
    const { runner, calls, inputs } = counting();
    const store = new BaselineStore({ git: runner, now: () => clock, headTtlMs: 100 });

    assert.ok(await store.find(request(file)));
    assert.deepEqual(
      calls.map((args) => args[0]),
      ['rev-parse', 'rev-parse', 'cat-file'],
    );
    assert.ok(await store.find(request(file)));
    assert.equal(calls.length, 3, 'nothing new within the ttl');

    assert.ok(await store.find(request(sibling, { git: 'HEAD' }, OTHER_ID)));
    assert.deepEqual(calls.slice(3), [['cat-file', '--batch', '--buffer']]);
    assert.deepEqual(inputs.slice(3), [[`${repo.git('rev-parse', 'HEAD').trim()}:policies/beta.loginpolicy.json`]]);

    assert.equal(await store.find(request(untracked)), undefined);
    assert.equal(await store.find(request(untracked)), undefined);
    assert.equal(calls.filter(isFileRead).length, 3, 'a miss is cached too');

    clock += 100;
    assert.ok(await store.find(request(file)));
    assert.equal(calls.filter(isRefLookup).length, 2, 'the ref is resolved again after the ttl');
    assert.equal(calls.filter(isFileRead).length, 3, 'but the same commit is not read again');

    repo.write('policies/acme.loginpolicy.json', policy(ID, details('2'.repeat(32))));
    repo.commit('second');
    clock += 100;
    assert.equal(secretOf(await store.find(request(file))), '2'.repeat(32));
    assert.equal(calls.filter(isFileRead).length, 4);
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

describe('git baseline, many files at once', () => {
  /** A policy id of its own for file `i`. */
  const idOf = (i: number): string => `7c2e91a4-3f5d-4b8e-a1c6-${String(i).padStart(12, '0')}`;

  /** `count` committed policies `p<i>.loginpolicy.json`, each with its own id; returns their paths and texts. */
  function committedPolicies(repo: GitRepo, count: number): { files: string[]; texts: string[] } {
    const texts = Array.from({ length: count }, (_, i) => policy(idOf(i), details(String(i % 10).repeat(32))));
    const files = texts.map((text, i) => repo.write(`p${i}.loginpolicy.json`, text));
    repo.commit('deploy');
    return { files, texts };
  }

  const findAll = (store: BaselineStore, files: readonly string[], spec: BaselineSpec = { git: 'HEAD' }) =>
    Promise.all(files.map((file, i) => store.find(request(file, spec, idOf(i)))));

  it('reads the files of one commit asked for together in one git process', async () => {
    const repo = newRepo();
    const { files, texts } = committedPolicies(repo, 50);
    const head = repo.git('rev-parse', 'HEAD').trim();
    const { runner, calls, inputs } = counting();
    const found = await findAll(new BaselineStore({ git: runner }), files);
    assert.deepEqual(
      found.map((baseline) => baseline?.text),
      texts,
    );
    const reads = calls.flatMap((args, i) => (isFileRead(args) ? [{ args, lines: inputs[i] }] : []));
    assert.deepEqual(reads, [
      { args: ['cat-file', '--batch', '--buffer'], lines: files.map((_, i) => `${head}:p${i}.loginpolicy.json`) },
    ]);
  });

  it('keeps a path missing from the commit as final, beside the files found in the same process', async () => {
    const repo = newRepo();
    const { files } = committedPolicies(repo, 2);
    const untracked = repo.write('p2.loginpolicy.json', policy(idOf(2)));
    const { runner, calls } = counting();
    const store = new BaselineStore({ git: runner });
    const found = await findAll(store, [...files, untracked]);
    assert.deepEqual(
      found.map((baseline) => baseline !== undefined),
      [true, true, false],
    );
    assert.equal(await store.find(request(untracked, { git: 'HEAD' }, idOf(2))), undefined);
    assert.ok(await store.find(request(files[0]!, { git: 'HEAD' }, idOf(0))));
    assert.equal(calls.filter(isFileRead).length, 1, 'neither the missing path nor the found ones are read again');
  });

  it('has no baseline for any file of a process that gave no answer, and asks again at the next lookup', async () => {
    const repo = newRepo();
    const { files } = committedPolicies(repo, 3);
    let timeouts = 1;
    const { runner, calls } = counting({
      run: (cwd, args, options) =>
        args[0] === 'cat-file' && timeouts-- > 0
          ? Promise.resolve({ ok: false, reason: GIT_TIMED_OUT })
          : nodeGit.run(cwd, args, options),
    });
    const store = new BaselineStore({ git: runner });
    assert.deepEqual(await findAll(store, files), [undefined, undefined, undefined]);
    assert.equal(calls.filter(isFileRead).length, 1, 'one process for the three');
    const again = await findAll(store, files);
    assert.ok(again.every((baseline) => baseline !== undefined));
    assert.equal(calls.filter(isFileRead).length, 2);
  });

  it('reads each file alone when git refuses the whole batch, and keeps what git answered', async () => {
    const repo = newRepo();
    const { files, texts } = committedPolicies(repo, 2);
    const untracked = repo.write('p2.loginpolicy.json', policy(idOf(2)));
    const { runner, calls } = counting({
      run: (cwd, args, options) =>
        args[0] === 'cat-file'
          ? Promise.resolve({ ok: false, reason: 'git exited with code 128: fatal: bad object', exitCode: 128 })
          : nodeGit.run(cwd, args, options),
    });
    const store = new BaselineStore({ git: runner });
    const found = await findAll(store, [...files, untracked]);
    assert.deepEqual(
      found.map((baseline) => baseline?.text),
      [...texts, undefined],
    );
    assert.deepEqual(
      calls.filter(isFileRead).map((args) => args[0]),
      ['cat-file', 'show', 'show', 'show'],
    );
    assert.equal(await store.find(request(untracked, { git: 'HEAD' }, idOf(2))), undefined);
    assert.equal(calls.filter(isFileRead).length, 4, 'the path git said is missing is not asked for again');
  });

  it('returns the committed bytes exactly: non-ASCII text and CRLF line ends', async () => {
    const repo = newRepo();
    const crlf = `\uFEFF${policy(idOf(0))}`.replace('"Acme"', '"Café — ñandú, 日本語, 😀"').replace(/\n/g, '\r\n');
    const first = repo.write('p0.loginpolicy.json', crlf);
    // Files after it in the same process: reading sizes as characters rather than bytes would cut them wrongly.
    const rest = [1, 2].map((i) => repo.write(`p${i}.loginpolicy.json`, policy(idOf(i))));
    repo.commit('deploy');
    const { runner, calls } = counting();
    const found = await findAll(new BaselineStore({ git: runner }), [first, ...rest]);
    assert.equal(found[0]?.text, crlf);
    assert.deepEqual(
      found.slice(1).map((baseline) => baseline?.text),
      [policy(idOf(1)), policy(idOf(2))],
    );
    assert.equal(calls.filter(isFileRead).length, 1);
  });

  it('splits a queue longer than the cap into several processes', async () => {
    const repo = newRepo();
    const { files, texts } = committedPolicies(repo, 7);
    const { runner, calls, inputs } = counting();
    const found = await findAll(new BaselineStore({ git: runner, batch: { maxObjects: 3 } }), files);
    assert.deepEqual(
      found.map((baseline) => baseline?.text),
      texts,
    );
    assert.deepEqual(
      calls.flatMap((args, i) => (isFileRead(args) ? [inputs[i]!.length] : [])),
      [3, 3, 1],
    );
  });

  it('splits a batch whose output would be too large until each part fits', async () => {
    const repo = newRepo();
    const { files, texts } = committedPolicies(repo, 4);
    const { runner, calls, inputs } = counting();
    // Room for one file and its header line, not two.
    const store = new BaselineStore({ git: runner, batch: { maxOutputBytes: Buffer.byteLength(texts[0]!) + 100 } });
    const found = await findAll(store, files);
    assert.deepEqual(
      found.map((baseline) => baseline?.text),
      texts,
    );
    assert.deepEqual(
      calls.flatMap((args, i) => (isFileRead(args) ? [inputs[i]!.length] : [])),
      [4, 2, 1, 1, 2, 1, 1],
    );
  });

  it('reads a path with a line break in its name through git show, alone', async (t) => {
    const repo = newRepo();
    let odd: string;
    try {
      odd = repo.write('odd\nname.loginpolicy.json', policy(idOf(1)));
    } catch {
      t.skip('this file system allows no line break in a file name');
      return;
    }
    const plain = repo.write('p0.loginpolicy.json', policy(idOf(0)));
    repo.commit('deploy');
    const head = repo.git('rev-parse', 'HEAD').trim();
    const { runner, calls, inputs } = counting();
    const found = await findAll(new BaselineStore({ git: runner }), [plain, odd]);
    assert.deepEqual(
      found.map((baseline) => baseline?.text),
      [policy(idOf(0)), policy(idOf(1))],
    );
    const reads = calls.flatMap((args, i) => (isFileRead(args) ? [{ args, lines: inputs[i] }] : []));
    assert.deepEqual(
      reads.sort((a, b) => a.args[0]!.localeCompare(b.args[0]!)),
      [
        { args: ['cat-file', '--batch', '--buffer'], lines: [`${head}:p0.loginpolicy.json`] },
        { args: ['show', `${head}:odd\nname.loginpolicy.json`], lines: [] },
      ],
    );
  });

  it('keeps every file of a large workspace for the next pass over it', async () => {
    const repo = newRepo();
    const { files } = committedPolicies(repo, 300);
    const { runner, calls } = counting();
    const store = new BaselineStore({ git: runner });
    assert.ok((await findAll(store, files)).every((baseline) => baseline !== undefined));
    const reads = calls.filter(isFileRead).length;
    assert.ok((await findAll(store, files)).every((baseline) => baseline !== undefined));
    assert.equal(calls.filter(isFileRead).length, reads, 'the second pass reads nothing again');
  });

  it('forgets the files of commits no longer asked for, so the cache stays bounded', async () => {
    const repo = newRepo();
    const file = repo.write('p0.loginpolicy.json', policy(idOf(0)));
    const commits = ['1', '2', '3', '4', '5'].map((n) => {
      repo.write('p0.loginpolicy.json', policy(idOf(0), details(n.repeat(32))));
      return repo.commit(n);
    });
    const { runner, calls } = counting();
    const store = new BaselineStore({ git: runner });
    for (const commit of commits) assert.ok(await store.find(request(file, { git: commit }, idOf(0))));
    assert.equal(calls.filter(isFileRead).length, 5);
    assert.ok(await store.find(request(file, { git: commits[4]! }, idOf(0))));
    assert.ok(await store.find(request(file, { git: commits[1]! }, idOf(0))));
    assert.equal(calls.filter(isFileRead).length, 5, 'the four latest commits are kept');
    assert.equal(secretOf(await store.find(request(file, { git: commits[0]! }, idOf(0)))), '1'.repeat(32));
    assert.equal(calls.filter(isFileRead).length, 6, 'the oldest one was dropped, and is read again');
  });

  it('reads the repository around the files even while a git hook points GIT_DIR at another', async (t) => {
    const repo = newRepo();
    const { files, texts } = committedPolicies(repo, 3);
    const other = newRepo();
    for (let i = 0; i < 3; i++) other.write(`p${i}.loginpolicy.json`, policy(idOf(i), details('f'.repeat(32))));
    other.commit('another deployment');
    const saved = process.env['GIT_DIR'];
    process.env['GIT_DIR'] = other.path('.git');
    t.after(() => {
      if (saved === undefined) delete process.env['GIT_DIR'];
      else process.env['GIT_DIR'] = saved;
    });
    const found = await findAll(new BaselineStore(), files);
    assert.deepEqual(
      found.map((baseline) => baseline?.text),
      texts,
    );
  });

  it('starts no git process for any number of files when git is not allowed', async () => {
    const repo = newRepo();
    const { files } = committedPolicies(repo, 20);
    const { runner, calls } = counting();
    const store = new BaselineStore({ git: runner });
    const found = await Promise.all(files.map((file, i) => store.find(request(file, { git: 'HEAD' }, idOf(i), false))));
    assert.ok(found.every((baseline) => baseline === undefined));
    assert.deepEqual(calls, []);
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

  it('writes the input to stdin and returns stdout as the bytes git wrote', async () => {
    const repo = newRepo();
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x0d, 0x0a, 0xc3, 0xa9, 0x7d]);
    repo.write('raw.bin', '');
    writeFileSync(repo.path('raw.bin'), bytes);
    repo.commit('raw');
    const result = await nodeGit.run(repo.dir, ['cat-file', '--batch'], { input: 'HEAD:raw.bin\nHEAD:gone\n' });
    assert.ok(result.ok);
    const header = Buffer.from(`${repo.git('rev-parse', 'HEAD:raw.bin').trim()} blob ${bytes.length}\n`);
    assert.deepEqual(result.stdout, Buffer.concat([header, bytes, Buffer.from('\nHEAD:gone missing\n')]));
  });

  it('fails, and says why, when the output is larger than allowed', async () => {
    const repo = newRepo();
    repo.write('big.txt', 'x'.repeat(10_000));
    repo.commit('big');
    const result = await nodeGit.run(repo.dir, ['cat-file', '--batch'], {
      input: 'HEAD:big.txt\n',
      maxOutputBytes: 5000,
    });
    assert.deepEqual(result, { ok: false, reason: GIT_OUTPUT_TOO_LARGE });
  });

  it('survives git ending before it read its input', async () => {
    const input = `${'HEAD:x.json\n'.repeat(200_000)}`;
    const missing = path.join(tempDir(), 'gone');
    assert.deepEqual(await nodeGit.run(missing, ['cat-file', '--batch'], { input }), {
      ok: false,
      reason: `folder not found: ${missing}`,
    });
    const version = await nodeGit.run(tempDir(), ['--version'], { input });
    assert.match(version.ok ? version.stdout.toString('utf8') : '', /^git version /);
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

  it('keeps no text too large to analyse, and forgets a text when told (the document left the workspace)', () => {
    const store = new BaselineStore();
    const large = path.join(path.dirname(file), 'large.loginpolicy.json');
    const text = policy(ID);
    store.rememberFirstOpen(large, text.replace('{', `{${' '.repeat(DEFAULT_MAX_FILE_SIZE)}`));
    assert.equal(store.firstOpen(large, ID), undefined);
    store.rememberFirstOpen(file, text);
    assert.equal(store.firstOpen(file, ID)?.text, text);
    store.forgetFirstOpen(file);
    assert.equal(store.firstOpen(file, ID), undefined);
    const next = policy(ID, details('3'.repeat(32)));
    store.rememberFirstOpen(file, next);
    assert.equal(store.firstOpen(file, ID)?.text, next, 'opened again: the text it has then');
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
