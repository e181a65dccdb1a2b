// Every rule is registered, named after its file, documented and tested; ids are the public contract.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ruleDocsPath, ruleIds, rules } from '../../../server/src/engine/rules/index';

const root = path.resolve(__dirname, '../../../..');

describe('rule registry', () => {
  it('has unique kebab-case ids, sorted', () => {
    assert.deepEqual([...ruleIds].sort(), ruleIds);
    assert.equal(new Set(ruleIds).size, ruleIds.length);
    for (const id of ruleIds) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('registers exactly the rule modules in server/src/engine/rules/', () => {
    const files = readdirSync(path.join(root, 'server/src/engine/rules'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(files, [...ruleIds]);
  });

  for (const rule of rules) {
    it(`${rule.id}: has a docs page, a test file and a one-line summary`, () => {
      assert.ok(existsSync(path.join(root, ruleDocsPath(rule.id))), `${ruleDocsPath(rule.id)} exists`);
      assert.ok(
        existsSync(path.join(root, `test/unit/rules/${rule.id}.test.ts`)),
        `test/unit/rules/${rule.id}.test.ts exists`,
      );
      assert.ok(rule.docs.summary.length > 10 && !rule.docs.summary.includes('\n'));
      assert.ok(['error', 'warning', 'info', 'hint'].includes(rule.defaultSeverity));
    });
  }
});
