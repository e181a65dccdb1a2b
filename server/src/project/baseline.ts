// Finds what is deployed for a policy file, so the immutability rule can compare its frozen identityStoreDetails
// (DESIGN §6): the same file at a git ref, a snapshot `<id>.json` in a folder, or the text first opened in this
// session. Lookups are cached so a keystroke costs no process; nothing here throws or logs: a baseline that cannot
// be found is undefined, and the caller decides what to say.
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse, type ParseError } from 'jsonc-parser';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/analyze';
import { samePolicyId } from '../engine/policy/policy-id';
import { CommittedFileReader, DEFAULT_BATCH_LIMITS, type BatchLimits } from './committed-files';
import { GIT_TIMED_OUT, nodeGit, type GitResult, type GitRunner, type GitRunOptions } from './git';

export interface Baseline {
  /** The deployed `identityStoreDetails` value (parsed JSON); undefined when the deployed policy has none. */
  readonly identityStoreDetails: unknown;
  /** The full deployed policy text it came from, for "revert" edits. */
  readonly text: string;
  /** Where it came from, in words for messages: "git HEAD", "git origin/main", "deployed/<id>.json", … */
  readonly label: string;
  readonly source: 'git' | 'dir' | 'first-open';
}

export type BaselineSpec = 'none' | { readonly git: string } | { readonly dir: string };

export interface BaselineRequest {
  /** Absolute path of the policy file. */
  readonly filePath: string;
  /** The policy's `id`: only policies with an id have been created, so only they have a baseline. */
  readonly id: string;
  /** Resolved by the caller: CLI --baseline, else the config's `baseline` (dir absolute), else { git: 'HEAD' }. */
  readonly spec: BaselineSpec;
  /** False in untrusted workspaces: then no git process is started at all. */
  readonly allowGit: boolean;
}

export const FIRST_OPEN_LABEL = 'the version first opened';

/** An id usable as a file name: no separators, so `<dir>/<id>.json` stays inside the folder. */
const SAFE_ID = /^[A-Za-z0-9._-]+$/;
/** What `rev-parse --verify` prints for a commit (SHA-1 or SHA-256 repositories). */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const MAX_SNAPSHOT_BYTES = 8 * 1024 * 1024;
/**
 * Files read at a commit are kept per commit, for this many commits: HEAD and a configured ref (origin/main), with
 * room for the commits they just left. Once HEAD moves on, the commit it left is not asked for again (every lookup
 * resolves the ref anew), so its files are the first to go when another commit comes.
 */
const MAX_SHOWN_COMMITS = 4;
/**
 * And this many files per commit: above the largest workspaces we know (one policy per environment, brand and
 * locale: thousands), so a pass over the workspace never evicts what the next pass needs. The texts of the current
 * commit are held by the deployed baselines anyway; this bounds the rest.
 */
const MAX_SHOWN_PER_COMMIT = 20_000;
/** How long "not in a git repository" holds before git is asked again. */
const NO_REPOSITORY_TTL_MS = 10_000;

/**
 * A ref from a config file or the command line is repository input: one starting with `-` would be read as an
 * option, `a..b` as a range, and whitespace or control characters have no business in a ref.
 */
export function isSafeGitRef(ref: string): boolean {
  return ref.length > 0 && ref.length <= 256 && !ref.startsWith('-') && !ref.includes('..') && !/[\s\p{Cc}]/u.test(ref);
}

/** A folder's repository root, as git answered (found: undefined while asking). */
interface RootEntry {
  readonly at: number;
  found: boolean | undefined;
  readonly root: Promise<string | undefined>;
}

/** A deployed text, parsed once. */
interface Snapshot {
  readonly text: string;
  readonly id: unknown;
  readonly identityStoreDetails: unknown;
}

/** What a lookup found, and whether that answer may be cached (a timeout is worth asking again). */
interface Lookup<V> {
  readonly value: V;
  readonly keep: boolean;
}

export class BaselineStore {
  private readonly git: GitRunner;
  private readonly now: () => number;
  private readonly headTtlMs: number;
  /** Folder → repository root (undefined: not in a repository, or git unavailable). */
  private readonly roots = new Map<string, RootEntry>();
  /** Root + ref → commit, for headTtlMs: a moved HEAD is noticed quickly without a process per keystroke. */
  private readonly commits = new Map<string, { readonly at: number; readonly commit: Promise<string | undefined> }>();
  /**
   * Commit → path → snapshot (null: not in that commit, or not a JSON object). A commit never changes. Both levels
   * are in the order of use, least recent first.
   */
  private readonly shown = new Map<string, Map<string, Promise<Snapshot | null>>>();
  private readonly committed: CommittedFileReader;
  /**
   * Snapshot file → its size and modification time, and the snapshot (null: missing, unreadable or not a JSON
   * object). A lookup stats the file, so a snapshot updated on disk (a pull, a new GET) is read again.
   */
  private readonly snapshots = new Map<
    string,
    { readonly stamp: string; readonly snapshot: Promise<Snapshot | null> }
  >();
  private readonly opened = new Map<string, { readonly text: string; snapshot?: Snapshot | null }>();

  constructor(options: { git?: GitRunner; now?: () => number; headTtlMs?: number; batch?: Partial<BatchLimits> } = {}) {
    this.git = options.git ?? nodeGit;
    this.now = options.now ?? Date.now;
    this.headTtlMs = options.headTtlMs ?? 2000;
    this.committed = new CommittedFileReader(
      (cwd, args, runOptions) => this.run(cwd, args, runOptions),
      { ...DEFAULT_BATCH_LIMITS, maxFileBytes: MAX_SNAPSHOT_BYTES, ...options.batch },
      this.now,
    );
  }

  /** The git or dir baseline, or undefined when there is none to be had. Never throws. */
  async find(request: BaselineRequest): Promise<Baseline | undefined> {
    try {
      const { spec } = request;
      if (typeof spec !== 'object' || spec === null) return undefined;
      if ('git' in spec && typeof spec.git === 'string') {
        return request.allowGit ? await this.fromGit(request.filePath, request.id, spec.git) : undefined;
      }
      if ('dir' in spec && typeof spec.dir === 'string')
        return await this.fromDir(request.filePath, request.id, spec.dir);
      return undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Whether a ref names a commit in the repository around `folder`: the CLI refuses a `--baseline` it cannot use
   * (a CI checkout without that branch) rather than passing with no baseline at all.
   */
  async refState(folder: string, ref: string): Promise<'ok' | 'no-repository' | 'unknown-ref'> {
    if (!isSafeGitRef(ref)) return 'unknown-ref';
    const root = await this.root(path.resolve(folder));
    if (root === undefined) return 'no-repository';
    return (await this.commit(root, ref)) === undefined ? 'unknown-ref' : 'ok';
  }

  /**
   * Remembers the text a document had when first opened in this session: later calls change nothing. A text too
   * large to analyse is no policy's baseline, and is not kept.
   */
  rememberFirstOpen(filePath: string, text: string): void {
    const key = path.resolve(filePath);
    if (!this.opened.has(key) && text.length <= DEFAULT_MAX_FILE_SIZE) this.opened.set(key, { text });
  }

  /** Forgets the text a document was first opened with (it closed and is no file of the workspace, or was deleted). */
  forgetFirstOpen(filePath: string): void {
    this.opened.delete(path.resolve(filePath));
  }

  /** The first-opened text as a baseline, when it parses and carries the same id. */
  firstOpen(filePath: string, id: string): Baseline | undefined {
    const entry = this.opened.get(path.resolve(filePath));
    if (!entry) return undefined;
    entry.snapshot ??= parseSnapshot(entry.text);
    return toBaseline(entry.snapshot, id, FIRST_OPEN_LABEL, 'first-open');
  }

  /**
   * Drops cached repository roots, resolved refs and snapshot files (a watcher saw .git/HEAD or the snapshot folder
   * change). Files shown at a commit stay: that content cannot change.
   */
  invalidate(): void {
    this.roots.clear();
    this.commits.clear();
    this.snapshots.clear();
  }

  private async fromGit(filePath: string, id: string, ref: string): Promise<Baseline | undefined> {
    if (!isSafeGitRef(ref) || !id) return undefined;
    const file = path.resolve(filePath);
    const root = await this.root(path.dirname(file));
    if (root === undefined) return undefined;
    const relative = await pathInside(root, file);
    if (relative === undefined) return undefined;
    const commit = await this.commit(root, ref);
    if (commit === undefined) return undefined;
    const snapshot = await this.show(root, commit, relative);
    return toBaseline(snapshot, id, `git ${ref}`, 'git');
  }

  private root(folder: string): Promise<string | undefined> {
    const cached = this.roots.get(folder);
    // A root found stays; "not a repository" is asked again after a while: `git init` or a clone may come later,
    // and not every editor reports a new .git folder.
    if (cached && (cached.found !== false || this.now() - cached.at < NO_REPOSITORY_TTL_MS)) return cached.root;
    const entry: RootEntry = {
      at: this.now(),
      found: undefined,
      root: this.run(folder, ['rev-parse', '--show-toplevel']).then((result) => {
        if (!result.ok) {
          // A timeout is worth asking again at once.
          if (result.reason === GIT_TIMED_OUT && this.roots.get(folder) === entry) this.roots.delete(folder);
          entry.found = false;
          return undefined;
        }
        // Only the line break goes: a folder name may end with a space.
        const root = result.stdout.toString('utf8').replace(/\r?\n$/, '');
        entry.found = root !== '';
        return root ? path.resolve(root) : undefined;
      }),
    };
    this.roots.set(folder, entry);
    return entry.root;
  }

  private commit(root: string, ref: string): Promise<string | undefined> {
    const key = `${root}\0${ref}`;
    const now = this.now();
    const cached = this.commits.get(key);
    if (cached && now - cached.at < this.headTtlMs) return cached.commit;
    const commit = this.run(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).then((result) => {
      const hash = result.ok ? result.stdout.toString('utf8').trim() : '';
      return COMMIT.test(hash) ? hash : undefined;
    });
    this.commits.set(key, { at: now, commit });
    return commit;
  }

  private show(root: string, commit: string, relative: string): Promise<Snapshot | null> {
    const files = recentlyUsed(this.shown, commit, () => new Map<string, Promise<Snapshot | null>>());
    dropOldest(this.shown, MAX_SHOWN_COMMITS);
    const hit = files.get(relative);
    if (hit) {
      // Most recently used last, so the oldest entry is the one dropped.
      files.delete(relative);
      files.set(relative, hit);
      return hit;
    }
    const promise = memo(files, relative, async () => {
      const file = await this.committed.read(root, commit, relative);
      // Not in that commit is as final as the commit; no answer (a timeout) is not.
      if (file.kind === 'failed') return { value: null, keep: false };
      return { value: file.kind === 'file' ? parseSnapshot(file.bytes.toString('utf8')) : null, keep: true };
    });
    dropOldest(files, MAX_SHOWN_PER_COMMIT);
    return promise;
  }

  private async fromDir(filePath: string, id: string, dir: string): Promise<Baseline | undefined> {
    if (!SAFE_ID.test(id)) return undefined;
    // The caller passes an absolute folder; a relative one is taken from the policy's folder rather than the cwd.
    const folder = path.resolve(path.dirname(path.resolve(filePath)), dir);
    const file = path.join(folder, `${id}.json`);
    const info = await stat(file).catch(() => undefined);
    const stamp = info ? `${info.size}:${info.mtimeMs}` : 'missing';
    let cached = this.snapshots.get(file);
    if (cached?.stamp !== stamp) {
      cached = { stamp, snapshot: readSnapshot(file) };
      this.snapshots.set(file, cached);
    }
    const snapshot = await cached.snapshot;
    return toBaseline(snapshot, id, `${path.basename(folder)}/${id}.json`, 'dir');
  }

  /** The runner, with a throwing or rejecting one (a test double, say) turned into a failure. */
  private async run(cwd: string, args: readonly string[], options?: GitRunOptions): Promise<GitResult> {
    try {
      return await this.git.run(cwd, args, options);
    } catch {
      return { ok: false, reason: 'git failed' };
    }
  }
}

/** One promise per key, shared by concurrent callers; answers not worth keeping are dropped once they settle. */
function memo<V>(map: Map<string, Promise<V>>, key: string, compute: () => Promise<Lookup<V>>): Promise<V> {
  const hit = map.get(key);
  if (hit) return hit;
  const promise: Promise<V> = compute().then(
    ({ value, keep }) => {
      if (!keep && map.get(key) === promise) map.delete(key);
      return value;
    },
    (error: unknown) => {
      if (map.get(key) === promise) map.delete(key);
      throw error;
    },
  );
  map.set(key, promise);
  return promise;
}

/** The entry for `key` (created when missing), moved to the end: the most recently used. */
function recentlyUsed<V>(map: Map<string, V>, key: string, create: () => V): V {
  const value = map.get(key) ?? create();
  map.delete(key);
  map.set(key, value);
  return value;
}

/** Drops the least recently used entries beyond `max`. */
function dropOldest(map: Map<string, unknown>, max: number): void {
  for (const oldest of map.keys()) {
    if (map.size <= max) break;
    map.delete(oldest);
  }
}

/** `file` relative to the repository root, with forward slashes; undefined when it lies outside. */
async function pathInside(root: string, file: string): Promise<string | undefined> {
  const direct = relativeInside(root, file);
  if (direct !== undefined) return direct;
  // git reports the root with symlinks resolved (/private/var on macOS, a linked checkout): resolve the file's
  // folder too. The file itself may not exist on disk yet.
  try {
    return relativeInside(root, path.join(await realpath(path.dirname(file)), path.basename(file)));
  } catch {
    return undefined;
  }
}

/** `file` relative to `root` with forward slashes, or undefined when it is `root` itself or lies outside. */
export function relativeInside(root: string, file: string): string | undefined {
  const relative = path.relative(root, file);
  if (!relative || path.isAbsolute(relative) || relative === '..' || relative.startsWith(`..${path.sep}`)) {
    return undefined;
  }
  return relative.split(path.sep).join('/');
}

async function readSnapshot(file: string): Promise<Snapshot | null> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_SNAPSHOT_BYTES) return null;
    return parseSnapshot(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
}

/** The policy in `text` when it is a JSON object (trailing commas and comments tolerated), else null. */
function parseSnapshot(text: string): Snapshot | null {
  const errors: ParseError[] = [];
  const value: unknown = parse(text.replace(/^\uFEFF/, ''), errors, { allowTrailingComma: true });
  if (errors.length > 0 || typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  // Own properties only: a "__proto__" key in the text must not supply them.
  return { text, id: ownProperty(value, 'id'), identityStoreDetails: ownProperty(value, 'identityStoreDetails') };
}

function ownProperty(object: object, key: string): unknown {
  return Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

function toBaseline(
  snapshot: Snapshot | null,
  id: string,
  label: string,
  source: Baseline['source'],
): Baseline | undefined {
  if (!snapshot || !id || typeof snapshot.id !== 'string' || !samePolicyId(snapshot.id, id)) return undefined;
  return { identityStoreDetails: snapshot.identityStoreDetails, text: snapshot.text, label, source };
}
