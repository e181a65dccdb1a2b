// undeployed-change: a field a PUT may change (title, loginURL, customClaims) differs from the pulled deployed
// policy. Not a problem: it says what deploying this file would change, as a plan does.
import { parse as parseJsonc, type Node } from 'jsonc-parser';
import { propertyAt, rangeOf, valueOf } from '../ast';
import type { OffsetRange } from '../finding';
import { PATHS } from '../policy/paths';
import { samePolicyId } from '../policy/policy-id';
import { defineRule } from '../rule';

const FIELDS = ['title', 'loginURL', 'customClaims'] as const;
/** Longest value shown in a message. */
const MAX_SHOWN = 80;

export default defineRule({
  id: 'undeployed-change',
  defaultSeverity: 'hint',
  docs: { summary: 'A field a PUT may change differs from the pulled deployed policy: what deploying would change.' },
  check({ text, model, facts, report }) {
    const baseline = facts.baseline;
    const changeable = baseline?.changeable;
    const idNode = model.node(PATHS.id);
    if (!facts.deployed || !changeable || !idNode || !samePolicyId(model.string(PATHS.id), baseline.id)) return;
    for (const field of FIELDS) {
      const property = propertyAt(model.root, [field]);
      const here = property && valueOf(property);
      const mine = here ? valueIn(text, here) : undefined;
      const deployed = changeable[field];
      const difference = firstDifference(deployed, mine, [field]);
      if (difference === undefined) continue;
      const range: OffsetRange = here ? rangeOf(here) : rangeOf(idNode);
      const message =
        mine === undefined
          ? `"${field}" is deployed (${shown(deployed)}) but not in this file: a PUT of this file removes it.`
          : deployed === undefined
            ? `"${field}" is not in the deployed policy: a PUT of this file adds it.`
            : `"${difference}" differs from the deployed policy (${facts.deployed.label}): ${shown(valueAt(deployed, difference))} there, ${shown(valueAt(mine, difference))} here. A PUT of this file changes it.`;
      report({ range, message });
    }
  },
});

/** The JSON value of a value node, from its text (claim maps are kept compact in the tree). */
function valueIn(text: string, node: Node): unknown {
  return parseJsonc(text.slice(node.offset, node.offset + node.length), [], { allowTrailingComma: true });
}

/** The dotted path of the first place where two values differ, or undefined when they are equal. */
function firstDifference(a: unknown, b: unknown, path: readonly string[]): string | undefined {
  if (Object.is(a, b)) return undefined;
  const objects = isObject(a) && isObject(b);
  if (!objects) return JSON.stringify(a) === JSON.stringify(b) ? undefined : path.join('.');
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const inner = firstDifference(a[key], b[key], [...path, key]);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

function valueAt(value: unknown, dotted: string): unknown {
  let current = value;
  for (const key of dotted.split('.').slice(1)) current = isObject(current) ? current[key] : undefined;
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}
