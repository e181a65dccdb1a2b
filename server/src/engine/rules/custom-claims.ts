// custom-claims: claim values that are not attribute paths, claim names that shadow standard claims, empty maps.
// A claim whose attribute path does not exist is simply not returned, which nobody notices until an app breaks.
// The maps can be large, so this is a plain loop with the model's own patterns, not a zod walk.
import { rangeOf, valueOf } from '../ast';
import { removeProperty } from '../edits';
import { PATHS } from '../policy/paths';
import { ATTRIBUTE_PATH, CLAIM_NAME } from '../policy/patterns';
import { defineRule } from '../rule';

/** OpenID Connect standard claims (Core §5.1) and ID token claims (Core §2), which Hosted Login sets itself. */
export const STANDARD_CLAIMS: ReadonlySet<string> = new Set([
  'sub',
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'email',
  'email_verified',
  'gender',
  'birthdate',
  'zoneinfo',
  'locale',
  'phone_number',
  'phone_number_verified',
  'address',
  'updated_at',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'at_hash',
  'c_hash',
  'sid',
  'jti',
  'nbf',
]);

export default defineRule({
  id: 'custom-claims',
  defaultSeverity: 'warning',
  docs: { summary: 'Claim values that are not attribute paths, claim names that shadow standard claims, empty maps.' },
  check({ text, model, report }) {
    const claims = model.property(PATHS.customClaims);
    const claimsValue = claims && valueOf(claims);
    if (claims && claimsValue?.type === 'object' && claimsValue.children!.length === 0) {
      report({
        range: rangeOf(claimsValue),
        message: '"customClaims" is empty: add claims to "id_token" or "userinfo", or remove it.',
        fixes: [{ title: 'Remove the empty "customClaims"', edits: [removeProperty(text, claims)] }],
      });
    }
    for (const map of model.claimMaps) {
      if (map.entries.length === 0) {
        // Removing the only map would leave "customClaims" empty, which is itself a warning: remove both at once.
        const alone = claims && claimsValue?.children?.length === 1;
        report({
          range: rangeOf(map.object),
          message: `"customClaims.${map.name}" is empty: add claims or remove it.`,
          fixes: [
            alone
              ? {
                  title: `Remove the empty "${map.name}" with its "customClaims"`,
                  edits: [removeProperty(text, claims)],
                }
              : { title: `Remove the empty "${map.name}"`, edits: [removeProperty(text, map.property)] },
          ],
        });
        continue;
      }
      for (const entry of map.entries) {
        const name = entry.name;
        if (!CLAIM_NAME.test(name)) {
          report({
            range: { offset: entry.keyOffset, length: entry.keyLength },
            message: `Custom claim name "${name}" in "customClaims.${map.name}" is not a usable claim name: start with a letter, then letters, digits, "_", "-", "." or ":".`,
          });
        } else if (STANDARD_CLAIMS.has(name)) {
          report({
            range: { offset: entry.keyOffset, length: entry.keyLength },
            message: `Custom claim "${name}" in "customClaims.${map.name}" shadows the standard OpenID Connect claim "${name}", which Hosted Login sets itself: pick another name.`,
          });
        }
        // Values of other types are schema findings.
        if (entry.valueType === 'string' && !ATTRIBUTE_PATH.test(entry.value as string)) {
          report({
            range: { offset: entry.valueOffset, length: entry.valueLength },
            message: `Custom claim "${name}" maps to ${JSON.stringify(entry.value)}, which is not a Capture attribute path (dot notation, such as "primaryAddress.zip"): the claim would never be returned.`,
          });
        }
      }
    }
  },
});
