// What the configs add to the file watchers: their watchers, relative or broad, and which reported files are policies.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ConfigWatches } from '../../../server/src/project/config-watches';
import { isOidcClientFileName } from '../../../server/src/project/oidc-clients';
import { isIgnoredPath } from '../../../server/src/project/policy-files';

const ws = path.resolve('/work/acme');
const watches = new ConfigWatches([
  { folder: ws, policies: ['policies/**/*.json', 'legacy.json'], snapshotDir: path.join(ws, 'deployed') },
  { folder: path.resolve('/work/plain'), policies: [] },
]);

describe('ConfigWatches', () => {
  it('watches each glob and the snapshot folder relative to their folders', () => {
    assert.deepEqual(watches.watchers(true), [
      { globPattern: { baseUri: pathToFileURL(ws).href, pattern: 'policies/**/*.json' } },
      { globPattern: { baseUri: pathToFileURL(ws).href, pattern: 'legacy.json' } },
      { globPattern: { baseUri: pathToFileURL(path.join(ws, 'deployed')).href, pattern: '**/*.json' } },
    ]);
  });

  it('asks a client without relative patterns for every .json file, and nothing when no config adds paths', () => {
    assert.deepEqual(watches.watchers(false), [{ globPattern: '**/*.json' }]);
    assert.deepEqual(new ConfigWatches([{ folder: ws, policies: [] }]).watchers(false), []);
  });

  it('names policies as the workspace scan does: from the folder, with dot folders, never node_modules', () => {
    assert.equal(watches.isPolicy(path.join(ws, 'policies/eu/prod.json')), true);
    assert.equal(watches.isPolicy(path.join(ws, 'policies/.drafts/prod.json')), true);
    assert.equal(watches.isPolicy(path.join(ws, 'legacy.json')), true);
    assert.equal(watches.isPolicy(path.join(ws, 'policies/node_modules/x/prod.json')), false);
    assert.equal(watches.isPolicy(path.join(ws, 'other/legacy.json')), false);
    assert.equal(watches.isPolicy(path.resolve('/work/plain/policies/prod.json')), false, 'another folder');
    assert.equal(watches.isPolicy(path.resolve('/work/acme-2/legacy.json')), false, 'a sibling with a longer name');
  });

  it('reads ! globs as exclusions and ../ globs from the folder above, as the scan does', () => {
    const folder = path.join(ws, 'app');
    const globs = new ConfigWatches([
      { folder, policies: ['policies/*.json', '!policies/draft.json', '../shared/*.json', './local/*.json'] },
    ]);
    assert.equal(globs.isPolicy(path.join(folder, 'policies/prod.json')), true);
    assert.equal(globs.isPolicy(path.join(folder, 'policies/draft.json')), false, 'excluded');
    assert.equal(globs.isPolicy(path.join(folder, 'clients/web.json')), false, 'an exclusion is not "everything else"');
    assert.equal(globs.isPolicy(path.join(ws, 'shared/eu.json')), true);
    assert.equal(globs.isPolicy(path.join(folder, 'local/eu.json')), true);
    assert.deepEqual(
      globs.watchers(true).map((w) => w.globPattern),
      [
        { baseUri: pathToFileURL(folder).href, pattern: 'policies/*.json' },
        { baseUri: pathToFileURL(ws).href, pattern: 'shared/*.json' },
        { baseUri: pathToFileURL(folder).href, pattern: 'local/*.json' },
      ],
      'exclusions are not watched; ./ and ../ move the base',
    );
  });

  it('changes its key only when what is watched changes', () => {
    const same = new ConfigWatches([
      { folder: ws, policies: ['policies/**/*.json', 'legacy.json'], snapshotDir: path.join(ws, 'deployed') },
      { folder: path.resolve('/work/other'), policies: [] },
    ]);
    assert.equal(same.key, watches.key);
    assert.notEqual(new ConfigWatches([{ folder: ws, policies: ['legacy.json'] }]).key, watches.key);
  });
});

describe('the names the watcher handler sorts by', () => {
  it('skips node_modules and .git as the scan does', () => {
    assert.equal(isIgnoredPath('node_modules/pkg/a.loginpolicy.json'), true);
    assert.equal(isIgnoredPath('app/node_modules/pkg/clients/web.json'), true);
    assert.equal(isIgnoredPath('app/clients/web.json'), false);
  });

  it("skips a pull's temporary folder and rotation journals, which are never the deployed state", () => {
    assert.equal(isIgnoredPath('app/.deployed.pull-a1B2c3/clients/web.json'), true);
    assert.equal(isIgnoredPath('.deployed.pull-a1B2c3.old/0b5e8f2a.json'), true);
    assert.equal(isIgnoredPath('app/.loginpolicy-rotation/0b5e8f2a.json'), true);
    assert.equal(isIgnoredPath('app/deployed/clients/web.json'), false);
  });

  it('takes the scan patterns for clients: *.oidcclient.json anywhere and JSON under a clients folder', () => {
    assert.equal(isOidcClientFileName('/w/web.oidcclient.json'), true);
    assert.equal(isOidcClientFileName('/w/clients/eu/web.json'), true);
    assert.equal(isOidcClientFileName('/w/notes/web.json'), false);
  });
});
