// Merges API clients (id, features, current secret fingerprint, name) into `clients` of a .loginpolicyrc.json text,
// keeping the rest of the file, comments included: what `pull --owner-clients` writes (DESIGN §13). Labels and
// previous secrets are kept; a current fingerprint that changed moves to `previousSecrets` with `"validUntil": null`
// (replaced at a time not recorded, so the end of its grace period is unknown). Also turns an API client as the API
// lists it into such an entry (import-clients prints the same), dropping its secret for the fingerprint.
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, type Node } from 'jsonc-parser';
import type { ClientEntry } from '../engine/config/schema';
import { fingerprint } from '../shared/fingerprint';

export interface ClientUpdate {
  readonly clientId: string;
  readonly features?: readonly string[];
  readonly secretSha256?: string;
  /** Used only for a client the file does not name yet, or one without a label. */
  readonly label?: string;
}

export interface ClientsMerge {
  readonly text: string;
  readonly added: readonly string[];
  readonly updated: readonly string[];
  /** Clients whose current fingerprint changed: the old one is now in previousSecrets. */
  readonly replaced: readonly string[];
}

const FORMATTING = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

export function mergeClients(text: string, updates: readonly ClientUpdate[]): ClientsMerge {
  let out = text.trim() === '' ? '{}\n' : text;
  const added: string[] = [];
  const updated: string[] = [];
  const replaced: string[] = [];
  const edit = (path: (string | number)[], value: unknown): void => {
    out = applyEdits(out, modify(out, path, value, FORMATTING));
  };
  for (const update of updates) {
    const entries = clientEntries(out);
    const index = entries.findIndex((e) => stringAt(e, ['clientId']) === update.clientId);
    if (index < 0) {
      const entry: ClientEntry = {
        clientId: update.clientId,
        ...(update.features ? { features: [...update.features] } : {}),
        ...(update.secretSha256 ? { secretSha256: update.secretSha256 } : {}),
        ...(update.label ? { label: update.label } : {}),
      };
      edit(['clients', -1], entry);
      added.push(update.clientId);
      continue;
    }
    const entry = entries[index]!;
    const before = out;
    if (update.features && !sameList(valueAt(entry, ['features']), update.features)) {
      edit(['clients', index, 'features'], [...update.features]);
    }
    const current = stringAt(entry, ['secretSha256']);
    if (update.secretSha256 && current !== update.secretSha256) {
      if (current !== undefined && !previousHashes(entry).includes(current)) {
        edit(['clients', index, 'previousSecrets', -1], { sha256: current, validUntil: null });
      }
      edit(['clients', index, 'secretSha256'], update.secretSha256);
      if (current !== undefined) replaced.push(update.clientId);
    }
    if (update.label && stringAt(entry, ['label']) === undefined) edit(['clients', index, 'label'], update.label);
    if (out !== before) updated.push(update.clientId);
  }
  return { text: out, added, updated, replaced };
}

function clientEntries(text: string): Node[] {
  const clients = findNodeAtLocation(parseTree(text) ?? emptyObject(), ['clients']);
  return clients?.type === 'array' ? (clients.children ?? []) : [];
}

function emptyObject(): Node {
  return parseTree('{}')!;
}

function valueAt(node: Node, path: string[]): unknown {
  const found = findNodeAtLocation(node, path);
  return found ? (getNodeValue(found) as unknown) : undefined;
}

function stringAt(node: Node, path: string[]): string | undefined {
  const value = valueAt(node, path);
  return typeof value === 'string' ? value : undefined;
}

function previousHashes(entry: Node): string[] {
  const list = valueAt(entry, ['previousSecrets']);
  if (!Array.isArray(list)) return [];
  return list.flatMap((p: unknown) =>
    typeof p === 'object' && p !== null && typeof (p as { sha256?: unknown }).sha256 === 'string'
      ? [(p as { sha256: string }).sha256]
      : [],
  );
}

function sameList(a: unknown, b: readonly string[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A `clients` entry as import-clients prints it and pull --owner-clients merges it. */
export interface ImportedClient {
  clientId: string;
  features?: string[];
  secretSha256?: string;
  label?: string;
}

/**
 * One API client of Capture's clients/list or the Configuration API as a `clients` entry: id, features, description or
 * name as the label, and the fingerprint of its secret (the secret itself is dropped). Undefined without an id.
 */
export function importedClientOf(item: Record<string, unknown>): ImportedClient | undefined {
  const clientId = item['client_id'] ?? item['_id'];
  if (typeof clientId !== 'string') return undefined;
  const secret = item['client_secret'] ?? item['_secret'];
  const features = Array.isArray(item['features'])
    ? item['features'].filter((f): f is string => typeof f === 'string')
    : undefined;
  const label = item['description'] ?? item['name'];
  return {
    clientId,
    ...(features ? { features } : {}),
    ...(typeof secret === 'string' && secret !== '' ? { secretSha256: fingerprint(secret) } : {}),
    ...(typeof label === 'string' && label !== '' ? { label } : {}),
  };
}
