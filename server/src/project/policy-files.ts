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
export const IGNORED_DIRS = ['**/node_modules/**', '**/.git/**'];

const matchesPattern = picomatch(POLICY_FILE_PATTERNS, { dot: true });
const matchesIgnored = picomatch(IGNORED_DIRS, { dot: true });

/** True for paths (with forward slashes) in a folder that searches skip (`node_modules`, `.git`). */
export function isIgnoredPath(posixPath: string): boolean {
  return matchesIgnored(posixPath);
}

/** True for paths (with forward slashes) named like policies. */
export function isPolicyFileName(posixPath: string): boolean {
  return !posixPath.endsWith(`/${CONFIG_FILE_NAME}`) && posixPath !== CONFIG_FILE_NAME && matchesPattern(posixPath);
}

export { hasIdentityStoreDetails } from '../shared/content-detection';
