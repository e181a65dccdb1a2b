// The pull core as the editor runs it (server/src/identity-cloud/deployed-pull.ts), against the fake's demo: progress
// through the sink it is given, a cancel that leaves the folder as it was and no temporary folder behind, the
// temporary folder it reports, and the baseline it suggests (and how the config is edited to name it).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parse } from 'jsonc-parser';
import { withBaselineDir } from '../../../server/src/identity-cloud/config-baseline-edit';
import {
  baselineDirToSet,
  executePull,
  loadConfigFile,
  pulledFolderOf,
  type PullIo,
  type PullPlan,
} from '../../../server/src/identity-cloud/deployed-pull';
import { readPulledFiles } from '../../../server/src/identity-cloud/pulled-folder';
import { DEMO, demoOptions, seedDemo } from '../../fake-identity-cloud/demo-seed';
import { FakeIdentityCloud } from '../../fake-identity-cloud/server';

describe('the pull core', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;

  beforeEach(async () => {
    cloud = await FakeIdentityCloud.start(demoOptions());
    seedDemo(cloud);
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-pull-core-'));
  });

  afterEach(async () => {
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const planIn = (configText?: string): PullPlan => {
    if (configText !== undefined) writeFileSync(path.join(dir, '.loginpolicyrc.json'), configText);
    const config = loadConfigFile(path.join(dir, '.loginpolicyrc.json'));
    return {
      config,
      outDir: pulledFolderOf(undefined, config, dir),
      connection: {
        customerId: DEMO.customerId,
        region: DEMO.region,
        configClientId: DEMO.configClient.id,
        configClientSecret: DEMO.configClient.secret,
        apiBase: cloud.url,
      },
      owner: undefined,
    };
  };
  const quietIo = (extra: Partial<PullIo> = {}): PullIo => ({ cwd: dir, stderr: () => undefined, ...extra });
  /** A pull whose Cancel is pressed as its `at`-th GET answers. */
  const pullCancelledAt = (at: number, reason: Error): Promise<unknown> => {
    const cancel = new AbortController();
    let ticks = 0;
    const tick = () => {
      if (++ticks === at) cancel.abort(reason);
    };
    return executePull(planIn(), quietIo({ signal: cancel.signal, progress: () => ({ tick, done: () => undefined }) }));
  };
  /** What is beside the pulled folder: a temporary folder left there would show. */
  const besideOut = () => readdirSync(dir).sort();

  it('reports progress to the sink it is given, nothing on stderr, and the temporary folder it used', async () => {
    const seen: string[] = [];
    const stderr: string[] = [];
    const result = await executePull(
      planIn(),
      quietIo({
        stderr: (text) => stderr.push(text),
        progress: (label, total) => {
          seen.push(`start ${label} (${total})`);
          return { tick: () => seen.push('tick'), done: () => seen.push('done') };
        },
      }),
    );
    assert.deepEqual(seen, [
      `start pulling 3 login policies and 5 OIDC clients of customer ${DEMO.customerId} (8)`,
      ...Array<string>(8).fill('tick'),
      'done',
    ]);
    assert.deepEqual(stderr, []);
    assert.equal(result.written, true);
    assert.match(path.basename(result.stagingDir ?? ''), /^\.deployed\.pull-/);
    assert.equal(path.dirname(result.stagingDir!), dir, 'built beside the folder');
    assert.equal(existsSync(result.stagingDir!), false, 'renamed into place');
    assert.deepEqual(besideOut(), ['deployed']);
    assert.equal(readPulledFiles(result.outDir).size, 9);
  });

  it('a cancel before the last GET writes nothing: the folder stays as it was, no temporary folder is left', async () => {
    const first = await executePull(planIn(), quietIo());
    const before = readPulledFiles(first.outDir);
    const { id: _id, ...body } = cloud.loginPolicy(DEMO.currentPolicy.id)!;
    cloud.addLoginPolicy({ ...body, title: 'Added after the first pull' });
    cloud.clearRequests();
    const reason = new Error('cancelled by the user');
    await assert.rejects(pullCancelledAt(2, reason), (error) => error === reason);
    // The policies' GETs were all under way when it was cancelled; no OIDC client was read after that.
    const clientGets = cloud.requests.filter((r) => /\/config\/clients\/[^/]+$/.test(r.path));
    assert.deepEqual(clientGets, [], 'no GET started after the cancel');
    assert.deepEqual(readPulledFiles(first.outDir), before);
    assert.deepEqual(besideOut(), ['deployed']);
  });

  it('a cancel after the last GET still writes nothing', async () => {
    const reason = new Error('cancelled');
    await assert.rejects(pullCancelledAt(8, reason), (error) => error === reason);
    assert.deepEqual(besideOut(), []);
  });

  it('suggests the baseline to set until the config names the pulled folder', () => {
    assert.equal(baselineDirToSet(planIn(), dir), 'deployed', 'no config: deployed/ in the working folder');
    assert.equal(baselineDirToSet(planIn('{ "baseline": { "git": "HEAD" } }'), dir), 'deployed');
    assert.equal(baselineDirToSet(planIn('{ "baseline": { "dir": "deployed" } }'), dir), undefined);
    assert.equal(baselineDirToSet(planIn('{ "baseline": { "dir": "ops/snapshots" } }'), dir), undefined);
  });

  it('sets the baseline in the config, keeping its comments and other keys', () => {
    const text =
      '{\n  // who we are\n  "identityCloud": { "customerId": "x", "region": "us" },\n  "baseline": "none"\n}\n';
    const edited = withBaselineDir(text, 'deployed');
    assert.match(edited, /\/\/ who we are/);
    assert.deepEqual(parse(edited), {
      identityCloud: { customerId: 'x', region: 'us' },
      baseline: { dir: 'deployed' },
    });
    assert.deepEqual(parse(withBaselineDir('', 'deployed')), { baseline: { dir: 'deployed' } });
  });
});
