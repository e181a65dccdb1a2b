// Unfinished rotations: the journals (`.loginpolicy-rotation/<old id>.json`) that are neither done nor aborted, one
// entry per rotation (a reset rotates several policies together, one journal each). The editor offers Resume and Abort
// for each, at activation and when Rotate Owner Secret starts. Reads files only; no `vscode` import: unit-tested.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  FileJournalStore,
  JOURNAL_DIR,
  JournalError,
  type RotationJournal,
} from '../../server/src/identity-cloud/rotation/journal';

export interface UnfinishedRotation {
  /** The folder the journals are in (the config's, else the workspace folder's). */
  readonly folder: string;
  /** The old policies, rotated together. */
  readonly policyIds: readonly string[];
  readonly titles: readonly string[];
  /** The owner client whose secret it rotates. */
  readonly ownerClientId: string;
  /** The first journal's path. */
  readonly journal: string;
  /** Steps an earlier run finished. */
  readonly stepsDone: number;
  /** The step that stopped it, when one failed or was cut off: its id and, for a failure, why. */
  readonly stoppedAt: { readonly step: string; readonly error?: string } | undefined;
  /** A reset rotation whose new policies do not all exist: resuming it needs the owner credentials. */
  readonly needsOwner: boolean;
}

/**
 * The unfinished rotations among `files` (journal paths, as found in the workspace). Archived journals
 * (`<id>.<time>.json`), unreadable ones and finished ones are left out; so is a file that is no journal.
 */
export function unfinishedRotations(files: readonly string[]): UnfinishedRotation[] {
  const found = new Map<string, UnfinishedRotation>();
  for (const file of [...files].sort()) {
    if (path.basename(path.dirname(file)) !== JOURNAL_DIR) continue;
    const folder = path.dirname(path.dirname(file));
    const store = new FileJournalStore(folder);
    let journal: RotationJournal | undefined;
    try {
      journal = store.load(path.basename(file, '.json'));
    } catch (error) {
      if (error instanceof JournalError) continue;
      throw error;
    }
    if (!journal || journal.done || journal.aborted) continue;
    const key = `${folder}\n${[...journal.together].sort().join(' ')}`;
    if (found.has(key)) continue;
    const group = journal.together.map((id) => (id === journal.oldPolicyId ? journal : safeLoad(store, id)));
    const steps = new Map(group.flatMap((j) => j?.steps ?? []).map((s) => [s.id, s]));
    const stopped = [...steps.values()].find((s) => s.state !== 'done');
    found.set(key, {
      folder,
      policyIds: journal.together,
      titles: group.map((j, i) => j?.oldTitle ?? journal.together[i]!),
      ownerClientId: journal.ownerClientId,
      journal: store.where(journal.together[0]!),
      stepsDone: [...steps.values()].filter((s) => s.state === 'done').length,
      stoppedAt: stopped && { step: stopped.id, ...(stopped.error ? { error: stopped.error } : {}) },
      needsOwner:
        journal.newSecret.source === 'reset' &&
        group.some(
          (j) => j !== undefined && !j.steps.some((s) => s.id === `create:${j.oldPolicyId}` && s.state === 'done'),
        ),
    });
  }
  return [...found.values()];
}

/** The journal files in `folder`'s journal folder (none when it has none). */
export function journalFilesIn(folder: string): string[] {
  const dir = path.join(folder, JOURNAL_DIR);
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/** In words, for the notification: `"ACME Login Policy" (5 steps done; stopped at repoint:…: HTTP 500)`. */
export function describeUnfinished(rotation: UnfinishedRotation): string {
  const names = rotation.titles.map((t) => `"${t}"`).join(', ');
  const stopped = rotation.stoppedAt
    ? `; it stopped at ${rotation.stoppedAt.step}${rotation.stoppedAt.error ? ` (${rotation.stoppedAt.error})` : ''}`
    : '';
  return `${names} (${rotation.stepsDone} ${rotation.stepsDone === 1 ? 'step' : 'steps'} done${stopped})`;
}

function safeLoad(store: FileJournalStore, id: string): RotationJournal | undefined {
  try {
    return store.load(id);
  } catch {
    return undefined;
  }
}
