// immutable-identity-store: a field under identityStoreDetails differs from the deployed version of a policy that
// has an id. The API refuses such a PUT; the way out is a new login policy (or reverting the edit).
import { getNodeValue } from 'jsonc-parser';
import { formatPath, valueOf } from '../ast';
import { deployedSecretOf, frozenDiff, type FrozenChange } from '../immutable/frozen-diff';
import { PATHS } from '../policy/paths';
import { samePolicyId } from '../policy/policy-id';
import { defineRule } from '../rule';
import { fingerprint, shortFingerprint } from '../../shared/fingerprint';

export const API_ERROR = '{"errors": "identityStoreDetails cannot be changed"}';
/** Longest value shown in a message: a whole block would drown the message. */
const MAX_SHOWN = 120;

export default defineRule({
  id: 'immutable-identity-store',
  defaultSeverity: 'warning',
  docs: { summary: 'A field under identityStoreDetails differs from the deployed version of this policy.' },
  check({ model, facts, report }) {
    const baseline = facts.baseline;
    // A baseline is what is deployed under one id: a document without it (not created yet, or given another id
    // mid-edit) is not that policy.
    if (!baseline || !samePolicyId(model.string(PATHS.id), baseline.id)) return;
    const secrets = secretsOf(model, baseline.identityStoreDetails);
    for (const change of frozenDiff(model, baseline.identityStoreDetails)) {
      report({
        range: change.range,
        message: `${what(change, model, secrets)} (deployed: ${baseline.label}). A PUT of this policy fails with ${API_ERROR}: revert it, or create a new login policy with it and point the OIDC clients at the new one.`,
      });
    }
  },
});

/** "…domain" changed from "a" to "b"; secrets only by fingerprint prefix. */
function what(change: FrozenChange, model: Parameters<typeof frozenDiff>[0], secrets: readonly string[]): string {
  const name = `"${formatPath(change.path)}"`;
  const underSecret = change.path.includes('clientSecret');
  const shown = (value: unknown): string => {
    const masked = mask(value, underSecret, secrets);
    // A whole secret reads as words; one inside a longer value stays a fingerprint within its JSON.
    const whole = typeof value === 'string' && masked === `<${fingerprintWords(value)}>`;
    return whole ? `the secret with ${fingerprintWords(value)}` : describe(masked);
  };
  switch (change.kind) {
    case 'changed': {
      const now = change.property ? valueOf(change.property) : model.node(change.path);
      const current = now ? shown(getNodeValue(now)) : 'another value';
      return `${name} was changed from ${shown(change.deployed)} to ${current}`;
    }
    case 'added':
      return `${name} was added; the deployed policy does not have it`;
    case 'removed':
      return `${name} (deployed as ${shown(change.deployed)}) was removed`;
  }
}

/**
 * The value with every secret replaced by its fingerprint: any string under a `clientSecret` key, and any string
 * that holds the secret of either version, wherever it was moved or pasted.
 */
function mask(value: unknown, underSecret: boolean, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    if (underSecret || secrets.includes(value)) return `<${fingerprintWords(value)}>`;
    const inside = secrets.filter((secret) => value.includes(secret));
    return inside.reduce((text, secret) => text.split(secret).join(`<${fingerprintWords(secret)}>`), value);
  }
  if (Array.isArray(value)) return value.map((item) => mask(item, underSecret, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, mask(inner, underSecret || key === 'clientSecret', secrets)]),
    );
  }
  return value;
}

/** The embedded secrets of the document and of the deployed version; too short a value would mask ordinary words. */
function secretsOf(model: Parameters<typeof frozenDiff>[0], deployed: unknown): string[] {
  return [model.string(PATHS.clientSecret), deployedSecretOf(deployed)].filter(
    (secret): secret is string => typeof secret === 'string' && secret.length >= 8,
  );
}

/** A value as JSON, short. */
function describe(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'nothing';
  return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN - 1)}…` : json;
}

function fingerprintWords(secret: string): string {
  return `fingerprint ${shortFingerprint(fingerprint(secret))}`;
}
