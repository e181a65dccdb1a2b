// Paths as messages show them: relative to the working folder (the CLI's, or the editor's workspace folder) when
// inside it, else absolute; always with forward slashes.
import path from 'node:path';

/** `policies/a.json`: relative to `cwd` when inside it, else absolute; forward slashes. */
export function relative(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}
