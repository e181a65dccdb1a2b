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
import { placeholderClientId } from './engine/policy/placeholder';
import { samePolicyId } from './engine/policy/policy-id';
import { OIDC_CLIENT_PATTERNS, readOidcClient, type OidcClientFile } from './project/oidc-clients';
import { IGNORED_DIRS, POLICY_FILE_PATTERNS } from './project/policy-files';
import { replacedCandidates } from './project/replacement';
import { fingerprint } from './shared/fingerprint';
import { CONFIG_FILE_NAME } from './engine/config/schema';

interface PolicyEntry {
  readonly text: string;
  readonly title?: string;
  readonly id?: string;
  readonly clientId?: string;
  readonly secretSha256?: string;
}

export class WorkspaceIndex {
  private readonly policies = new Map<string, PolicyEntry>();
  private readonly clients = new Map<string, OidcClientFile>();

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

  /** Records a policy's current text (from disk or an open editor). Returns true when what others see changed. */
  setPolicy(file: string, text: string): boolean {
    const before = this.policies.get(file);
    const entry = summarize(text);
    this.policies.set(file, entry);
    return (
      !before ||
      before.id !== entry.id ||
      before.clientId !== entry.clientId ||
      before.secretSha256 !== entry.secretSha256
    );
  }

  /** Records a client file; a file that is no (longer a) client is dropped. Returns true when something changed. */
  setClient(file: string, text: string): boolean {
    const client = readOidcClient(text);
    const before = this.clients.get(file);
    if (client) this.clients.set(file, client);
    else this.clients.delete(file);
    return JSON.stringify(before) !== JSON.stringify(client);
  }

  remove(file: string): boolean {
    return this.policies.delete(file) || this.clients.delete(file);
  }

  isPolicy(file: string): boolean {
    return this.policies.has(file);
  }

  policyFiles(): string[] {
    return [...this.policies.keys()].sort();
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
    const otherPolicies: PolicySummary[] = [...this.policies]
      .filter(([other]) => other !== file)
      .map(([other, entry]) => ({
        path: rel(other),
        ...(entry.id ? { id: entry.id } : {}),
        ...(entry.clientId ? { clientId: entry.clientId } : {}),
        ...(entry.secretSha256 ? { secretSha256: entry.secretSha256 } : {}),
      }));
    // In path order, so messages and hovers read the same whatever order the files were found in.
    otherPolicies.sort((a, b) => a.path.localeCompare(b.path));
    const oidcClients: OidcClientSummary[] = [...this.clients]
      .map(([other, client]) => ({ path: rel(other), ...client }))
      .sort((a, b) => a.path.localeCompare(b.path));
    const replaced = replacedCandidates(file)
      .map((candidate) => ({ candidate, id: this.policies.get(candidate)?.id }))
      .find((c) => c.id !== undefined);
    return {
      otherPolicies,
      oidcClients,
      ...(replaced ? { replaces: { path: rel(replaced.candidate), id: replaced.id! } } : {}),
    };
  }
}

/** What other files need to know of a policy, read leniently (a file being edited may be broken). */
export function summarize(text: string): PolicyEntry {
  const value = readJson(text);
  const object = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const store = object['identityStoreDetails'] as Record<string, unknown> | undefined;
  const details = (store?.['connectionDetails'] ?? {}) as Record<string, unknown>;
  const id = typeof object['id'] === 'string' ? object['id'] : undefined;
  const clientId = typeof details['clientId'] === 'string' ? details['clientId'] : undefined;
  const secret = typeof details['clientSecret'] === 'string' ? details['clientSecret'] : undefined;
  const secretSha256 = secret && placeholderClientId(secret) === undefined ? fingerprint(secret) : undefined;
  const title = typeof object['title'] === 'string' ? object['title'] : undefined;
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
