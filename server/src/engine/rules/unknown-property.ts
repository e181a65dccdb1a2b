// unknown-property: a key the policy model does not know. Suggests the closest known key (with a rename fix) or,
// when the key belongs elsewhere in a policy, says where.
import type { Fix } from '../finding';
import { formatPath, type JsonPath } from '../ast';
import { replaceNode, removeProperty } from '../edits';
import { policySchema } from '../policy/schema';
import { defineRule } from '../rule';
import { shapeOf } from '../schema-walk';
import { closestNames } from '../suggest';

export default defineRule({
  id: 'unknown-property',
  defaultSeverity: 'warning',
  docs: { summary: 'A key the policy model does not know, with "did you mean" and a rename fix.' },
  check({ text, model, report }) {
    for (const issue of model.issues) {
      if (issue.kind !== 'unknown-key') continue;
      const key = String(issue.path[issue.path.length - 1]);
      const property = model.property(issue.path);
      if (!property) continue;
      const keyNode = property.children![0]!;
      const siblings = new Set(property.parent!.children!.map((p) => p.children![0]!.value as string));
      const suggestions = closestNames(key, issue.knownKeys ?? []).filter((k) => !siblings.has(k));
      const fixes: Fix[] = suggestions.map((name, i) => ({
        title: `Rename to "${name}"`,
        edits: [replaceNode(keyNode, name)],
        isPreferred: i === 0 && suggestions.length === 1,
      }));
      fixes.push({ title: `Remove "${key}"`, edits: [removeProperty(text, property)] });
      let hint = '';
      if (suggestions.length > 0) {
        hint = ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
      } else {
        const elsewhere = pathsOfKey(key).filter((p) => formatPath(p) !== formatPath(issue.path));
        if (elsewhere.length > 0) hint = ` "${key}" belongs in "${formatPath(elsewhere[0]!.slice(0, -1))}".`;
      }
      report({ range: issue.range, message: `${issue.message}${hint}`, fixes });
    }
  },
});

/** Every path in the policy model that ends with `key`. */
function pathsOfKey(key: string): JsonPath[] {
  const found: JsonPath[] = [];
  const walk = (schema: Parameters<typeof shapeOf>[0], path: JsonPath): void => {
    for (const [name, child] of Object.entries(shapeOf(schema))) {
      if (name === key) found.push([...path, name]);
      walk(child, [...path, name]);
    }
  };
  walk(policySchema, []);
  return found;
}
