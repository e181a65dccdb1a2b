// "Did you mean": the edit distance (with transpositions) and the closest known names.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestNames, distance } from '../../../server/src/engine/suggest';

describe('distance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    assert.equal(distance('loginURL', 'loginURL'), 0);
    assert.equal(distance('loginUrl', 'loginURL'), 2);
    assert.equal(distance('titel', 'title'), 1, 'a transposition is one edit');
    assert.equal(distance('', 'abc'), 3);
    assert.equal(distance('abc', ''), 3);
    assert.equal(distance('kitten', 'sitting'), 3);
    assert.equal(distance('a'.repeat(100), 'b'.repeat(100)), 100, 'longer than the reused rows');
  });

  it('stops past a limit, answering one more than the limit', () => {
    assert.equal(distance('kitten', 'sitting', 1), 2);
    assert.equal(distance('kitten', 'sitting', 3), 3);
    assert.equal(distance('titel', 'title', 2), 1, 'within the limit, the exact distance');
    assert.equal(distance('ca', 'abc'), 3, 'a transposed pair is not edited again (optimal string alignment)');
  });
});

describe('closestNames', () => {
  it('prefers the same letters in another case, then the nearest names within a third of the length', () => {
    assert.deepEqual(closestNames('loginurl', ['loginURL', 'title']), ['loginURL']);
    assert.deepEqual(closestNames('titel', ['title', 'id', 'loginURL']), ['title']);
    assert.deepEqual(closestNames('identityStoreDetail', ['identityStoreDetails', 'customClaims']), [
      'identityStoreDetails',
    ]);
    assert.deepEqual(closestNames('colour', ['title', 'id']), []);
  });
});
