// The engine's last line of defence: a finding outside the text is clamped, a fix with edits outside the text or
// overlapping is dropped, and the rule bug is reported (to tests) rather than hidden.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../server/src/engine/finding';
import { withinText, type RuleDefect } from '../../../server/src/engine/within-text';

const finding = (range: { offset: number; length: number }, ...edits: [number, number][]): Finding => ({
  ruleId: 'some-rule',
  severity: 'warning',
  message: 'm',
  range,
  fixes: [{ title: 'fix', edits: edits.map(([offset, length]) => ({ offset, length, content: '' })) }],
});

function guarded(text: string, f: Finding): { result: Finding; defects: RuleDefect[] } {
  const defects: RuleDefect[] = [];
  return { result: withinText(text.length, f, (d) => defects.push(d)), defects };
}

describe('withinText', () => {
  it('passes a sound finding through as it is, without a report', () => {
    const f = finding({ offset: 7, length: 2 }, [7, 2]);
    const { result, defects } = guarded('{"a":1}/*', f);
    assert.equal(result, f);
    assert.deepEqual(defects, []);
  });

  it('clamps a range past the end and drops a fix whose edit leaves the text, naming the rule', () => {
    const { result, defects } = guarded('{"a":1}/*', finding({ offset: 7, length: 3 }, [7, 3]));
    assert.deepEqual(result.range, { offset: 7, length: 2 });
    assert.equal(result.fixes, undefined);
    assert.equal(defects.length, 1);
    assert.equal(defects[0]!.ruleId, 'some-rule');
    assert.match(defects[0]!.problem, /range 7\+3 outside a text of 9 characters/);
  });

  it('drops a fix whose edits overlap, or insert twice at one place, and keeps the sound ones', () => {
    const f: Finding = {
      ...finding({ offset: 0, length: 1 }),
      fixes: [
        {
          title: 'overlapping',
          edits: [
            { offset: 0, length: 3, content: '' },
            { offset: 2, length: 1, content: 'x' },
          ],
        },
        {
          title: 'two inserts',
          edits: [
            { offset: 1, length: 0, content: 'a' },
            { offset: 1, length: 0, content: 'b' },
          ],
        },
        {
          title: 'sound',
          edits: [
            { offset: 0, length: 1, content: '' },
            { offset: 1, length: 1, content: '' },
          ],
        },
      ],
    };
    const { result, defects } = guarded('abcd', f);
    assert.deepEqual(
      result.fixes?.map((x) => x.title),
      ['sound'],
    );
    assert.match(defects[0]!.problem, /fix "overlapping".*fix "two inserts"/);
  });

  it('clamps a negative offset to the start', () => {
    const { result } = guarded('abc', { ...finding({ offset: -2, length: 3 }), fixes: [] });
    assert.deepEqual(result.range, { offset: 0, length: 1 });
  });
});
