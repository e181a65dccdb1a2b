// login-url: loginURL must be an https Hosted Login path whose customer id matches the policy's own self link.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyFix, expectFindings, expectNoFindings, findingsOf, policy } from '../harness';

const CUSTOMER = '5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19';
const V2 = `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/v2/login`;

/** The policy with this loginURL (and optional other changes). */
function withUrl(url: unknown, change: (p: Record<string, unknown>) => void = () => undefined): string {
  return policy((p) => {
    p['loginURL'] = url;
    change(p);
  });
}

/** The policy with this loginURL, its value marked once per expected finding. */
function marked(url: string, times = 1, change?: (p: Record<string, unknown>) => void): string {
  const value = JSON.stringify(url);
  return withUrl(url, change).replace(
    `"loginURL": ${value}`,
    `"loginURL": ${'⟦'.repeat(times)}${value}${'⟧'.repeat(times)}`,
  );
}

describe('login-url', () => {
  describe('good URLs', () => {
    it('is silent on a valid policy', () => {
      expectNoFindings('login-url', policy());
    });

    it('accepts v1 and v2 paths on the standard host of any region and on a custom host', () => {
      for (const url of [
        V2,
        `https://v1.api.us.janrain.com/${CUSTOMER}/auth-ui/login`,
        `https://login.example.com/${CUSTOMER}/auth-ui/v2/login`,
        `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/v2/login/`,
        `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/v2/login?ui_locales=fr`,
        `HTTPS://V1.API.EU.JANRAIN.COM/${CUSTOMER}/auth-ui/v2/login`,
      ]) {
        expectNoFindings('login-url', withUrl(url));
      }
    });

    it('accepts plain http on loopback hosts (local development)', () => {
      for (const url of [
        'http://localhost:3000/00000000-0000-4000-8000-000000000000/auth-ui/v2/login',
        'http://127.0.0.1:8080/00000000-0000-4000-8000-000000000000/auth-ui/login',
        'http://[::1]/00000000-0000-4000-8000-000000000000/auth-ui/v2/login',
      ]) {
        expectNoFindings(
          'login-url',
          withUrl(url, (p) => delete p['_links']),
        );
      }
    });

    it("only hints at a custom login page, as in the vendor's own examples, whatever the host", () => {
      for (const url of ['https://documentation.akamai.com/login', 'http://localhost/login', 'http://[::1]/login']) {
        const findings = findingsOf(
          'login-url',
          withUrl(url, (p) => delete p['_links']),
        );
        assert.deepEqual(
          findings.map((f) => f.severity),
          ['hint'],
          url,
        );
        assert.match(findings[0]!.message, /Fine if it is your own login page\.$/);
      }
    });

    it('lets a severity set for the rule apply to the custom login page too', () => {
      const text = withUrl('https://documentation.akamai.com/login', (p) => delete p['_links']);
      assert.equal(findingsOf('login-url', text, { severities: { 'login-url': 'warning' } })[0]!.severity, 'warning');
      assert.equal(findingsOf('login-url', text, { severities: { 'login-url': 'off' } }).length, 0);
    });

    it('does not compare customer ids when the policy has no usable self link', () => {
      const other = `https://v1.api.eu.janrain.com/00000000-0000-4000-8000-000000000000/auth-ui/v2/login`;
      expectNoFindings(
        'login-url',
        withUrl(other, (p) => delete p['_links']),
      );
      expectNoFindings(
        'login-url',
        withUrl(other, (p) => (p['_links'] = { self: { href: '/garbage' } })),
      );
    });

    it('leaves a missing, empty or non-string loginURL to schema', () => {
      expectNoFindings(
        'login-url',
        policy((p) => delete p['loginURL']),
      );
      expectNoFindings('login-url', withUrl(''));
      expectNoFindings('login-url', withUrl(42));
      expectNoFindings('login-url', policy().replace(`"loginURL": "${V2}",`, '"loginURL": ,'));
    });
  });

  describe('not a URL', () => {
    it('marks a value that is not an absolute URL and shows the expected form', () => {
      for (const url of ['login page', `/${CUSTOMER}/auth-ui/v2/login`]) {
        const [finding] = expectFindings('login-url', marked(url));
        assert.equal(finding!.severity, 'warning');
        assert.equal(
          finding!.message,
          '"loginURL" is not an absolute URL: expected https://v1.api.{region}.janrain.com/{customerId}/auth-ui/v2/login.',
        );
      }
    });

    it('marks a URL with another scheme, naming the scheme once', () => {
      for (const [url, scheme] of [
        [`ftp://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/v2/login`, 'ftp'],
        ['javascript:alert(1)', 'javascript'],
      ] as const) {
        const [finding] = expectFindings('login-url', marked(url));
        assert.match(finding!.message, /^"loginURL" must be an https URL/);
        assert.match(finding!.message, new RegExp(`\\b${scheme}\\b`));
        assert.doesNotMatch(finding!.message, /::/, 'no doubled colon after the scheme');
      }
    });

    it('marks a URL with spaces around it', () => {
      expectFindings('login-url', marked(` ${V2} `));
    });
  });

  describe('plain http', () => {
    it('marks http on a public host and offers https as the preferred fix', () => {
      const url = V2.replace('https:', 'http:');
      const text = withUrl(url);
      const [finding] = expectFindings('login-url', marked(url));
      assert.match(finding!.message, /"loginURL" uses http/);
      assert.match(finding!.message, /unencrypted/);
      const fix = finding!.fixes!.find((f) => f.title === 'Use https');
      assert.ok(fix);
      assert.equal(fix.isPreferred, true);
      const fixed = applyFix(text, fix);
      assert.equal(fixed, policy());
      expectNoFindings('login-url', fixed);
    });

    // URL parsers drop tabs and line breaks anywhere in a URL: "http\n://…" is an http URL that does not start "http:".
    it('fixes an http URL with a line break in its scheme, dropping the line break', () => {
      const url = V2.replace('https:', 'http\n:');
      const [finding] = expectFindings('login-url', marked(url));
      assert.match(finding!.message, /"loginURL" uses http/);
      assert.equal(applyFix(withUrl(url), finding!.fixes![0]!), policy());
    });

    it('fixes an upper-case HTTP scheme too', () => {
      const url = V2.replace('https:', 'HTTP:');
      const [finding] = expectFindings('login-url', marked(url));
      assert.equal(applyFix(withUrl(url), finding!.fixes![0]!), policy());
    });

    it('reports http and a wrong path separately on the same value', () => {
      const findings = expectFindings('login-url', marked('http://example.com/signin', 2));
      assert.match(findings.map((f) => f.message).join('\n'), /uses http/);
      assert.match(findings.map((f) => f.message).join('\n'), /not a Hosted Login login path/);
    });
  });

  describe('Hosted Login path and customer id', () => {
    it('marks a path that is not a Hosted Login login path, naming both accepted forms', () => {
      for (const url of [
        'https://documentation.akamai.com/login',
        `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/v3/login`,
        `https://v1.api.eu.janrain.com/${CUSTOMER}/auth-ui/v2/login/extra`,
      ]) {
        const [finding] = expectFindings('login-url', marked(url));
        assert.match(finding!.message, /^"loginURL" is not a Hosted Login login path/);
        assert.match(finding!.message, /\/\{customerId\}\/auth-ui\/v2\/login \(v2\)/);
        assert.match(finding!.message, /\/\{customerId\}\/auth-ui\/login \(v1\)/);
      }
    });

    it('marks a customer id that is not a lower-case UUID, naming it', () => {
      const [finding] = expectFindings('login-url', marked('https://v1.api.eu.janrain.com/acme/auth-ui/v2/login'));
      assert.equal(finding!.message, '"loginURL" names customer id "acme", which is not a lower-case UUID.');
      const upper = `https://v1.api.eu.janrain.com/${CUSTOMER.toUpperCase()}/auth-ui/v2/login`;
      assert.match(expectFindings('login-url', marked(upper))[0]!.message, /not a lower-case UUID/);
    });

    it("marks a customer id that differs from the self link's, naming both", () => {
      const other = '00000000-0000-4000-8000-000000000000';
      const [finding] = expectFindings('login-url', marked(`https://v1.api.eu.janrain.com/${other}/auth-ui/v2/login`));
      assert.match(finding!.message, new RegExp(`names customer ${other}`));
      assert.match(
        finding!.message,
        new RegExp(`"_links\\.self\\.href" says this policy belongs to customer ${CUSTOMER}`),
      );
      assert.match(finding!.message, /another customer's login page/);
    });
  });

  describe('severity', () => {
    it('is a warning by default and follows overrides', () => {
      const text = withUrl('login page');
      assert.equal(findingsOf('login-url', text)[0]!.severity, 'warning');
      assert.equal(findingsOf('login-url', text, { severities: { 'login-url': 'error' } })[0]!.severity, 'error');
      assert.equal(findingsOf('login-url', text, { severities: { 'login-url': 'off' } }).length, 0);
    });
  });
});
