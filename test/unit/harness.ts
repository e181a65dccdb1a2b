// Rule tests in a few words: mark the expected ranges in the source with ⟦ and ⟧, and compare with what a rule
// reports. `applyFix` shows what a fix does to the text.
import assert from 'node:assert/strict';
import { analyze, type AnalyzeOptions } from '../../server/src/engine/analyze';
import type { Finding, Fix } from '../../server/src/engine/finding';
import type { RuleDefect } from '../../server/src/engine/within-text';

const OPEN = '⟦';
const CLOSE = '⟧';

/** Removes ⟦ ⟧ markers, returning the clean text and the marked ranges in order. */
export function unmark(marked: string): { text: string; ranges: { offset: number; length: number }[] } {
  let text = '';
  const ranges: { offset: number; length: number }[] = [];
  const open: number[] = [];
  for (const char of marked) {
    if (char === OPEN) open.push(text.length);
    else if (char === CLOSE) {
      const start = open.pop();
      assert.ok(start !== undefined, 'unbalanced ⟧ in test source');
      ranges.push({ offset: start, length: text.length - start });
    } else text += char;
  }
  assert.equal(open.length, 0, 'unbalanced ⟦ in test source');
  ranges.sort((a, b) => a.offset - b.offset || a.length - b.length);
  return { text, ranges };
}

/** Wraps the first occurrence of `snippet` in ⟦ ⟧. */
export function mark(text: string, snippet: string): string {
  const at = text.indexOf(snippet);
  assert.ok(at >= 0, `snippet ${JSON.stringify(snippet)} not in text`);
  return `${text.slice(0, at)}⟦${snippet}⟧${text.slice(at + snippet.length)}`;
}

/** Wraps the value of the first `"key": value` (value as JSON text) in ⟦ ⟧. */
export function markValue(text: string, key: string, value: string): string {
  const property = `"${key}": ${value}`;
  const at = text.indexOf(property);
  assert.ok(at >= 0, `${property} not in text`);
  const start = at + property.length - value.length;
  return `${text.slice(0, start)}⟦${value}⟧${text.slice(start + value.length)}`;
}

/**
 * Findings of one rule on a text. Fails when any rule reports a range or a fix edit outside the text (which the
 * engine would clamp and hide from the result): rule tests check the rules, not the engine's last line of defence.
 */
export function findingsOf(ruleId: string, text: string, options: AnalyzeOptions = {}): Finding[] {
  const defects: RuleDefect[] = [];
  const analysis = analyze(text, { ...options, onRuleDefect: (d) => defects.push(d) });
  assert.deepEqual(defects, [], 'a rule reported a range or a fix edit outside the text');
  return analysis.findings.filter((f) => f.ruleId === ruleId);
}

/**
 * Asserts that `ruleId` reports exactly the marked ranges (and nothing else) on the marked source. Returns the
 * findings, in document order, for further checks on messages and fixes.
 */
export function expectFindings(ruleId: string, marked: string, options: AnalyzeOptions = {}): Finding[] {
  const { text, ranges } = unmark(marked);
  const findings = findingsOf(ruleId, text, options);
  const show = (r: { offset: number; length: number }) =>
    `${JSON.stringify(text.slice(r.offset, r.offset + r.length))}@${r.offset}`;
  assert.deepEqual(
    findings.map((f) => show(f.range)),
    ranges.map(show),
    `${ruleId} findings:\n${findings.map((f) => `  ${show(f.range)} ${f.message}`).join('\n')}`,
  );
  return findings;
}

/** Asserts the rule is silent on the text. */
export function expectNoFindings(ruleId: string, text: string, options: AnalyzeOptions = {}): void {
  expectFindings(ruleId, text, options);
}

/** The text after applying a fix's edits. */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.offset) + edit.content + out.slice(edit.offset + edit.length);
  return out;
}

/** A valid policy (facts §2.1, with its GET id), as pretty JSON, with optional changes. */
export function policy(changes: (p: Record<string, unknown>) => void = () => undefined): string {
  const value = JSON.parse(JSON.stringify(VALID_POLICY)) as Record<string, unknown>;
  changes(value);
  return JSON.stringify(value, null, 2);
}

export const VALID_POLICY = {
  id: '7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58',
  identityStoreDetails: {
    type: 'janrainCapture',
    connectionDetails: {
      domain: 'acme-prod.eu.janraincapture.com',
      applicationId: 'q7w2e9r4t6y1u8i3o5p0a2s4dz',
      entityType: 'user',
      clientId: 'm3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6',
      clientSecret: 'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4',
    },
  },
  loginURL: 'https://v1.api.eu.janrain.com/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/auth-ui/v2/login',
  customClaims: {
    id_token: { newsletter: 'optIn.status' },
    userinfo: { display_name: 'displayName', zip: 'primaryAddress.zip' },
  },
  title: 'ACME EU Login Policy v2',
  _links: {
    self: { href: '/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/config/loginPolicies/7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58' },
  },
};
