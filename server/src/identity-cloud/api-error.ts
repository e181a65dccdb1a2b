// The one error the Identity Cloud API client throws: a `kind` to branch on and a one-line message that names the
// request and what went wrong in words (DESIGN §13). Built only from statuses, content types, the API's own
// `errors` text (secrets masked) and our request labels: never a header, a token, a secret or a raw body.

export type IdentityCloudErrorKind =
  /** Bad settings or arguments, found before any request (API base, region, customer id, hoursToLive). */
  | 'config'
  /** 401: the configuration client's (or the owner client's) id or secret was refused. */
  | 'credentials'
  /** 403 on the token: the client may not get an admin token (not a configuration client, or scope). */
  | 'scope'
  /** 403 on an API call even with a fresh token; or an owner-credential call by a client without `owner`. */
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  /** 400 or 422: the API refused the request; `detail` holds its `errors` text. */
  | 'bad-request'
  | 'rate-limited'
  /** 5xx. */
  | 'server'
  | 'timeout'
  | 'not-json'
  | 'network'
  /** An answer that is JSON but not the expected shape, a redirect, or another status. */
  | 'unexpected';

export interface IdentityCloudErrorInit {
  /** `GET /{customerId}/config/loginPolicies/{id}`: method and path, never a query or a header. */
  request: string;
  status?: number;
  /** The API's `errors` text, secrets already masked, one line. */
  detail?: string;
  /** 409 on a DELETE: the ids of the OIDC clients still bound to the policy. */
  boundClients?: string[];
}

export class IdentityCloudError extends Error {
  override readonly name = 'IdentityCloudError';
  readonly request: string;
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly boundClients: readonly string[] | undefined;

  constructor(
    readonly kind: IdentityCloudErrorKind,
    /** What went wrong, in words; the message is `<request>: <what>`. */
    what: string,
    init: IdentityCloudErrorInit,
  ) {
    super(oneLine(init.request ? `${init.request}: ${what}` : what));
    this.request = init.request;
    this.status = init.status;
    this.detail = init.detail;
    this.boundClients = init.boundClients;
  }
}

/** Collapses whitespace and control characters to single spaces and caps the length: a message is one line. */
export function oneLine(text: string, max = 400): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
