// hosted-login-v1: a loginURL on the v1 path /auth-ui/login, and the fix that switches it to /auth-ui/v2/login.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/engine/analyze';
import { applyFix, expectFindings, expectNoFindings, findingsOf, policy } from '../harness';

const CUSTOMER = '5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19';
const V1 = `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/login`;

function withUrl(url: unknown): string {
  return policy((p) => (p['loginURL'] = url));
}

/** The policy with this loginURL, and the same text with the value marked. */
function marked(url: string): { text: string; source: string } {
  const text = withUrl(url);
  const value = JSON.stringify(url);
  return { text, source: text.replace(`"loginURL": ${value}`, `"loginURL": ⟦${value}⟧`) };
}

/** The loginURL of a policy text. */
function urlOf(text: string): unknown {
  return (JSON.parse(text) as Record<string, unknown>)['loginURL'];
}

/** Applies the only fix of the only finding and returns the new text. */
function switchToV2(url: string): string {
  const { text, source } = marked(url);
  const [finding] = expectFindings('hosted-login-v1', source);
  assert.equal(finding!.fixes!.length, 1);
  assert.equal(finding!.fixes![0]!.title, 'Switch to Hosted Login v2 (/auth-ui/v2/login)');
  const fixed = applyFix(text, finding!.fixes![0]!);
  expectNoFindings('hosted-login-v1', fixed);
  return fixed;
}

describe('hosted-login-v1', () => {
  describe('not v1', () => {
    it('is silent on a valid (v2) policy', () => {
      expectNoFindings('hosted-login-v1', policy());
    });

    it('is silent on URLs that are not a Hosted Login v1 path, even when they mention one', () => {
      for (const url of [
        `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/v2/login?next=/auth-ui/login`,
        `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/login-help`,
        `https://v1.api.eu.janrain.com/auth-ui/login`,
        'https://documentation.akamai.com/login',
        'login page',
        '',
      ]) {
        expectNoFindings('hosted-login-v1', withUrl(url));
      }
    });

    it('is silent when loginURL is missing, not a string, or still being typed', () => {
      expectNoFindings(
        'hosted-login-v1',
        policy((p) => delete p['loginURL']),
      );
      expectNoFindings('hosted-login-v1', withUrl(['x']));
      expectNoFindings('hosted-login-v1', policy().replace(/"loginURL": "[^"]*",/, '"loginURL": ,'));
    });
  });

  describe('v1', () => {
    it('marks the v1 loginURL with an info that explains the switch affects every client', () => {
      const [finding] = expectFindings('hosted-login-v1', marked(V1).source);
      assert.equal(finding!.severity, 'info');
      assert.match(finding!.message, /Hosted Login v1 \(\/auth-ui\/login\)/);
      assert.match(finding!.message, /"loginURL"/);
      assert.match(finding!.message, /every OIDC client on this policy/);
      assert.match(finding!.message, /new v2 policy/);
    });

    it('switches to the v2 path, restoring the valid policy, without any login-url finding', () => {
      const fixed = switchToV2(V1);
      assert.equal(fixed, policy());
      expectNoFindings('login-url', fixed);
    });

    it('keeps a trailing slash, query and fragment when switching', () => {
      const fixed = switchToV2(`${V1}/?ui_locales=fr#top`);
      assert.equal(urlOf(fixed), `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/v2/login/?ui_locales=fr#top`);
    });

    it('works on custom hosts and on loopback hosts', () => {
      const custom = switchToV2(`https://login.example.com/${CUSTOMER}/auth-ui/login`);
      assert.equal(urlOf(custom), `https://login.example.com/${CUSTOMER}/auth-ui/v2/login`);
      const local = switchToV2('http://localhost:3000/00000000-0000-4000-8000-000000000000/auth-ui/login');
      assert.equal(urlOf(local), 'http://localhost:3000/00000000-0000-4000-8000-000000000000/auth-ui/v2/login');
    });

    it('marks a v1 URL written with escaped slashes and fixes it to a plain string', () => {
      const escaped = `"${V1.replace(/\//g, '\\/')}"`;
      const text = policy().replace(JSON.stringify(V1.replace('/auth-ui/login', '/auth-ui/v2/login')), escaped);
      assert.ok(text.includes(escaped));
      const [finding] = expectFindings('hosted-login-v1', text.replace(escaped, `⟦${escaped}⟧`));
      assert.equal(applyFix(text, finding!.fixes![0]!), policy());
    });

    it('marks a v1 URL on plain http alongside the login-url warning', () => {
      const url = V1.replace('https:', 'http:');
      expectFindings('hosted-login-v1', marked(url).source);
      assert.equal(findingsOf('login-url', marked(url).text).length, 1);
    });
  });

  describe('severity', () => {
    it('is silenced by "off" and changed by other overrides', () => {
      const text = withUrl(V1);
      expectNoFindings('hosted-login-v1', text, { severities: { 'hosted-login-v1': 'off' } });
      assert.equal(
        analyze(text, { severities: { 'hosted-login-v1': 'off', 'unverified-owner-secret': 'off' } }).findings.length,
        0,
      );
      assert.equal(
        findingsOf('hosted-login-v1', text, { severities: { 'hosted-login-v1': 'warning' } })[0]!.severity,
        'warning',
      );
    });
  });
});
