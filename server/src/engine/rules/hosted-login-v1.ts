// hosted-login-v1: loginURL is the Hosted Login v1 path. v2 is opt-in; the path is the only switch, and it switches
// every OIDC client on the policy at once.
import { rangeOf, stringOf } from '../ast';
import { replaceNode } from '../edits';
import { parseLoginUrl } from '../policy/login-url';
import { PATHS } from '../policy/paths';
import { defineRule } from '../rule';

export default defineRule({
  id: 'hosted-login-v1',
  defaultSeverity: 'info',
  docs: { summary: 'loginURL is the Hosted Login v1 path /auth-ui/login.' },
  check({ model, report }) {
    const node = model.node(PATHS.loginURL);
    const value = stringOf(node);
    if (!node || value === undefined) return;
    const url = parseLoginUrl(value);
    if (url?.version !== 1 || url.v1PathIndex === undefined) return;
    const v2 = `${value.slice(0, url.v1PathIndex)}/auth-ui/v2/login${value.slice(url.v1PathIndex + '/auth-ui/login'.length)}`;
    report({
      range: rangeOf(node),
      message:
        'This policy uses Hosted Login v1 (/auth-ui/login). Switching "loginURL" to /auth-ui/v2/login moves every OIDC client on this policy to v2 at once; update the flow for v2 first, or create a new v2 policy and move clients one by one.',
      fixes: [{ title: 'Switch to Hosted Login v2 (/auth-ui/v2/login)', edits: [replaceNode(node, v2)] }],
    });
  },
});
