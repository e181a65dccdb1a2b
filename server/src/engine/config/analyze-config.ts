// Text of a .loginpolicyrc.json → the validated config, or findings that say exactly what is wrong and where.
// A broken config never throws: the CLI turns findings into exit code 2, the editor into diagnostics on the file.
import { getNodeValue, printParseErrorCode } from 'jsonc-parser';
import { nodeAt, rangeOf } from '../ast';
import { compareFindings, type Finding } from '../finding';
import { parse } from '../parse';
import { ruleIds } from '../rules/index';
import { MESSAGES as SYNTAX_MESSAGES } from '../rules/json-syntax';
import { closestNames } from '../suggest';
import { validateTree } from '../validate-tree';
import { configDocs, configSchema, type LoginPolicyConfig } from './schema';

/** The code of every finding about a config file; not a rule (a broken config cannot be switched off). */
export const CONFIG_FINDING = 'invalid-config';

export interface ConfigAnalysis {
  /** Present when the file is valid. */
  readonly config: LoginPolicyConfig | undefined;
  readonly findings: readonly Finding[];
}

export function analyzeConfig(text: string): ConfigAnalysis {
  const parsed = parse(text);
  const findings: Finding[] = [];
  const report = (range: { offset: number; length: number }, message: string): void => {
    findings.push({ ruleId: CONFIG_FINDING, severity: 'error', message, range });
  };
  if (text.trim() === '') {
    report({ offset: 0, length: 0 }, 'The configuration file is empty: expected a JSON object.');
    return { config: undefined, findings };
  }
  for (const error of parsed.syntaxErrors.slice(0, 20)) {
    report(error, `${SYNTAX_MESSAGES[printParseErrorCode(error.code)] ?? 'Syntax error'}.`);
  }
  for (const duplicate of parsed.duplicateKeys) {
    report(duplicate, `Duplicate key "${duplicate.name}": only the last one would count.`);
  }
  const root = parsed.root;
  if (!root || findings.length > 0) return { config: undefined, findings: findings.sort(compareFindings) };
  for (const issue of validateTree(root, { schema: configSchema, docs: configDocs, rootName: 'the configuration' })) {
    const key = issue.kind === 'unknown-key' ? String(issue.path[issue.path.length - 1]) : undefined;
    const hint = key ? suggestion(key, issue.knownKeys ?? []) : '';
    report(issue.range, `${issue.message}${hint}`);
  }
  // Rule ids are checked here rather than in zod so that a typo gets a "did you mean".
  const rules = nodeAt(root, ['rules']);
  for (const property of rules?.type === 'object' ? rules.children! : []) {
    const key = property.children![0]!;
    const id = key.value as string;
    if (!ruleIds.includes(id)) {
      report(rangeOf(key), `Unknown rule "${id}".${suggestion(id, ruleIds) || ` Known rules: ${ruleIds.join(', ')}.`}`);
    }
  }
  // Two entries for one client would silently drop the first one's fingerprints.
  const seen = new Set<string>();
  const clients = nodeAt(root, ['clients']);
  for (const entry of clients?.type === 'array' ? clients.children! : []) {
    const id = nodeAt(entry, ['clientId']);
    if (id?.type !== 'string') continue;
    if (seen.has(id.value as string)) {
      report(rangeOf(id), `Client "${String(id.value)}" is listed twice in "clients": merge the two entries.`);
    }
    seen.add(id.value as string);
  }
  findings.sort(compareFindings);
  if (findings.length > 0) return { config: undefined, findings };
  const result = configSchema.safeParse(getNodeValue(root));
  return result.success ? { config: result.data, findings } : { config: undefined, findings };
}

function suggestion(name: string, known: readonly string[]): string {
  const close = closestNames(name, known);
  return close.length > 0 ? ` Did you mean ${close.map((c) => `"${c}"`).join(' or ')}?` : '';
}
