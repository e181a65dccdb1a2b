// Merges what is known about clients: a config's `clients` entries and fingerprints recorded in the editor.
// A recorded fingerprint is the newer word on the current secret (the record command also offers to update
// the config), so it wins over the config's for the same client; features and previous secrets still come
// from the config.
import type { ClientEntry } from '../config/schema';
import type { KnownClient } from '../facts';

/** A current-secret fingerprint recorded in the editor (the secret itself stays in the editor's SecretStorage). */
export interface RecordedFingerprint {
  readonly clientId: string;
  readonly sha256: string;
  readonly recordedAt?: string;
}

export function knownClientsFrom(
  config: { readonly path: string; readonly clients?: readonly ClientEntry[] } | undefined,
  recorded: readonly RecordedFingerprint[] = [],
): Map<string, KnownClient> {
  const clients = new Map<string, KnownClient>();
  for (const entry of config?.clients ?? []) {
    const source = { kind: 'config' as const, path: config!.path, ...(entry.label ? { label: entry.label } : {}) };
    clients.set(entry.clientId, {
      clientId: entry.clientId,
      ...(entry.label ? { label: entry.label } : {}),
      ...(entry.features ? { features: entry.features, featuresSource: source } : {}),
      ...(entry.secretSha256 ? { currentSha256: entry.secretSha256, currentSource: source } : {}),
      ...(entry.previousSecrets ? { previousSecrets: entry.previousSecrets } : {}),
    });
  }
  for (const record of recorded) {
    const known = clients.get(record.clientId);
    const source = { kind: 'recorded' as const, ...(record.recordedAt ? { recordedAt: record.recordedAt } : {}) };
    clients.set(record.clientId, {
      ...known,
      clientId: record.clientId,
      currentSha256: record.sha256,
      currentSource: source,
    });
  }
  return clients;
}
