// Parse tree → policy model: the zod schema's verdict on the fixed-shape part, located in the text, plus the
// custom claim maps, which the parser keeps as compact entry lists and which are walked here instead of through
// zod (they can hold thousands of entries, and zod's record parse would copy every one).
import type { Node } from 'jsonc-parser';
import { nodeAt, propertyAt, propertyOf, stringOf, valueOf, type JsonPath } from '../ast';
import type { BulkEntry, ParsedDocument, Skeleton } from '../parse';
import { kindOf, shapeOf } from '../schema-walk';
import { describeKind, validateTree, type LocatedIssue } from '../validate-tree';
import { PATHS } from './paths';
import { attributePathSchema, CLAIM_MAPS, policyDocs, policySchema, type ClaimMapName } from './schema';

export interface ClaimMap {
  readonly name: ClaimMapName;
  /** The `"id_token": {…}` property. */
  readonly property: Node;
  /** Its object value (childless: the entries are below). */
  readonly object: Node;
  readonly entries: readonly BulkEntry[];
}

export interface PolicyModel {
  readonly parsed: ParsedDocument;
  /** The root value, whatever its type. */
  readonly root: Node | undefined;
  /** Schema, unknown-key and format issues. */
  readonly issues: readonly LocatedIssue[];
  readonly claimMaps: readonly ClaimMap[];
  /** No structural issue (missing, wrong type or value, empty): the policy has the shape the API expects. */
  readonly valid: boolean;
  node(path: JsonPath): Node | undefined;
  property(path: JsonPath): Node | undefined;
  string(path: JsonPath): string | undefined;
}

type Schema = Parameters<typeof kindOf>[0];

/** Objects are built, records (the claim maps) kept compact, everything else shallow. */
function skeletonOf(schema: Schema): Skeleton {
  const out: Record<string, Skeleton | 'leaf' | 'bulk' | 'full'> = {};
  for (const [key, child] of Object.entries(shapeOf(schema))) {
    const kind = kindOf(child);
    out[key] = kind === 'object' ? skeletonOf(child) : kind === 'record' ? 'bulk' : 'leaf';
  }
  return out;
}

/**
 * What the parser builds of a policy. The frozen identityStoreDetails block is built entirely, unknown keys
 * included: it is small, and the immutability check compares every leaf of it with the deployed one.
 */
export const POLICY_SKELETON: Skeleton = { ...skeletonOf(policySchema), identityStoreDetails: 'full' };

export function buildModel(parsed: ParsedDocument): PolicyModel {
  const root = parsed.root;
  const issues: LocatedIssue[] = [];
  const claimMaps: ClaimMap[] = [];
  if (root && !parsed.tooDeep) {
    // A loop, not push(...): an object of 200,000 unknown keys would overflow the call stack.
    for (const issue of validateTree(root, { schema: policySchema, docs: policyDocs, rootName: 'the login policy' }))
      issues.push(issue);
    const claims = nodeAt(root, PATHS.customClaims);
    for (const name of CLAIM_MAPS) {
      const property = propertyOf(claims, name);
      const object = property && valueOf(property);
      const entries = object && parsed.bulk.get(object);
      if (property && object && entries) claimMaps.push({ name, property, object, entries });
    }
    for (const map of claimMaps) checkClaimValueTypes(map, issues);
  }
  const valid = !issues.some((i) => i.kind !== 'unknown-key' && i.kind !== 'format');
  // The named paths are asked for again and again (the secret by six rules): each is looked up once.
  const named: (Node | null | undefined)[] = [];
  const node = (path: JsonPath): Node | undefined => {
    const slot = NAMED_PATHS.get(path);
    if (slot === undefined) return nodeAt(root, path);
    let found = named[slot];
    if (found === undefined) named[slot] = found = nodeAt(root, path) ?? null;
    return found ?? undefined;
  };
  return {
    parsed,
    root,
    issues,
    claimMaps,
    valid,
    node,
    property: (path) => propertyAt(root, path),
    string: (path) => stringOf(node(path)),
  };
}

/** Each path of PATHS, by identity, to its place in a model's lookups. */
const NAMED_PATHS: ReadonlyMap<JsonPath, number> = new Map(Object.values(PATHS).map((path, i) => [path, i]));

/** Claim values must be strings; their format is the custom-claims rule's business. */
function checkClaimValueTypes(map: ClaimMap, issues: LocatedIssue[]): void {
  for (const entry of map.entries) {
    if (entry.valueType === undefined || entry.valueType === 'string') continue;
    // Looked up only for a wrong value: a registry lookup copies inherited metadata each time.
    const format = policyDocs.get(attributePathSchema)?.format ?? 'an attribute path';
    issues.push({
      kind: 'type',
      path: ['customClaims', map.name, entry.name],
      range: { offset: entry.valueOffset, length: entry.valueLength },
      message: `Custom claim "${entry.name}" in "customClaims.${map.name}" must be a string (${format}), not ${describeKind(entry.valueType)}.`,
    });
  }
}
