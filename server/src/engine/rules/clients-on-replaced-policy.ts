// clients-on-replaced-policy: this file is a new policy generated to replace another (x.new.loginpolicy.json for
// x.loginpolicy.json), and OIDC client files of the workspace still point at the old one. They keep signing users
// in through the old policy until their `loginPolicy` is changed.
import { listed } from '../list-words';
import { PATHS } from '../policy/paths';
import { samePolicyId } from '../policy/policy-id';
import { defineRule } from '../rule';

export default defineRule({
  id: 'clients-on-replaced-policy',
  defaultSeverity: 'info',
  docs: { summary: 'OIDC clients of the workspace still use the policy this new one replaces.' },
  check({ model, facts, report }) {
    const replaces = facts.workspace?.replaces;
    const root = model.root;
    if (!replaces || !root || root.type !== 'object') return;
    const id = model.string(PATHS.id);
    // Keeping the old id is no replacement (duplicate-policy-id says so).
    if (samePolicyId(id, replaces.id)) return;
    const clients = replaces.clients;
    if (clients.length === 0) return;
    const names = listed(clients.map((c) => (c.name ? `${c.name} (${c.path})` : c.path)));
    const them = clients.length === 1 ? 'the client' : 'them';
    const next = id
      ? `Point ${them} at this policy (quick fix), then deploy the client ${clients.length === 1 ? 'change' : 'changes'}.`
      : `Once this policy is created (POST) and has its "id", point ${them} at it.`;
    const count = `${clients.length} OIDC client${clients.length === 1 ? '' : 's'}`;
    report({
      range: { offset: root.offset, length: 1 },
      message: `${count} still use${clients.length === 1 ? 's' : ''} the policy this one replaces (${replaces.path}, ${replaces.id}): ${names}. ${next}`,
    });
  },
});
