// Small helpers over jsonc-parser nodes: properties, key/value nodes, paths and ranges.
// JSON semantics of duplicate keys are "last one wins" (JSON.parse and the Identity Cloud API agree), so lookups
// return the last property of a name.
import type { Node, NodeType } from 'jsonc-parser';
import type { OffsetRange } from './finding';

export type JsonPath = readonly (string | number)[];

/** The key node of a property node. */
export function keyOf(property: Node): Node {
  return property.children![0]!;
}

/** The value node of a property node (undefined while the value is still being typed). */
export function valueOf(property: Node): Node | undefined {
  return property.children![1];
}

/** The last property named `name` of an object node. */
export function propertyOf(object: Node | undefined, name: string): Node | undefined {
  if (object?.type !== 'object') return undefined;
  const children = object.children!;
  for (let i = children.length - 1; i >= 0; i--) {
    const property = children[i]!;
    if (keyOf(property).value === name) return property;
  }
  return undefined;
}

/** The value node at `path` (object keys and array indexes), following last-wins properties. */
export function nodeAt(root: Node | undefined, path: JsonPath): Node | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      node = node.type === 'array' ? node.children![segment] : undefined;
    } else {
      const property = propertyOf(node, segment);
      node = property && valueOf(property);
    }
  }
  return node;
}

/** The property node whose value is at `path`. */
export function propertyAt(root: Node | undefined, path: JsonPath): Node | undefined {
  if (path.length === 0) return undefined;
  const last = path[path.length - 1]!;
  if (typeof last !== 'string') return undefined;
  return propertyOf(nodeAt(root, path.slice(0, -1)), last);
}

/** The node type of a literal value (string, number, boolean or null). */
export function literalType(value: unknown): NodeType {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'null';
  }
}

/** The string value of a node, or undefined if it is not a string. */
export function stringOf(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

export function rangeOf(node: Node): OffsetRange {
  return { offset: node.offset, length: node.length };
}

/** Where to report on a value: the value, or the property's key while the value is missing. */
export function anchorOf(property: Node): OffsetRange {
  return rangeOf(valueOf(property) ?? keyOf(property));
}

/** The path of a node from the root, as keys and indexes. */
export function pathOf(node: Node): (string | number)[] {
  const path: (string | number)[] = [];
  let current: Node | undefined = node;
  while (current?.parent) {
    const parent: Node = current.parent;
    if (parent.type === 'property') {
      if (keyOf(parent) !== current) path.push(keyOf(parent).value as string);
    } else if (parent.type === 'array') {
      path.push(parent.children!.indexOf(current));
    }
    current = parent;
  }
  return path.reverse();
}

export function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

/** `identityStoreDetails.connectionDetails.clientSecret`, `customClaims.id_token["my claim"]`, `[0]`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(root)';
}
