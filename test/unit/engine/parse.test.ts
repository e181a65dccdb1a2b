// The parser: one pass that builds the tree a model reads and records comments, trailing commas, duplicate keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getNodeValue, parseTree } from 'jsonc-parser';
import { MAX_DEPTH, parse } from '../../../server/src/engine/parse';
import { POLICY_SKELETON } from '../../../server/src/engine/policy/model';
import { policy } from '../harness';

describe('parse', () => {
  it('builds the same tree as jsonc-parser without a skeleton', () => {
    const text = `{ "a": [1, true, null, {"b": "c"}], "d": { "e": -1.5e3 } }`;
    const ours = JSON.stringify(getNodeValue(parse(text).root!));
    assert.equal(ours, JSON.stringify(getNodeValue(parseTree(text)!)));
    assert.equal(ours, JSON.stringify(JSON.parse(text)));
  });

  it('records comments and trailing commas without calling them syntax errors', () => {
    const text = '{\n  // note\n  "a": 1, /* b */\n  "c": [1, 2,],\n}';
    const parsed = parse(text);
    assert.deepEqual(parsed.syntaxErrors, []);
    assert.deepEqual(
      parsed.comments.map((c) => text.slice(c.offset, c.offset + c.length)),
      ['// note', '/* b */'],
    );
    assert.equal(parsed.trailingCommas.length, 2);
    for (const comma of parsed.trailingCommas) assert.equal(text[comma.offset], ',');
  });

  it('reports every repeated key after the first, in small and large objects', () => {
    const small = parse('{"a": 1, "b": 2, "a": 3, "a": 4}');
    assert.deepEqual(
      small.duplicateKeys.map((d) => [d.name, d.offset]),
      [
        ['a', 17],
        ['a', 25],
      ],
    );
    const entries = Array.from({ length: 500 }, (_, i) => `"k${i}": ${i}`);
    entries.push('"k250": 0');
    const large = parse(`{${entries.join(',')}}`);
    assert.deepEqual(
      large.duplicateKeys.map((d) => d.name),
      ['k250'],
    );
  });

  it('keeps bulk maps compact and everything the model reads as nodes', () => {
    const text = policy();
    const parsed = parse(text, { skeleton: POLICY_SKELETON });
    const root = parsed.root!;
    const claims = root.children!.find((p) => p.children![0]!.value === 'customClaims')!.children![1]!;
    const idToken = claims.children!.find((p) => p.children![0]!.value === 'id_token')!.children![1]!;
    assert.equal(idToken.children!.length, 0, 'claim entries are not nodes');
    const entries = parsed.bulk.get(idToken)!;
    assert.deepEqual(
      entries.map((e) => [e.name, e.value, text.slice(e.valueOffset, e.valueOffset + e.valueLength)]),
      [['newsletter', 'optIn.status', '"optIn.status"']],
    );
    const connection = root.children!.find((p) => p.children![0]!.value === 'identityStoreDetails')!.children![1]!;
    assert.ok(connection.children!.length > 0, 'identityStoreDetails is built');
  });

  it('keeps unknown subtrees shallow but still finds their syntax errors and duplicates', () => {
    const text = '{ "unknown": { "x": [1, 2 3], "y": 1, "y": 2 }, "title": "t" }';
    const parsed = parse(text, { skeleton: POLICY_SKELETON });
    const unknown = parsed.root!.children![0]!.children![1]!;
    assert.equal(unknown.type, 'object');
    assert.equal(unknown.children!.length, 0);
    assert.equal(text.slice(unknown.offset, unknown.offset + unknown.length), '{ "x": [1, 2 3], "y": 1, "y": 2 }');
    assert.equal(parsed.syntaxErrors.length, 1);
    assert.deepEqual(
      parsed.duplicateKeys.map((d) => d.name),
      ['y'],
    );
  });

  it('stops at MAX_DEPTH instead of overflowing the stack', () => {
    for (const text of ['['.repeat(100_000), '{"a":'.repeat(50_000)]) {
      const parsed = parse(text);
      assert.equal(parsed.tooDeep, true);
    }
    assert.equal(parse(`${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)}`).tooDeep, false);
  });

  it('gives every syntax error an offset inside the text', () => {
    const text = '{"a": tru, "b" 1, "c": "unterminated';
    const parsed = parse(text);
    assert.ok(parsed.syntaxErrors.length >= 3);
    for (const error of parsed.syntaxErrors) assert.ok(error.offset >= 0 && error.offset + error.length <= text.length);
  });
});
