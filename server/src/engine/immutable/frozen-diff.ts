// Compares the document's identityStoreDetails with the deployed one, leaf by leaf: every changed, added and
// removed value, anchored where a user would look for it. A `clientSecret` compares by fingerprint, so a pulled
// snapshot (which holds only the fingerprint) agrees with a working file that holds the secret itself.
import { getNodeValue, type Node } from 'jsonc-parser';
import { keyOf, rangeOf, valueOf, type JsonPath } from '../ast';
import type { OffsetRange } from '../finding';
import type { PolicyModel } from '../policy/model';
import { PATHS } from '../policy/paths';
import { secretFingerprint } from '../../shared/fingerprint';

export interface FrozenChange {
  readonly kind: 'changed' | 'added' | 'removed';
  readonly path: JsonPath;
  /** The changed or added value; for a removed one, the key of the object that lost it. */
  readonly range: OffsetRange;
  /** The property node in the document (changed, added). */
  readonly property?: Node;
  /** The deployed value (changed, removed). */
  readonly deployed?: unknown;
}

/** Every difference between the document's frozen block and the deployed one (empty when they agree). */
export function frozenDiff(model: PolicyModel, deployed: unknown): FrozenChange[] {
  const property = model.property(PATHS.identityStoreDetails);
  const changes: FrozenChange[] = [];
  if (!property) {
    if (deployed !== undefined) {
      const root = model.root;
      changes.push({
        kind: 'removed',
        path: PATHS.identityStoreDetails,
        range: { offset: root?.offset ?? 0, length: 1 },
        deployed,
      });
    }
    return changes;
  }
  if (deployed === undefined) {
    // Deployed without the block (not a policy the API would return, but a snapshot may be incomplete).
    const value = valueOf(property);
    changes.push({
      kind: 'added',
      path: PATHS.identityStoreDetails,
      range: rangeOf(value ?? keyOf(property)),
      property,
    });
    return changes;
  }
  compare(property, [...PATHS.identityStoreDetails], deployed, changes);
  return changes;
}

function compare(property: Node, path: JsonPath, deployed: unknown, out: FrozenChange[]): void {
  const value = valueOf(property);
  if (!value) return; // still being typed: the syntax error comes first
  if (value.type === 'object' && isPlainObject(deployed)) {
    // Duplicate keys: JSON keeps the last one, so compare that one. A Map keeps each key where it first appeared,
    // so findings stay in document order; one map per object keeps wide objects linear.
    const lastOf = new Map<string, Node>();
    for (const child of value.children!) lastOf.set(keyOf(child).value as string, child);
    for (const [key, last] of lastOf) {
      if (Object.hasOwn(deployed, key)) compare(last, [...path, key], deployed[key], out);
      else
        out.push({ kind: 'added', path: [...path, key], range: rangeOf(valueOf(last) ?? keyOf(last)), property: last });
    }
    for (const key of Object.keys(deployed)) {
      if (!lastOf.has(key))
        out.push({ kind: 'removed', path: [...path, key], range: rangeOf(keyOf(property)), deployed: deployed[key] });
    }
    return;
  }
  const now: unknown = getNodeValue(value);
  const same = path.at(-1) === 'clientSecret' ? sameSecret(now, deployed) : deepEqual(now, deployed);
  if (!same) out.push({ kind: 'changed', path, range: rangeOf(value), property, deployed });
}

/**
 * Secrets compare by fingerprint: a pulled snapshot holds `"sha256:<hex>"` where the working file holds the secret
 * (DESIGN §13), and both stand for the same deployed value when the fingerprints agree.
 */
function sameSecret(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b || secretFingerprint(a) === secretFingerprint(b);
  return deepEqual(a, b);
}

/** The clientSecret string of a deployed identityStoreDetails, if it has one. */
export function deployedSecretOf(identityStoreDetails: unknown): string | undefined {
  let here = identityStoreDetails;
  for (const key of PATHS.clientSecret.slice(PATHS.identityStoreDetails.length)) {
    if (!isPlainObject(here)) return undefined;
    here = here[key];
  }
  return typeof here === 'string' ? here : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
