// The rotation journal (DESIGN §14): one file per rotated policy, `.loginpolicy-rotation/<old id>.json`, written before
// and after every step, so a run that was killed, timed out or refused resumes where it stopped. It holds ids, titles,
// times and fingerprints: never a secret. The store writes it atomically (a temporary file renamed over the old one),
// so a kill leaves either the previous version or the new one, never half of one.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { takeLockFile } from './rotation-lock';

export const JOURNAL_DIR = '.loginpolicy-rotation';
const VERSION = 1;

const sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const isoTime = z.string().check(z.regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/));

const stepSchema = z.object({
  id: z.string(),
  state: z.enum(['started', 'done', 'failed']),
  startedAt: isoTime,
  finishedAt: z.optional(isoTime),
  ms: z.optional(z.number()),
  /** What the step found or did, in words ("already on the new policy"). */
  note: z.optional(z.string()),
  /** Why it failed: the one line the user saw, secret-free. */
  error: z.optional(z.string()),
});

const journalSchema = z.object({
  version: z.literal(VERSION),
  oldPolicyId: z.string(),
  oldTitle: z.string(),
  customerId: z.string(),
  ownerClientId: z.string(),
  /** Every old policy of the run (a reset rotates them together), this one included. */
  together: z.array(z.string()),
  /** Random, per journal: part of the new policy's title, which is how a lost POST answer is found again. */
  runId: z.string().check(z.regex(/^[0-9a-f]{8}$/)),
  startedAt: isoTime,
  updatedAt: isoTime,
  newSecret: z.object({
    source: z.enum(['env', 'stdin', 'typed', 'reset']),
    /** Null until the reset that makes it has answered. */
    sha256: z.nullable(sha256),
  }),
  oldSecret: z.object({ sha256, dead: z.boolean() }),
  reset: z.nullable(
    z.object({
      hoursToLive: z.number(),
      /** The owner client's current secret before the reset: if it changed, the reset happened. */
      previousSha256: sha256,
      /** When the reset was sent (the old secret stops hoursToLive hours after it); null until it was. */
      at: z.nullable(isoTime),
    }),
  ),
  newPolicy: z.object({ title: z.string(), id: z.nullable(z.string()) }),
  deleteOld: z.boolean(),
  steps: z.array(stepSchema),
  done: z.boolean(),
  aborted: z.boolean(),
});

export type RotationJournal = z.infer<typeof journalSchema>;
export type JournalStep = z.infer<typeof stepSchema>;

/** A fresh journal for an old policy; nothing has run yet. */
export function newJournal(
  fields: Omit<RotationJournal, 'version' | 'steps' | 'done' | 'aborted' | 'updatedAt'>,
): RotationJournal {
  return { version: VERSION, ...fields, updatedAt: fields.startedAt, steps: [], done: false, aborted: false };
}

export function stepOf(journal: RotationJournal, id: string): JournalStep | undefined {
  return journal.steps.find((s) => s.id === id);
}

/** Records a step's new state, keeping its place in the order steps first ran. */
export function recordStep(journal: RotationJournal, step: JournalStep, now: Date): void {
  const index = journal.steps.findIndex((s) => s.id === step.id);
  if (index >= 0) journal.steps[index] = step;
  else journal.steps.push(step);
  journal.updatedAt = now.toISOString();
}

/** A journal that cannot be read or is not one: the rotation stops rather than guess (exit 2). */
export class JournalError extends Error {}

export interface JournalStore {
  /** The journal of a rotation of this policy, or undefined when there is none. Throws JournalError. */
  load(oldPolicyId: string): RotationJournal | undefined;
  save(journal: RotationJournal): void;
  /** Keeps a finished journal under another name, so a new rotation of the same policy can start its own. */
  archive(journal: RotationJournal): void;
  /** Where the journal of a policy is, for messages. */
  where(oldPolicyId: string): string;
  /**
   * Takes the lock of each rotation (rotation-lock.ts) until the returned release is called; throws
   * ConcurrentRotation while another run holds one. Taken again by the holder, it is simply held once more.
   */
  lock?(oldPolicyIds: readonly string[]): () => void;
}

/** Journals as files in `<folder>/.loginpolicy-rotation/`. */
export class FileJournalStore implements JournalStore {
  readonly dir: string;
  /** The locks this store holds, and how many times each was taken (the CLI for its run, then the executor). */
  readonly #held = new Map<string, { count: number; release: () => void }>();

  constructor(folder: string) {
    this.dir = path.join(folder, JOURNAL_DIR);
  }

  where(oldPolicyId: string): string {
    return path.join(this.dir, `${fileSafe(oldPolicyId)}.json`);
  }

  load(oldPolicyId: string): RotationJournal | undefined {
    const file = this.where(oldPolicyId);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new JournalError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JournalError(`${file} is not JSON; move it aside to start the rotation afresh`);
    }
    const parsed = journalSchema.safeParse(value);
    if (!parsed.success || parsed.data.oldPolicyId !== oldPolicyId) {
      throw new JournalError(`${file} is not a rotation journal of this version; move it aside to start afresh`);
    }
    return parsed.data;
  }

  save(journal: RotationJournal): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.where(journal.oldPolicyId);
    const staging = `${file}.${process.pid}.tmp`;
    writeFileSync(staging, `${JSON.stringify(journal, null, 2)}\n`);
    renameSync(staging, file);
  }

  lock(oldPolicyIds: readonly string[]): () => void {
    mkdirSync(this.dir, { recursive: true });
    const releases: (() => void)[] = [];
    const releaseAll = (): void => {
      for (const release of releases.splice(0).reverse()) release();
    };
    try {
      for (const id of [...new Set(oldPolicyIds)].sort()) releases.push(this.lockOne(id));
    } catch (error) {
      releaseAll();
      throw error;
    }
    return releaseAll;
  }

  private lockOne(oldPolicyId: string): () => void {
    const file = path.join(this.dir, `${fileSafe(oldPolicyId)}.lock`);
    const held = this.#held.get(file) ?? { count: 0, release: () => undefined };
    if (held.count === 0) held.release = takeLockFile(file, oldPolicyId, new Date());
    held.count++;
    this.#held.set(file, held);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--held.count === 0) {
        this.#held.delete(file);
        held.release();
      }
    };
  }

  archive(journal: RotationJournal): void {
    const stamp = journal.updatedAt.replace(/[-:]|\.\d+/g, '');
    renameSync(this.where(journal.oldPolicyId), path.join(this.dir, `${fileSafe(journal.oldPolicyId)}.${stamp}.json`));
  }
}

/** An id as one file name (ids are UUIDs; anything else is reduced to harmless characters). */
function fileSafe(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 200);
  return /^[A-Za-z0-9]/.test(safe) ? safe : `_${safe}`;
}
