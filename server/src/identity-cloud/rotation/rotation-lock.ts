// The lock of a rotation (DESIGN §14): `.loginpolicy-rotation/<old id>.lock`, created exclusively for as long as a
// run may change anything (rotate --apply, --abort --apply, the editor's Rotate), so that two runs of one rotation (the
// CLI and VS Code, a CI job started twice) never plan and POST side by side. It holds the pid, the host and the start
// time. A run killed outright leaves its lock behind: a lock whose process no longer runs on this machine is taken
// over, so such a run stays resumable. The folder is never searched for policy files (IGNORED_DIRS).
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Another run holds the lock, or changed the journal since this run read it: nothing was changed (exit 2). */
export class ConcurrentRotation extends Error {}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/**
 * Takes the lock file for `policyId`, or throws ConcurrentRotation naming the live holder. Returns its release, which
 * removes the file (once; a second call does nothing).
 */
export function takeLockFile(file: string, policyId: string, now: Date): () => void {
  const mine: Holder = { pid: process.pid, host: hostname(), startedAt: now.toISOString() };
  const text = `${JSON.stringify(mine)}\n`;
  // Written whole under a name of our own, then linked into place: link() fails when the lock exists, and a reader
  // never sees half a lock.
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, text);
  try {
    link(staging, file, policyId);
  } finally {
    unlinkSync(staging);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // Only our own lock: a run that outlived a takeover must not remove its successor's.
    if (readHolderText(file) === text) unlinkSync(file);
  };
}

/** Links the complete lock into place; a dead holder's lock is taken over once, then the link is tried again. */
function link(staging: string, file: string, policyId: string): void {
  let holder: Holder | undefined | 'gone';
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      linkSync(staging, file);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    holder = readHolder(file);
    if (holder === 'gone') continue; // released in between
    if (attempt > 0 || !holder || isRunning(holder)) break;
    takeOver(file, holder, policyId);
  }
  throw running(policyId, holder === 'gone' ? undefined : holder, file);
}

/** Moves a dead holder's lock aside, unless another run replaced it meanwhile (then that run holds it). */
function takeOver(file: string, dead: Holder, policyId: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // taken over and released by another run
    throw error;
  }
  const moved = parseHolder(readHolderText(aside));
  if (moved?.pid !== dead.pid || moved.startedAt !== dead.startedAt || moved.host !== dead.host) {
    // Not the dead lock but a fresh one, taken just now by another run: put it back where it was.
    try {
      linkSync(aside, file);
    } catch {
      // a third run took the place meanwhile: it holds the lock
    }
    unlinkSync(aside);
    throw running(policyId, moved, file);
  }
  unlinkSync(aside);
}

function running(policyId: string, holder: Holder | undefined, file: string): ConcurrentRotation {
  const who = holder
    ? `pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}`
    : 'its lock file is not one this tool wrote';
  return new ConcurrentRotation(
    `another rotation of ${policyId} is running (${who}): let it finish, or if none is running, remove ${file}`,
  );
}

/** The holder, undefined when the file is not a lock, or 'gone' when it disappeared in between. */
function readHolder(file: string): Holder | undefined | 'gone' {
  const text = readHolderText(file);
  return text === undefined ? 'gone' : parseHolder(text);
}

function readHolderText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(text: string | undefined): Holder | undefined {
  try {
    const value = JSON.parse(text ?? '') as Partial<Holder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.startedAt === 'string') {
      return { pid: value.pid, host: value.host, startedAt: value.startedAt };
    }
  } catch {
    // not a lock this code wrote
  }
  return undefined;
}

/** Whether the holder still runs. Another machine's process cannot be asked: it is taken to run. */
function isRunning(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
