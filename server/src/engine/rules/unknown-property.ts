// unknown-property: a key the policy model does not know. Suggests the closest known key (with a rename fix) or,
// when the key belongs elsewhere in a policy, says where.
import type { Node } from 'jsonc-parser';
import type { Fix } from '../finding';
import { formatPath, keyOf, type JsonPath } from '../ast';
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
    // Per large object, built once: a file of thousands of unknown keys must stay linear. A small object is simply
    // searched; building a set and a map for it cost more than the rest of this rule.
    const siblingsOf = memoByNode((object) => {
      const keys = new Set<string>();
      for (const p of object.children!) keys.add(keyOf(p).value as string);
      return keys;
    });
    const indexesOf = memoByNode((object) => {
      const indexes = new Map<Node, number>();
      object.children!.forEach((p, i) => indexes.set(p, i));
      return indexes;
    });
    const hasSibling = (object: Node, key: string): boolean =>
      object.children!.length > SMALL_OBJECT
        ? siblingsOf(object).has(key)
        : object.children!.some((p) => keyOf(p).value === key);
    const indexOf = (object: Node, property: Node): number | undefined =>
      object.children!.length > SMALL_OBJECT ? indexesOf(object).get(property) : undefined;
    for (const issue of model.issues) {
      if (issue.kind !== 'unknown-key') continue;
      const key = String(issue.path[issue.path.length - 1]);
      const property = issue.property;
      if (!property) continue;
      const object = property.parent!;
      const keyNode = keyOf(property);
      const close = suggestionsFor(key, issue.knownKeys ?? []);
      const suggestions = close.length > 0 ? close.filter((k) => !hasSibling(object, k)) : close;
      const fixes: Fix[] = suggestions.map((name, i) => ({
        title: `Rename to "${name}"`,
        edits: [replaceNode(keyNode, name)],
        isPreferred: i === 0 && suggestions.length === 1,
      }));
      fixes.push({
        title: `Remove "${key}"`,
        edits: [removeProperty(text, property, indexOf(object, property))],
      });
      let hint = '';
      if (suggestions.length > 0) {
        hint = ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
      } else {
        const elsewhere = (pathsOfKey().get(key) ?? []).filter((p) => formatPath(p) !== formatPath(issue.path));
        if (elsewhere.length > 0) hint = ` "${key}" belongs in "${formatPath(elsewhere[0]!.slice(0, -1))}".`;
      }
      report({ range: issue.range, message: `${issue.message}${hint}`, fixes });
    }
  },
});

/** Up to this many properties, an object is searched rather than indexed. */
const SMALL_OBJECT = 16;

/**
 * "Did you mean" for a key among an object's declared keys, remembered per list of keys (one per schema): while a
 * user types, every analysis asks again for the same unknown keys. Bounded per list.
 */
const suggested = new WeakMap<readonly string[], Map<string, string[]>>();
function suggestionsFor(key: string, known: readonly string[]): string[] {
  let byKey = suggested.get(known);
  if (!byKey) suggested.set(known, (byKey = new Map<string, string[]>()));
  let close = byKey.get(key);
  if (!close) {
    if (byKey.size >= 256) byKey.clear();
    byKey.set(key, (close = closestNames(key, known)));
  }
  return close;
}

function memoByNode<T>(compute: (node: Node) => T): (node: Node) => T {
  // Made on first use: most analyses have no unknown key at all.
  let memo: Map<Node, T> | undefined;
  return (node) => {
    memo ??= new Map<Node, T>();
    let value = memo.get(node);
    if (value === undefined) memo.set(node, (value = compute(node)));
    return value;
  };
}

let keyPaths: Map<string, JsonPath[]> | undefined;

/** Every path in the policy model, by the key it ends with (the model is fixed: built once). */
function pathsOfKey(): Map<string, JsonPath[]> {
  if (keyPaths) return keyPaths;
  const found = new Map<string, JsonPath[]>();
  const walk = (schema: Parameters<typeof shapeOf>[0], path: JsonPath): void => {
    for (const [name, child] of Object.entries(shapeOf(schema))) {
      found.set(name, [...(found.get(name) ?? []), [...path, name]]);
      walk(child, [...path, name]);
    }
  };
  walk(policySchema, []);
  return (keyPaths = found);
}
