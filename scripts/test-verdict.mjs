// The verdict on one node:test step of `npm test` (scripts/test.mjs), from what ran: a step passes only when every
// test file it names passed at least one test, nothing failed, and it passed at least its floor. Kept apart from the
// runner so a unit test can judge made-up runs (test/unit/test-runner.test.ts).
import path from 'node:path';

/**
 * @param {{ where: string, files: string[], missing: string[], least: number, status: number | null, signal?: string | null,
 *   counts: { files: Record<string, { pass: number }>, totals: { pass?: number, skipped?: number, todo?: number } }
 *   | undefined, root: string }} run
 * @returns {{ ok: boolean, problems: string[], pass?: number, skipped?: number, todo?: number }}
 */
export function judgeStep(run) {
  const problems = [];
  if (run.missing.length > 0) problems.push(`not built: ${run.missing.join(', ')}`);
  if (run.files.length === 0) return { ok: false, problems: [...problems, `no test file in ${run.where}`] };
  if (run.status !== 0) problems.push(`node --test exited with ${run.status ?? run.signal}`);
  if (!run.counts) return { ok: false, problems: [...problems, 'node wrote no test counts'] };
  const idle = run.files.filter((f) => !(run.counts.files[f]?.pass > 0)).map((f) => path.relative(run.root, f));
  if (idle.length > 0) problems.push(`no test passed in ${idle.join(', ')}`);
  const { pass = 0, skipped = 0, todo = 0 } = run.counts.totals;
  if (pass < run.least) problems.push(`below its floor of ${run.least} passed tests (scripts/test.mjs)`);
  return { ok: problems.length === 0, problems, pass, skipped, todo };
}
