// The shapes the Identity Cloud API client hands back: JSON objects as the API returns them (keys in its order,
// so `pull` can write them as they are), with the few fields the client checks typed.

export type JsonObject = Record<string, unknown>;

/** A login policy as GET returns it (facts §2.2). `clientSecret` is in clear: never log or write it. */
export type LoginPolicyDocument = JsonObject & { readonly id: string };

/** A list item: only id, title and _links (facts §9.2). */
export interface LoginPolicySummary {
  readonly id: string;
  readonly title: string;
}

/** An OIDC client as GET returns it (facts §3.4); `loginPolicy` is its binding. */
export type OidcClientDocument = JsonObject & { readonly id: string; readonly loginPolicy?: string };

export interface OidcClientSummary {
  readonly id: string;
  readonly name: string;
}

/** An API client of a Capture app (facts §3.5). `_secret` is its current secret in clear. */
export type ApiClientDocument = JsonObject & {
  readonly _id: string;
  readonly _secret?: string;
  readonly features: readonly string[];
};

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
