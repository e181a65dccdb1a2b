// A policy file may hold `"clientSecret": "sha256:<hex>"` instead of the secret (DESIGN §13, as `pull` writes it): the
// engine judges it by that fingerprint exactly like the clear secret (verdict and rules, the frozen-block diff), the
// value is well formed, no live check is made with it, and the hover says the secret is not stored in the file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver';
import { analyze } from '../../../server/src/engine/analyze';
import { analyzeConfig } from '../../../server/src/engine/config/analyze-config';
import type { AnalysisFacts } from '../../../server/src/engine/facts';
import { ownerSecretVerdict } from '../../../server/src/engine/owner-secret/verdict';
import { getPolicyHover } from '../../../server/src/features/hover';
import { summarize, WorkspaceIndex } from '../../../server/src/workspace-index';
import { credentialsOf } from '../../../server/src/identity-cloud/live-checks';
import {
  fingerprint,
  fingerprintedSecret,
  isFingerprinted,
  secretFingerprint,
  shortFingerprint,
} from '../../../server/src/shared/fingerprint';
import { expectFindings, expectNoFindings, findingsOf, markValue, policy, VALID_POLICY } from '../harness';
import { configFacts, liveCheck, NOW, ownerEntry, VENDOR, vendorPolicy } from './fixtures';

const OWNER_RULES = [
  'stale-owner-secret',
  'rotated-owner-secret',
  'not-owner-client',
  'unverified-owner-secret',
  'secret-check-failed',
];
const FP_OLD = fingerprintedSecret(VENDOR.oldSecret);
const FP_NEW = fingerprintedSecret(VENDOR.newSecret);
const HOUR = 3_600_000;

/** The owner-secret findings of a text: rule, message and the text they mark. */
/** The owner-secret findings, with what to do next cut from the words (a live check needs the secret in the file). */
function ownerFindings(text: string, facts: AnalysisFacts): string[] {
  return analyze(text, { facts, now: NOW })
    .findings.filter((f) => OWNER_RULES.includes(f.ruleId))
    .map((f) => `${f.ruleId}: ${f.message.replace(/ To know it, .*$/s, '')}`);
}

describe('secretFingerprint', () => {
  it('reads a fingerprinted value as the fingerprint it holds, and a clear one as its own fingerprint', () => {
    assert.equal(secretFingerprint(FP_OLD), fingerprint(VENDOR.oldSecret));
    assert.equal(secretFingerprint(VENDOR.oldSecret), fingerprint(VENDOR.oldSecret));
    assert.equal(FP_OLD, `sha256:${fingerprint(VENDOR.oldSecret)}`);
    assert.ok(isFingerprinted(FP_OLD));
    // Anything else is a (strange) secret: upper-case hex, a wrong length, another algorithm.
    for (const value of [FP_OLD.toUpperCase(), FP_OLD.slice(0, -1), `sha1:${'a'.repeat(40)}`, VENDOR.oldSecret]) {
      assert.ok(!isFingerprinted(value), value);
      assert.equal(secretFingerprint(value), fingerprint(value));
    }
  });
});

describe('a fingerprinted clientSecret is judged like the secret it stands for', () => {
  const cases: [name: string, facts: AnalysisFacts, state: string][] = [
    ['current', configFacts([ownerEntry({ secretSha256: fingerprint(VENDOR.oldSecret) })]), 'current'],
    ['stale: not the current secret', configFacts([ownerEntry()]), 'stale'],
    [
      'rotated: a previous secret in its grace period',
      configFacts([
        ownerEntry({
          previousSecrets: [
            { sha256: fingerprint(VENDOR.oldSecret), validUntil: new Date(NOW.getTime() + 5 * HOUR).toISOString() },
          ],
        }),
      ]),
      'rotated',
    ],
    [
      'stale: a previous secret whose grace period ended',
      configFacts([
        ownerEntry({
          previousSecrets: [{ sha256: fingerprint(VENDOR.oldSecret), validUntil: '2026-11-20T09:00:00Z' }],
        }),
      ]),
      'stale',
    ],
    ['unknown', configFacts([ownerEntry({ secretSha256: undefined })]), 'unknown'],
    [
      'stale by a live check made with the clear secret',
      configFacts(
        [ownerEntry({ secretSha256: undefined })],
        [liveCheck({ outcome: 'rejected', code: 402, error: 'invalid_client_credentials' })],
      ),
      'stale',
    ],
    [
      'not an owner, by features',
      configFacts([ownerEntry({ features: ['login_client'], secretSha256: fingerprint(VENDOR.oldSecret) })]),
      'current',
    ],
  ];
  for (const [name, facts, state] of cases) {
    it(name, () => {
      const clear = analyze(vendorPolicy(VENDOR.oldSecret), { facts, now: NOW });
      const printed = analyze(vendorPolicy(FP_OLD), { facts, now: NOW });
      const a = ownerSecretVerdict(clear.model, facts, NOW)!;
      const b = ownerSecretVerdict(printed.model, facts, NOW)!;
      assert.equal(b.secret.kind, state);
      assert.deepEqual({ ...b, secretInFile: true }, a, 'the same verdict, but for where the secret is');
      assert.equal(a.secretInFile, true);
      assert.equal(b.secretInFile, false);
      // The same findings, with the same words, on the same value.
      assert.deepEqual(
        ownerFindings(vendorPolicy(FP_OLD), facts),
        ownerFindings(vendorPolicy(VENDOR.oldSecret), facts),
      );
    });
  }

  it('says that a live check needs the secret itself when the file holds only its fingerprint', () => {
    const facts = configFacts([ownerEntry({ secretSha256: undefined })]);
    const [printed] = expectFindings(
      'unverified-owner-secret',
      markValue(vendorPolicy(FP_OLD), 'clientSecret', JSON.stringify(FP_OLD)),
      { facts, now: NOW },
    );
    assert.match(printed!.message, /A live check needs the secret itself, which this file does not hold/);
    assert.match(printed!.message, /login-policy-lint pull --owner-clients/);
    const clear = analyze(vendorPolicy(VENDOR.oldSecret), { facts, now: NOW }).findings.find(
      (f) => f.ruleId === 'unverified-owner-secret',
    );
    assert.match(clear!.message, /check it live \(`login-policy-lint --verify`/);
  });

  it('reports the stale fingerprint on its value, naming it by its prefix', () => {
    const [finding] = expectFindings(
      'stale-owner-secret',
      markValue(vendorPolicy(FP_OLD), 'clientSecret', JSON.stringify(FP_OLD)),
      { facts: configFacts([ownerEntry()]), now: NOW },
    );
    assert.match(finding!.message, new RegExp(`fingerprint ${shortFingerprint(fingerprint(VENDOR.oldSecret))}`));
    assert.ok(!finding!.message.includes(fingerprint(VENDOR.oldSecret)), 'never the whole fingerprint');
  });

  it('is silent on the current fingerprint', () => {
    expectNoFindings('stale-owner-secret', vendorPolicy(FP_NEW), { facts: configFacts([ownerEntry()]), now: NOW });
  });
});

describe('a previous secret whose end of grace is unknown (validUntil: null)', () => {
  const facts = configFacts([
    ownerEntry({ previousSecrets: [{ sha256: fingerprint(VENDOR.oldSecret), validUntil: null }] }),
  ]);

  it('is replaced with an unknown end: a warning that says so, not an error', () => {
    const verdict = ownerSecretVerdict(analyze(vendorPolicy(), { facts, now: NOW }).model, facts, NOW)!;
    assert.deepEqual(verdict.secret, {
      kind: 'rotated',
      validUntil: undefined,
      evidence: { kind: 'config', path: '.loginpolicyrc.json', label: 'demo owner' },
    });
    expectNoFindings('stale-owner-secret', vendorPolicy(), { facts, now: NOW });
    const [finding] = findingsOf('rotated-owner-secret', vendorPolicy(), { facts, now: NOW });
    assert.match(
      finding!.message,
      /accepted only for the grace period of the reset \(at most 168 hours; its end is not recorded\)/,
    );
  });

  it('becomes stale when Capture refuses it, and stays replaced when Capture accepts it', () => {
    const refused = configFacts(
      [ownerEntry({ previousSecrets: [{ sha256: fingerprint(VENDOR.oldSecret), validUntil: null }] })],
      [liveCheck({ outcome: 'rejected', code: 402, error: 'invalid_client_credentials' })],
    );
    assert.equal(findingsOf('stale-owner-secret', vendorPolicy(), { facts: refused, now: NOW }).length, 1);
    const accepted = configFacts(
      [ownerEntry({ previousSecrets: [{ sha256: fingerprint(VENDOR.oldSecret), validUntil: null }] })],
      [liveCheck({ outcome: 'accepted' })],
    );
    assert.equal(findingsOf('rotated-owner-secret', vendorPolicy(), { facts: accepted, now: NOW }).length, 1);
  });

  it('is a valid config value; any other non-date is not', () => {
    const entry = (validUntil: string) =>
      `{ "clients": [{ "clientId": "c", "previousSecrets": [{ "sha256": "${'a'.repeat(64)}", "validUntil": ${validUntil} }] }] }`;
    assert.deepEqual(analyzeConfig(entry('null')).findings, []);
    assert.equal(analyzeConfig(entry('null')).config?.clients?.[0]?.previousSecrets?.[0]?.validUntil, null);
    assert.equal(analyzeConfig(entry('"soon"')).findings.length, 1);
    assert.equal(analyzeConfig(entry('0')).findings.length, 1);
  });
});

describe('the frozen block compares secrets by fingerprint', () => {
  const RULE = 'immutable-identity-store';
  const SECRET = VALID_POLICY.identityStoreDetails.connectionDetails.clientSecret;
  const OTHER = 'z1x2c3v4b5n6m7a8s9d0f1g2h3j4k5l6';
  const withSecret = (secret: string) =>
    policy((p) => {
      (p['identityStoreDetails'] as Record<string, Record<string, unknown>>)['connectionDetails']!['clientSecret'] =
        secret;
    });
  const deployed = (secret: string) => ({
    facts: {
      baseline: {
        id: VALID_POLICY.id,
        identityStoreDetails: (JSON.parse(withSecret(secret)) as { identityStoreDetails: unknown })
          .identityStoreDetails,
        label: 'deployed/7c2e91a4-3f5d-4b8e-a1c6-92d04e7f3b58.json',
      },
    },
  });

  it('a pulled snapshot (fingerprint) and a working file with that secret agree', () => {
    expectNoFindings(RULE, withSecret(SECRET), deployed(fingerprintedSecret(SECRET)));
  });

  it('a working file holding the fingerprint agrees with a deployed clear secret', () => {
    expectNoFindings(RULE, withSecret(fingerprintedSecret(SECRET)), deployed(SECRET));
  });

  it('a different secret is a change, named by fingerprints only', () => {
    const text = withSecret(OTHER);
    const [finding] = expectFindings(
      RULE,
      markValue(text, 'clientSecret', JSON.stringify(OTHER)),
      deployed(fingerprintedSecret(SECRET)),
    );
    assert.match(
      finding!.message,
      new RegExp(
        `was changed from the secret with fingerprint ${shortFingerprint(fingerprint(SECRET))} to the secret with fingerprint ${shortFingerprint(fingerprint(OTHER))}`,
      ),
    );
    for (const shown of [SECRET, OTHER, fingerprint(SECRET), fingerprint(OTHER)])
      assert.ok(!finding!.message.includes(shown), `the message shows ${shown}`);
  });

  it('a different fingerprint in the working file is a change too', () => {
    const text = withSecret(fingerprintedSecret(OTHER));
    expectFindings(
      RULE,
      markValue(text, 'clientSecret', JSON.stringify(fingerprintedSecret(OTHER))),
      deployed(fingerprintedSecret(SECRET)),
    );
  });
});

describe('the workspace index reads the fingerprint (divergent-owner-secret, duplicate secrets)', () => {
  /** The divergent-owner-secret findings on each of two files: one holding `secret`, one holding FP_OLD. */
  function divergent(secret: string): [clear: number, fingerprinted: number] {
    const files = {
      '/w/clear.loginpolicy.json': vendorPolicy(secret),
      '/w/pulled.loginpolicy.json': vendorPolicy(FP_OLD),
    };
    const index = new WorkspaceIndex();
    for (const [file, text] of Object.entries(files)) index.setPolicy(file, summarize(text));
    const count = (file: keyof typeof files): number =>
      analyze(files[file], { workspace: (identity) => index.factsFor(file, identity) }).findings.filter(
        (f) => f.ruleId === 'divergent-owner-secret',
      ).length;
    return [count('/w/clear.loginpolicy.json'), count('/w/pulled.loginpolicy.json')];
  }

  it('a fingerprinted file and a file with the secret it stands for embed the same secret', () => {
    assert.deepEqual(divergent(VENDOR.oldSecret), [0, 0]);
  });

  it('another secret diverges', () => {
    assert.deepEqual(divergent(VENDOR.newSecret), [1, 1]);
  });
});

describe('no live check with a fingerprint', () => {
  it('has no credentials to send', () => {
    assert.ok(credentialsOf(analyze(vendorPolicy()).model), 'a clear secret has');
    assert.equal(credentialsOf(analyze(vendorPolicy(FP_OLD)).model), undefined);
  });
});

describe('hover on a fingerprinted clientSecret', () => {
  function hoverOn(text: string, needle: string, facts: AnalysisFacts = {}): string {
    const doc = TextDocument.create('file:///p.loginpolicy.json', 'login-policy', 1, text);
    const offset = text.indexOf(needle);
    assert.ok(offset >= 0);
    const hover = getPolicyHover(doc, analyze(text, { facts, now: NOW }), doc.positionAt(offset + 1));
    return (hover!.contents as MarkupContent).value;
  }

  it('says the secret is not stored here, with the fingerprint prefix, and never masks a fingerprint as a secret', () => {
    const value = hoverOn(vendorPolicy(FP_OLD), `"${FP_OLD}"`, configFacts([ownerEntry()]));
    assert.match(
      value,
      new RegExp(
        `\\*\\*Value:\\*\\* not stored here: the file holds only the secret's fingerprint \\(fingerprint ${shortFingerprint(fingerprint(VENDOR.oldSecret))}\\)`,
      ),
    );
    assert.match(value, /\*\*Secret state:\*\* stale/);
    assert.doesNotMatch(value, /••••/);
  });

  it('does not suggest a live check it cannot make', () => {
    const value = hoverOn(vendorPolicy(FP_OLD), '"clientSecret"');
    assert.match(value, /\*\*Secret state:\*\* not verified/);
    assert.match(value, /A live check needs the secret itself, which this file does not hold/);
    assert.doesNotMatch(hoverOn(vendorPolicy(), '"clientSecret"'), /which this file does not hold/);
  });
});
