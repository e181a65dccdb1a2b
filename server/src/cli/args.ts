// Command-line arguments → options, or a usage error that names the problem (exit code 2).
import { parseArgs } from 'node:util';
import { SEVERITIES, type SeverityOrOff } from '../engine/finding';
import { ruleIds } from '../engine/rules/index';
import { closestNames } from '../engine/suggest';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface LintOptions {
  readonly command: 'lint';
  readonly patterns: readonly string[];
  readonly format: OutputFormat;
  readonly config: string | undefined;
  readonly baseline: string | undefined;
  readonly maxWarnings: number | undefined;
  readonly rules: Readonly<Record<string, SeverityOrOff>>;
}

export type CliOptions = LintOptions | { readonly command: 'help' } | { readonly command: 'version' };

export class UsageError extends Error {}

export const HELP = `Usage: login-policy-lint [paths or globs…] [options]

Checks Akamai Identity Cloud Hosted Login login policies (JSON).

With no paths, lints the "policies" globs of the nearest .loginpolicyrc.json,
else **/*.loginpolicy.json (node_modules and .git are skipped). A folder is
searched for policy files; a glob is matched from the current folder.

Options:
  --format text|json|sarif  Output format (default: text)
  --config FILE             Use this config file instead of the nearest .loginpolicyrc.json
  --baseline REF|DIR|none   Where deployed versions of policies come from
  --max-warnings N          Exit with code 1 when there are more than N warnings
  --rule ID=SEVERITY        Override a rule's severity (off, hint, info, warning, error); repeatable
  -h, --help                Show this help
  -v, --version             Show the version

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 bad usage or config.
`;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        config: { type: 'string', short: 'c' },
        baseline: { type: 'string' },
        'max-warnings': { type: 'string' },
        rule: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/\. To specify.*$/s, '.') : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`--format must be text, json or sarif, not "${format}".`);
  }
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
      throw new UsageError(`--max-warnings must be a whole number ≥ 0, not "${values['max-warnings']}".`);
    }
  }
  return {
    command: 'lint',
    patterns: positionals,
    format,
    config: values.config,
    baseline: values.baseline,
    maxWarnings,
    rules: parseRuleOverrides(values.rule ?? []),
  };
}

function parseRuleOverrides(specs: readonly string[]): Record<string, SeverityOrOff> {
  const out: Record<string, SeverityOrOff> = {};
  for (const spec of specs) {
    const match = /^([^=]+)=(.*)$/.exec(spec);
    if (!match) throw new UsageError(`--rule expects ID=SEVERITY, such as hosted-login-v1=off (got "${spec}").`);
    const [, id, severity] = match as unknown as [string, string, string];
    if (!ruleIds.includes(id)) {
      const close = closestNames(id, ruleIds);
      throw new UsageError(
        `--rule: unknown rule "${id}".${close.length ? ` Did you mean "${close[0]}"?` : ` Known rules: ${ruleIds.join(', ')}.`}`,
      );
    }
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      throw new UsageError(`--rule ${id}: severity must be one of ${SEVERITIES.join(', ')} (got "${severity}").`);
    }
    out[id] = severity as SeverityOrOff;
  }
  return out;
}
