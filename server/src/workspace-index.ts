// The workspace's policy and OIDC client files, as the cross-file rules and the "new policy" actions need them.
// Kept as maps by policy id, by owner client (with the distinct secret fingerprints it is embedded with) and by a
// client's `loginPolicy`, so that one file's facts and the files a change affects are found without walking the
// workspace: time and memory stay linear in the number of files. Filled by a background scan and kept current from
// file events and open editors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getNodeValue } from 'jsonc-parser';
import { glob } from 'tinyglobby';
import { DEFAULT_MAX_FILE_SIZE } from './engine/analyze';
import type { OidcClientSummary, OtherSecret, PolicyIdentity, WorkspaceFacts } from './engine/facts';
import { parse as parseTolerant, withinMaxDepth } from './engine/parse';
import { identityFrom } from './engine/policy/identity';
import { CONFIG_FILE_NAME } from './engine/config/schema';
import { OIDC_CLIENT_PATTERNS, readOidcClient, type OidcClientFile } from './project/oidc-clients';
import { IGNORED_DIRS, POLICY_FILE_PATTERNS } from './project/policy-files';
import { replacedCandidates } from './project/replacement';

/** What the index keeps of a policy file: what other files see of it, and its title. Never its text. */
export interface PolicyEntry extends PolicyIdentity {
  readonly title?: string;
}

/** What a scan of the workspace folders is told, and tells back as it goes. */
export interface ScanOptions {
  /** A folder's config `policies` globs, looked for besides the language's file patterns. */
  readonly extraPolicyGlobs: (folder: string) => readonly string[];
  readonly progress: (done: number, total: number) => void;
  /** True for a file to leave out (a deployed snapshot). */
  readonly skip?: (file: string) => boolean;
  /** True for a policy open in the editor: it keeps what it told the index. */
  readonly speaksForItself?: (file: string) => boolean;
  /** Called right after each file, policy or client, was read. */
  readonly read?: (file: string) => void;
  /** Asked between slices: true stops the scan (a newer one supersedes it). */
  readonly stopped?: () => boolean;
}

/** Files read between two turns of the event loop during a scan. */
const SCAN_SLICE = 200;

/** A file's text, or undefined when it cannot be read (gone, a folder, no permission). */
function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A policy id as the maps key it: ids are compared without regard to case (samePolicyId). */
const idKey = (id: string): string => id.toLowerCase();

/** Adds to a set kept in a map, creating it. */
function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** Removes from a set kept in a map, dropping it when empty. */
function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/** The smallest path of a set, except `not` (the example a message names: the same one every time). */
function firstOf(files: ReadonlySet<string>, not?: string): string | undefined {
  let first: string | undefined;
  for (const file of files) if (file !== not && (first === undefined || file < first)) first = file;
  return first;
}

export class WorkspaceIndex {
  private readonly policies = new Map<string, PolicyEntry>();
  /** Policy files by id (lower case). */
  private readonly byId = new Map<string, Set<string>>();
  /** Policy files by owner client, then by the fingerprint of the secret they embed. */
  private readonly byOwner = new Map<string, Map<string, Set<string>>>();
  /** The first file of each fingerprint's group in byOwner, kept until the group changes. */
  private readonly firstOfGroup = new WeakMap<ReadonlySet<string>, string>();
  /** Generated replacements (`x.new.loginpolicy.json`) by each file they could be replacing. */
  private readonly replacers = new Map<string, Set<string>>();
  /** How many policies have each title. */
  private readonly titleCounts = new Map<string, number>();
  private readonly clients = new Map<string, OidcClientFile>();
  /** Client files by the policy id (lower case) in their `loginPolicy`. */
  private readonly clientsByPolicy = new Map<string, Set<string>>();

  /**
   * Finds every policy and client file under the folders and reads them: clients go into the index, policies too
   * (except one that `speaksForItself`: open in the editor, with maybe unsaved edits, it keeps what it told the
   * index). Returns the policy files found, with their texts; undefined when `stopped` said so between two slices.
   */
  async scan(folders: readonly string[], options: ScanOptions): Promise<Map<string, string> | undefined> {
    const { extraPolicyGlobs, progress, skip, speaksForItself, read, stopped } = options;
    const policyFiles = new Set<string>();
    const clientFiles = new Set<string>();
    for (const folder of folders) {
      const globOptions = { cwd: folder, absolute: true, dot: true, onlyFiles: true, ignore: IGNORED_DIRS };
      for (const file of await glob([...POLICY_FILE_PATTERNS, ...extraPolicyGlobs(folder)], globOptions)) {
        if (path.basename(file) !== CONFIG_FILE_NAME && !skip?.(path.resolve(file)))
          policyFiles.add(path.resolve(file));
      }
      for (const file of await glob(OIDC_CLIENT_PATTERNS, globOptions)) clientFiles.add(path.resolve(file));
    }
    const all = [...new Set([...policyFiles, ...clientFiles])].sort();
    const found = new Map<string, string>();
    // Read synchronously, a slice at a time: policy and client files are small, and one asynchronous read per file
    // cost more in bookkeeping than the reading. Between slices the server answers the editor.
    for (let start = 0; start < all.length; start += SCAN_SLICE) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      if (stopped?.()) return undefined;
      for (const file of all.slice(start, start + SCAN_SLICE)) {
        const text = readText(file);
        if (text === undefined) continue;
        read?.(file);
        if (policyFiles.has(file)) {
          if (!speaksForItself?.(file) || !this.policies.has(file)) this.setPolicy(file, summarize(text));
          found.set(file, text);
        } else this.setClient(file, text);
      }
      progress(Math.min(start + SCAN_SLICE, all.length), all.length);
    }
    return stopped?.() ? undefined : found;
  }

  /**
   * Records what a policy file says about itself (from disk or an open editor). Returns the other files whose
   * cross-file facts changed with it: none when its id, owner client and secret are as before.
   */
  setPolicy(file: string, entry: PolicyEntry): Set<string> {
    const before = this.policies.get(file);
    if (before?.title !== entry.title) {
      if (before?.title !== undefined) this.countTitle(before.title, -1);
      if (entry.title !== undefined) this.countTitle(entry.title, +1);
    }
    if (before && sameIdentity(before, entry)) {
      this.policies.set(file, entry);
      return new Set();
    }
    const affected = before ? this.unlink(file, before) : new Set<string>();
    this.policies.set(file, entry);
    for (const other of this.link(file, entry)) affected.add(other);
    affected.delete(file);
    return affected;
  }

  /** Forgets a policy file; returns the other files whose cross-file facts changed. */
  removePolicy(file: string): Set<string> {
    const before = this.policies.get(file);
    if (!before) return new Set();
    this.policies.delete(file);
    if (before.title !== undefined) this.countTitle(before.title, -1);
    const affected = this.unlink(file, before);
    affected.delete(file);
    return affected;
  }

  /**
   * Records a client file (a file that is no, or no longer a, client is dropped). Returns the policy files whose
   * facts changed: those with the client's old or new policy id, and the replacements of those.
   */
  setClient(file: string, text: string): Set<string> {
    const client = readOidcClient(text);
    const before = this.clients.get(file);
    if (JSON.stringify(before) === JSON.stringify(client)) return new Set();
    if (before) removeFrom(this.clientsByPolicy, idKey(before.loginPolicy), file);
    if (client) {
      this.clients.set(file, client);
      addTo(this.clientsByPolicy, idKey(client.loginPolicy), file);
    } else this.clients.delete(file);
    return this.boundTo([before?.loginPolicy, client?.loginPolicy]);
  }

  /** Forgets a client file; returns the policy files whose facts changed. */
  removeClient(file: string): Set<string> {
    const before = this.clients.get(file);
    if (!before) return new Set();
    this.clients.delete(file);
    removeFrom(this.clientsByPolicy, idKey(before.loginPolicy), file);
    return this.boundTo([before.loginPolicy]);
  }

  isPolicy(file: string): boolean {
    return this.policies.has(file);
  }

  isClient(file: string): boolean {
    return this.clients.has(file);
  }

  clientFiles(): string[] {
    return [...this.clients.keys()];
  }

  policyFiles(): string[] {
    return [...this.policies.keys()].sort();
  }

  /** The id a policy file has (as last recorded). */
  idOf(file: string): string | undefined {
    return this.policies.get(file)?.id;
  }

  /** Policy files that embed this owner client, with any secret or with this one. */
  filesOfOwner(clientId: string, secretSha256?: string): string[] {
    const secrets = this.byOwner.get(clientId);
    if (!secrets) return [];
    if (secretSha256 !== undefined) return [...(secrets.get(secretSha256) ?? [])];
    return [...secrets.values()].flatMap((files) => [...files]);
  }

  /** The titles of the workspace's policies, so a generated one can be made unique. */
  titles(): ReadonlySet<string> {
    return new Set(this.titleCounts.keys());
  }

  /** Client files that use a policy id, with absolute paths, in path order. */
  clientsUsing(policyId: string): { file: string; client: OidcClientFile }[] {
    return [...(this.clientsByPolicy.get(idKey(policyId)) ?? [])]
      .sort()
      .map((file) => ({ file, client: this.clients.get(file)! }));
  }

  /**
   * The cross-file facts of the document at `file` whose text says it is `identity`. Paths in them are relative to
   * the document's folder, worked out only for what a message names.
   */
  factsFor(file: string, identity: PolicyIdentity): WorkspaceFacts {
    const dir = path.dirname(file);
    const rel = (other: string) => path.relative(dir, other).split(path.sep).join('/');
    const sameId = identity.id
      ? [...(this.byId.get(idKey(identity.id)) ?? [])]
          .filter((other) => other !== file)
          .sort()
          .map((other) => ({
            get path() {
              return rel(other);
            },
          }))
      : [];
    const otherSecrets: OtherSecret[] = [];
    const secrets = identity.clientId && identity.secretSha256 ? this.byOwner.get(identity.clientId) : undefined;
    for (const [sha256, files] of secrets ?? []) {
      if (sha256 === identity.secretSha256) continue;
      const others = files.has(file) ? files.size - 1 : files.size;
      if (others === 0) continue;
      const example = files.has(file) ? firstOf(files, file)! : this.firstFileOf(files);
      otherSecrets.push({
        sha256,
        files: others,
        get path() {
          return rel(example);
        },
      });
    }
    otherSecrets.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1));
    const clientsOf = (id: string): OidcClientSummary[] =>
      this.clientsUsing(id).map(({ file: clientFile, client }) => ({
        get path() {
          return rel(clientFile);
        },
        ...client,
      }));
    const replaced = replacedCandidates(file)
      .map((candidate) => ({ candidate, id: this.policies.get(candidate)?.id }))
      .find((c) => c.id !== undefined);
    return {
      sameId,
      otherSecrets,
      boundClients: identity.id ? clientsOf(identity.id) : [],
      ...(replaced
        ? { replaces: { path: rel(replaced.candidate), id: replaced.id!, clients: clientsOf(replaced.id!) } }
        : {}),
    };
  }

  /** Adds a policy's links to the maps; returns the files whose facts that changes. */
  private link(file: string, entry: PolicyEntry): Set<string> {
    const affected = this.related(file, entry);
    if (entry.id) addTo(this.byId, idKey(entry.id), file);
    if (entry.clientId && entry.secretSha256) {
      let secrets = this.byOwner.get(entry.clientId);
      if (!secrets) this.byOwner.set(entry.clientId, (secrets = new Map<string, Set<string>>()));
      addTo(secrets, entry.secretSha256, file);
      this.firstOfGroup.delete(secrets.get(entry.secretSha256)!);
    }
    for (const candidate of replacedCandidates(file)) addTo(this.replacers, candidate, file);
    return affected;
  }

  /** Removes a policy's links from the maps; returns the files whose facts that changes. */
  private unlink(file: string, entry: PolicyEntry): Set<string> {
    if (entry.id) removeFrom(this.byId, idKey(entry.id), file);
    if (entry.clientId && entry.secretSha256) {
      const secrets = this.byOwner.get(entry.clientId);
      if (secrets) {
        const group = secrets.get(entry.secretSha256);
        if (group) this.firstOfGroup.delete(group);
        removeFrom(secrets, entry.secretSha256, file);
        if (secrets.size === 0) this.byOwner.delete(entry.clientId);
      }
    }
    for (const candidate of replacedCandidates(file)) removeFrom(this.replacers, candidate, file);
    return this.related(file, entry);
  }

  /**
   * The files whose facts name `file` as `entry` describes it: the same id; the same owner client with another
   * secret (their list of other secrets counts this one); the generated replacements of this file.
   */
  private related(file: string, entry: PolicyEntry): Set<string> {
    const out = new Set<string>();
    if (entry.id) for (const other of this.byId.get(idKey(entry.id)) ?? []) out.add(other);
    if (entry.clientId && entry.secretSha256) {
      for (const [sha256, files] of this.byOwner.get(entry.clientId) ?? []) {
        if (sha256 !== entry.secretSha256) for (const other of files) out.add(other);
      }
    }
    for (const replacer of this.replacers.get(file) ?? []) out.add(replacer);
    out.delete(file);
    return out;
  }

  /** Policy files bound to one of these ids (their clients changed), and their replacements. */
  private boundTo(ids: readonly (string | undefined)[]): Set<string> {
    const out = new Set<string>();
    for (const id of ids) {
      if (!id) continue;
      for (const file of this.byId.get(idKey(id)) ?? []) {
        out.add(file);
        for (const replacer of this.replacers.get(file) ?? []) out.add(replacer);
      }
    }
    return out;
  }

  private firstFileOf(group: ReadonlySet<string>): string {
    let first = this.firstOfGroup.get(group);
    if (first === undefined) this.firstOfGroup.set(group, (first = firstOf(group)!));
    return first;
  }

  private countTitle(title: string, delta: number): void {
    const count = (this.titleCounts.get(title) ?? 0) + delta;
    if (count > 0) this.titleCounts.set(title, count);
    else this.titleCounts.delete(title);
  }
}

function sameIdentity(a: PolicyIdentity, b: PolicyIdentity): boolean {
  return a.id === b.id && a.clientId === b.clientId && a.secretSha256 === b.secretSha256;
}

/** What other files need to know of a policy, read leniently (a file being edited may be broken). */
export function summarize(text: string): PolicyEntry {
  const value = readJson(text);
  const object = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const store = object['identityStoreDetails'] as Record<string, unknown> | undefined;
  const details = (store?.['connectionDetails'] ?? {}) as Record<string, unknown>;
  const string = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return entryOf({
    id: string(object['id']),
    clientId: string(details['clientId']),
    secret: string(details['clientSecret']),
    title: string(object['title']),
  });
}

/** The entry from the values (an open document's, read from its analysis: no second parse per keystroke). */
export function entryOf(fields: {
  id?: string | undefined;
  clientId?: string | undefined;
  secret?: string | undefined;
  title?: string | undefined;
}): PolicyEntry {
  return { ...identityFrom(fields), ...(fields.title ? { title: fields.title } : {}) };
}

/**
 * The JSON value of a file, or undefined for anything too large, binary or nested too deeply to be a policy or a
 * client (the same limits analysis has; jsonc-parser's value parser would overflow the stack on deep nesting).
 */
function readJson(text: string): unknown {
  if (text.length > DEFAULT_MAX_FILE_SIZE || text.includes('\u0000')) return undefined;
  // Most files are strict JSON: the native parser reads them many times faster (a repeated key keeps its last
  // value either way). Comments, trailing commas, errors and nesting too deep for it go to the tolerant parser.
  try {
    const value = JSON.parse(text) as unknown;
    return withinMaxDepth(value) ? value : undefined;
  } catch {
    const parsed = parseTolerant(text);
    return parsed.tooDeep || !parsed.root ? undefined : (getNodeValue(parsed.root) as unknown);
  }
}
