// WorkspaceScan against files the editor's watcher reports while a scan runs: what the watcher saw after the scan read
// a file wins, a scan that a newer one superseded applies nothing, and files no longer found leave (policies and
// clients). The scan's progress reports, made between its slices, are where the "watcher" steps in; it reads what it
// reports at once (the server's own read goes through the thread pool, which a busy machine makes slow to answer).
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import type { ClientPort } from '../../../server/src/lsp/client-port';
import { DocumentStore } from '../../../server/src/session/document-store';
import { Session } from '../../../server/src/session/session';
import { systemClock } from '../../../server/src/util/clock';
import { WorkspaceScan } from '../../../server/src/workspace/scan';
import { policy } from '../harness';

/** Enough files for a scan of several slices (200 files each), so that the watcher can step in between them. */
const BULK = 450;

const withId = (id: string) => policy((p) => void (p['id'] = id));
const clientOf = (policyId: string) =>
  JSON.stringify({
    name: 'ACME Web',
    loginPolicy: policyId,
    type: 'public',
    redirectURIs: ['https://acme.example/cb'],
  });

describe('WorkspaceScan', () => {
  let root: string;
  let session: Session;
  let documents: DocumentStore;
  let scan: WorkspaceScan;
  /** Called with the files done after each slice; the test's "watcher" acts here. */
  let onSlice: (done: number, total: number) => void;
  const published: { uri: string; count: number }[] = [];
  const left: string[] = [];
  const at = (relative: string) => path.join(root, relative);
  const write = (relative: string, text: string) => {
    mkdirSync(path.dirname(at(relative)), { recursive: true });
    writeFileSync(at(relative), text);
  };

  before(() => {
    root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'workspace-scan-')));
    for (let i = 0; i < BULK; i++) write(`bulk/p${String(i).padStart(4, '0')}.loginpolicy.json`, withId(`bulk-${i}`));
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  // Each test's own files go; the bulk stays.
  afterEach(() => {
    rmSync(at('bulk/.loginpolicyrc.json'), { force: true });
    for (const name of readdirSync(root)) if (name !== 'bulk') rmSync(at(name), { recursive: true, force: true });
  });

  beforeEach(() => {
    session = new Session(systemClock);
    session.setFolders([root]);
    documents = new DocumentStore();
    onSlice = () => undefined;
    published.length = 0;
    left.length = 0;
    const silent = () => undefined;
    const client = {
      logger: { error: silent, warn: silent, info: silent, debug: silent },
      publish: (uri: string, _version: number | undefined, diagnostics: unknown[]) =>
        published.push({ uri, count: diagnostics.length }),
      progress: () =>
        Promise.resolve({
          begin: silent,
          report: (_percent: number, message: string) => {
            const [done, total] = message.split(' of ').map((n) => Number.parseInt(n, 10));
            onSlice(done!, total!);
          },
          done: silent,
        }),
    } as unknown as ClientPort;
    scan = new WorkspaceScan(
      session,
      documents,
      client,
      () => false,
      (file) => left.push(file),
      (file) => Promise.resolve(readFileSync(file, 'utf8')),
    );
  });

  it('keeps the text the watcher read of a file rewritten after the scan read it', async () => {
    // Sorted first: read in the first slice.
    write('a.loginpolicy.json', withId('before'));
    let handled = false;
    let handledInTime = false;
    onSlice = (done, total) => {
      if (done === 200) {
        write('a.loginpolicy.json', withId('after'));
        void scan.fileChanged(at('a.loginpolicy.json'), false).then(() => (handled = true));
      }
      // The last slice: the scan applies what it read right after this.
      if (done === total) handledInTime = handled;
    };
    assert.equal(await scan.run(), true);
    assert.ok(handledInTime, 'the report was handled while the scan ran');
    const uri = URI.file(at('a.loginpolicy.json')).toString();
    assert.match(documents.documentOf(uri)!.getText(), /"after"/);
    assert.equal(session.index.idOf(at('a.loginpolicy.json')), 'after');
  });

  it('does not bring back a file deleted after the scan read it', async () => {
    write('a.loginpolicy.json', withId('deleted'));
    onSlice = (done) => {
      if (done !== 200) return;
      unlinkSync(at('a.loginpolicy.json'));
      void scan.fileChanged(at('a.loginpolicy.json'), true);
    };
    assert.equal(await scan.run(), true);
    assert.equal(documents.onDisk.has(at('a.loginpolicy.json')), false);
    assert.equal(documents.documentOf(URI.file(at('a.loginpolicy.json')).toString()), undefined);
    assert.equal(session.index.isPolicy(at('a.loginpolicy.json')), false);
  });

  it('applies nothing of a scan that a newer one superseded: files only the old globs named leave', async () => {
    write('.loginpolicyrc.json', JSON.stringify({ policies: ['extra/*.json'] }));
    write('extra/named.json', withId('named-by-a-glob'));
    assert.equal(await scan.run(), true);
    assert.equal(session.index.isPolicy(at('extra/named.json')), true);
    // A second scan: while it runs, the config drops its glob, and a third scan starts (as a config change does).
    let third: Promise<boolean> | undefined;
    onSlice = (done) => {
      if (done !== 200 || third) return;
      write('.loginpolicyrc.json', JSON.stringify({}));
      session.configs.invalidate(at('.loginpolicyrc.json'));
      third = scan.run();
    };
    assert.equal(await scan.run(), false, 'superseded');
    assert.equal(await third, true);
    assert.equal(session.index.isPolicy(at('extra/named.json')), false);
    assert.equal(documents.onDisk.has(at('extra/named.json')), false);
    const uri = URI.file(at('extra/named.json')).toString();
    assert.deepEqual(
      published.filter((p) => p.uri === uri),
      [{ uri, count: 0 }],
      'its diagnostics cleared',
    );
    assert.deepEqual(left, [at('extra/named.json')], 'nothing of it kept');
  });

  it('drops the OIDC client files it no longer finds', async () => {
    write('clients/web.json', clientOf('bulk-1'));
    write('deployed/clients/ios.json', clientOf('bulk-2'));
    assert.equal(await scan.run(), true);
    assert.equal(session.index.isClient(at('clients/web.json')), true);
    assert.equal(session.index.isClient(at('deployed/clients/ios.json')), true);
    unlinkSync(at('deployed/clients/ios.json'));
    assert.equal(await scan.run(), true);
    assert.equal(session.index.isClient(at('clients/web.json')), true);
    assert.equal(session.index.isClient(at('deployed/clients/ios.json')), false);
  });

  it('tells whether a config names other files than the latest scan went by', async () => {
    const config = at('.loginpolicyrc.json');
    write('.loginpolicyrc.json', JSON.stringify({ policies: ['extra/*.json'], rules: {} }));
    assert.equal(await scan.run(), true);
    // Rules are no business of the scan; the buffer in the editor is the config, saved or not.
    session.configs.setOverlay(config, JSON.stringify({ policies: ['extra/*.json'], rules: { 'json-strict': 'off' } }));
    assert.equal(scan.shapeChanged(config), false);
    session.configs.setOverlay(config, JSON.stringify({ policies: ['more/*.json'] }));
    assert.equal(scan.shapeChanged(config), true);
    assert.equal(await scan.run(), true);
    assert.equal(scan.shapeChanged(config), false);
    // A config the scan never went by (a new one, deeper down) matters when it names files or a snapshot folder.
    assert.equal(scan.shapeChanged(at('bulk/.loginpolicyrc.json')), false);
    write('bulk/.loginpolicyrc.json', JSON.stringify({ baseline: { dir: 'deployed' } }));
    session.configs.invalidate(at('bulk/.loginpolicyrc.json'));
    assert.equal(scan.shapeChanged(at('bulk/.loginpolicyrc.json')), true);
  });
});
