// Locates this package's own files (package.json, docs/) from the running code, bundled or not.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let cached: string | undefined;

/** The folder holding login-policy-lint's package.json (the repository, or the installed extension). */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'login-policy-lint') {
          return (cached = dir);
        }
      } catch {
        // not ours; keep walking up
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return (cached = path.resolve(__dirname, '../..'));
    dir = up;
  }
}

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** file: URL of a file shipped with the package, such as docs/rules/schema.md. */
export function packageFileUrl(relative: string): string {
  return pathToFileURL(path.join(packageRoot(), relative)).href;
}

export function readPackageFile(relative: string): string | undefined {
  try {
    return readFileSync(path.join(packageRoot(), relative), 'utf8');
  } catch {
    return undefined;
  }
}
