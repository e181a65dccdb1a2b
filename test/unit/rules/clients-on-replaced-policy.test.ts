// clients-on-replaced-policy: a generated replacement policy whose old policy still has OIDC clients; at the opening
// brace, counting and naming them, with the next step for a policy not yet created or already created.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnalyzeOptions } from '../../../server/src/engine/analyze';
import type { OidcClientSummary } from '../../../server/src/engine/facts';
import { expectFindings, expectNoFindings, findingsOf, policy } from '../harness';

const RULE = 'clients-on-replaced-policy';
const REPLACES = { path: 'acme.loginpolicy.json', id: 'OLD' };

const WEB: OidcClientSummary = { path: 'clients/web.json', id: 'c1', name: 'ACME Web', loginPolicy: 'OLD' };
const MOBILE: OidcClientSummary = { path: 'mobile.oidcclient.json', loginPolicy: 'OLD' };

/** Workspace facts: the policy replaced, and the clients still bound to it (the index picks those). */
function facts(clients: OidcClientSummary[], replaces: typeof REPLACES | null = REPLACES): AnalyzeOptions {
  const workspace = { sameId: [], otherSecrets: [], boundClients: [] };
  return { facts: { workspace: replaces ? { ...workspace, replaces: { ...replaces, clients } } : workspace } };
}

/** The generated policy as it is before its POST: no id, no _links. */
const uncreated = (): string =>
  policy((p) => {
    delete p['id'];
    delete p['_links'];
  });

/** Marks the document's first character, its opening brace. */
const atBrace = (text: string): string => {
  assert.equal(text[0], '{');
  return `⟦{⟧${text.slice(1)}`;
};

describe('clients-on-replaced-policy', () => {
  it('counts and names the clients of the old policy at the opening brace, before the policy is created', () => {
    const [finding] = expectFindings(RULE, atBrace(uncreated()), facts([WEB, MOBILE]));
    assert.equal(finding!.severity, 'info');
    assert.equal(
      finding!.message,
      '2 OIDC clients still use the policy this one replaces (acme.loginpolicy.json, OLD): ' +
        'ACME Web (clients/web.json), mobile.oidcclient.json. ' +
        'Once this policy is created (POST) and has its "id", point them at it.',
    );
  });

  it('says to point the client at it once the policy has its id, in the singular for one client', () => {
    const [finding] = expectFindings(RULE, atBrace(policy()), facts([MOBILE]));
    assert.equal(
      finding!.message,
      '1 OIDC client still uses the policy this one replaces (acme.loginpolicy.json, OLD): mobile.oidcclient.json. ' +
        'Point the client at this policy (quick fix), then deploy the client change.',
    );
  });

  it('marks the brace after leading whitespace and comments', () => {
    const text = `// generated\n  ${atBrace(uncreated())}`;
    expectFindings(RULE, text, facts([WEB]));
  });

  it('is silent when the new file kept the old id: that is no replacement (duplicate-policy-id says so)', () => {
    expectNoFindings(
      RULE,
      policy((p) => (p['id'] = 'OLD')),
      facts([WEB]),
    );
  });

  it('is silent when no client uses the old policy', () => {
    expectNoFindings(RULE, uncreated(), facts([]));
  });

  it('is silent when the document replaces nothing', () => {
    expectNoFindings(RULE, uncreated(), facts([WEB, MOBILE], null));
    expectNoFindings(RULE, uncreated());
  });

  it('follows severity overrides', () => {
    const options = (severity: 'warning' | 'off'): AnalyzeOptions => ({
      ...facts([WEB]),
      severities: { [RULE]: severity },
    });
    assert.equal(findingsOf(RULE, uncreated(), options('warning'))[0]!.severity, 'warning');
    assert.equal(findingsOf(RULE, uncreated(), options('off')).length, 0);
  });
});
