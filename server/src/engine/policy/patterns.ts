// Value formats observed in Identity Cloud documents (facts §1.2). The zod schema, the exported JSON Schema and the
// claim-map loop all use these same expressions, so every consumer agrees on what "well formed" means.

/** Lower-case hyphenated UUID: policy ids, customer ids. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A bare host name: no scheme, port or path (every documented Capture domain looks like this). */
export const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Capture application id: 26 lower-case letters and digits in every real example. */
export const APPLICATION_ID = /^[a-z0-9]{26}$/;

/** API client id: 32 lower-case letters and digits. */
export const CLIENT_ID = /^[a-z0-9]{32}$/;

/** API client secret: 32 lower-case letters and digits (what Capture generates on reset). */
export const CLIENT_SECRET = /^[a-z0-9]{32}$/;

/**
 * What a policy's `clientSecret` may hold: a secret as Capture generates it, or that secret's fingerprint
 * (`sha256:<64 hex>`, shared/fingerprint.ts) where the secret must not be written, as in a pulled snapshot.
 */
export const CLIENT_SECRET_OR_FINGERPRINT = /^(?:[a-z0-9]{32}|sha256:[0-9a-f]{64})$/;

/** A custom claim name as it appears in a token: starts with a letter, then letters, digits, `_`, `-`, `.`, `:`. */
export const CLAIM_NAME = /^[A-Za-z][A-Za-z0-9_.:-]*$/;

/** A Capture attribute path in dot notation, e.g. `primaryAddress.zip`. */
export const ATTRIBUTE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** `/{customerId}/config/loginPolicies/{id}`, the read-only self link of a created policy. */
export const SELF_HREF = /^\/([^/]+)\/config\/loginPolicies\/([^/]+)$/;

/** A lower-case hex SHA-256 digest: how secrets are fingerprinted. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;
