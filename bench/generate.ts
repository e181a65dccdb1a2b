// Seeded fixtures (mulberry32, seed 0x5eed, REPORT §1): login policies grown by custom claims, valid or with errors.
import { STANDARD_CLAIMS } from '../server/src/engine/rules/custom-claims';

export const SEED = 0x5eed;

/** A deterministic PRNG in [0, 1): mulberry32. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

export function intBelow(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

export const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

export function chars(rng: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[intBelow(rng, alphabet.length)];
  return out;
}

export function uuid(rng: Rng): string {
  const variant = '89ab'[intBelow(rng, 4)]!;
  return `${chars(rng, HEX, 8)}-${chars(rng, HEX, 4)}-4${chars(rng, HEX, 3)}-${variant}${chars(rng, HEX, 3)}-${chars(rng, HEX, 12)}`;
}

const REGIONS = ['us', 'eu', 'au', 'cn'] as const;
const COMPANIES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'tyrell'] as const;
const CLAIM_PREFIXES = ['', '', '', '', 'x:', 'app.'] as const;
const CLAIM_WORDS = [
  'tier',
  'since',
  'store',
  'custNo',
  'optIn',
  'lang',
  'acctType',
  'region',
  'segment',
  'dept',
  'empId',
  'costCtr',
  'news',
  'consent',
  'site',
  'handle',
  'partner',
  'risk',
  'plan',
  'household',
] as const;
const ATTRIBUTE_ROOTS = [
  'primaryAddress',
  'profiles',
  'preferences',
  'consents',
  'loyalty',
  'organization',
  'billing',
  'subscriptions',
  'statuses',
  'legalAccept',
] as const;
const ATTRIBUTE_LEAVES = [
  'zip',
  'city',
  'country',
  'tier',
  'points',
  'granted',
  'clientId',
  'updated',
  'locale',
  'id',
  'status',
  'level',
  'code',
  'phone',
  'state',
  'name',
] as const;

export interface Fixture {
  /** "100KB". */
  readonly label: string;
  readonly targetBytes: number;
  readonly errors: boolean;
  readonly text: string;
  /** UTF-8 bytes (the text is ASCII, so also its length). */
  readonly bytes: number;
  readonly claims: number;
  /** Claims with an invalid attribute path value / an invalid name (0 for valid fixtures). */
  readonly invalidValues: number;
  readonly invalidNames: number;
}

/** "1KB" | "100KB" | "1MB" | "10MB" → bytes (binary units, as in the report's table). */
export function parseSize(label: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|B)$/i.exec(label.trim());
  if (!m) throw new Error(`Bad size "${label}": use e.g. 1KB, 100KB, 1MB, 10MB`);
  const n = Number(m[1]);
  const unit = m[2]!.toUpperCase();
  return Math.round(unit === 'MB' ? n * 1024 * 1024 : unit === 'KB' ? n * 1024 : n);
}

/** Pretty-printed (2 spaces) bytes one claim entry adds inside a claim map. */
function entryBytes(name: string, value: string): number {
  return 7 + JSON.stringify(name).length + 2 + JSON.stringify(value).length + 1;
}

/**
 * A login policy of at least `targetBytes`, grown by claims in customClaims.id_token / userinfo. The same seed gives
 * the same claims for the valid and the "with errors" version; errors are applied by claim index: every 200th claim
 * value is not an attribute path, every 2000th claim name is not a claim name, clientSecret has 31 characters and
 * connectionDetails has one unknown key.
 */
export function generatePolicy(label: string, errors: boolean, seed = SEED): Fixture {
  const targetBytes = parseSize(label);
  const rng = mulberry32(seed);
  const region = pick(rng, REGIONS);
  const company = pick(rng, COMPANIES);
  const customerId = uuid(rng);
  const secret = chars(rng, ALNUM, 32);
  const connectionDetails: Record<string, string> = {
    domain: `${company}-prod.${region}.janraincapture.com`,
    applicationId: chars(rng, ALNUM, 26),
    entityType: 'user',
    clientId: chars(rng, ALNUM, 32),
    clientSecret: errors ? secret.slice(0, 31) : secret,
  };
  if (errors) connectionDetails.clientSecretExpiry = '2030-01-01';
  const idToken: Record<string, string> = {};
  const userinfo: Record<string, string> = {};
  const policy = {
    title: `${company.toUpperCase()} ${region.toUpperCase()} Login Policy`,
    loginURL: `https://v1.api.${region}.janrain.com/${customerId}/auth-ui/v2/login`,
    identityStoreDetails: { type: 'janrainCapture', connectionDetails },
    customClaims: { id_token: idToken, userinfo },
  };
  let bytes = JSON.stringify(policy, null, 2).length;
  let claims = 0;
  let invalidValues = 0;
  let invalidNames = 0;
  while (bytes < targetBytes) {
    const index = claims++;
    let name = `${pick(rng, CLAIM_PREFIXES)}${pick(rng, CLAIM_WORDS)}_${index.toString(36)}`;
    const depth = rng() < 0.7 ? 2 : rng() < 0.5 ? 1 : 3;
    const segments: string[] = [pick(rng, ATTRIBUTE_ROOTS)];
    for (let d = 1; d < depth; d++) segments.push(pick(rng, ATTRIBUTE_LEAVES));
    let value = segments.join('.');
    const inIdToken = rng() < 0.6;
    if (errors && (index + 1) % 200 === 0) {
      value = `${segments[0]} ${segments.slice(1).join('.') || 'zip'}`; // a space: not an attribute path
      invalidValues++;
    }
    if (errors && (index + 1) % 2000 === 0) {
      name = `${index.toString(10)}th claim`; // starts with a digit and has a space: not a claim name
      invalidNames++;
    }
    if (STANDARD_CLAIMS.has(name)) throw new Error(`generator produced a standard claim name: ${name}`);
    (inIdToken ? idToken : userinfo)[name] = value;
    bytes += entryBytes(name, value);
  }
  const text = JSON.stringify(policy, null, 2);
  return {
    label,
    targetBytes,
    errors,
    text,
    bytes: Buffer.byteLength(text, 'utf8'),
    claims,
    invalidValues,
    invalidNames,
  };
}

/** Claim value strings of a generated policy (offset of the opening quote, and length with quotes), for edit traces. */
export interface ClaimSpan {
  readonly keyOffset: number;
  readonly keyLength: number;
  readonly colonOffset: number;
  readonly valueOffset: number;
  readonly valueLength: number;
  /** Offset of the comma after the value, or -1 for the last entry of a map. */
  readonly commaOffset: number;
}

/** Finds every `      "name": "value",` claim line (6-space indent, as the generator prints claim entries). */
export function claimSpans(text: string): ClaimSpan[] {
  const spans: ClaimSpan[] = [];
  const re = /^ {6}("(?:[^"\\]|\\.)*"): ("(?:[^"\\]|\\.)*")(,?)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const keyOffset = m.index + 6;
    const keyLength = m[1]!.length;
    const colonOffset = keyOffset + keyLength;
    const valueOffset = colonOffset + 2;
    const valueLength = m[2]!.length;
    spans.push({
      keyOffset,
      keyLength,
      colonOffset,
      valueOffset,
      valueLength,
      commaOffset: m[3] ? valueOffset + valueLength : -1,
    });
  }
  return spans;
}
