// What a reliable file watcher would have told the language server about a pull. The pulled folder is swapped in by
// renaming a temporary folder, which watchers report as a folder, not file by file (or, in VS Code, not at all), and
// the server watches the snapshot folder of a workspace folder's own config only: the extension therefore sends
// these changes itself after each pull, as workspace/didChangeWatchedFiles. No `vscode` import: unit-tested as is.
import path from 'node:path';
import { FileChangeType } from 'vscode-languageserver-protocol';
import type { PullResult } from '../../server/src/identity-cloud/deployed-pull';
import { PULLED_FILE } from '../../server/src/identity-cloud/pulled-folder';

export interface FileEvent {
  /** Absolute path. */
  readonly path: string;
  readonly type: FileChangeType;
}

/**
 * The events of a pull: its files created, changed and removed in the pulled folder (and pulled.json changed), and
 * every file of the temporary folder deleted, since a watcher may have reported them while they were written.
 * `files`: the pulled files now in the folder, relative with forward slashes (what the temporary folder held).
 */
export function pullFileEvents(
  result: Pick<PullResult, 'outDir' | 'stagingDir' | 'written' | 'changes'>,
  files: Iterable<string>,
): FileEvent[] {
  if (!result.written) return [];
  const { stagingDir, outDir, changes } = result;
  const events = (dir: string, relatives: Iterable<string>, type: FileChangeType): FileEvent[] =>
    [...relatives].map((relative) => ({ path: path.join(dir, ...relative.split('/')), type }));
  return [
    ...(stagingDir ? events(stagingDir, files, FileChangeType.Deleted) : []),
    ...events(outDir, changes.added, FileChangeType.Created),
    ...events(outDir, changes.changed, FileChangeType.Changed),
    ...events(outDir, changes.removed, FileChangeType.Deleted),
    ...events(outDir, [PULLED_FILE], FileChangeType.Changed),
  ];
}
