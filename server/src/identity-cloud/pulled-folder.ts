// The pulled folder of DESIGN §13 on disk: `<policyId>.json` per login policy (its secret as `sha256:<hex>`),
// `clients/<oidcClientId>.json` per OIDC client, `pulled.json`. Rendered deterministically, compared with what is
// there, and swapped in whole: written to a temporary folder beside the target, renamed into place only when complete.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { isObject, type JsonObject } from './api-types';
import { fingerprintedSecret } from '../shared/fingerprint';

export const PULLED_FILE = 'pulled.json';
export const CLIENTS_DIR = 'clients';

/** What `pulled.json` holds. */
export interface PulledMeta {
  readonly pulledAt: string;
  readonly customerId: string;
  readonly region: string;
  readonly policies: number;
  readonly clients: number;
}

/** The files of a pull: path relative to the folder (forward slashes) → content. */
export type PulledFiles = ReadonlyMap<string, string>;

/** A file name must be the id as the API gave it: one path segment, nothing that could climb out of the folder. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** An id fit to be a file name, or why not. */
export function unsafeIdReason(id: string): string | undefined {
  if (!SAFE_ID.test(id)) return 'is not usable as a file name';
  if (id.toLowerCase() === 'pulled') return 'would overwrite pulled.json';
  return undefined;
}

/** Keys whose string value is a credential: fingerprinted wherever they appear (DESIGN §10: no secret on disk). */
const SECRET_KEY = /secret|password|(^|_)token$/i;

/**
 * Claim maps name claims, chosen by the customer, and map them to Capture attribute paths: never a credential. A
 * claim such as "passwordLastUpdated" stays as deployed, or the snapshot would differ from what is deployed.
 */
const NO_SECRETS_BELOW = 'customClaims';

/**
 * A copy of a GET answer with every secret replaced by its fingerprint, keys kept in the order the API gave them.
 * An empty string is no secret and stays empty, so a policy without one still shows it.
 */
export function withSecretsFingerprinted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSecretsFingerprinted);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    const copy =
      key === NO_SECRETS_BELOW
        ? inner
        : typeof inner === 'string' && inner !== '' && SECRET_KEY.test(key)
          ? fingerprintedSecret(inner)
          : withSecretsFingerprinted(inner);
    // "__proto__" from JSON is an ordinary key; assigning it would set the prototype.
    Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** JSON as pull writes it: 2-space indent, final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function policyPath(id: string): string {
  return `${id}.json`;
}

export function clientPath(id: string): string {
  return `${CLIENTS_DIR}/${id}.json`;
}

/** The content files of a pull (everything but pulled.json), keyed by path. */
export function renderContent(policies: readonly JsonObject[], clients: readonly JsonObject[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const policy of policies)
    files.set(policyPath(String(policy['id'])), jsonText(withSecretsFingerprinted(policy)));
  for (const client of clients) files.set(clientPath(String(client['id'])), jsonText(withSecretsFingerprinted(client)));
  return files;
}

export function metaText(meta: PulledMeta): string {
  const { pulledAt, customerId, region, policies, clients } = meta;
  return jsonText({ pulledAt, customerId, region, policies, clients });
}

/** Whether a path of the folder is pull's own: a top-level `.json` file or a `.json` file of `clients/`. */
export function isPulledPath(relativePath: string): boolean {
  const parts = relativePath.split('/');
  if (!relativePath.endsWith('.json')) return false;
  return parts.length === 1 || (parts.length === 2 && parts[0] === CLIENTS_DIR);
}

/** Pull's own files in the folder (empty when there is no folder). */
export function readPulledFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const read = (relative: string): void => {
    const full = path.join(dir, ...relative.split('/'));
    if (statSync(full).isFile()) files.set(relative, readFileSync(full, 'utf8'));
  };
  for (const name of entries(dir)) {
    if (isPulledPath(name)) read(name);
    else if (name === CLIENTS_DIR && statSync(path.join(dir, name)).isDirectory()) {
      for (const inner of entries(path.join(dir, name))) if (isPulledPath(`${name}/${inner}`)) read(`${name}/${inner}`);
    }
  }
  return files;
}

/** The `pulled.json` of a folder's files, when it is there and well formed. */
export function metaOf(files: PulledFiles): PulledMeta | undefined {
  const text = files.get(PULLED_FILE);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (
      isObject(value) &&
      typeof value['pulledAt'] === 'string' &&
      typeof value['customerId'] === 'string' &&
      typeof value['region'] === 'string' &&
      typeof value['policies'] === 'number' &&
      typeof value['clients'] === 'number'
    ) {
      return value as unknown as PulledMeta;
    }
  } catch {
    // not a pulled.json we wrote
  }
  return undefined;
}

export interface FileChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** What differs between the folder's content files and a new pull's (pulled.json aside), in path order. */
export function compareContent(before: PulledFiles, after: PulledFiles): FileChanges {
  const content = (files: PulledFiles) => [...files.keys()].filter((p) => p !== PULLED_FILE).sort();
  return {
    added: content(after).filter((p) => !before.has(p)),
    changed: content(after).filter((p) => before.has(p) && before.get(p) !== after.get(p)),
    removed: content(before).filter((p) => !after.has(p)),
  };
}

/**
 * Writes `files` as the folder's pulled files in one swap. Anything else in the folder (a README, .gitkeep) is carried
 * over. The new folder is built beside the target (same file system, so the rename is atomic); the old one is moved
 * aside, the new one renamed in, and the old one removed. On any failure before the swap, the target is untouched.
 * Returns the temporary folder the files were written in: gone now, but a file watcher may have reported its files
 * (and not their move, which a directory rename does not report file by file).
 */
export function swapInFolder(target: string, files: PulledFiles): string {
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  const base = path.basename(target);
  const staging = mkdtempSync(path.join(parent, `.${base}.pull-`));
  try {
    for (const [relative, text] of files) {
      const full = path.join(staging, ...relative.split('/'));
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
    if (existsSync(target)) carryOver(target, staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const aside = `${staging}.old`;
  try {
    // The first rename of each branch can fail too (a folder held open on Windows): the staging copy must not stay.
    if (!existsSync(target)) {
      renameSync(staging, target);
      return staging;
    }
    renameSync(target, aside);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  try {
    renameSync(staging, target);
  } catch (error) {
    renameSync(aside, target);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // The new folder is in place: a copy of the old one that cannot be removed is litter, not a failed pull.
  try {
    rmSync(aside, { recursive: true, force: true });
  } catch {
    // left beside the folder, named .<folder>.pull-…old
  }
  return staging;
}

/** Copies what is not pull's own from the old folder into the new one. */
function carryOver(from: string, to: string): void {
  for (const name of entries(from)) {
    const source = path.join(from, name);
    if (name === CLIENTS_DIR && statSync(source).isDirectory()) {
      for (const inner of entries(source)) {
        if (!isPulledPath(`${name}/${inner}`))
          cpSync(path.join(source, inner), path.join(to, name, inner), { recursive: true });
      }
    } else if (!isPulledPath(name)) {
      cpSync(source, path.join(to, name), { recursive: true });
    }
  }
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
