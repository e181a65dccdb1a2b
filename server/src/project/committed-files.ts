// Reads files as committed, many per git process: requests for the same repository and commit that arrive close
// together go to one `git cat-file --batch`, so a workspace of thousands of policies costs a few processes, not one
// per file. Paths that one input line cannot carry go to `git show`, one process each, as does a batch git refused.
import { GIT_OUTPUT_TOO_LARGE, type GitResult, type GitRunOptions } from './git';

export type CommittedFile =
  /** The file's bytes as committed. */
  | { readonly kind: 'file'; readonly bytes: Buffer }
  /** Not in that commit, not a file there, or too large: as final as the commit itself. */
  | { readonly kind: 'none' }
  /** git gave no answer (a timeout, no git at all, a garbled reply): worth asking again later. */
  | { readonly kind: 'failed' };

/** Runs git; never rejects. */
export type RunGit = (cwd: string, args: readonly string[], options?: GitRunOptions) => Promise<GitResult>;

export interface BatchLimits {
  /**
   * How long a request waits for others to join its batch (longer while a batch runs). The workspace pass analyses
   * a file every few milliseconds and asks for its baseline as it goes, so requests trickle in: sending each batch as
   * soon as the previous one ended made batches of 3 to 10 files; a window of 20 ms makes them 15 to 200 (1,000 and
   * 5,000 files), and delays nothing anyone waits for (the first diagnostics never wait for the baseline).
   */
  readonly windowMs: number;
  /** The most objects one process reads: a larger queue is split, and a full one goes without waiting. */
  readonly maxObjects: number;
  /** The most output one process may write; a batch over it is split in halves until each part fits. */
  readonly maxOutputBytes: number;
  /** Files larger than this are not read as text at all (none, like a missing file). */
  readonly maxFileBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = {
  windowMs: 20,
  maxObjects: 500,
  // 500 policies of 64 KiB each: real ones are a few KiB, so a batch is split only when something odd is committed.
  maxOutputBytes: 32 * 1024 * 1024,
  maxFileBytes: 8 * 1024 * 1024,
};

const NONE: CommittedFile = { kind: 'none' };
const FAILED: CommittedFile = { kind: 'failed' };
const LINE_FEED = 0x0a;
/** What cat-file prints before an object's contents: `<oid> <type> <size>`. */
const OBJECT_HEADER = /^(?:[0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) (\d+)$/;

interface Waiting {
  readonly path: string;
  /** When it was asked for. */
  readonly since: number;
  readonly resolve: (file: CommittedFile) => void;
}

/** The requests waiting for one repository and commit, and whether a process for them is running. */
interface Queue {
  readonly root: string;
  readonly commit: string;
  readonly waiting: Waiting[];
  timer: NodeJS.Timeout | undefined;
  running: boolean;
}

export class CommittedFileReader {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly run: RunGit,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The file at `path` (relative to `root`, with forward slashes) in `commit`. Never rejects. */
  read(root: string, commit: string, path: string): Promise<CommittedFile> {
    // cat-file reads one object name per line, and takes a carriage return before the line feed as part of it.
    if (/[\r\n]/.test(path)) return this.show(root, commit, path);
    const key = `${root}\0${commit}`;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { root, commit, waiting: [], timer: undefined, running: false };
      this.queues.set(key, queue);
    }
    const promise = new Promise<CommittedFile>((resolve) => queue.waiting.push({ path, since: this.now(), resolve }));
    this.schedule(key, queue);
    return promise;
  }

  /**
   * Starts a batch when one is due: at once when the queue is full, else once the oldest request has waited the
   * window. Nothing starts while a batch runs: its end calls this again.
   */
  private schedule(key: string, queue: Queue): void {
    if (queue.running) return;
    const oldest = queue.waiting[0];
    if (!oldest) {
      this.queues.delete(key);
      return;
    }
    const wait = oldest.since + this.limits.windowMs - this.now();
    if (queue.waiting.length >= this.limits.maxObjects || wait <= 0) this.start(key, queue);
    else queue.timer ??= setTimeout(() => this.start(key, queue), wait);
  }

  /** Sends what is waiting (up to maxObjects) to one process. */
  private start(key: string, queue: Queue): void {
    clearTimeout(queue.timer);
    queue.timer = undefined;
    const batch = queue.waiting.splice(0, this.limits.maxObjects);
    queue.running = true;
    void this.fetch(
      queue.root,
      queue.commit,
      batch.map((waiting) => waiting.path),
    )
      .catch(() => batch.map(() => FAILED))
      .then((files) => {
        batch.forEach((waiting, i) => waiting.resolve(files[i] ?? FAILED));
        queue.running = false;
        this.schedule(key, queue);
      });
  }

  private async fetch(root: string, commit: string, paths: readonly string[]): Promise<CommittedFile[]> {
    const names = paths.map((path) => `${commit}:${path}`);
    const result = await this.run(root, ['cat-file', '--batch', '--buffer'], {
      input: names.map((name) => `${name}\n`).join(''),
      maxOutputBytes: this.limits.maxOutputBytes,
    });
    if (result.ok) return parseBatch(result.stdout, names, this.limits.maxFileBytes) ?? paths.map(() => FAILED);
    if (result.reason === GIT_OUTPUT_TOO_LARGE && paths.length > 1) {
      const half = Math.ceil(paths.length / 2);
      return [
        ...(await this.fetch(root, commit, paths.slice(0, half))),
        ...(await this.fetch(root, commit, paths.slice(half))),
      ];
    }
    // A timeout or no git at all: nothing now, and the next lookup asks again.
    if (result.exitCode === undefined) return paths.map(() => FAILED);
    // git ran and refused the whole batch (a corrupt object, say): each file alone, one process at a time, so the
    // others still get their answer.
    const files: CommittedFile[] = [];
    for (const path of paths) files.push(await this.show(root, commit, path));
    return files;
  }

  /**
   * One file by `git show <commit>:<path>`: a failure git answered (the path is not there) is final, and so is a
   * file too large, as in a batch.
   */
  private async show(root: string, commit: string, path: string): Promise<CommittedFile> {
    const result = await this.run(root, ['show', `${commit}:${path}`], { maxOutputBytes: this.limits.maxFileBytes });
    if (result.ok) return { kind: 'file', bytes: result.stdout };
    return result.exitCode !== undefined || result.reason === GIT_OUTPUT_TOO_LARGE ? NONE : FAILED;
  }
}

/**
 * Splits `cat-file --batch` output into one answer per requested name, in order: `<oid> <type> <size>\n`, that
 * many bytes and a line feed, or `<name> missing\n`. Undefined when the output does not have that shape.
 */
export function parseBatch(
  stdout: Buffer,
  names: readonly string[],
  maxFileBytes: number,
): CommittedFile[] | undefined {
  const files: CommittedFile[] = [];
  let at = 0;
  for (const name of names) {
    const end = stdout.indexOf(LINE_FEED, at);
    if (end < 0) return undefined;
    const header = stdout.toString('utf8', at, end);
    at = end + 1;
    const object = OBJECT_HEADER.exec(header);
    if (object) {
      const size = Number(object[2]);
      if (stdout[at + size] !== LINE_FEED) return undefined;
      // A folder (tree) or a submodule (commit) at that path is no policy file.
      files.push(
        object[1] === 'blob' && size <= maxFileBytes ? { kind: 'file', bytes: stdout.subarray(at, at + size) } : NONE,
      );
      at += size + 1;
    } else if (header === `${name} missing` || header === `${name} ambiguous`) {
      files.push(NONE);
    } else {
      return undefined;
    }
  }
  return at === stdout.length ? files : undefined;
}
