// Which files the CLI lints: explicit files, folders searched for policies, globs, or (with no paths) the config's
// `policies` globs, else the files the editor treats as policies by name. Results are absolute, de-duplicated and sorted.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { LoadedConfig } from '../project/config-store';
import { hasIdentityStoreDetails, IGNORED_DIRS, isPolicyFileName, POLICY_FILE_PATTERNS } from '../project/policy-files';
import { isConfigFile } from '../project/config-store';
import { UsageError } from './args';

export interface Discovered {
  readonly files: readonly string[];
  /** What was searched, for the "nothing found" message. */
  readonly searched: string;
}

export async function discoverFiles(
  patterns: readonly string[],
  cwd: string,
  config: LoadedConfig | undefined,
  /** Files a search skips (deployed snapshots); a file named on the command line is always linted. */
  skip: (file: string) => boolean = () => false,
): Promise<Discovered> {
  if (patterns.length === 0) {
    const globs = config?.config?.policies;
    if (globs && globs.length > 0) {
      const files = await globFiles(globs, config.dir, skip);
      return { files, searched: `the "policies" of ${config.path}` };
    }
    // The files the editor treats as policies by name (DESIGN §3, §9).
    return { files: await globFiles(POLICY_FILE_PATTERNS, cwd, skip), searched: POLICY_FILE_PATTERNS.join(', ') };
  }
  const found = new Set<string>();
  for (const pattern of patterns) {
    const absolute = path.resolve(cwd, pattern);
    const kind = kindOf(absolute);
    let matches: readonly string[];
    if (kind === 'file') matches = [absolute];
    else if (kind === 'dir') matches = await policiesIn(absolute, skip);
    else matches = await globFiles([pattern], cwd, skip);
    if (matches.length === 0) {
      throw new UsageError(
        kind === 'dir'
          ? `No login policy files in "${pattern}" (looked for ${POLICY_FILE_PATTERNS.join(', ')} and .json files with "identityStoreDetails").`
          : `No files match "${pattern}".`,
      );
    }
    for (const file of matches) found.add(file);
  }
  return { files: [...found].sort(), searched: patterns.join(' ') };
}

/** Policy files in a folder: named like policies, or .json files whose content is a policy. */
async function policiesIn(dir: string, skip: (file: string) => boolean): Promise<string[]> {
  // Skipped before the content test, so no snapshot is read for nothing.
  const candidates = await globFiles(['**/*.json'], dir, skip);
  return candidates.filter((file) => {
    if (isConfigFile(file)) return false;
    if (isPolicyFileName(path.relative(dir, file).split(path.sep).join('/'))) return true;
    if (isPolicyFileName(file.split(path.sep).join('/'))) return true;
    try {
      return hasIdentityStoreDetails(readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
  });
}

async function globFiles(patterns: readonly string[], cwd: string, skip: (file: string) => boolean): Promise<string[]> {
  const files = await glob([...patterns], { cwd, absolute: true, dot: true, onlyFiles: true, ignore: IGNORED_DIRS });
  return files
    .map((f) => path.resolve(f))
    .filter((f) => !isConfigFile(f) && !skip(f))
    .sort();
}

function kindOf(absolute: string): 'file' | 'dir' | 'none' {
  try {
    const stat = statSync(absolute);
    return stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'none';
  } catch {
    return 'none';
  }
}
