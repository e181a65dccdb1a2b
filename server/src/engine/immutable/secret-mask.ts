// Shows the values of a frozen block without any secret in them. A secret is a string under a `clientSecret` key of
// either version, or one whose fingerprint is a known current or previous secret; wherever it was moved or pasted
// (another key's value, a key, part of a longer string), it is shown as its fingerprint prefix. A fingerprinted
// secret (`sha256:<hex>`) shows the fingerprint it holds, so both forms of one secret read the same.
import { getNodeValue } from 'jsonc-parser';
import type { AnalysisFacts } from '../facts';
import type { PolicyModel } from '../policy/model';
import { PATHS } from '../policy/paths';
import { fingerprintWords } from '../owner-secret/words';
import { secretFingerprint } from '../../shared/fingerprint';
import { MIN_SECRET_LENGTH } from '../../shared/redact';

export class SecretMask {
  constructor(
    private readonly secrets: readonly string[],
    private readonly fingerprints: ReadonlySet<string>,
  ) {}

  /** True for a whole secret (a value under `clientSecret` always is). */
  isSecret(text: string, underSecret = false): boolean {
    return underSecret || this.secrets.includes(text) || this.fingerprints.has(secretFingerprint(text));
  }

  /** The text with each secret in it replaced by `<fingerprint 1a2b3c4d…>`. */
  text(text: string, underSecret = false): string {
    if (this.isSecret(text, underSecret)) return masked(text);
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(masked(secret));
    }
    return out;
  }

  /** The value with its keys and strings masked. */
  value(value: unknown, underSecret = false): unknown {
    if (typeof value === 'string') return this.text(value, underSecret);
    if (Array.isArray(value)) return value.map((item) => this.value(item, underSecret));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, inner]) => [
          this.text(key),
          this.value(inner, underSecret || key === 'clientSecret'),
        ]),
      );
    }
    return value;
  }
}

/** The mask for comparing a document's frozen block with its deployed version. */
export function frozenBlockMask(model: PolicyModel, deployed: unknown, facts: AnalysisFacts): SecretMask {
  const block = model.node(PATHS.identityStoreDetails);
  const secrets = new Set<string>();
  for (const version of [block && (getNodeValue(block) as unknown), deployed]) collectSecrets(version, false, secrets);
  const fingerprints = new Set<string>();
  for (const client of facts.clients?.values() ?? []) {
    if (client.currentSha256) fingerprints.add(client.currentSha256);
    for (const previous of client.previousSecrets ?? []) fingerprints.add(previous.sha256);
  }
  // Too short a value would mask ordinary words: the same floor as the log redactor.
  return new SecretMask(
    [...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH),
    fingerprints,
  );
}

function masked(secret: string): string {
  return `<${fingerprintWords(secretFingerprint(secret))}>`;
}

function collectSecrets(value: unknown, underSecret: boolean, into: Set<string>): void {
  if (typeof value === 'string') {
    if (underSecret) into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, underSecret, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value))
      collectSecrets(inner, underSecret || key === 'clientSecret', into);
  }
}
