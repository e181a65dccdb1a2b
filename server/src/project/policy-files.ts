// Which files are login policies: the language's file patterns, a config's `policies` globs, and any other .json
// file whose top-level object has an `identityStoreDetails` key (content detection, DESIGN §3).
import picomatch from 'picomatch';
import { CONFIG_FILE_NAME } from '../engine/config/schema';

/**
 * The language's own file patterns (package.json contributes the same to VS Code); also what the CLI lints when
 * given no paths and no config `policies` (DESIGN §9).
 */
export const POLICY_FILE_PATTERNS = [
  '**/*.loginpolicy.json',
  '**/loginPolicies/**/*.json',
  '**/login-policies/**/*.json',
];

/** Never searched. */
/**
 * Never policies: dependencies, git's own files, a pull's temporary folder (`.deployed.pull-…`, swapped in whole when
 * the pull is complete, or left behind by a pull that was killed) and rotation journals.
 */
export const IGNORED_DIRS = ['**/node_modules/**', '**/.git/**', '**/.*.pull-*/**', '**/.loginpolicy-rotation/**'];

// Compiled on first use: compiling globs costs start-up time, and the first diagnostics of an editor session may
// not need them.
let matchesPattern: picomatch.Matcher | undefined;
let matchesIgnored: picomatch.Matcher | undefined;

/** True for paths (with forward slashes) in a folder that searches skip (`node_modules`, `.git`). */
export function isIgnoredPath(posixPath: string): boolean {
  matchesIgnored ??= picomatch(IGNORED_DIRS, { dot: true });
  return matchesIgnored(posixPath);
}

/** True for paths (with forward slashes) named like policies. */
export function isPolicyFileName(posixPath: string): boolean {
  if (posixPath.endsWith(`/${CONFIG_FILE_NAME}`) || posixPath === CONFIG_FILE_NAME) return false;
  // Most policy files end so: no glob to compile or run for them.
  if (posixPath.endsWith('.loginpolicy.json')) return true;
  matchesPattern ??= picomatch(POLICY_FILE_PATTERNS, { dot: true });
  return matchesPattern(posixPath);
}

export { hasIdentityStoreDetails } from '../shared/content-detection';
