// What a workspace's configs add to the file watchers. Their `policies` globs and deployed-snapshot folders lie
// outside the language's fixed patterns: without these watchers an edit on disk there went unseen until later.
import path from 'node:path';
import picomatch from 'picomatch';
import type { FileSystemWatcher } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { relativeInside } from './baseline';
import { IGNORED_DIRS } from './policy-files';

/** One workspace folder and what its config says. */
export interface ConfigWatch {
  readonly folder: string;
  /** The config's `policies` globs, relative to the folder, as the workspace scan reads them (`!` excludes). */
  readonly policies: readonly string[];
  /** The absolute snapshot folder of `baseline: {"dir": …}`. */
  readonly snapshotDir?: string;
}

/** A glob with its leading `./` and `../` turned into its base folder: editors watch only below a base. */
interface Rooted {
  readonly base: string;
  readonly pattern: string;
}

interface Matcher {
  readonly base: string;
  readonly match: (relative: string) => boolean;
}

export class ConfigWatches {
  /** Registrations are replaced only when this changes. */
  readonly key: string;
  private readonly kept: readonly ConfigWatch[];
  private readonly includes: readonly Rooted[];
  private readonly included: readonly Matcher[];
  private readonly excluded: readonly Matcher[];

  constructor(watches: readonly ConfigWatch[]) {
    this.kept = watches.filter((w) => w.policies.length > 0 || w.snapshotDir !== undefined);
    this.key = JSON.stringify(this.kept);
    const globs = (negated: boolean) =>
      this.kept.flatMap((w) =>
        w.policies.filter((g) => g.startsWith('!') === negated).map((g) => rooted(w.folder, negated ? g.slice(1) : g)),
      );
    this.includes = globs(false);
    this.included = this.includes.map(({ base, pattern }) => ({
      base,
      match: picomatch(pattern, { dot: true, ignore: IGNORED_DIRS }),
    }));
    this.excluded = globs(true).map(({ base, pattern }) => ({ base, match: picomatch(pattern, { dot: true }) }));
  }

  /**
   * The watchers to register: each including glob and each snapshot folder, relative to its base. A client
   * without relative patterns gets one broad pattern instead; the server sorts what it reports with isPolicy()
   * and its snapshot test, so nothing else is indexed.
   */
  watchers(relativePatterns: boolean): FileSystemWatcher[] {
    const watchers: FileSystemWatcher[] = this.includes.map(({ base, pattern }) => ({
      globPattern: { baseUri: URI.file(base).toString(), pattern },
    }));
    for (const { snapshotDir } of this.kept) {
      if (snapshotDir)
        watchers.push({ globPattern: { baseUri: URI.file(snapshotDir).toString(), pattern: '**/*.json' } });
    }
    if (watchers.length === 0 || relativePatterns) return watchers;
    return [{ globPattern: '**/*.json' }];
  }

  /** True for a file that a config's `policies` globs name, by the workspace scan's own reading of them. */
  isPolicy(file: string): boolean {
    const matches = (m: Matcher) => {
      const relative = relativeInside(m.base, file);
      return relative !== undefined && m.match(relative);
    };
    return this.included.some(matches) && !this.excluded.some(matches);
  }
}

function rooted(folder: string, glob: string): Rooted {
  let base = folder;
  let pattern = glob;
  for (;;) {
    if (pattern.startsWith('./')) pattern = pattern.slice(2);
    else if (pattern.startsWith('../')) {
      base = path.dirname(base);
      pattern = pattern.slice(3);
    } else return { base, pattern };
  }
}
