// Any input gives findings in time that grows with its size, never a hang (DESIGN §10): wide objects of unknown keys,
// a frozen block of thousands of changed keys, repeated keys. Four times the input must not cost about sixteen
// times the time, which is what a quadratic step did (10,000 unknown keys took 9 s, 40,000 over two minutes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, type AnalyzeOptions } from '../../../server/src/engine/analyze';
import { VALID_POLICY } from '../harness';

const ID = VALID_POLICY.id;

/** The fastest of three runs, in ms: the least disturbed by the collector and the machine. */
function fastest(run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** How much longer four times the input takes; a linear step gives about 4, a quadratic one about 16. */
function growth(textOf: (n: number) => string, options: AnalyzeOptions = {}, n = 5000): number {
  const small = textOf(n);
  const large = textOf(4 * n);
  const findings = analyze(large, options).findings.length;
  assert.ok(findings >= 4 * n, `the large input has its ${4 * n} findings (${findings})`);
  return (
    fastest(() => analyze(large, options)) /
    Math.max(
      fastest(() => analyze(small, options)),
      1,
    )
  );
}

const keys = (n: number, value: (i: number) => unknown) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value(i)]));

describe('analysis time grows with the input, not with its square', () => {
  it('an object of thousands of unknown keys', () => {
    const ratio = growth((n) => JSON.stringify(keys(n, () => 1)));
    assert.ok(ratio < 9, `4× the keys took ${ratio.toFixed(1)}× the time`);
  });

  it('a frozen block with thousands of changed keys, against its deployed version', () => {
    const policy = (n: number, value: number) => ({
      ...VALID_POLICY,
      identityStoreDetails: {
        ...VALID_POLICY.identityStoreDetails,
        connectionDetails: { ...VALID_POLICY.identityStoreDetails.connectionDetails, ...keys(n, () => value) },
      },
    });
    const deployed = (n: number): AnalyzeOptions => ({
      facts: { baseline: { id: ID, identityStoreDetails: policy(n, 0).identityStoreDetails, label: 'git HEAD' } },
    });
    const textOf = (n: number) => JSON.stringify(policy(n, 1));
    const n = 5000;
    const small = fastest(() => analyze(textOf(n), deployed(n)));
    const large = fastest(() => analyze(textOf(4 * n), deployed(4 * n)));
    const changed = analyze(textOf(4 * n), deployed(4 * n)).findings.filter(
      (f) => f.ruleId === 'immutable-identity-store',
    ).length;
    assert.equal(changed, 4 * n);
    assert.ok(large / small < 9, `4× the keys took ${(large / small).toFixed(1)}× the time`);
  });

  it('one key repeated thousands of times', () => {
    const ratio = growth((n) => `{${Array.from({ length: n }, () => '"title": "x"').join(',')}}`);
    assert.ok(ratio < 9, `4× the repeats took ${ratio.toFixed(1)}× the time`);
  });
});
