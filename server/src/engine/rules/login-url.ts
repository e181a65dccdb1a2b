// login-url: loginURL is not https, or names another customer than the policy's own self link (warnings), or is not a
// Hosted Login login path (a hint: custom login pages are allowed). Users are sent to this URL to sign in, so a wrong
// one breaks sign-in for every client.
import { rangeOf, stringOf } from '../ast';
import { replaceNode } from '../edits';
import { isLoopbackHost, parseLoginUrl } from '../policy/login-url';
import { PATHS } from '../policy/paths';
import { SELF_HREF, UUID } from '../policy/patterns';
import { defineRule } from '../rule';

const EXPECTED = 'https://v1.api.{region}.janrain.com/{customerId}/auth-ui/v2/login';

export default defineRule({
  id: 'login-url',
  defaultSeverity: 'warning',
  docs: {
    summary: 'loginURL is not https, not a Hosted Login path, or its customer id differs from _links.self.href.',
  },
  check({ model, report }) {
    const node = model.node(PATHS.loginURL);
    const value = stringOf(node);
    if (!node || value === undefined || value === '') return;
    const range = rangeOf(node);
    if (value !== value.trim()) {
      // Browsers and URL parsers forgive the spaces; a login page redirect built from this value may not.
      report({
        range,
        message: '"loginURL" has leading or trailing spaces: users are sent to exactly this string.',
        fixes: [
          { title: 'Remove the surrounding spaces', edits: [replaceNode(node, value.trim())], isPreferred: true },
        ],
      });
    }
    const url = parseLoginUrl(value.trim());
    if (!url) {
      report({ range, message: `"loginURL" is not an absolute URL: expected ${EXPECTED}.` });
      return;
    }
    if (!/^https?:$/.test(url.url.protocol)) {
      report({
        range,
        message: `"loginURL" must be an https URL, not "${url.url.protocol.slice(0, -1)}": expected ${EXPECTED}.`,
      });
      return;
    }
    if (!url.https && !isLoopbackHost(url.url.hostname)) {
      // URL parsers drop tabs and line breaks anywhere (`http\n://…` is http): the fix drops them too, and is
      // offered only when it does make the URL https (a scheme behind other control characters is left to the user).
      const cleaned = value.trim().replace(/[\t\n\r]/g, '');
      const fixed = cleaned.replace(/^http:/i, 'https:');
      report({
        range,
        message: '"loginURL" uses http: users would type their password on an unencrypted page. Use https.',
        fixes: fixed === cleaned ? [] : [{ title: 'Use https', edits: [replaceNode(node, fixed)], isPreferred: true }],
      });
    }
    if (url.version === undefined) {
      // A custom login page is legitimate (the vendor's own examples use https://documentation.akamai.com/login and
      // http://localhost/login): worth a look, not a warning.
      report({
        range,
        severity: 'hint',
        message: `"loginURL" is not a Hosted Login login path: expected /{customerId}/auth-ui/v2/login (v2) or /{customerId}/auth-ui/login (v1), as in ${EXPECTED}. Fine if it is your own login page.`,
      });
      return;
    }
    const customerId = url.customerId!;
    if (!UUID.test(customerId)) {
      report({ range, message: `"loginURL" names customer id "${customerId}", which is not a lower-case UUID.` });
      return;
    }
    const linked = SELF_HREF.exec(model.string(PATHS.selfHref) ?? '')?.[1];
    if (linked !== undefined && UUID.test(linked) && linked !== customerId) {
      report({
        range,
        message: `"loginURL" names customer ${customerId}, but "_links.self.href" says this policy belongs to customer ${linked}: users would be sent to another customer's login page.`,
      });
    }
  },
});
