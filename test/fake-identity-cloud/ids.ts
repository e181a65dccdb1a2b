// Random ids in the formats observed on Identity Cloud: [a-z0-9] client ids, secrets and request ids.
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomId(length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** 32 characters of [a-z0-9], like an API client id. */
export const newClientId = (): string => randomId(32);
/** 32 characters of [a-z0-9], like an API client secret. */
export const newSecret = (): string => randomId(32);
/** 16 characters of [a-z0-9], like the request_id of a Capture error. */
export const newRequestId = (): string => randomId(16);
