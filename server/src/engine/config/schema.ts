// The zod schema of .loginpolicyrc.json, documented field by field: it validates the file, explains it in hovers
// and completion, and is exported as schemas/loginpolicyrc.schema.json.
import * as z from 'zod/mini';
import { SEVERITIES } from '../finding';
import { SHA256_HEX } from '../policy/patterns';

export interface ConfigDoc {
  readonly label: string;
  readonly description: string;
  readonly format?: string;
  readonly example?: string;
  /** The value may be a secret pasted by mistake: messages never quote it. */
  readonly secret?: boolean;
}

export const configDocs = z.registry<ConfigDoc>();

function documented<T extends z.core.$ZodType>(schema: T, doc: ConfigDoc): T {
  configDocs.add(schema, doc);
  return schema;
}

export const CONFIG_FILE_NAME = '.loginpolicyrc.json';

const severity = documented(z.enum(SEVERITIES as ['off', 'hint', 'info', 'warning', 'error']), {
  label: 'severity',
  description: 'How loudly the rule reports: `off` disables it.',
  format: '"off", "hint", "info", "warning" or "error"',
  example: '"warning"',
});

const sha256 = documented(z.string().check(z.regex(SHA256_HEX)), {
  label: 'SHA-256 fingerprint',
  description:
    'Lower-case hex SHA-256 of the secret\'s UTF-8 bytes (for example `printf %s "$SECRET" | sha256sum`); ' +
    'never put the secret itself here.',
  format: '64 lower-case hex digits',
  secret: true,
});

const isoDate = documented(
  z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value))),
  {
    label: 'expiry time',
    description: 'When the previous secret stops working (the end of its grace period), as an ISO 8601 date and time.',
    format: 'an ISO 8601 date-time such as 2026-12-01T09:00:00Z',
    example: '"2026-12-01T09:00:00Z"',
  },
);

export const clientEntrySchema = documented(
  z.strictObject({
    clientId: documented(z.string().check(z.minLength(1)), {
      label: 'client id',
      description: 'The API client id, as embedded in `identityStoreDetails.connectionDetails.clientId`.',
      format: 'the client id (32 lower-case letters and digits)',
    }),
    features: z.optional(
      documented(z.array(z.string()), {
        label: 'features',
        description: 'The client\'s Capture features. A client used by a login policy must have `"owner"`.',
        format: 'an array of feature names such as ["owner"]',
        example: '["owner"]',
      }),
    ),
    secretSha256: z.optional(
      documented(z.string().check(z.regex(SHA256_HEX)), {
        label: 'current secret fingerprint',
        description:
          "SHA-256 of the client's **current** secret. Policies embedding any other secret are reported as stale.",
        format: '64 lower-case hex digits',
        secret: true,
      }),
    ),
    previousSecrets: z.optional(
      documented(
        z.array(
          z.strictObject({
            sha256,
            validUntil: z.nullable(isoDate),
          }),
        ),
        {
          label: 'previous secrets',
          description:
            'Secrets replaced by a reset but still accepted until `validUntil` (the grace period of the reset, ' +
            'up to 168 hours). Policies embedding one are warned about before sign-in breaks. `null`: replaced at ' +
            'a time not recorded, so the end of the grace period is unknown (`login-policy-lint pull --owner-clients` ' +
            'writes it when it sees a new secret); such a secret is reported as replaced, and a live check decides ' +
            'whether it still works.',
          format: 'an array of { "sha256", "validUntil" } (validUntil: a date-time, or null when unknown)',
        },
      ),
    ),
    label: z.optional(
      documented(z.string(), {
        label: 'label',
        description: 'A name for this client shown in hovers and messages, such as "prod owner".',
      }),
    ),
  }),
  {
    label: 'client',
    description: 'What is known about one API client: its features and the fingerprint of its current secret.',
  },
);

/** A relative path that stays below its starting folder: "deployed", "ops/deployed"; not ".", "..", "/srv". */
function isSubfolder(value: string): boolean {
  const segments = value
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (/^([A-Za-z]:)?[/\\]/.test(value) || segments.length === 0) return false;
  let depth = 0;
  for (const segment of segments) {
    depth += segment === '..' ? -1 : 1;
    if (depth <= 0) return false;
  }
  return true;
}

export const baselineSchema = documented(
  z.union([
    z.literal('none'),
    z.strictObject({
      git: documented(z.string().check(z.minLength(1)), {
        label: 'git ref',
        description: 'Compare with the same file at this git ref (default `HEAD`).',
        example: '"origin/main"',
      }),
    }),
    z.strictObject({
      dir: documented(
        z.string().check(
          z.minLength(1),
          // Snapshots are skipped as policies: a folder holding the project itself would skip every policy.
          z.refine(isSubfolder, {
            error:
              'must name a folder below the one of .loginpolicyrc.json (snapshots there are not linted as policies)',
          }),
        ),
        {
          label: 'snapshot folder',
          description: 'A folder of deployed policies as GET returns them, named `<id>.json`, relative to this file.',
          example: '"deployed"',
        },
      ),
    }),
  ]),
  {
    label: 'deployed baseline',
    description:
      'Where the deployed version of each policy comes from, to warn about edits to the frozen ' +
      '`identityStoreDetails`: `{"git": "<ref>"}` (default `HEAD`), `{"dir": "<folder>"}` or `"none"`.',
    format: '{"git": "<ref>"}, {"dir": "<folder>"} or "none"',
    example: '{ "git": "HEAD" }',
  },
);

export const verifySchema = documented(
  z.strictObject({
    allowedHosts: z.optional(
      documented(z.array(z.string()), {
        label: 'allowed hosts',
        description: 'Host patterns live checks may contact, such as `*.janraincapture.com`.',
        example: '["*.janraincapture.com"]',
      }),
    ),
    timeoutMs: z.optional(
      documented(z.number().check(z.int(), z.gte(100), z.lte(120_000)), {
        label: 'timeout',
        description: 'How long a live check may take, in milliseconds (100 to 120000).',
        format: 'a whole number of milliseconds from 100 to 120000',
        example: '5000',
      }),
    ),
  }),
  {
    label: 'live checks',
    description:
      'How `login-policy-lint --verify` checks embedded owner credentials against Capture. The editor reads its own ' +
      'settings (loginPolicy.verify.*) instead: a repository file never turns network access on.',
  },
);

export const identityCloudSchema = documented(
  z.strictObject({
    customerId: z.optional(
      documented(z.string().check(z.regex(/^[A-Za-z0-9._~-]+$/)), {
        label: 'customer id',
        description:
          'The Identity Cloud customer id (a UUID), as in `https://v1.api.{region}.janrain.com/{customerId}/…`. ' +
          'The environment variable LOGIN_POLICY_CUSTOMER_ID takes precedence.',
        format: 'a UUID',
        example: '"e0a70b4f-1eef-4856-bcdb-f050fee66aae"',
      }),
    ),
    region: z.optional(
      documented(z.string().check(z.regex(/^[a-z]{2}$/)), {
        label: 'region',
        description:
          'The region of the Identity Cloud APIs: `us`, `eu`, `jp` or another two-letter code. The environment ' +
          'variable LOGIN_POLICY_REGION takes precedence.',
        format: 'two lower-case letters',
        example: '"us"',
      }),
    ),
  }),
  {
    label: 'Identity Cloud connection',
    description:
      'Which Identity Cloud customer `login-policy-lint pull` and `status` read. Not secret: the configuration ' +
      "client's id and secret come from the environment (LOGIN_POLICY_CONFIG_CLIENT_ID and " +
      'LOGIN_POLICY_CONFIG_CLIENT_SECRET), never from a file.',
    format: '{"customerId": "<uuid>", "region": "us"}',
    example: '{ "customerId": "e0a70b4f-1eef-4856-bcdb-f050fee66aae", "region": "us" }',
  },
);

export const configSchema = documented(
  z.strictObject({
    $schema: z.optional(z.string()),
    policies: z.optional(
      documented(z.array(z.string().check(z.minLength(1))), {
        label: 'policy globs',
        description:
          'Globs, relative to this file, of the login policy files of this project. The CLI lints them when ' +
          'given no paths.',
        format: 'an array of globs',
        example: '["policies/**/*.json"]',
      }),
    ),
    rules: z.optional(
      documented(z.record(z.string(), severity), {
        label: 'rule severities',
        description: 'Severity overrides by rule id; `off` disables a rule.',
        format: 'an object of rule id → severity',
        example: '{ "hosted-login-v1": "off" }',
      }),
    ),
    clients: z.optional(
      documented(z.array(clientEntrySchema), {
        label: 'clients',
        description:
          'Known API clients: which are owners, and fingerprints of their current and previous secrets. ' +
          'Used to flag policies whose embedded owner secret is stale.',
        format: 'an array of client entries',
      }),
    ),
    baseline: z.optional(baselineSchema),
    verify: z.optional(verifySchema),
    identityCloud: z.optional(identityCloudSchema),
  }),
  {
    label: 'login-policy-lint configuration',
    description:
      'Project configuration for login-policy-lint, found by walking up from each policy file. JSON with comments.',
  },
);

export type LoginPolicyConfig = z.infer<typeof configSchema>;
export type ClientEntry = z.infer<typeof clientEntrySchema>;
export type BaselineSetting = z.infer<typeof baselineSchema>;
export type IdentityCloudSetting = z.infer<typeof identityCloudSchema>;
