// The workspace's connection to Identity Cloud: the non-secret fields in workspace state (this machine, this
// workspace, never a file of the repository), the configuration client's secret in SecretStorage (encrypted by VS
// Code). Only the extension host reads the secret, to call the API; it never reaches the language server, a log or
// a message (the log's redactor learns it first).
import type * as vscode from 'vscode';
import type {
  ConnectionOptions,
  IdentityCloudClientOptions,
} from '../../server/src/identity-cloud/identity-cloud-client';
import {
  apiBaseOverride,
  CONNECTION_STATE_KEY,
  fieldsFrom,
  secretKeyOf,
  type ConnectionFields,
} from './connection-fields';
import { redactor } from './log';

export class IdentityCloudConnection {
  constructor(private readonly context: vscode.ExtensionContext) {}

  /** The connection's fields, or undefined when the workspace is not connected. */
  fields(): ConnectionFields | undefined {
    return fieldsFrom(this.context.workspaceState.get<unknown>(CONNECTION_STATE_KEY));
  }

  /**
   * What the API client needs, secret included (memory only), or undefined when not connected or the secret is gone
   * from SecretStorage (forgotten by another workspace's Disconnect).
   */
  async clientOptions(extra: ConnectionExtras = {}): Promise<IdentityCloudClientOptions | undefined> {
    const fields = this.fields();
    const secret = fields && (await this.context.secrets.get(secretKeyOf(fields)));
    if (!fields || !secret) return undefined;
    redactor.add(secret);
    return connectionOptions(fields, secret, extra);
  }

  /** Keeps the connection: called only after a test call with these credentials succeeded. */
  async save(fields: ConnectionFields, secret: string): Promise<void> {
    redactor.add(secret);
    const previous = this.fields();
    await this.context.secrets.store(secretKeyOf(fields), secret);
    await this.context.workspaceState.update(CONNECTION_STATE_KEY, { ...fields });
    if (previous && secretKeyOf(previous) !== secretKeyOf(fields)) {
      await this.context.secrets.delete(secretKeyOf(previous));
    }
  }

  /** Forgets the secret and the connection; returns what was forgotten. */
  async forget(): Promise<ConnectionFields | undefined> {
    const fields = this.fields();
    if (fields) await this.context.secrets.delete(secretKeyOf(fields));
    await this.context.workspaceState.update(CONNECTION_STATE_KEY, undefined);
    return fields;
  }

  /** Loads the stored secret into the redactor, so no log line can show it. */
  async learn(): Promise<void> {
    const fields = this.fields();
    if (fields) redactor.add(await this.context.secrets.get(secretKeyOf(fields)));
  }
}

export interface ConnectionExtras {
  /** Cuts every request short (a cancelled pull). */
  readonly signal?: AbortSignal;
  /** Told why LOGIN_POLICY_API_BASE of the environment is ignored, when it is. */
  readonly warn?: (line: string) => void;
}

/**
 * The API client's options for these credentials: the API base of the region, or the loopback test base of the
 * environment.
 */
export function connectionOptions(
  fields: ConnectionFields,
  secret: string,
  { signal, warn }: ConnectionExtras = {},
): IdentityCloudClientOptions {
  const { apiBase, ignored } = apiBaseOverride(process.env);
  if (ignored) warn?.(ignored);
  const options = {
    customerId: fields.customerId,
    region: fields.region,
    configClientId: fields.configClientId,
    configClientSecret: secret,
    ...(apiBase ? { apiBase } : {}),
  };
  return signal ? abortable(options, signal) : options;
}

/** The same connection, with every request cut short when `signal` aborts (a Cancel while reading). */
export function abortable<T extends ConnectionOptions>(options: T, signal: AbortSignal): T {
  const inner = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init));
  return {
    ...options,
    fetch: (input: string, init: RequestInit) =>
      inner(input, { ...init, signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal }),
  };
}
