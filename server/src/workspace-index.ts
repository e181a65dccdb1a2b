// The workspace's policy and OIDC client files, as the cross-file rules and the "new policy" actions need them:
// each policy's id, owner client and secret fingerprint, and each client's loginPolicy. Filled by a background
// scan and kept current from file events and open editors.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getNodeValue } from 'jsonc-parser';
import { DEFAULT_MAX_FILE_SIZE } from './engine/analyze';
import { parse as parseTolerant } from './engine/parse';
import { glob } from 'tinyglobby';
import type { OidcClientSummary, PolicySummary, WorkspaceFacts } from './engine/facts';
import { placeholderClientId } from './shared/secret-placeholder';
import { samePolicyId } from './engine/policy/policy-id';
import { OIDC_CLIENT_PATTERNS, readOidcClient, type OidcClientFile } from './project/oidc-clients';
import { IGNORED_DIRS, POLICY_FILE_PATTERNS } from './project/policy-files';
import { replacedCandidates } from './project/replacement';
import { fingerprint } from './shared/fingerprint';
import { CONFIG_FILE_NAME } from './engine/config/schema';

export interface PolicyEntry {
  readonly text: string;
  readonly title?: string;
  readonly id?: string;
  readonly clientId?: string;
  readonly secretSha256?: string;
}

export class WorkspaceIndex {
  private readonly policies = new Map<string, PolicyEntry>();
  private readonly clients = new Map<string, OidcClientFile>();
  private sorted?: {
    policies: readonly (readonly [string, PolicyEntry])[];
    clients: readonly (readonly [string, OidcClientFile])[];
  };

  /**
   * Finds every policy and client file under the folders (`extraPolicyGlobs` adds a folder's config globs, `skip`
   * leaves out deployed snapshots) and reads them. Returns the policy files found.
   */
  async scan(
    folders: readonly string[],
    extraPolicyGlobs: (folder: string) => readonly string[],
    progress: (done: number, total: number) => void,
    skip: (file: string) => boolean = () => false,
  ): Promise<string[]> {
    const policyFiles = new Set<string>();
    const clientFiles = new Set<string>();
    for (const folder of folders) {
      const options = { cwd: folder, absolute: true, dot: true, onlyFiles: true, ignore: IGNORED_DIRS };
      for (const file of await glob([...POLICY_FILE_PATTERNS, ...extraPolicyGlobs(folder)], options)) {
        if (path.basename(file) !== CONFIG_FILE_NAME && !skip(path.resolve(file))) policyFiles.add(path.resolve(file));
      }
      for (const file of await glob(OIDC_CLIENT_PATTERNS, options)) clientFiles.add(path.resolve(file));
    }
    const all = [...new Set([...policyFiles, ...clientFiles])];
    let done = 0;
    for (const file of all) {
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined) {
        if (policyFiles.has(file)) this.setPolicy(file, text);
        else this.setClient(file, text);
      }
      progress(++done, all.length);
    }
    return [...policyFiles].filter((file) => this.policies.has(file)).sort();
  }

  /**
   * Records a policy's current text (from disk or an open editor). Returns true when what others see changed.
   * Unlike updatePolicy it does not look for the related files: a scan of N files stays linear.
   */
  setPolicy(file: string, text: string): boolean {
    return this.record(file, summarize(text)).changed;
  }

  /**
   * Records a policy's current text; returns the files whose cross-file findings may change with it (itself
   * included), or nothing when what others see of it (id, owner client, secret fingerprint) is as before.
   */
  updatePolicy(file: string, text: string | PolicyEntry): string[] {
    const entry = typeof text === 'string' ? summarize(text) : text;
    const { changed, before } = this.record(file, entry);
    return changed ? [file, ...this.related(file, [before, entry])] : [];
  }

  private record(file: string, entry: PolicyEntry): { changed: boolean; before: PolicyEntry | undefined } {
    const before = this.policies.get(file);
    this.policies.set(file, entry);
    this.sorted = undefined;
    const same =
      before !== undefined &&
      before.id === entry.id &&
      before.clientId === entry.clientId &&
      before.secretSha256 === entry.secretSha256;
    return { changed: !same, before };
  }

  /** Records a client file; a file that is no (longer a) client is dropped. Returns true when something changed. */
  setClient(file: string, text: string): boolean {
    const client = readOidcClient(text);
    const before = this.clients.get(file);
    if (client) this.clients.set(file, client);
    else this.clients.delete(file);
    this.sorted = undefined;
    return JSON.stringify(before) !== JSON.stringify(client);
  }

  remove(file: string): boolean {
    this.sorted = undefined;
    return this.policies.delete(file) || this.clients.delete(file);
  }

  /** Forgets a policy (not a client file); returns the files whose cross-file findings may change. */
  removePolicy(file: string): string[] {
    const before = this.policies.get(file);
    if (!before || !this.policies.delete(file)) return [];
    this.sorted = undefined;
    return this.related(file, [before]);
  }

  /**
   * Other policies that see `file` through the cross-file rules: the same id or owner client as one of `entries`
   * (its old and new summary), or a replacement named after it.
   */
  private related(file: string, entries: readonly (PolicyEntry | undefined)[]): string[] {
    const ids = entries.map((e) => e?.id).filter((id): id is string => id !== undefined);
    const clientIds = new Set(entries.map((e) => e?.clientId).filter((c): c is string => c !== undefined));
    const out: string[] = [];
    for (const [other, entry] of this.policies) {
      if (other === file) continue;
      if (
        ids.some((id) => samePolicyId(id, entry.id)) ||
        (entry.clientId !== undefined && clientIds.has(entry.clientId)) ||
        replacedCandidates(other).includes(file)
      ) {
        out.push(other);
      }
    }
    return out;
  }

  isPolicy(file: string): boolean {
    return this.policies.has(file);
  }

  policyFiles(): string[] {
    return [...this.policies.keys()].sort();
  }

  /** The id a policy file has (as last recorded). */
  idOf(file: string): string | undefined {
    return this.policies.get(file)?.id;
  }

  textOf(file: string): string | undefined {
    return this.policies.get(file)?.text;
  }

  /** The titles of the workspace's policies, so a generated one can be made unique. */
  titles(): Set<string> {
    return new Set([...this.policies.values()].flatMap((entry) => (entry.title ? [entry.title] : [])));
  }

  /** Client files that use a policy id, with absolute paths. */
  clientsUsing(policyId: string): { file: string; client: OidcClientFile }[] {
    return [...this.clients]
      .filter(([, client]) => samePolicyId(client.loginPolicy, policyId))
      .map(([file, client]) => ({ file, client }))
      .sort((a, b) => a.file.localeCompare(b.file));
  }

  /** The cross-file facts for one document: the other policies, the clients, and what it replaces. */
  factsFor(file: string): WorkspaceFacts {
    const dir = path.dirname(file);
    const rel = (other: string) => path.relative(dir, other).split(path.sep).join('/');
    const { policies, clients } = this.sortedEntries();
    // Paths relative to this document are worked out only for the few entries a rule names in a message.
    const otherPolicies: PolicySummary[] = [];
    for (const [other, entry] of policies) {
      if (other === file) continue;
      otherPolicies.push({
        get path() {
          return rel(other);
        },
        ...(entry.id ? { id: entry.id } : {}),
        ...(entry.clientId ? { clientId: entry.clientId } : {}),
        ...(entry.secretSha256 ? { secretSha256: entry.secretSha256 } : {}),
      });
    }
    const oidcClients: OidcClientSummary[] = clients.map(([other, client]) => ({
      get path() {
        return rel(other);
      },
      ...client,
    }));
    const replaced = replacedCandidates(file)
      .map((candidate) => ({ candidate, id: this.policies.get(candidate)?.id }))
      .find((c) => c.id !== undefined);
    return {
      otherPolicies,
      oidcClients,
      ...(replaced ? { replaces: { path: rel(replaced.candidate), id: replaced.id! } } : {}),
    };
  }

  /** Policies and clients in path order (so messages list them the same way every time), kept until a change. */
  private sortedEntries(): {
    policies: readonly (readonly [string, PolicyEntry])[];
    clients: readonly (readonly [string, OidcClientFile])[];
  } {
    this.sorted ??= {
      policies: [...this.policies].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      clients: [...this.clients].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    };
    return this.sorted;
  }
}

/** What other files need to know of a policy, read leniently (a file being edited may be broken). */
export function summarize(text: string): PolicyEntry {
  const value = readJson(text);
  const object = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const store = object['identityStoreDetails'] as Record<string, unknown> | undefined;
  const details = (store?.['connectionDetails'] ?? {}) as Record<string, unknown>;
  const string = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return entryOf(text, {
    id: string(object['id']),
    clientId: string(details['clientId']),
    secret: string(details['clientSecret']),
    title: string(object['title']),
  });
}

/** The same from an analysis already made (an open document: no second parse per keystroke). */
export function entryOf(
  text: string,
  fields: {
    id?: string | undefined;
    clientId?: string | undefined;
    secret?: string | undefined;
    title?: string | undefined;
  },
): PolicyEntry {
  const { id, clientId, secret, title } = fields;
  const secretSha256 = secret && placeholderClientId(secret) === undefined ? fingerprint(secret) : undefined;
  return {
    text,
    ...(id ? { id } : {}),
    ...(clientId ? { clientId } : {}),
    ...(secretSha256 ? { secretSha256 } : {}),
    ...(title ? { title } : {}),
  };
}

/**
 * The JSON value of a file, or undefined for anything too large, binary or nested too deeply to be a policy or a
 * client (the same limits analysis has; jsonc-parser's value parser would overflow the stack on deep nesting).
 */
function readJson(text: string): unknown {
  if (text.length > DEFAULT_MAX_FILE_SIZE || text.includes('\u0000')) return undefined;
  const parsed = parseTolerant(text);
  return parsed.tooDeep || !parsed.root ? undefined : (getNodeValue(parsed.root) as unknown);
}
