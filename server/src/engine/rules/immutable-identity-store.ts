// immutable-identity-store: a field under identityStoreDetails differs from the deployed version of a policy that
// has an id. The API refuses such a PUT; the way out is a new login policy (or reverting the edit).
import { getNodeValue } from 'jsonc-parser';
import { formatPath, valueOf } from '../ast';
import { frozenDiff, type FrozenChange } from '../immutable/frozen-diff';
import { frozenBlockMask, type SecretMask } from '../immutable/secret-mask';
import { fingerprintWords } from '../owner-secret/words';
import type { PolicyModel } from '../policy/model';
import { PATHS } from '../policy/paths';
import { samePolicyId } from '../policy/policy-id';
import { defineRule } from '../rule';
import { secretFingerprint } from '../../shared/fingerprint';

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
    let mask: SecretMask | undefined;
    for (const change of frozenDiff(model, baseline.identityStoreDetails)) {
      mask ??= frozenBlockMask(model, baseline.identityStoreDetails, facts);
      report({
        range: change.range,
        message: `${what(change, model, mask)} (deployed: ${baseline.label}). A PUT of this policy fails with ${API_ERROR}: revert it, or create a new login policy with it and point the OIDC clients at the new one.`,
      });
    }
  },
});

/** "…domain" changed from "a" to "b"; secrets only by fingerprint prefix. */
function what(change: FrozenChange, model: PolicyModel, mask: SecretMask): string {
  const name = `"${formatPath(change.path.map((key) => (typeof key === 'string' ? mask.text(key) : key)))}"`;
  const underSecret = change.path.includes('clientSecret');
  const shown = (value: unknown): string =>
    // A whole secret reads as words; one inside a longer value stays a fingerprint within its JSON.
    typeof value === 'string' && mask.isSecret(value, underSecret)
      ? `the secret with ${fingerprintWords(secretFingerprint(value))}`
      : describe(mask.value(value, underSecret));
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

/** A value as JSON, short. */
function describe(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'nothing';
  return json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN - 1)}…` : json;
}
