// Command-line arguments → options, or a usage error that names the problem (exit code 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SEVERITIES, type SeverityOrOff } from '../engine/finding';
import { ruleIds } from '../engine/rules/index';
import { closestNames } from '../engine/suggest';
import { shownValue } from '../shared/shown-value';
import { UsageError } from '../identity-cloud/operation-errors';
import { parseRotateArgs, type RotateOptions } from './rotate-args';

/** Bad usage (exit 2): the class the pull and status core throws too. */
export { UsageError };

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

/** What `pull` and `status --pull` share: where the pulled folder is, the config, and the per-request timeout. */
export interface ConnectionArgs {
  /** `--out DIR`: the pulled folder; default the config's `baseline.dir`, else `deployed/`. */
  readonly out: string | undefined;
  readonly config: string | undefined;
  /** Per request, in milliseconds (default 10 s). */
  readonly timeoutMs: number | undefined;
  /** Also read the Capture app's API clients (owner credentials) into the config's `clients`. */
  readonly ownerClients: boolean;
  readonly format: 'text' | 'json';
}

export interface PullOptions extends ConnectionArgs {
  readonly command: 'pull';
}

export interface StatusOptions extends ConnectionArgs {
  readonly command: 'status';
  /** Pull first, as `pull` does. */
  readonly pull: boolean;
  /** GET each policy live and check its own credentials against its Capture domain. */
  readonly verify: boolean;
}

export type HelpTopic = 'fingerprint' | 'import-clients' | 'pull' | 'status' | 'rotate';

export type CliOptions =
  | LintOptions
  | RotateOptions
  | FingerprintOptions
  | ImportClientsOptions
  | PullOptions
  | StatusOptions
  | { readonly command: 'help'; readonly topic?: HelpTopic }
  | { readonly command: 'version' };

export const HELP = `Usage: login-policy-lint [paths or globs…] [options]
       login-policy-lint fingerprint [--client-id ID] [--label TEXT] [--features owner,…] < secret
       login-policy-lint import-clients FILE
       login-policy-lint pull [--out DIR] [--owner-clients] [--timeout-ms N] [--format json]
       login-policy-lint status [--pull] [--verify] [--out DIR] [--format json]
       login-policy-lint rotate --policy ID|FILE [--reset-secret --hours-to-live H] [--delete-old] [--apply]

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
  pull                      Read every deployed login policy and OIDC client from Identity Cloud into a
                            folder (secrets as fingerprints only); see "login-policy-lint pull --help"
  status                    Which deployed policies break sign-in now, and which OIDC clients they take
                            down; see "login-policy-lint status --help"
  rotate                    Move policies to a new owner secret through the API with no failed sign-in:
                            plan, apply, resume, abort; see "login-policy-lint rotate --help"

Exit codes: 0 no errors, 1 errors found (or too many warnings; for status: a deployed policy is stale
or not an owner), 2 bad usage or config (a missing credential variable), 3 an operation failed (API,
network or refused credentials, a new secret Capture does not accept, an interrupted rotation).
`;

const CONNECTION_HELP = `Credentials come from the environment, never from a file or the command line:
  LOGIN_POLICY_CUSTOMER_ID           the Identity Cloud customer id (or "identityCloud.customerId" of
                                     .loginpolicyrc.json)
  LOGIN_POLICY_REGION                us, eu, jp or any two letters (or "identityCloud.region")
  LOGIN_POLICY_CONFIG_CLIENT_ID      a Hosted Login configuration client (token scope *:config/**)
  LOGIN_POLICY_CONFIG_CLIENT_SECRET
  LOGIN_POLICY_API_BASE              optional; default https://v1.api.{region}.janrain.com
  LOGIN_POLICY_OWNER_CLIENT_ID       with --owner-clients: an owner API client of the Capture app
  LOGIN_POLICY_OWNER_CLIENT_SECRET`;

export const PULL_HELP = `Usage: login-policy-lint pull [--out DIR] [--owner-clients] [--timeout-ms N] [--format json] [--config FILE]

Reads what is deployed in Identity Cloud and writes it to DIR (default: "baseline.dir" of
.loginpolicyrc.json, else deployed/ beside it):
  DIR/<policyId>.json            each login policy as GET returns it, but "clientSecret" is replaced by
                                 "sha256:<64 hex>", its fingerprint: no secret is ever written to disk
  DIR/clients/<clientId>.json    each OIDC client as GET returns it (their secrets are not fetched)
  DIR/pulled.json                {pulledAt, customerId, region, policies, clients}
Files of policies and clients that no longer exist are removed. Output is deterministic, and
"pulledAt" changes only when another file changed, so a pull with no change leaves git diff empty.
Everything is written to a temporary folder beside DIR and swapped in only when every request
succeeded: a failed pull leaves DIR as it was.

Options:
  --out DIR          The pulled folder (a new or empty folder, or one written by pull)
  --owner-clients    Also read the Capture app's API clients (GET /config/{app_id}/clients, owner
                     credentials) and merge each client's features and current secret fingerprint into
                     "clients" of .loginpolicyrc.json; a fingerprint that changed since the last pull
                     moves to "previousSecrets" with "validUntil": null (end of grace unknown)
  --timeout-ms N     Per request (default 10000)
  --format json      Print the result as one JSON object
  --config FILE      Use this config file instead of the nearest .loginpolicyrc.json

${CONNECTION_HELP}

Exit codes: 0 pulled, 2 bad usage or config (a missing variable), 3 a request failed (nothing written).
`;

export const STATUS_HELP = `Usage: login-policy-lint status [--pull] [--verify] [--out DIR] [--format json] [--config FILE]

Which deployed login policies break sign-in now, and which OIDC clients they take down. One row per
policy of the pulled folder (see "login-policy-lint pull --help"): its id, title, Hosted Login
version, the OIDC clients bound to it, and the state of its embedded owner secret, judged from the
fingerprints of "clients" in .loginpolicyrc.json as the editor judges it: current, rotated (replaced,
in its grace period), stale, not-owner, unknown or check-failed. No request is made unless asked:

Options:
  --pull             Pull first, as "login-policy-lint pull" does (also --owner-clients, --timeout-ms)
  --verify           GET each policy live for its credentials (kept in memory only) and check them
                     against its Capture domain (POST https://{domain}/entityType.list), only for hosts
                     in "verify.allowedHosts" of .loginpolicyrc.json (default *.janraincapture.com).
                     Capture's 402 (stale) or 403 (not an owner) wins over the fingerprints
  --out DIR          The pulled folder (default: "baseline.dir", else deployed/)
  --format json      {"policies":[{id, title, version, clients, secret: {state, validUntil?, why}}],
                      "summary": {policies, broken}}
  --config FILE      Use this config file instead of the nearest .loginpolicyrc.json

${CONNECTION_HELP}

Exit codes: 0 no deployed policy is stale or not an owner, 1 at least one is, 2 bad usage or config
(no pulled folder, a missing variable), 3 a request failed.
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
  if (argv[0] === 'pull' || argv[0] === 'status') return parseConnectionArgs(argv[0], argv.slice(1));
  if (argv[0] === 'rotate') return parseRotateArgs(argv.slice(1));
  const { values, positionals } = parseStrict(joinNegativeMaxWarnings(argv), {
    format: { type: 'string', short: 'f' },
    config: { type: 'string', short: 'c' },
    baseline: { type: 'string' },
    'max-warnings': { type: 'string' },
    rule: { type: 'string', multiple: true },
    verify: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  });
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') {
    throw new UsageError(`--format must be text, json or sarif, not ${shownValue(format, ['text', 'json', 'sarif'])}.`);
  }
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    // -1 means no limit, as in ESLint, so scripts written for it keep working.
    if (maxWarnings === -1) maxWarnings = undefined;
    else if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
      throw new UsageError(
        `--max-warnings must be a whole number ≥ 0 (or -1: no limit), not ${shownValue(values['max-warnings'])}.`,
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
    clientId: values['client-id'],
    label: values['label'],
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

function parseConnectionArgs(command: 'pull' | 'status', argv: readonly string[]): CliOptions {
  const { values, positionals } = parseStrict(argv, {
    out: { type: 'string' },
    config: { type: 'string', short: 'c' },
    'owner-clients': { type: 'boolean' },
    'timeout-ms': { type: 'string' },
    format: { type: 'string', short: 'f' },
    help: { type: 'boolean', short: 'h' },
    ...(command === 'status' ? { pull: { type: 'boolean' }, verify: { type: 'boolean' } } : {}),
  });
  if (values['help']) return { command: 'help', topic: command };
  if (positionals.length > 0) throw new UsageError(`${command} takes no paths (got ${shownValue(positionals[0])}).`);
  const format = values['format'] ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json, not ${shownValue(format, ['text', 'json'])}.`);
  const out = values['out'];
  if (out !== undefined && out.trim() === '') throw new UsageError('--out is empty: name the folder to pull into.');
  const timeoutMs = timeoutOption(values['timeout-ms']);
  const shared: ConnectionArgs = {
    out,
    config: values['config'],
    timeoutMs,
    ownerClients: values['owner-clients'] === true,
    format,
  };
  if (command === 'pull') return { command, ...shared };
  const pull = values['pull'] === true;
  if (shared.ownerClients && !pull) throw new UsageError('--owner-clients reads Identity Cloud: use it with --pull.');
  return { command, ...shared, pull, verify: values['verify'] === true };
}

/** `--timeout-ms N` of the commands that call Identity Cloud: per request, 1 ms to 10 minutes. */
export function timeoutOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1 || ms > 600_000) {
    throw new UsageError(
      `--timeout-ms must be a whole number of milliseconds from 1 to 600000, not ${shownValue(value)}.`,
    );
  }
  return ms;
}

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

/** node:util's parseArgs, strict, with its errors as usage errors in our words (without its "To specify…" advice). */
type Options = NonNullable<ParseArgsConfig['options']>;
type Strict<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>
>;

export function parseStrict<const O extends Options>(argv: readonly string[], options: O): Strict<O> {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/\. To specify.*$/s, '.') : String(e);
    // An unknown option is echoed only as shownValue shows it: `--new-secret-fromSECRET` holds a secret.
    const unknown = /^Unknown option '(.*)'\.?$/s.exec(message);
    if (!unknown) throw new UsageError(message);
    const known = Object.keys(options).map((name) => `--${name}`);
    throw new UsageError(`unknown option: ${shownValue(unknown[1], known)}.`);
  }
}

function parseRuleOverrides(specs: readonly string[]): Record<string, SeverityOrOff> {
  const out: Record<string, SeverityOrOff> = {};
  for (const spec of specs) {
    const match = /^([^=]+)=(.*)$/.exec(spec);
    if (!match)
      throw new UsageError(`--rule expects ID=SEVERITY, such as hosted-login-v1=off (got ${shownValue(spec)}).`);
    const [, id, severity] = match as unknown as [string, string, string];
    if (!ruleIds.includes(id)) {
      const close = closestNames(id, ruleIds);
      throw new UsageError(
        `--rule: unknown rule ${shownValue(id, ruleIds)}.${close.length ? '' : ` Known rules: ${ruleIds.join(', ')}.`}`,
      );
    }
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      throw new UsageError(
        `--rule ${id}: severity must be one of ${SEVERITIES.join(', ')} (got ${shownValue(severity, SEVERITIES)}).`,
      );
    }
    out[id] = severity as SeverityOrOff;
  }
  return out;
}
