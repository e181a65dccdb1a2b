// The fast reader against jsonc-parser: for every text it accepts, the parsed document (tree, offsets, values, parent
// links, comments, trailing commas, repeated keys, bulk entries) is exactly what parse.ts builds from jsonc-parser's
// visitor; anything it is not sure of, it leaves to the recovering visit, whose document must be jsonc-parser's too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fastParse } from '../../../server/src/engine/fast-build';
import { MAX_DEPTH, parse, parseWithJsonc } from '../../../server/src/engine/parse';
import { plainDocument } from '../property/properties';
import { POLICY_SKELETON } from '../../../server/src/engine/policy/model';
import { policy } from '../harness';
import { SYNTAX_ERRORS } from './syntax-errors';

const ROOT = path.resolve(__dirname, '../../../..');

/** A small seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether the fast reader takes the text (with the policy skeleton and without, it must say the same). */
function fastAccepts(text: string): boolean {
  const plain = fastParse(text, undefined, MAX_DEPTH) !== undefined;
  assert.equal(fastParse(text, POLICY_SKELETON, MAX_DEPTH) !== undefined, plain, JSON.stringify(text.slice(0, 200)));
  return plain;
}

/** Same document from parse() (fast reader or recovering visit) and from jsonc-parser, with and without the skeleton. */
function assertSame(text: string): void {
  for (const options of [{}, { skeleton: POLICY_SKELETON }]) {
    assert.deepEqual(
      plainDocument(parse(text, options)),
      plainDocument(parseWithJsonc(text, options)),
      JSON.stringify(text.slice(0, 200)),
    );
  }
}

/** Every .json file of the repository's fixtures and examples. */
function fixtureTexts(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.json')) out.push(readFileSync(full, 'utf8'));
    }
  };
  for (const dir of ['examples', 'test/fixtures', 'test/e2e/workspace']) walk(path.join(ROOT, dir));
  return out;
}

describe('the fast reader', () => {
  it('takes the texts without syntax errors, comments and trailing commas included', () => {
    for (const text of [
      policy(),
      policy().replace(/\n/g, '\r\n'),
      '{}',
      '[]',
      ' 0 ',
      '"a"',
      '-0.5e+10',
      '[true,false,null]',
      '{"a":1,}',
      '[1,2,]',
      '// a comment\n{"a": /* inline */ 1}\n/* end */',
      '{"esc\\u00e9\\"": "\\ud83d\\ude00\\n"}',
      '{"a": {"a": 1}, "a": 2}',
      '[1, /* c */ ]',
      // Every mode of the policy skeleton: built, bulk (literal and container entries), full, shallow, skipped.
      '{"title": [1, {"a": 1, "a": 2}], "customClaims": {"id_token": {"x": "a.b", "y": {"z": [1,]}, "x": 2, "n": null},' +
        ' "userinfo": [], "other": {"q": 1}}, "identityStoreDetails": {"unknown": {"deep": [true, {"k": "v"}]}},' +
        ' "extra": {"p": {"p": 1, "p": 2}}, "__proto__": {"a": 1}}',
      '"' + 'x'.repeat(100) + '"',
    ]) {
      assert.equal(fastAccepts(text), true, text);
      assertSame(text);
    }
  });

  it("leaves every text with a syntax error to the recovering visit, which builds jsonc-parser's document", () => {
    for (const text of SYNTAX_ERRORS) {
      assert.equal(fastAccepts(text), false, JSON.stringify(text));
      assertSame(text);
    }
  });

  it('takes nesting down to the depth limit and leaves deeper text to the recovering visit, which records it', () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const objects = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
    assert.equal(fastAccepts(nested(MAX_DEPTH)), true);
    assert.equal(fastAccepts(objects(MAX_DEPTH)), true);
    assert.equal(fastAccepts(nested(MAX_DEPTH + 1)), false);
    assert.equal(fastAccepts(objects(MAX_DEPTH + 1)), false);
    assert.equal(parse(nested(MAX_DEPTH + 1)).tooDeep, true);
    for (const text of [nested(MAX_DEPTH), nested(MAX_DEPTH + 1), objects(MAX_DEPTH), objects(MAX_DEPTH + 1)])
      assertSame(text);
  });

  it('builds exactly what jsonc-parser builds for every fixture and example', () => {
    const texts = fixtureTexts();
    assert.ok(texts.length > 40, `${texts.length} fixtures`);
    for (const text of texts) assertSame(text);
  });

  it('builds exactly what jsonc-parser builds for thousands of mutated policies', () => {
    const rng = seeded(20261206);
    const base = [policy(), policy().replace(/\n/g, '\r\n'), JSON.stringify(JSON.parse(policy()))];
    const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', '/', '*', '//x\n', '/*y*/', ' ', '\n', 'true', '1e5', '-'];
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      let text = base[i % base.length]!;
      const edits = 1 + Math.floor(rng() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rng() * (text.length + 1));
        const kind = rng();
        if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rng() * 4));
        else if (kind < 0.8) text = text.slice(0, at) + pieces[Math.floor(rng() * pieces.length)]! + text.slice(at);
        else text = text.slice(0, at) + String.fromCharCode(Math.floor(rng() * 0x3000)) + text.slice(at);
      }
      if (fastAccepts(text)) accepted++;
      assertSame(text);
    }
    assert.ok(accepted > 400, `the fast path took ${accepted} of the mutated texts`);
  });
});
