// `fingerprint` and `import-clients`: turn owner secrets into .loginpolicyrc.json "clients" entries without
// ever printing a secret. The secret comes from stdin, never argv (argv ends up in shell history and `ps`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CLIENT_SECRET } from '../engine/policy/patterns';
import { importedClientOf, type ImportedClient } from '../identity-cloud/config-clients-edit';
import { fingerprint } from '../shared/fingerprint';
import { UsageError, type FingerprintOptions, type ImportClientsOptions } from './args';
import type { CliIo } from './io';

export async function runFingerprint(options: FingerprintOptions, io: CliIo): Promise<number> {
  const raw = await io.readSecret('Paste the owner client secret and press Enter (the input is hidden): ');
  // Only the line ending a pipe or a terminal adds is removed; any other character belongs to the secret.
  const secret = raw.replace(/\r?\n$/, '');
  if (secret === '')
    throw new UsageError('no secret on stdin (pipe it in: printf %s "$SECRET" | login-policy-lint fingerprint).');
  if (secret.includes('\n')) throw new UsageError('stdin holds more than one line; give one secret at a time.');
  if (!CLIENT_SECRET.test(secret)) {
    io.stderr(
      `login-policy-lint: note: the secret is ${secret.length} characters, not 32 lower-case letters and digits as Capture generates them; fingerprinted as given.\n`,
    );
  }
  const entry = {
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.features ? { features: options.features } : {}),
    secretSha256: fingerprint(secret),
    ...(options.label ? { label: options.label } : {}),
  };
  io.stdout(`${JSON.stringify(entry, null, 2)}\n`);
  if (!options.clientId)
    io.stderr('login-policy-lint: add "clientId" (or pass --client-id) before putting this entry in "clients".\n');
  return 0;
}

export function runImportClients(options: ImportClientsOptions, io: CliIo): number {
  const file = path.resolve(io.cwd, options.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read "${options.file}" (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text, which holds secrets.
    throw new UsageError(`"${options.file}" is not JSON.`);
  }
  const clients = importClients(data, options.file);
  io.stdout(`${JSON.stringify({ clients }, null, 2)}\n`);
  const owners = clients.filter((c) => c.features?.includes('owner')).length;
  io.stderr(
    `login-policy-lint: ${clients.length} client${clients.length === 1 ? '' : 's'} (${owners} with the "owner" feature); ` +
      'the plain secrets were dropped. Put "clients" in .loginpolicyrc.json.\n',
  );
  return 0;
}

/** Capture clients/list ({results: [...]}), Configuration API list ([...]) or one client ({_id, ...}). */
function importClients(data: unknown, name: string): ImportedClient[] {
  if (isObject(data) && data['stat'] === 'error') {
    throw new UsageError(`"${name}" is a Capture error response (code ${String(data['code'])}), not a client list.`);
  }
  const list = Array.isArray(data)
    ? data
    : isObject(data) && Array.isArray(data['results'])
      ? data['results']
      : isObject(data) && '_id' in data
        ? [data]
        : undefined;
  if (!list) {
    throw new UsageError(
      `"${name}" is neither a clients/list response ({"results": [...]}) nor a Configuration API client list.`,
    );
  }
  return list.map((item, index) => {
    if (!isObject(item)) throw new UsageError(`"${name}": entry ${index} is not an object.`);
    const entry = importedClientOf(item);
    if (!entry) throw new UsageError(`"${name}": entry ${index} has no client_id or _id.`);
    return entry;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
