// How a generated policy names the one it replaces: `acme.new.loginpolicy.json` (then `.new-2`, `.new-3`…) sits
// beside `acme.loginpolicy.json` (or `acme.json`). The name is the link, so it survives restarts and is visible.
import path from 'node:path';

const NEW_NAME = /^(.+)\.new(?:-(\d+))?\.loginpolicy\.json$/;

/** The base name a policy file's replacements are named after: `acme` for acme.loginpolicy.json or acme.json. */
export function policyBaseName(filePath: string): string {
  return path.basename(filePath).replace(/(\.new(-\d+)?)?(\.loginpolicy)?\.json$/, '');
}

/** Candidate names for a new policy beside `filePath`, in the order to try: x.new…, x.new-2…, x.new-3… */
export function* newPolicyNames(filePath: string): Generator<string> {
  const base = policyBaseName(filePath);
  yield `${base}.new.loginpolicy.json`;
  for (let n = 2; ; n++) yield `${base}.new-${n}.loginpolicy.json`;
}

/**
 * Files the document could be replacing, nearest first, when its name says it is a generated replacement: for
 * `x.new-3`, the earlier generations `x.new-2` and `x.new` (a rotation of a rotation), then `x` itself. The caller
 * takes the first that has an id: a generation not created yet replaces nothing.
 */
export function replacedCandidates(filePath: string): string[] {
  const match = NEW_NAME.exec(path.basename(filePath));
  if (!match) return [];
  const dir = path.dirname(filePath);
  const base = match[1]!;
  const generation = match[2] ? Number(match[2]) : 1;
  const earlier: string[] = [];
  for (let n = generation - 1; n >= 1; n--) {
    earlier.push(path.join(dir, n === 1 ? `${base}.new.loginpolicy.json` : `${base}.new-${n}.loginpolicy.json`));
  }
  return [...earlier, path.join(dir, `${base}.loginpolicy.json`), path.join(dir, `${base}.json`)];
}
