// DeployedBaselines: the background lookups behind immutable-identity-store in the editor. A lookup that HEAD moving
// or an id change made stale never decides; a snapshot folder is recognised as such.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DeployedBaselines, isDeployedSnapshot } from '../../server/src/deployed-baselines';
import type { Baseline, BaselineRequest, BaselineStore } from '../../server/src/project/baseline';

const FILE = path.resolve('/work/acme.loginpolicy.json');
const ID = '7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58';

/** A store whose lookups wait until the test answers them, in any order. */
function controlledStore() {
  const asked: { request: BaselineRequest; answer: (b: Baseline | undefined) => void }[] = [];
  const store = {
    find: (request: BaselineRequest) =>
      new Promise<Baseline | undefined>((resolve) => asked.push({ request, answer: resolve })),
    firstOpen: () => undefined,
    rememberFirstOpen: () => undefined,
    invalidate: () => undefined,
  } as unknown as BaselineStore;
  return { store, asked };
}

const baseline = (label: string, id = ID): Baseline => ({
  identityStoreDetails: { type: label },
  text: `{"id": "${id}", "label": "${label}"}`,
  label,
  source: 'git',
});
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('DeployedBaselines', () => {
  it('keeps what the lookup found, with its id, and reports the change', async () => {
    const { store, asked } = controlledStore();
    const changed: string[] = [];
    const baselines = new DeployedBaselines(store, (file) => changed.push(file));
    baselines.refresh(FILE, ID, { git: 'HEAD' }, true);
    baselines.refresh(FILE, ID, { git: 'HEAD' }, true);
    assert.equal(asked.length, 1, 'one lookup at a time per file and id');
    asked[0]!.answer(baseline('git HEAD'));
    await settle();
    assert.deepEqual(baselines.get(FILE), { id: ID, identityStoreDetails: { type: 'git HEAD' }, label: 'git HEAD' });
    assert.deepEqual(changed, [FILE]);
  });

  it('drops a lookup that started before HEAD moved, and looks again at once', async () => {
    const { store, asked } = controlledStore();
    const baselines = new DeployedBaselines(store, () => undefined);
    baselines.refresh(FILE, ID, { git: 'HEAD' }, true);
    baselines.refreshAll(true);
    assert.equal(asked.length, 2, 'a new lookup, although the old one is still running');
    asked[1]!.answer(baseline('after the commit'));
    asked[0]!.answer(baseline('before the commit'));
    await settle();
    assert.equal(baselines.get(FILE)?.label, 'after the commit');
  });

  it('looks again for every file with an id when HEAD moves, and reports only the files whose baseline changed', async () => {
    const { store, asked } = controlledStore();
    const changed: string[] = [];
    const baselines = new DeployedBaselines(store, (file) => changed.push(file));
    const other = path.resolve('/work/other.loginpolicy.json');
    const draft = path.resolve('/work/draft.loginpolicy.json');
    baselines.refresh(FILE, ID, { git: 'HEAD' }, true);
    baselines.refresh(other, 'other-id', { dir: '/work/deployed' }, true);
    baselines.refresh(draft, undefined, { git: 'HEAD' }, true);
    asked[0]!.answer(baseline('git HEAD'));
    asked[1]!.answer(baseline('snapshot', 'other-id'));
    await settle();
    changed.length = 0;
    baselines.refreshAll(false);
    assert.deepEqual(
      asked.slice(2).map((a) => [a.request.filePath, a.request.spec, a.request.allowGit]),
      [
        [FILE, { git: 'HEAD' }, false],
        [other, { dir: '/work/deployed' }, false],
      ],
      'each file with an id, with where it looks, and no lookup for a draft',
    );
    asked[2]!.answer(baseline('git HEAD'));
    asked[3]!.answer(baseline('a new snapshot', 'other-id'));
    await settle();
    assert.deepEqual(changed, [other], 'once, and only for the file whose deployed version changed');
  });

  it('drops a lookup for an id the document no longer has', async () => {
    const { store, asked } = controlledStore();
    const baselines = new DeployedBaselines(store, () => undefined);
    baselines.refresh(FILE, ID, { git: 'HEAD' }, true);
    baselines.refresh(FILE, 'another-id', { git: 'HEAD' }, true);
    asked[0]!.answer(baseline('of the old id'));
    await settle();
    assert.equal(baselines.get(FILE), undefined);
    asked[1]!.answer(baseline('of the new id', 'another-id'));
    await settle();
    assert.equal(baselines.get(FILE)?.id, 'another-id');
  });

  it('looks in the snapshot folder the config names now, not one it named while it was typed', async () => {
    const { store, asked } = controlledStore();
    const baselines = new DeployedBaselines(store, () => undefined);
    baselines.refresh(FILE, ID, { dir: '/work/dep' }, true);
    baselines.refresh(FILE, ID, { dir: '/work/deployed' }, true);
    assert.deepEqual(
      asked.map((a) => a.request.spec),
      [{ dir: '/work/dep' }, { dir: '/work/deployed' }],
      'the final folder is looked up, although a lookup for the typed one still runs',
    );
    asked[0]!.answer(baseline('dep/'));
    await settle();
    assert.equal(baselines.get(FILE), undefined, 'the folder no longer named decides nothing');
    asked[1]!.answer(baseline('deployed/'));
    await settle();
    assert.equal(baselines.get(FILE)?.label, 'deployed/');
  });

  it('looks in git once the workspace is trusted, and an answer from before the trust decides nothing', async () => {
    const { store, asked } = controlledStore();
    const baselines = new DeployedBaselines(store, () => undefined);
    baselines.refresh(FILE, ID, { git: 'HEAD' }, false);
    baselines.refresh(FILE, ID, { git: 'HEAD' }, true);
    assert.deepEqual(
      asked.map((a) => a.request.allowGit),
      [false, true],
    );
    asked[1]!.answer(baseline('git HEAD'));
    await settle();
    asked[0]!.answer(undefined);
    await settle();
    assert.equal(baselines.get(FILE)?.label, 'git HEAD');
  });

  it('forgets the baseline once the id is gone', async () => {
    const { store, asked } = controlledStore();
    const changed: string[] = [];
    const baselines = new DeployedBaselines(store, (file) => changed.push(file));
    baselines.refresh(FILE, ID, { git: 'HEAD' }, true);
    asked[0]!.answer(baseline('git HEAD'));
    await settle();
    baselines.refresh(FILE, undefined, { git: 'HEAD' }, true);
    assert.equal(baselines.get(FILE), undefined);
    assert.equal(changed.length, 2);
  });
});

describe('isDeployedSnapshot', () => {
  const dir = path.resolve('/work/deployed');
  it('is true for files in the snapshot folder, at any depth, and only with a dir baseline', () => {
    assert.equal(isDeployedSnapshot(path.join(dir, `${ID}.json`), { dir }), true);
    assert.equal(isDeployedSnapshot(path.join(dir, 'eu', `${ID}.json`), { dir }), true);
    assert.equal(isDeployedSnapshot(path.resolve('/work/deployed-old', `${ID}.json`), { dir }), false);
    assert.equal(isDeployedSnapshot(FILE, { dir }), false);
    assert.equal(isDeployedSnapshot(path.join(dir, `${ID}.json`), { git: 'HEAD' }), false);
    assert.equal(isDeployedSnapshot(path.join(dir, `${ID}.json`), 'none'), false);
  });
});
