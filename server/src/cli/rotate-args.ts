// `login-policy-lint rotate` arguments (DESIGN §14) → options, or a usage error that names the problem (exit 2).
// Checks what can be checked without a request: the options that exclude each other, the hours of a reset.
import { MAX_HOURS_TO_LIVE } from '../identity-cloud/capture-config-client';
import { parseStrict, timeoutOption, UsageError } from './args';

export interface RotateOptions {
  readonly command: 'rotate';
  /** Each `--policy`: a policy id, or a policy file (its `id` is used), in the order given. */
  readonly policies: readonly string[];
  /** `--new-secret-from`: undefined when not given (the default is decided with the environment and stdin). */
  readonly newSecretFrom: 'env' | 'stdin' | undefined;
  /** `--reset-secret --hours-to-live H`: the hours, when a reset was asked for. */
  readonly resetHours: number | undefined;
  readonly deleteOld: boolean;
  readonly apply: boolean;
  readonly abort: boolean;
  readonly timeoutMs: number | undefined;
  readonly format: 'text' | 'json';
  readonly config: string | undefined;
}

export const ROTATE_HELP = `Usage: login-policy-lint rotate --policy <id or file> [--policy …] [--new-secret-from env|stdin]
                              [--reset-secret --hours-to-live H] [--delete-old] [--apply] [--abort]
                              [--timeout-ms N] [--format json] [--config FILE]

Moves login policies to a new owner client secret through the API, with no failed sign-in: a new
policy with the new secret is created, every OIDC client is re-pointed to it, and the old policy is
deleted if asked. It works from what is deployed (GET), not from files. Without --apply it prints the
plan (each API call, the clients it moves, what stays untouched) and changes nothing.

In this order:
  1. --reset-secret: reset the owner client's secret; the old one keeps working H hours (1 to 168).
     Every deployed policy that embeds the old secret must be named with --policy.
  2. Prove the new secret: Capture must accept it (POST https://{domain}/entityType.list, only to
     hosts in "verify.allowedHosts" of .loginpolicyrc.json). Nothing is created otherwise.
  3. Create the new policy: the old one with the new secret and a unique title; push claims and
     allowed response types copied. A policy whose secret Capture refuses already (sign-in through
     it fails now) has its clients moved first.
  4. Re-point each OIDC client bound to the old policy (GET, PUT, GET to confirm).
  5. --delete-old: delete the old policy once no client uses it.
  6. Update the files that exist: <name>.new.loginpolicy.json beside the old policy file (its secret
     as "sha256:<hex>"), OIDC client files, the pulled folder, and in .loginpolicyrc.json the owner
     client's "secretSha256" (the old one moves to "previousSecrets" with when it stops working).

Each step is recorded before and after it runs in .loginpolicy-rotation/<old id>.json (beside
.loginpolicyrc.json, else in the current folder; no secret in it). After a failure or a kill, run
the same command again: it resumes where it stopped, never creates a second policy and never moves
a client twice. The journal is kept with "done": true. While a run with --apply lasts, it holds
.loginpolicy-rotation/<old id>.lock: a second run of the same rotation is refused (exit 2); the lock of a
run that was killed is taken over.

Options:
  --policy ID|FILE         The policy to rotate (repeatable; a file's "id" is used)
  --new-secret-from env    The new secret is LOGIN_POLICY_NEW_OWNER_SECRET (the default when it is set)
  --new-secret-from stdin  Read the new secret from stdin (the default when stdin is not a terminal)
  --reset-secret           Let rotate reset the secret through the Configuration API (owner credentials
                           LOGIN_POLICY_OWNER_CLIENT_ID and LOGIN_POLICY_OWNER_CLIENT_SECRET); the new
                           secret is never shown
  --hours-to-live H        With --reset-secret: how long the old secret keeps working (1 to 168; 0 only
                           when no OIDC client uses a policy that embeds it)
  --delete-old             Delete the old policy once its clients have moved
  --apply                  Carry the plan out, one progress line per step on stderr
  --abort                  Move the re-pointed clients back to the old policy (while its secret is
                           still accepted) and delete the new one; with --apply
  --timeout-ms N           Per request (default 10000)
  --format json            The plan, or the result, as one JSON object
  --config FILE            Use this config file instead of the nearest .loginpolicyrc.json

Credentials come from the environment, never from a file or the command line: LOGIN_POLICY_CUSTOMER_ID,
LOGIN_POLICY_REGION, LOGIN_POLICY_CONFIG_CLIENT_ID, LOGIN_POLICY_CONFIG_CLIENT_SECRET, optionally
LOGIN_POLICY_API_BASE (see "login-policy-lint pull --help"); the new secret and the owner credentials
as above.

Exit codes: 0 planned or done, 2 bad usage or config (a missing variable, --hours-to-live 0 with
bound clients, a policy a reset would break left out, another run of the same rotation), 3 an operation failed (a new secret Capture
does not accept, an API or network error: the rotation was interrupted and resumes when run again).
`;

export function parseRotateArgs(argv: readonly string[]): RotateOptions | { command: 'help'; topic: 'rotate' } {
  const { values, positionals } = parseStrict(argv, {
    policy: { type: 'string', multiple: true },
    'new-secret-from': { type: 'string' },
    'reset-secret': { type: 'boolean' },
    'hours-to-live': { type: 'string' },
    'delete-old': { type: 'boolean' },
    apply: { type: 'boolean' },
    abort: { type: 'boolean' },
    'timeout-ms': { type: 'string' },
    format: { type: 'string', short: 'f' },
    config: { type: 'string', short: 'c' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { command: 'help', topic: 'rotate' };
  // Never echo a value that is wrong where it stands: it may be the secret, typed in the wrong place (DESIGN §10).
  if (positionals.length > 0) {
    throw new UsageError(
      'rotate takes no paths or other arguments: name each policy with --policy, and never give a secret on the command line.',
    );
  }
  const policies = (values.policy ?? []).map((p) => p.trim());
  if (policies.length === 0 || policies.some((p) => p === '')) {
    throw new UsageError('rotate needs --policy <id or file>: the login policy whose owner secret is rotated.');
  }
  const from = values['new-secret-from'];
  if (from !== undefined && from !== 'env' && from !== 'stdin') {
    throw new UsageError(
      '--new-secret-from takes env or stdin (where the secret is read from), never the secret itself.',
    );
  }
  const reset = values['reset-secret'] === true;
  const hoursText = values['hours-to-live'];
  if (hoursText !== undefined && !reset) throw new UsageError('--hours-to-live goes with --reset-secret.');
  let resetHours: number | undefined;
  if (reset) {
    if (hoursText === undefined) {
      throw new UsageError(
        '--reset-secret needs --hours-to-live H: how many hours the old secret keeps working (1 to 168).',
      );
    }
    resetHours = Number(hoursText);
    if (!/^\d+$/.test(hoursText.trim()) || resetHours > MAX_HOURS_TO_LIVE) {
      throw new UsageError(`--hours-to-live takes a whole number of hours from 0 to ${MAX_HOURS_TO_LIVE}.`);
    }
    if (from !== undefined) {
      throw new UsageError('--reset-secret makes the new secret; --new-secret-from gives one: use one of them.');
    }
  }
  const abort = values.abort === true;
  if (abort && (reset || from !== undefined || values['delete-old'])) {
    throw new UsageError('--abort moves clients back: it takes no new secret, no reset and no --delete-old.');
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError('--format takes text or json.');
  const timeoutMs = timeoutOption(values['timeout-ms']);
  return {
    command: 'rotate',
    policies: [...new Set(policies)],
    newSecretFrom: from,
    resetHours,
    deleteOld: values['delete-old'] === true,
    apply: values.apply === true,
    abort,
    timeoutMs,
    format,
    config: values.config,
  };
}
