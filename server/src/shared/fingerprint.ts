// Secret fingerprints: lower-case hex SHA-256 of the secret's UTF-8 bytes. The only form in which a current
// secret is ever known to the server, written to a config file, or compared. Shared by engine, CLI and client.
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { memoizeString } from './memo';

/** Every analysis of a policy asks for the same secret's fingerprint: the last few are kept. */
export const fingerprint: (secret: string) => string = memoizeString((secret) =>
  bytesToHex(sha256(utf8ToBytes(secret))),
);

/** The first 8 hex digits: enough to tell secrets apart in a message, useless for guessing one. */
export function shortFingerprint(sha256Hex: string): string {
  return `${sha256Hex.slice(0, 8)}…`;
}
