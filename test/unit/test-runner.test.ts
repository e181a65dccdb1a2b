// npm test's verdict on a node:test step (scripts/test-verdict.mjs): a step passes only when every file it ran passed
// a test, nothing failed and it reached its floor; a skipped-only file, an empty step or a missing build fail it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

interface Verdict {
  ok: boolean;
  problems: string[];
  pass?: number;
  skipped?: number;
}
type Judge = (run: {
  where: string;
  files: string[];
  missing: string[];
  least: number;
  status: number | null;
  counts: { files: Record<string, { pass: number }>; totals: { pass?: number; skipped?: number } } | undefined;
  root: string;
}) => Verdict;

const root = path.resolve(__dirname, '../../..');
const judge = async (): Promise<Judge> =>
  ((await import(pathToFileURL(path.join(root, 'scripts/test-verdict.mjs')).href)) as { judgeStep: Judge }).judgeStep;

const A = path.join(root, 'out/test/grammar/a.test.js');
const B = path.join(root, 'out/test/grammar/b.test.js');
const run = (counts: Record<string, [pass: number, skipped: number]>, extra: Partial<Parameters<Judge>[0]> = {}) => ({
  where: 'test/grammar',
  files: [A, B],
  missing: [],
  least: 3,
  status: 0,
  root,
  counts: {
    files: Object.fromEntries(Object.entries(counts).map(([f, [pass]]) => [f, { pass }])),
    totals: {
      pass: Object.values(counts).reduce((n, [pass]) => n + pass, 0),
      skipped: Object.values(counts).reduce((n, [, skipped]) => n + skipped, 0),
    },
  },
  ...extra,
});

describe("npm test's verdict on a step", () => {
  it('passes a step whose every file passed tests, up to its floor', async () => {
    const verdict = (await judge())(run({ [A]: [2, 0], [B]: [1, 1] }));
    assert.deepEqual(verdict, { ok: true, problems: [], pass: 3, skipped: 1, todo: 0 });
  });

  it('fails a step with a file whose tests were all skipped, naming it', async () => {
    const verdict = (await judge())(run({ [A]: [15, 0], [B]: [0, 1] }));
    assert.equal(verdict.ok, false);
    assert.deepEqual(verdict.problems, ['no test passed in out/test/grammar/b.test.js']);
  });

  it('fails a step with no test file, one below its floor, a failing node and one without counts', async () => {
    const j = await judge();
    assert.deepEqual(j({ ...run({}), files: [] }).problems, ['no test file in test/grammar']);
    assert.deepEqual(j(run({ [A]: [1, 0], [B]: [1, 0] })).problems, [
      'below its floor of 3 passed tests (scripts/test.mjs)',
    ]);
    assert.deepEqual(j(run({ [A]: [2, 0], [B]: [2, 0] }, { status: 1 })).problems, ['node --test exited with 1']);
    assert.deepEqual(j(run({}, { counts: undefined })).problems, ['node wrote no test counts']);
  });

  it('fails a step whose test files were not built', async () => {
    const verdict = (await judge())(run({ [A]: [2, 0], [B]: [2, 0] }, { missing: ['test/grammar/c.test.ts'] }));
    assert.deepEqual(verdict.problems, ['not built: test/grammar/c.test.ts']);
  });
});
