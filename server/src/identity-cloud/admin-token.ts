// The admin (configuration) token (facts §3.2, DESIGN §13): fetched on first use with the configuration client's
// Basic credentials, reused until a minute before `expires_in`, dropped when a call meets 403 Forbidden so the next
// use fetches a new one. Callers asking at once share one fetch.
import { IdentityCloudError } from './api-error';
import { exchange, failureOf, jsonOf, unexpectedShape, type ExchangeContext } from './http-exchange';

/** The scope that gives read/write on every config endpoint (facts §3.2). */
export const CONFIG_SCOPE = '*:config/**';
const DEFAULT_EXPIRES_IN_S = 3600;
const REFRESH_MARGIN_MS = 60_000;

interface Token {
  value: string;
  /** After this (ms since epoch, by `now`) a new token is fetched. */
  refreshAt: number;
}

export class AdminTokenSource {
  #token: Token | undefined;
  #pending: Promise<string> | undefined;
  readonly #basic: string;
  readonly #ctx: ExchangeContext;

  constructor(
    ctx: ExchangeContext,
    private readonly customerId: string,
    clientId: string,
    clientSecret: string,
    private readonly now: () => Date,
  ) {
    this.#ctx = ctx;
    this.#basic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
    ctx.redactor.add(clientSecret);
    ctx.redactor.add(this.#basic.slice('Basic '.length));
  }

  /** A token that is not about to expire: the cached one, or a new one (one fetch shared by concurrent callers). */
  async get(): Promise<string> {
    if (this.#token && this.now().getTime() < this.#token.refreshAt) return this.#token.value;
    this.#pending ??= this.fetchToken().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forgets `used` (a call met 403 with it), unless a newer token has replaced it already. */
  invalidate(used: string): void {
    if (this.#token?.value === used) this.#token = undefined;
  }

  private async fetchToken(): Promise<string> {
    const issuedAt = this.now().getTime();
    const answer = await exchange(this.#ctx, {
      method: 'POST',
      path: `/${encodeURIComponent(this.customerId)}/login/token`,
      authorization: this.#basic,
      form: { grant_type: 'client_credentials', scope: CONFIG_SCOPE },
    });
    if (answer.status !== 200) throw failureOf(answer, 'token', this.#ctx.redactor);
    const body = jsonOf(answer) as { access_token?: unknown; expires_in?: unknown } | null;
    const value = body?.access_token;
    if (typeof value !== 'string' || value === '') throw unexpectedShape(answer, 'a token (no access_token)');
    this.#ctx.redactor.add(value);
    const expiresIn =
      typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN_S;
    // A minute before expiry; for a short-lived token, half its life.
    const lifeMs = expiresIn * 1000;
    this.#token = { value, refreshAt: issuedAt + Math.max(lifeMs - REFRESH_MARGIN_MS, lifeMs / 2) };
    return value;
  }
}

export { IdentityCloudError };
