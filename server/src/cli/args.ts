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
  /** Check embedded owner credentials against Capture (live checks). */
  readonly verify: boolean;
}

export interface FingerprintOptions {
  readonly command: 'fingerprint';
  readonly clientId: string | undefined;
  readonly label: string | undefined;
  readonly features: readonly string[] | undefined;
}

export interface ImportClientsOptions {
  readonly command: 'import-clients';
  readonly file: string;
}

export type CliOptions =
  | LintOptions
  | FingerprintOptions
  | ImportClientsOptions
  | { readonly command: 'help'; readonly topic?: 'fingerprint' | 'import-clients' }
  | { readonly command: 'version' };

export class UsageError extends Error {}

export const HELP = `Usage: login-policy-lint [paths or globs…] [options]
       login-policy-lint fingerprint [--client-id ID] [--label TEXT] [--features owner,…] < secret
       login-policy-lint import-clients FILE

Checks Akamai Identity Cloud Hosted Login login policies (JSON).

With no paths, lints the "policies" globs of the nearest .loginpolicyrc.json,
else **/*.loginpolicy.json (node_modules and .git are skipped). A folder is
searched for policy files; a glob is matched from the current folder.

Options:
  --format text|json|sarif  Output format (default: text)
  --config FILE             Use this config file instead of the nearest .loginpolicyrc.json
  --baseline REF|DIR|none   Where deployed versions of policies come from, to warn about edits to their
                            frozen identityStoreDetails: a git ref (default HEAD; in CI: origin/main),
                            a folder of deployed snapshots named <id>.json, or none
  --max-warnings N          Exit with code 1 when there are more than N warnings (-1: no limit)
  --rule ID=SEVERITY        Override a rule's severity (off, hint, info, warning, error); repeatable
  --verify                  Check each policy's embedded owner credentials against its Capture domain
                            (POST https://{domain}/entityType.list); hosts must match "verify.allowedHosts"
                            of .loginpolicyrc.json (default *.janraincapture.com)
  -h, --help                Show this help
  -v, --version             Show the version

Commands:
  fingerprint               Read a secret from stdin (never from the command line) and print the
                            .loginpolicyrc.json "clients" entry with its SHA-256 fingerprint
  import-clients FILE       Turn a saved Capture clients/list or Configuration API /config/{app}/clients
                            response into "clients" entries; the plain secrets are dropped

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 bad usage or config.
`;

export const FINGERPRINT_HELP = `Usage: login-policy-lint fingerprint [--client-id ID] [--label TEXT] [--features owner,…] < secret

Reads an owner client's secret from stdin (piped, or typed with the input hidden) and prints the
"clients" entry for .loginpolicyrc.json: the lower-case hex SHA-256 of the secret's UTF-8 bytes. The
secret itself is never printed, and is never taken from the command line (it would stay in shell history).

  printf %s "$SECRET" | login-policy-lint fingerprint --client-id m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6 --features owner
`;

export const IMPORT_HELP = `Usage: login-policy-lint import-clients FILE

FILE is a saved response of Capture's clients/list (https://{domain}/clients/list) or of the Configuration
API's GET /config/{app_id}/clients (or one client from it). Prints {"clients": [...]} with each client's id,
features, description and secret fingerprint, ready for .loginpolicyrc.json. The plain secrets are dropped.
`;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  if (argv[0] === 'fingerprint') return parseFingerprintArgs(argv.slice(1));
  if (argv[0] === 'import-clients') return parseImportArgs(argv.slice(1));
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeMaxWarnings(argv),
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        config: { type: 'string', short: 'c' },
        baseline: { type: 'string' },
        'max-warnings': { type: 'string' },
        rule: { type: 'string', multiple: true },
        verify: { type: 'boolean' },
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
    // -1 means no limit, as in ESLint, so scripts written for it keep working.
    if (maxWarnings === -1) maxWarnings = undefined;
    else if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
      throw new UsageError(
        `--max-warnings must be a whole number ≥ 0 (or -1: no limit), not "${values['max-warnings']}".`,
      );
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
    verify: values.verify === true,
  };
}

function parseFingerprintArgs(argv: readonly string[]): CliOptions {
  const { values, positionals } = parseStrict(argv, {
    'client-id': { type: 'string' },
    label: { type: 'string' },
    features: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values['help']) return { command: 'help', topic: 'fingerprint' };
  if (positionals.length > 0) {
    throw new UsageError(
      'fingerprint reads the secret from stdin, never from the command line (it would stay in shell history).',
    );
  }
  const features =
    typeof values['features'] === 'string'
      ? values['features']
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : undefined;
  return {
    command: 'fingerprint',
    clientId: values['client-id'] as string | undefined,
    label: values['label'] as string | undefined,
    features,
  };
}

function parseImportArgs(argv: readonly string[]): CliOptions {
  const { values, positionals } = parseStrict(argv, { help: { type: 'boolean', short: 'h' } });
  if (values['help']) return { command: 'help', topic: 'import-clients' };
  if (positionals.length !== 1)
    throw new UsageError('import-clients expects one FILE (a saved clients/list response).');
  return { command: 'import-clients', file: positionals[0]! };
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** `--max-warnings -1` as ESLint takes it: parseArgs would read "-1" as an option. */
function joinNegativeMaxWarnings(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    // After `--` everything is a path, however it looks.
    if (argv[i] === '--') return [...out, ...argv.slice(i)];
    if (argv[i] === '--max-warnings' && /^-\d+$/.test(argv[i + 1] ?? '')) out.push(`--max-warnings=${argv[++i]}`);
    else out.push(argv[i]!);
  }
  return out;
}

function parseStrict(argv: readonly string[], options: OptionSpec) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message.replace(/\. To specify.*$/s, '.') : String(e));
  }
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
