// The workspace's connection to Identity Cloud: the non-secret fields in workspace state (this machine, this
// workspace, never a file of the repository), the configuration client's secret in SecretStorage (encrypted by VS
// Code) under a key of this workspace's own. Only the extension host reads the secret, to call the API; it never
// reaches the language server, a log or a message (the log's redactor learns it first).
import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import type {
  ConnectionOptions,
  IdentityCloudClientOptions,
} from '../../server/src/identity-cloud/identity-cloud-client';
import {
  apiBaseOverride,
  CONNECTION_STATE_KEY,
  fieldsFrom,
  SECRET_SCOPE_STATE_KEY,
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
   * from SecretStorage (cleared outside this workspace).
   */
  async clientOptions(extra: ConnectionExtras = {}): Promise<IdentityCloudClientOptions | undefined> {
    const fields = this.fields();
    const secret = await this.storedSecret(fields);
    if (!fields || !secret) return undefined;
    redactor.add(secret);
    return connectionOptions(fields, secret, extra);
  }

  /** Keeps the connection: called only after a test call with these credentials succeeded. */
  async save(fields: ConnectionFields, secret: string): Promise<void> {
    redactor.add(secret);
    const previous = this.fields();
    const scope = await this.scope();
    await this.context.secrets.store(secretKeyOf(fields, scope), secret);
    await this.context.workspaceState.update(CONNECTION_STATE_KEY, { ...fields });
    // This workspace's own key: another workspace connected to the same client keeps its copy.
    if (previous && secretKeyOf(previous, scope) !== secretKeyOf(fields, scope)) {
      await this.context.secrets.delete(secretKeyOf(previous, scope));
    }
  }

  /** Forgets this workspace's secret and connection; returns what was forgotten. */
  async forget(): Promise<ConnectionFields | undefined> {
    const fields = this.fields();
    const scope = this.existingScope();
    if (fields && scope) await this.context.secrets.delete(secretKeyOf(fields, scope));
    await this.context.workspaceState.update(CONNECTION_STATE_KEY, undefined);
    return fields;
  }

  /** Loads the stored secret into the redactor, so no log line can show it. */
  async learn(): Promise<void> {
    redactor.add(await this.storedSecret(this.fields()));
  }

  private async storedSecret(fields: ConnectionFields | undefined): Promise<string | undefined> {
    const scope = this.existingScope();
    return fields && scope ? this.context.secrets.get(secretKeyOf(fields, scope)) : undefined;
  }

  private existingScope(): string | undefined {
    const scope = this.context.workspaceState.get<unknown>(SECRET_SCOPE_STATE_KEY);
    return typeof scope === 'string' && scope !== '' ? scope : undefined;
  }

  /** This workspace's part of its SecretStorage keys, made once. */
  private async scope(): Promise<string> {
    const existing = this.existingScope();
    if (existing) return existing;
    const scope = randomUUID();
    await this.context.workspaceState.update(SECRET_SCOPE_STATE_KEY, scope);
    return scope;
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
