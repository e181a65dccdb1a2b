// Replacement names: a generated policy is named after the one it replaces (x.new…, x.new-2…), and that name is
// how the replaced file is found again.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { newPolicyNames, policyBaseName, replacedCandidates } from '../../../server/src/project/replacement';

const DIR = path.join(path.sep, 'work', 'policies');
const at = (name: string): string => path.join(DIR, name);

/** The first `count` names the generator offers. */
function firstNames(filePath: string, count = 3): string[] {
  const names: string[] = [];
  for (const name of newPolicyNames(filePath)) {
    names.push(name);
    if (names.length === count) break;
  }
  return names;
}

describe('policyBaseName', () => {
  it('strips .loginpolicy.json, .json and a .new / .new-N marker', () => {
    assert.equal(policyBaseName(at('acme.loginpolicy.json')), 'acme');
    assert.equal(policyBaseName(at('acme.json')), 'acme');
    assert.equal(policyBaseName(at('acme.new.loginpolicy.json')), 'acme');
    assert.equal(policyBaseName(at('acme.new-12.loginpolicy.json')), 'acme');
    assert.equal(policyBaseName('acme-eu.v2.loginpolicy.json'), 'acme-eu.v2');
  });
});

describe('newPolicyNames', () => {
  it('offers x.new, then x.new-2, x.new-3 beside a policy', () => {
    const expected = ['acme.new.loginpolicy.json', 'acme.new-2.loginpolicy.json', 'acme.new-3.loginpolicy.json'];
    assert.deepEqual(firstNames(at('acme.loginpolicy.json')), expected);
    assert.deepEqual(firstNames(at('acme.json')), expected);
  });

  it('names a replacement of a replacement after the original, not x.new.new', () => {
    assert.deepEqual(firstNames(at('acme.new-2.loginpolicy.json'), 1), ['acme.new.loginpolicy.json']);
  });

  it('keeps counting past -3', () => {
    assert.equal(firstNames(at('acme.loginpolicy.json'), 12).at(-1), 'acme.new-12.loginpolicy.json');
  });
});

describe('replacedCandidates', () => {
  it('for x.new.loginpolicy.json: x.loginpolicy.json, then x.json, in the same folder', () => {
    assert.deepEqual(replacedCandidates(at('acme.new.loginpolicy.json')), [
      at('acme.loginpolicy.json'),
      at('acme.json'),
    ]);
  });

  it('for x.new-3.loginpolicy.json: the earlier generations first (a rotation of a rotation), then the same two', () => {
    assert.deepEqual(replacedCandidates(at('acme.new-3.loginpolicy.json')), [
      at('acme.new-2.loginpolicy.json'),
      at('acme.new.loginpolicy.json'),
      at('acme.loginpolicy.json'),
      at('acme.json'),
    ]);
  });

  it('is empty for ordinary names', () => {
    for (const name of [
      'acme.loginpolicy.json',
      'acme.json',
      'new.loginpolicy.json',
      'acme.newer.loginpolicy.json',
      'acme.new-.loginpolicy.json',
      'acme.new.json',
      'acme.new.loginpolicy.json.bak',
    ]) {
      assert.deepEqual(replacedCandidates(at(name)), [], name);
    }
  });
});
