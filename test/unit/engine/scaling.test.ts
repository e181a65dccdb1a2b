// Any input gives findings in time that grows with its size, never a hang (DESIGN §10): wide objects of unknown keys,
// a frozen block of thousands of changed keys, repeated keys. Four times the input must not cost about sixteen
// times the time, which is what a quadratic step did (10,000 unknown keys took 9 s, 40,000 over two minutes).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
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

/**
 * How much longer four times the input takes; a linear step gives about 4, a quadratic one about 16. The best of
 * up to five attempts: other test files run beside this one (one attempt in three lost under four suites run at once
 * on two cores), and a quadratic step loses every attempt.
 */
function growth(run: (n: number) => unknown, n = 5000): number {
  const small = () => run(n);
  const large = () => run(4 * n);
  let best = Infinity;
  for (let attempt = 0; attempt < 5 && best >= LIMIT; attempt++) {
    best = Math.min(best, fastest(large) / Math.max(fastest(small), 1));
  }
  return best;
}

/** Far from both: linear is about 4, quadratic about 16. */
const LIMIT = 9;

const keys = (n: number, value: (i: number) => unknown) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value(i)]));

describe('analysis time grows with the input, not with its square', () => {
  it('an object of thousands of unknown keys', () => {
    const textOf = (n: number) => JSON.stringify(keys(n, () => 1));
    assert.ok(analyze(textOf(20_000)).findings.length >= 20_000, 'every unknown key is reported');
    const ratio = growth((n) => analyze(textOf(n)));
    assert.ok(ratio < LIMIT, `4× the keys took ${ratio.toFixed(1)}× the time`);
  });

  it('a frozen block with thousands of changed keys, against its deployed version', () => {
    const policy = (n: number, value: number) => ({
      ...VALID_POLICY,
      identityStoreDetails: {
        ...VALID_POLICY.identityStoreDetails,
        connectionDetails: { ...VALID_POLICY.identityStoreDetails.connectionDetails, ...keys(n, () => value) },
      },
    });
    const run = (n: number) =>
      analyze(JSON.stringify(policy(n, 1)), {
        facts: { baseline: { id: ID, identityStoreDetails: policy(n, 0).identityStoreDetails, label: 'git HEAD' } },
      });
    const changed = run(20_000).findings.filter((f) => f.ruleId === 'immutable-identity-store').length;
    assert.equal(changed, 20_000, 'every changed key is reported');
    const ratio = growth(run);
    assert.ok(ratio < LIMIT, `4× the keys took ${ratio.toFixed(1)}× the time`);
  });

  it('one key repeated thousands of times', () => {
    const textOf = (n: number) => `{${Array.from({ length: n }, () => '"title": "x"').join(',')}}`;
    const ratio = growth((n) => analyze(textOf(n)));
    assert.ok(ratio < LIMIT, `4× the repeats took ${ratio.toFixed(1)}× the time`);
  });
});
