// Extension settings (section "loginPolicy"): one declaration with defaults and descriptions, read per document
// through workspace/configuration. Bad values fall back to defaults field by field and are logged once; they never
// crash. test/unit/meta/settings.test.ts keeps package.json's contributes.configuration in line with this file.
import * as z from 'zod/mini';
import { SEVERITIES, type SeverityOrOff } from './engine/finding';
import { ruleIds } from './engine/rules/index';
import { DEFAULT_ALLOWED_HOSTS } from './identity-cloud/hosts';
import { DEFAULT_TIMEOUT_MS } from './identity-cloud/live-checks';
import { shownValue } from './shared/shown-value';

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
  'loginPolicy.verify.mode': {
    schema: z.enum(['off', 'onDemand', 'onSave']),
    default: 'off',
    type: 'string',
    scope: 'resource',
    enum: ['off', 'onDemand', 'onSave'],
    description:
      'Live checks of embedded owner credentials against the policy\'s own Capture domain (POST https://{domain}/entityType.list): "onDemand" adds a "Verify owner secret now" code lens, "onSave" also checks on save. Only in trusted workspaces, only to allowed hosts.',
  },
  'loginPolicy.verify.allowedHosts': {
    schema: z.array(z.string()),
    default: DEFAULT_ALLOWED_HOSTS,
    type: 'array',
    scope: 'resource',
    description:
      'Hosts live checks may contact: "*.janraincapture.com", "acme.janraincapture.com", "host:port". Plain HTTP only for loopback hosts written with "http://", such as "http://127.0.0.1:*".',
  },
  'loginPolicy.verify.timeoutMs': {
    schema: z.number(),
    default: DEFAULT_TIMEOUT_MS,
    type: 'number',
    scope: 'resource',
    description: 'How long a live check may take, in milliseconds.',
  },
  'loginPolicy.trace.server': {
    schema: z.enum(['off', 'messages', 'verbose']),
    default: 'off',
    type: 'string',
    scope: 'window',
    enum: ['off', 'messages', 'verbose'],
    description:
      'Traces the messages between VS Code and the login policy language server (document texts appear as their length; secrets are masked).',
  },
} as const;

export type VerifyMode = 'off' | 'onDemand' | 'onSave';
const VERIFY_MODES: readonly VerifyMode[] = ['off', 'onDemand', 'onSave'];

export interface VerifySettings {
  readonly mode: VerifyMode;
  readonly allowedHosts: readonly string[];
  readonly timeoutMs: number;
}

export interface ServerSettings {
  readonly rules: Readonly<Record<string, SeverityOrOff>>;
  readonly detectByContent: boolean;
  readonly verify: VerifySettings;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  rules: {},
  detectByContent: true,
  verify: { mode: 'off', allowedHosts: DEFAULT_ALLOWED_HOSTS, timeoutMs: DEFAULT_TIMEOUT_MS },
};

/**
 * The "loginPolicy" section in settings as editors send them: nested (`{"loginPolicy": {"rules": …}}`), flattened
 * (`{"loginPolicy.rules": …}`), or the section itself (`{"rules": …}`). Undefined when there is nothing (null, not
 * an object).
 */
export function sectionOf(settings: unknown): Record<string, unknown> | undefined {
  if (!isObject(settings)) return undefined;
  const nested = settings[SETTINGS_SECTION];
  if (isObject(nested)) return nested;
  const prefix = `${SETTINGS_SECTION}.`;
  const flat = Object.keys(settings).filter((key) => key.startsWith(prefix));
  if (flat.length === 0) return settings;
  // No prototype: a key such as "loginPolicy.__proto__.x" stays a plain key.
  const section: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of flat) {
    const parts = key.slice(prefix.length).split('.');
    let target = section;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      target = isObject(next) ? next : (target[part] = Object.create(null) as Record<string, unknown>);
    }
    target[parts.at(-1)!] = settings[key];
  }
  return section;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
        if (!ruleIds.includes(id))
          problems.push(`loginPolicy.rules: unknown rule ${shownValue(id, ruleIds)}; ignored.`);
        else if (!severity.safeParse(value).success) {
          problems.push(
            `loginPolicy.rules.${id}: ${shownValue(value, SEVERITIES)} is not one of ${SEVERITIES.join(', ')}; ignored.`,
          );
        } else rules[id] = value as SeverityOrOff;
      }
    }
  }
  let detectByContent = DEFAULT_SETTINGS.detectByContent;
  if (section['detectByContent'] !== undefined) {
    if (typeof section['detectByContent'] === 'boolean') detectByContent = section['detectByContent'];
    else problems.push('loginPolicy.detectByContent must be true or false; using true.');
  }
  return { settings: { rules, detectByContent, verify: readVerify(section['verify'], problems) }, problems };
}

function readVerify(raw: unknown, problems: string[]): VerifySettings {
  const defaults = DEFAULT_SETTINGS.verify;
  if (raw === undefined || raw === null) return defaults;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('loginPolicy.verify must be an object; using the defaults.');
    return defaults;
  }
  const section = raw as Record<string, unknown>;
  let { mode, allowedHosts, timeoutMs } = defaults;
  if (section['mode'] !== undefined) {
    if (VERIFY_MODES.includes(section['mode'] as VerifyMode)) mode = section['mode'] as VerifyMode;
    else
      problems.push(
        `loginPolicy.verify.mode: ${shownValue(section['mode'], VERIFY_MODES)} is not off, onDemand or onSave; using off.`,
      );
  }
  if (section['allowedHosts'] !== undefined) {
    const hosts = section['allowedHosts'];
    if (Array.isArray(hosts) && hosts.every((h) => typeof h === 'string')) allowedHosts = hosts;
    else problems.push('loginPolicy.verify.allowedHosts must be an array of host patterns; using the default.');
  }
  if (section['timeoutMs'] !== undefined) {
    const timeout = section['timeoutMs'];
    if (typeof timeout === 'number' && timeout >= 100 && timeout <= 120_000) timeoutMs = timeout;
    else
      problems.push(
        `loginPolicy.verify.timeoutMs must be a number of milliseconds between 100 and 120000; using ${DEFAULT_TIMEOUT_MS}.`,
      );
  }
  return { mode, allowedHosts, timeoutMs };
}
