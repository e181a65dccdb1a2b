// What a workspace's configs add to the file watchers. Their `policies` globs and deployed-snapshot folders lie
// outside the language's fixed patterns: without these watchers an edit on disk there went unseen until later.
import picomatch from 'picomatch';
import type { FileSystemWatcher } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { relativeInside } from './baseline';
import { IGNORED_DIRS } from './policy-files';

/** One workspace folder and what its config says. */
export interface ConfigWatch {
  readonly folder: string;
  /** The config's `policies` globs, relative to the folder, as the workspace scan reads them. */
  readonly policies: readonly string[];
  /** The absolute snapshot folder of `baseline: {"dir": …}`. */
  readonly snapshotDir?: string;
}

export class ConfigWatches {
  /** Registrations are replaced only when this changes. */
  readonly key: string;
  private readonly matchers: { folder: string; match: (relative: string) => boolean }[];

  constructor(private readonly watches: readonly ConfigWatch[]) {
    const kept = watches.filter((w) => w.policies.length > 0 || w.snapshotDir !== undefined);
    this.key = JSON.stringify(kept);
    this.matchers = kept
      .filter((w) => w.policies.length > 0)
      .map((w) => ({ folder: w.folder, match: picomatch([...w.policies], { dot: true, ignore: IGNORED_DIRS }) }));
  }

  /**
   * The watchers to register. A client without relative patterns gets one broad pattern instead: the server
   * sorts what it reports with isPolicy() and its snapshot test, so nothing else is indexed.
   */
  watchers(relativePatterns: boolean): FileSystemWatcher[] {
    const watchers: FileSystemWatcher[] = [];
    for (const { folder, policies, snapshotDir } of this.watches) {
      const baseUri = URI.file(folder).toString();
      for (const pattern of policies) watchers.push({ globPattern: { baseUri, pattern } });
      if (snapshotDir)
        watchers.push({ globPattern: { baseUri: URI.file(snapshotDir).toString(), pattern: '**/*.json' } });
    }
    if (watchers.length === 0 || relativePatterns) return watchers;
    return [{ globPattern: '**/*.json' }];
  }

  /** True for a file that a config's `policies` globs name, by the workspace scan's own reading of them. */
  isPolicy(file: string): boolean {
    return this.matchers.some(({ folder, match }) => {
      const relative = relativeInside(folder, file);
      return relative !== undefined && match(relative);
    });
  }
}
