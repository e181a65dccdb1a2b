// Severity overrides: rule default < .loginpolicyrc.json "rules" < editor settings < CLI --rule.
import type { Severity, SeverityOrOff } from './finding';
import type { Rule } from './rule';

export type SeverityOverrides = Readonly<Record<string, SeverityOrOff>>;

/** Later layers win. */
export function mergeOverrides(...layers: (SeverityOverrides | undefined)[]): SeverityOverrides {
  return Object.assign({}, ...layers.filter(Boolean)) as SeverityOverrides;
}

export function severityOf(rule: Rule, overrides: SeverityOverrides | undefined): Severity | undefined {
  const chosen = overrides?.[rule.id] ?? rule.defaultSeverity;
  return chosen === 'off' ? undefined : chosen;
}
