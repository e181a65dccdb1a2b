// Property-based tests of the engine, the server's formatting and the CLI's output, on generated policies and
// broken texts (test/unit/property/text-arbitrary.ts). A fixed seed keeps the unit step repeatable; `npm run fuzz`
// runs the same properties a million times with new seeds. A failure prints the shrunk text, the seed and the path,
// and how to replay it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { mapRange, at, applyEdits, checkAll, PROPERTIES, propertyOf } from './properties';

/** Fixed, so a failure here is the same failure on every machine. */
const SEED = 20251010;
/** Cases in all, shared by weight: about 25 s on a 2-core machine. */
const CASES = 24_000;

describe('properties over generated and broken policies', () => {
  const total = PROPERTIES.reduce((sum, p) => sum + p.weight, 0);
  for (const { name, weight, check } of PROPERTIES) {
    const runs = Math.round((CASES * weight) / total);
    it(`${name} (${runs} cases)`, () => {
      const details = fc.check(propertyOf(check), { seed: SEED, numRuns: runs });
      if (!details.failed) return;
      assert.fail(
        `${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}\n` +
          `Replay: npm run fuzz -- --property ${name} --seed ${details.seed} --path ${details.counterexamplePath}`,
      );
    });
  }
});

// Counterexamples the fuzzer found, replayed on every run.
describe('fuzz counterexamples', () => {
  it('a "__proto__" key keeps its value through formatting (seed 20261210: the check itself compared prototypes)', () => {
    checkAll('{\r\n  "__proto__": []\r\n}', { tabSize: 2, insertSpaces: false });
  });
});

// The checks above are only as good as their notion of "the finding's place after a fix": pinned down here.
describe('where a finding is after a fix', () => {
  const edit = (offset: number, length: number, content: string) => ({ offset, length, content });

  it('follows a range that an edit replaces to the replacement', () => {
    assert.deepEqual(mapRange({ offset: 4, length: 3 }, [edit(4, 3, '"abcd"')]), { offset: 4, length: 6 });
  });

  it('shifts a range by the edits before it and ignores those after it', () => {
    const edits = [edit(0, 2, ''), edit(20, 1, 'xyz')];
    assert.deepEqual(mapRange({ offset: 10, length: 5 }, edits), { offset: 8, length: 5 });
  });

  it('shrinks a range that a deletion removes to an empty place where it was', () => {
    assert.deepEqual(mapRange({ offset: 7, length: 5 }, [edit(5, 10, '')]), { offset: 5, length: 0 });
  });

  it('takes text inserted at either end of a range into it', () => {
    assert.deepEqual(mapRange({ offset: 3, length: 2 }, [edit(3, 0, '"'), edit(5, 0, '"')]), {
      offset: 3,
      length: 4,
    });
  });

  it('counts a finding that shares a character with the place, and one that strictly contains an empty place', () => {
    assert.ok(at({ offset: 2, length: 4 }, { offset: 5, length: 3 }));
    assert.ok(!at({ offset: 2, length: 3 }, { offset: 5, length: 3 }));
    assert.ok(at({ offset: 2, length: 4 }, { offset: 3, length: 0 }));
    // The next property, now starting where a removed one was, is not the removed one.
    assert.ok(!at({ offset: 3, length: 4 }, { offset: 3, length: 0 }));
  });

  it('applies edits given in any order', () => {
    assert.equal(applyEdits('{"a":1}/* c */', [edit(7, 7, ''), edit(1, 3, '"b"')]), '{"b":1}');
  });
});
