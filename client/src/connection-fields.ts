// The Identity Cloud connection as the extension keeps it (DESIGN §13): the customer id, region and configuration
// client id in the workspace's state, the configuration client's secret in SecretStorage under a key named by them
// and by the workspace, and the API base: the real one, or a loopback test base from LOGIN_POLICY_API_BASE. No `vscode` import, so the
// unit tests load it as it is.
import { apiBaseFor, checkCustomerId, checkRegion, isLoopbackHost } from '../../server/src/identity-cloud/api-base';

/** What workspace state holds: nothing secret. */
export interface ConnectionFields {
  readonly customerId: string;
  /** `us`, `eu`, `jp` or any two letters, lower case. */
  readonly region: string;
  readonly configClientId: string;
}

/** The workspace-state key of the connection. */
export const CONNECTION_STATE_KEY = 'loginPolicy.identityCloudConnection';

/** The environment variable of the CLI that the extension host reads too, for tests and demos only. */
export const API_BASE_VARIABLE = 'LOGIN_POLICY_API_BASE';

/** The workspace-state key of the workspace's own part of SecretStorage keys (a random id, made at its first Connect). */
export const SECRET_SCOPE_STATE_KEY = 'loginPolicy.secretScope';

/**
 * The SecretStorage key of the configuration client's secret: one per workspace, customer and configuration client.
 * SecretStorage is the extension's, shared by every workspace; with the workspace's own part in the key, a Connect to
 * another client or a Disconnect deletes only a secret that this workspace stored, never one another workspace uses.
 */
export function secretKeyOf(fields: ConnectionFields, scope: string): string {
  return `loginPolicy.configClientSecret/${scope}/${fields.customerId}/${fields.configClientId}`;
}

/** The fields as the user typed them, checked and normalised; or why not, in words (for an input box). */
export function checkedFields(input: {
  readonly customerId: string;
  readonly region: string;
  readonly configClientId: string;
}): ConnectionFields | { readonly problem: string } {
  const customerId = input.customerId.trim();
  const configClientId = input.configClientId.trim();
  const region = input.region.trim().toLowerCase();
  const problem =
    customerIdProblem(customerId) ??
    regionProblem(region) ??
    (configClientId === '' ? 'enter the configuration client id' : undefined) ??
    (/[\s/]/.test(configClientId) ? 'a client id has no blanks or slashes' : undefined);
  return problem ? { problem } : { customerId, region, configClientId };
}

export function customerIdProblem(value: string): string | undefined {
  return problemOf(() => checkCustomerId(value));
}

export function regionProblem(value: string): string | undefined {
  return problemOf(() => checkRegion(value));
}

function problemOf(check: () => unknown): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The connection read back from workspace state; anything malformed (another version, a hand edit) is none. */
export function fieldsFrom(value: unknown): ConnectionFields | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { customerId, region, configClientId } = value as Record<string, unknown>;
  if (typeof customerId !== 'string' || typeof region !== 'string' || typeof configClientId !== 'string') {
    return undefined;
  }
  const checked = checkedFields({ customerId, region, configClientId });
  return 'problem' in checked ? undefined : checked;
}

/**
 * LOGIN_POLICY_API_BASE in the extension host's environment, as the extension accepts it: a loopback URL only (the
 * fake Identity Cloud of tests and demos). Any other value is ignored, with why: the configuration client's secret
 * goes only to Identity Cloud itself or to this machine, whatever environment VS Code was started from.
 */
export function apiBaseOverride(env: Readonly<Record<string, string | undefined>>): {
  readonly apiBase?: string;
  readonly ignored?: string;
} {
  const value = env[API_BASE_VARIABLE]?.trim();
  if (!value) return {};
  let base: string;
  try {
    base = apiBaseFor('us', value);
  } catch (error) {
    return { ignored: `${API_BASE_VARIABLE} is ignored: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isLoopbackHost(new URL(base).hostname)) {
    return { ignored: `${API_BASE_VARIABLE} is ignored: VS Code accepts only a loopback API base (tests and demos)` };
  }
  return { apiBase: base };
}
