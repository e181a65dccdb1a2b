// policy-not-deployed: the file names a policy id that the pulled deployed state does not contain. A PUT of it would
// fail with 404: the policy was deleted in Identity Cloud, or the id is wrong (a typo, another customer's policy).
import { rangeOf } from '../ast';
import { PATHS } from '../policy/paths';
import { defineRule } from '../rule';

export default defineRule({
  id: 'policy-not-deployed',
  defaultSeverity: 'warning',
  docs: { summary: 'The policy id is not among the deployed policies of the last pull: a PUT would fail.' },
  check({ model, facts, report }) {
    const deployed = facts.deployed;
    const node = model.node(PATHS.id);
    const id = model.string(PATHS.id);
    if (!deployed || !node || !id || deployed.ids.has(id.toLowerCase())) return;
    report({
      range: rangeOf(node),
      message: `Policy ${id} is not deployed (${deployed.label}): a PUT of this file fails with 404 {"errors": "Not Found"}. The policy was deleted or the id is wrong; to create it as a new policy, remove "id" and "_links" and POST it.`,
    });
  },
});
