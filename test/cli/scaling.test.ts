// The CLI over a workspace of many policies sharing one owner client takes time in proportion to the number of
// files: four times the files must not cost about sixteen times the time, which is what listing every other policy
// in each file's facts did (1,000 files took 2.9 s and 5,000 ran out of memory).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runCliAsync } from '../support/cli';
import { bestOf, sharedOwnerWorkspace } from '../support/shared-owner-workspace';

/** Far from both: linear is about 4, quadratic about 16. */
const LIMIT = 6.5;

describe('the CLI on a workspace of policies sharing one owner client', () => {
  const small = 500;
  const large = 4 * small;
  let dirs: string[] = [];

  before(() => {
    dirs = [sharedOwnerWorkspace(small), sharedOwnerWorkspace(large)];
  });

  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Milliseconds for one run over the folder; checks that every file was linted. */
  const timed = async (dir: string, files: number): Promise<number> => {
    const started = performance.now();
    const run = await runCliAsync(['--format', 'json'], dir);
    const took = performance.now() - started;
    const summary = (JSON.parse(run.stdout) as { summary: { files: number } }).summary;
    assert.equal(summary.files, files, run.stderr);
    return took;
  };

  it('takes time in proportion to the number of files', async (t) => {
    const ratio = await bestOf(
      3,
      async () => (await timed(dirs[1]!, large)) / (await timed(dirs[0]!, small)),
      (r) => r < LIMIT,
      Math.min,
    );
    t.diagnostic(`${large} files took ${ratio.toFixed(2)}× the time of ${small}`);
    assert.ok(ratio < LIMIT, `4× the files took ${ratio.toFixed(1)}× the time`);
  });
});
