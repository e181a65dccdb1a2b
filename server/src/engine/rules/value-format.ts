// value-format: ids, secrets, the domain and UUIDs not in their observed formats (facts §1.2). The formats are
// observed rather than documented, so this warns instead of failing the policy.
import type { Node } from 'jsonc-parser';
import type * as z from 'zod/mini';
import { rangeOf, samePath, stringOf } from '../ast';
import { replaceNode } from '../edits';
import type { Fix, TextEdit } from '../finding';
import { PATHS } from '../policy/paths';
import { samePolicyId } from '../policy/policy-id';
import { SELF_HREF, UUID } from '../policy/patterns';
import { policyDocs, policySchema } from '../policy/schema';
import { defineRule, type RuleContext } from '../rule';
import { docOf, schemaAt } from '../schema-walk';

export default defineRule({
  id: 'value-format',
  defaultSeverity: 'warning',
  docs: { summary: 'Ids, secrets, the domain and UUIDs not in their observed formats.' },
  check({ text, model, report }) {
    for (const issue of model.issues) {
      if (issue.kind !== 'format') continue;
      const node = model.node(issue.path);
      const schema = schemaAt(policySchema, issue.path);
      const secret = docOf(policyDocs, schema)?.secret === true;
      // A fix is offered only when the value it leaves is in the expected format: one that leaves the warning in
      // place (lower case for an id that is also too long) would only mislead.
      const accepts = (value: string) => schema !== undefined && isValid(schema, value);
      report({
        range: issue.range,
        message: issue.message,
        fixes: node ? fixesFor(text, node, issue.path, secret, accepts) : [],
      });
    }
    checkSelfLink(model.node(PATHS.selfHref), model.string(PATHS.id), report);
  },
});

function fixesFor(
  text: string,
  node: Node,
  path: readonly (string | number)[],
  secret: boolean,
  accepts: (value: string) => boolean,
): Fix[] {
  const raw = stringOf(node);
  if (raw === undefined) return [];
  const fixes: Fix[] = [];
  const trim = trimmed(text, node, raw);
  if (trim.edits.length > 0 && accepts(trim.value))
    fixes.push({ title: 'Remove the surrounding spaces', edits: trim.edits, isPreferred: true });
  if (samePath(path, PATHS.domain)) {
    const host = hostOf(raw.trim());
    if (host && host !== raw && accepts(host))
      fixes.push({ title: `Use the host name "${host}"`, edits: [replaceNode(node, host)], isPreferred: true });
  } else if (!secret && trim.value !== trim.value.toLowerCase() && accepts(trim.value.toLowerCase())) {
    const title =
      trim.value === raw ? 'Change to lower case' : 'Remove the surrounding spaces and change to lower case';
    fixes.push({ title, edits: [replaceNode(node, trim.value.toLowerCase())] });
  }
  return fixes;
}

/**
 * Deletes the literal spaces just inside the quotes, leaving the rest of the value (a secret, maybe) untouched;
 * `value` is what the string holds afterwards. Whitespace written as escapes (\n, \u0020) is left alone: deleting
 * raw characters there would corrupt the text.
 */
function trimmed(text: string, node: Node, raw: string): { edits: TextEdit[]; value: string } {
  // Most values have no space at either end: nothing to look at.
  if (text.charCodeAt(node.offset + 1) !== SPACE && text.charCodeAt(node.offset + node.length - 2) !== SPACE)
    return { edits: [], value: raw };
  const inner = text.slice(node.offset + 1, node.offset + node.length - 1);
  const leading = inner.length - inner.replace(/^ +/, '').length;
  const trailing = inner.length - inner.replace(/ +$/, '').length;
  if (leading + trailing === 0 || leading === inner.length) return { edits: [], value: raw };
  const edits: TextEdit[] = [];
  if (leading > 0) edits.push({ offset: node.offset + 1, length: leading, content: '' });
  if (trailing > 0) edits.push({ offset: node.offset + node.length - 1 - trailing, length: trailing, content: '' });
  // Literal spaces at the ends of the text are the value's own first and last characters.
  return { edits, value: raw.slice(leading, raw.length - trailing) };
}

const SPACE = 0x20;

function isValid(schema: z.core.$ZodType, value: string): boolean {
  const result = schema['~standard'].validate(value);
  return !(result instanceof Promise) && result.issues === undefined;
}

/** `https://acme.janraincapture.com/` → `acme.janraincapture.com`. */
function hostOf(value: string): string | undefined {
  if (!/[/:]/.test(value)) return undefined;
  try {
    return new URL(value.includes('://') ? value : `https://${value}`).hostname || undefined;
  } catch {
    return undefined;
  }
}

function checkSelfLink(href: Node | undefined, id: string | undefined, report: RuleContext['report']): void {
  const value = stringOf(href);
  if (!href || value === undefined) return;
  const range = rangeOf(href);
  const match = SELF_HREF.exec(value);
  if (!match) {
    report({
      range,
      message: '"_links.self.href" is not in the expected format: expected /{customerId}/config/loginPolicies/{id}.',
    });
    return;
  }
  const [, customerId, policyId] = match as unknown as [string, string, string];
  if (!UUID.test(customerId)) {
    report({ range, message: `"_links.self.href" names customer id "${customerId}", which is not a lower-case UUID.` });
  }
  if (id !== undefined && !samePolicyId(policyId, id)) {
    report({
      range,
      message: `"_links.self.href" names policy "${policyId}" but "id" is "${id}": the file mixes two policies.`,
    });
  }
}
