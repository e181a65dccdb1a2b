// duplicate-policy-id: two files claim the same policy id. A PUT from either overwrites the policy the other
// describes, and only one of them can be what is deployed.
import { rangeOf } from '../ast';
import { PATHS } from '../policy/paths';
import { defineRule } from '../rule';
import { listed } from '../list-words';

export default defineRule({
  id: 'duplicate-policy-id',
  defaultSeverity: 'error',
  docs: { summary: 'Two files in the workspace claim the same policy id.' },
  check({ model, facts, report }) {
    const node = model.node(PATHS.id);
    const id = model.string(PATHS.id);
    const others = facts.workspace?.sameId ?? [];
    if (!node || !id || others.length === 0) return;
    report({
      range: rangeOf(node),
      message: `Policy id ${id} is also claimed by ${listed(others.map((p) => p.path))}: a PUT from either file overwrites the policy the other describes. Keep one file per policy; a copy meant as a new policy must drop "id".`,
    });
  },
});
