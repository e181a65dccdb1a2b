// The policy schema is compiled by zod once a process has validated a few policies: before and after, analyses
// find exactly the same things (this file runs in a process of its own, so it sees the switch happen).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import { COMPILE_AFTER, validatorOf } from '../../../server/src/engine/compiled-schema';
import { policySchema } from '../../../server/src/engine/policy/schema';
import { policy } from '../harness';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

/** Broken policies of every kind of schema issue, and the repository's examples. */
function texts(): string[] {
  const broken = [
    policy((p) => delete p['title']),
    policy((p) => (p['title'] = 42)),
    policy((p) => (p['loginURL'] = 'ftp://nowhere')),
    policy((p) => (p['extra'] = true)),
    policy((p) => ((p['identityStoreDetails'] as Record<string, unknown>)['type'] = 'ldap')),
    '{"title": "", "identityStoreDetails": null}',
  ];
  const examples = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.loginpolicy.json'))
    .map((name) => readFileSync(path.join(EXAMPLES, name), 'utf8'));
  return [...broken, ...examples];
}

const findingsOf = (text: string): string =>
  JSON.stringify(analyze(text, { now: new Date('2026-01-01T00:00:00Z') }).findings);

describe('the compiled policy schema', () => {
  it('is used only after a few validations, then always, and finds what the runtime found', () => {
    // The first analyses run on zod's runtime (one validation each, and one more below): remember what they found.
    const first = texts().slice(0, COMPILE_AFTER - 1);
    assert.equal(first.length, COMPILE_AFTER - 1);
    const before = first.map(findingsOf);
    assert.equal(validatorOf(policySchema), policySchema, 'still the runtime for the first validations');
    const compiled = validatorOf(policySchema);
    assert.notEqual(compiled, policySchema, 'compiled once the schema has been validated often');
    assert.equal(validatorOf(policySchema), compiled, 'compiled once, then reused');
    assert.deepEqual(first.map(findingsOf), before);
    assert.ok(
      before.some((findings) => findings.includes('"schema"')),
      'the texts have schema findings to compare',
    );
  });
});
