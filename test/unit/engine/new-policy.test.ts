// new-policy: the exact text of a generated replacement policy (no id or _links, dated title, kept fields, copied
// indentation, secret placeholder) and how the analysis judges it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getNodeValue } from 'jsonc-parser';
import { analyze } from '../../../server/src/engine/analyze';
import { newPolicyText, uniqueTitle } from '../../../server/src/engine/new-policy';
import { parse } from '../../../server/src/engine/parse';
import { expectFindings, policy, VALID_POLICY } from '../harness';

// Local noon: the title's date is the author's local date.
const DATE = new Date(2026, 10, 27, 12);
const CLIENT_ID = VALID_POLICY.identityStoreDetails.connectionDetails.clientId;
const SECRET = VALID_POLICY.identityStoreDetails.connectionDetails.clientSecret;

/** The generated text for a policy text, with the document's own identityStoreDetails unless given. */
function generate(text: string, options: { secretPlaceholder?: boolean; identityStoreDetails?: unknown } = {}): string {
  const root = parse(text).root!;
  const value = getNodeValue(root) as Record<string, unknown>;
  return newPolicyText({
    root,
    identityStoreDetails: options.identityStoreDetails ?? value['identityStoreDetails'],
    secretPlaceholder: options.secretPlaceholder ?? false,
    date: DATE,
    text,
  });
}

/** The deployed policy, titled with an earlier date, with a key the linter does not know after _links. */
const SOURCE = (indent: string | number = 2): string =>
  JSON.stringify(
    { ...VALID_POLICY, title: 'ACME EU Login Policy v2 (2025-01-15)', mfaSettings: { enabled: true } },
    null,
    indent,
  );

const EXPECTED = `{
  "identityStoreDetails": {
    "type": "janrainCapture",
    "connectionDetails": {
      "domain": "acme-prod.eu.janraincapture.com",
      "applicationId": "q7w2e9r4t6y1u8i3o5p0a2s4dz",
      "entityType": "user",
      "clientId": "m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6",
      "clientSecret": "p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4"
    }
  },
  "loginURL": "https://v1.api.eu.janrain.com/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/auth-ui/v2/login",
  "title": "ACME EU Login Policy v2 (2026-11-27)",
  "customClaims": {
    "id_token": {
      "newsletter": "optIn.status"
    },
    "userinfo": {
      "display_name": "displayName",
      "zip": "primaryAddress.zip"
    }
  },
  "mfaSettings": {
    "enabled": true
  }
}
`;

/** EXPECTED re-indented: each 2-space level becomes `unit`. */
const reindented = (unit: string): string => EXPECTED.replace(/^( {2})+/gm, (lead) => unit.repeat(lead.length / 2));

describe('newPolicyText', () => {
  it('drops id and _links, dates the title, keeps loginURL, customClaims and unknown keys', () => {
    const out = generate(SOURCE());
    assert.equal(out, EXPECTED);
    const value = JSON.parse(out) as Record<string, unknown>;
    assert.ok(!('id' in value) && !('_links' in value));
  });

  it('keeps the line ends of a CRLF document', () => {
    assert.equal(generate(SOURCE().replace(/\n/g, '\r\n')), EXPECTED.replace(/\n/g, '\r\n'));
  });

  it('copies the indentation of the document: 4 spaces, a tab; 2 spaces for a one-line document', () => {
    assert.equal(generate(SOURCE(4)), reindented('    '));
    assert.equal(generate(SOURCE('\t')), reindented('\t'));
    assert.equal(generate(SOURCE(0)), EXPECTED);
  });

  it('puts a placeholder naming the owner client where the secret goes, without touching the given block', () => {
    const store = structuredClone(VALID_POLICY.identityStoreDetails);
    const out = generate(SOURCE(), { secretPlaceholder: true, identityStoreDetails: store });
    assert.equal(
      out,
      EXPECTED.replace(
        `"clientSecret": "${SECRET}"`,
        `"clientSecret": "<current secret of owner client ${CLIENT_ID}>"`,
      ),
    );
    assert.ok(!out.includes(SECRET));
    assert.equal(store.connectionDetails.clientSecret, SECRET, 'the caller’s object is not changed');
  });

  it('never copies the secret when a placeholder is asked for, even without a clientId to name', () => {
    const store = structuredClone(VALID_POLICY.identityStoreDetails) as {
      connectionDetails: Record<string, unknown>;
    };
    delete store.connectionDetails['clientId'];
    const out = generate(SOURCE(), { secretPlaceholder: true, identityStoreDetails: store });
    assert.ok(!out.includes(SECRET), out);
  });

  it('uses the identityStoreDetails it is given, not the document’s', () => {
    const store = structuredClone(VALID_POLICY.identityStoreDetails);
    store.connectionDetails.entityType = 'user_test';
    const out = generate(SOURCE(), { identityStoreDetails: store });
    assert.equal(out, EXPECTED.replace('"entityType": "user"', '"entityType": "user_test"'));
  });

  it('titles a policy without a title "Login policy (date)"', () => {
    const text = policy((p) => {
      delete p['title'];
    });
    assert.equal((JSON.parse(generate(text)) as { title: unknown }).title, 'Login policy (2026-11-27)');
  });

  describe('analysed', () => {
    it('with the placeholder: a schema error on it, and no other error', () => {
      const out = generate(policy(), { secretPlaceholder: true });
      const placeholder = `"<current secret of owner client ${CLIENT_ID}>"`;
      const [finding] = expectFindings('schema', out.replace(placeholder, `⟦${placeholder}⟧`));
      assert.equal(finding!.severity, 'error');
      assert.match(finding!.message, /placeholder/);
      const errors = analyze(out).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((f) => f.ruleId),
        ['schema'],
      );
    });

    it('with the real secret: no error', () => {
      const errors = analyze(generate(policy())).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(
        errors.map((f) => `${f.ruleId}: ${f.message}`),
        [],
      );
    });
  });
});

describe('uniqueTitle', () => {
  it('adds the date, replacing an earlier date suffix only', () => {
    assert.equal(uniqueTitle('ACME', DATE), 'ACME (2026-11-27)');
    assert.equal(uniqueTitle('ACME (2025-01-15)', DATE), 'ACME (2026-11-27)');
    assert.equal(uniqueTitle('ACME (2025-01-15) copy', DATE), 'ACME (2025-01-15) copy (2026-11-27)');
    assert.equal(uniqueTitle('ACME (v2)', DATE), 'ACME (v2) (2026-11-27)');
  });

  it('gives the same title when generated twice on one day', () => {
    assert.equal(uniqueTitle(uniqueTitle('ACME', DATE), DATE), 'ACME (2026-11-27)');
  });

  it('numbers the title when another policy of the workspace has it', () => {
    const taken = new Set(['ACME (2026-11-27)', 'ACME (2026-11-27, 2)']);
    assert.equal(uniqueTitle('ACME', DATE, taken), 'ACME (2026-11-27, 3)');
    assert.equal(uniqueTitle('ACME (2026-11-27, 2)', DATE, taken), 'ACME (2026-11-27, 3)');
    assert.equal(uniqueTitle('ACME', DATE, new Set(['ACME'])), 'ACME (2026-11-27)');
  });
});
