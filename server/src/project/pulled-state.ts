// What `login-policy-lint pull` last found deployed, read from its folder (DESIGN §13): which policy ids exist in
// Identity Cloud, and when that was. Only a folder with `pulled.json` speaks for the whole deployed state; a folder of
// hand-kept snapshots says what some policies look like, not which ones exist. Read synchronously and cached until
// pulled.json changes (a pull always rewrites it when anything changed).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DeployedState } from '../engine/facts';
import { PULLED_FILE } from '../identity-cloud/pulled-folder';

const cache = new Map<string, { readonly stamp: string; readonly state: DeployedState | undefined }>();

/** The deployed state a pulled folder records, or undefined when the folder holds no pull. */
export function readDeployedState(dir: string): DeployedState | undefined {
  const meta = path.join(dir, PULLED_FILE);
  let stamp: string;
  try {
    const info = statSync(meta);
    stamp = `${info.size}:${info.mtimeMs}`;
  } catch {
    cache.delete(dir);
    return undefined;
  }
  const cached = cache.get(dir);
  if (cached?.stamp === stamp) return cached.state;
  const state = read(dir, meta);
  cache.set(dir, { stamp, state });
  return state;
}

function read(dir: string, meta: string): DeployedState | undefined {
  try {
    const value = JSON.parse(readFileSync(meta, 'utf8')) as { pulledAt?: unknown };
    if (typeof value.pulledAt !== 'string') return undefined;
    const ids = new Set<string>();
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.json') && name !== PULLED_FILE) ids.add(name.slice(0, -'.json'.length).toLowerCase());
    }
    return { ids, pulledAt: value.pulledAt, label: `${path.basename(dir)}/, pulled ${value.pulledAt}` };
  } catch {
    return undefined;
  }
}
