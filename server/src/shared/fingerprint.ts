// Secret fingerprints: lower-case hex SHA-256 of the secret's UTF-8 bytes. The only form in which a current
// secret is ever known to the server, written to a config file, or compared. Shared by engine, CLI and client.
// A policy file may hold a fingerprint instead of its secret (`"sha256:<64 hex>"`, as `pull` writes it, DESIGN §13):
// `secretFingerprint` is the one place that reads either form, so every check compares the same thing.
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { memoizeString } from './memo';

/** How a fingerprinted `clientSecret` starts. */
export const FINGERPRINT_PREFIX = 'sha256:';

/** `sha256:` and 64 lower-case hex digits: a secret written as its fingerprint. */
export const FINGERPRINTED_SECRET = /^sha256:[0-9a-f]{64}$/;

/** Every analysis of a policy asks for the same secret's fingerprint: the last few are kept. */
export const fingerprint: (secret: string) => string = memoizeString((secret) =>
  bytesToHex(sha256(utf8ToBytes(secret))),
);

/** True when a `clientSecret` value is a fingerprint (`sha256:<hex>`), not a secret: the secret is not here. */
export function isFingerprinted(value: string): boolean {
  return FINGERPRINTED_SECRET.test(value);
}

/**
 * The fingerprint a `clientSecret` value stands for: the hex of a fingerprinted value, or the fingerprint of a clear
 * secret. A file holding `"sha256:<hex>"` and a file holding the secret with that fingerprint are judged alike.
 */
export function secretFingerprint(value: string): string {
  return isFingerprinted(value) ? value.slice(FINGERPRINT_PREFIX.length) : fingerprint(value);
}

/** `"sha256:<hex>"`: how a secret is written to disk when it must not be (a pulled snapshot). */
export function fingerprintedSecret(secret: string): string {
  return `${FINGERPRINT_PREFIX}${fingerprint(secret)}`;
}

/** The first 8 hex digits: enough to tell secrets apart in a message, useless for guessing one. */
export function shortFingerprint(sha256Hex: string): string {
  return `${sha256Hex.slice(0, 8)}…`;
}
