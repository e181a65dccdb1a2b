// Extension settings (section "loginPolicy"): one declaration with defaults and descriptions, read per document
// through workspace/configuration. Bad values fall back to defaults field by field and are logged once; they never
// crash. test/unit/meta/settings.test.ts keeps package.json's contributes.configuration in line with this file.
import * as z from 'zod/mini';
import { SEVERITIES, type SeverityOrOff } from './engine/finding';
import { ruleIds } from './engine/rules/index';

export const SETTINGS_SECTION = 'loginPolicy';

const severity = z.enum(SEVERITIES as ['off', 'hint', 'info', 'warning', 'error']);

/** Every setting the extension contributes, with what package.json must declare for it. */
export const SETTING_DECLARATIONS = {
  'loginPolicy.rules': {
    schema: z.record(z.string(), severity),
    default: {} as Record<string, SeverityOrOff>,
    type: 'object',
    scope: 'resource',
    description:
      'Severity overrides by rule id ("off", "hint", "info", "warning", "error"). They take precedence over the "rules" of .loginpolicyrc.json.',
  },
  'loginPolicy.detectByContent': {
    schema: z.boolean(),
    default: true,
    type: 'boolean',
    scope: 'resource',
    description:
      'Treat any opened .json file whose top-level object has an "identityStoreDetails" key as a login policy.',
  },
  'loginPolicy.trace.server': {
    schema: z.enum(['off', 'messages', 'verbose']),
    default: 'off',
    type: 'string',
    scope: 'window',
    enum: ['off', 'messages', 'verbose'],
    description:
      'Traces the messages between VS Code and the login policy language server (secrets are masked in the trace).',
  },
} as const;

export interface ServerSettings {
  readonly rules: Readonly<Record<string, SeverityOrOff>>;
  readonly detectByContent: boolean;
}

export const DEFAULT_SETTINGS: ServerSettings = { rules: {}, detectByContent: true };

/**
 * Reads the "loginPolicy" section as sent by the client. Returns the settings and a list of problems (unknown rule
 * ids, bad severities, wrong types); problem fields keep their defaults.
 */
export function readSettings(raw: unknown): { settings: ServerSettings; problems: string[] } {
  const problems: string[] = [];
  const section = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const rules: Record<string, SeverityOrOff> = {};
  const rawRules = section['rules'];
  if (rawRules !== undefined && rawRules !== null) {
    if (typeof rawRules !== 'object' || Array.isArray(rawRules)) {
      problems.push('loginPolicy.rules must be an object of rule id → severity; ignored.');
    } else {
      for (const [id, value] of Object.entries(rawRules as Record<string, unknown>)) {
        if (!ruleIds.includes(id)) problems.push(`loginPolicy.rules: unknown rule "${id}"; ignored.`);
        else if (!severity.safeParse(value).success) {
          problems.push(`loginPolicy.rules.${id}: "${String(value)}" is not one of ${SEVERITIES.join(', ')}; ignored.`);
        } else rules[id] = value as SeverityOrOff;
      }
    }
  }
  let detectByContent = DEFAULT_SETTINGS.detectByContent;
  if (section['detectByContent'] !== undefined) {
    if (typeof section['detectByContent'] === 'boolean') detectByContent = section['detectByContent'];
    else problems.push('loginPolicy.detectByContent must be true or false; using true.');
  }
  return { settings: { rules, detectByContent }, problems };
}
