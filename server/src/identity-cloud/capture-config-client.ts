// The Capture Configuration API with an owner API client's Basic credentials (facts §3.5, DESIGN §13-§14): list the
// API clients of an app with their features and current `_secret`, and reset a client's secret with hoursToLive.
// Served from the same API base as the Hosted Login API. Every failure is an IdentityCloudError, secret-free.
import { IdentityCloudError } from './api-error';
import { isObject, type ApiClientDocument } from './api-types';
import {
  exchange,
  failureOf,
  jsonOf,
  segment,
  unexpectedShape,
  type ExchangeContext,
  type HttpAnswer,
} from './http-exchange';
import { exchangeContext, type ConnectionOptions } from './identity-cloud-client';

/** The longest grace period a reset allows (facts §3.5). */
export const MAX_HOURS_TO_LIVE = 168;

export interface CaptureConfigClientOptions extends ConnectionOptions {
  ownerClientId: string;
  ownerClientSecret: string;
}

export class CaptureConfigClient {
  readonly #ctx: ExchangeContext;
  readonly #basic: string;

  constructor(options: CaptureConfigClientOptions) {
    this.#ctx = exchangeContext(options);
    this.#basic = `Basic ${Buffer.from(`${options.ownerClientId}:${options.ownerClientSecret}`, 'utf8').toString('base64')}`;
    this.#ctx.redactor.add(options.ownerClientSecret);
    this.#ctx.redactor.add(this.#basic.slice('Basic '.length));
  }

  /** Every API client of the app (owner permission needed), optionally those with at least one of `hasFeature`. */
  async listApiClients(appId: string, options: { hasFeature?: readonly string[] } = {}): Promise<ApiClientDocument[]> {
    const query = new URLSearchParams(
      (options.hasFeature ?? []).map((f): [string, string] => ['has_feature', f]),
    ).toString();
    const answer = await this.call('GET', `${clientsPath(appId)}${query ? `?${query}` : ''}`);
    const body = jsonOf(answer);
    if (!Array.isArray(body)) throw unexpectedShape(answer, 'a list of API clients');
    return body.map((item) => apiClientOf(answer, item));
  }

  async getApiClient(appId: string, clientId: string): Promise<ApiClientDocument> {
    const answer = await this.call('GET', `${clientsPath(appId)}/${segment(clientId)}`);
    return apiClientOf(answer, jsonOf(answer));
  }

  /**
   * Resets the client's secret: the new one works at once, the old one for `hoursToLive` more hours (0 = it stops
   * now). Answers the client object, whose `_secret` is the new secret: keep it in memory only.
   */
  async resetApiClientSecret(appId: string, clientId: string, hoursToLive: number): Promise<ApiClientDocument> {
    if (!Number.isInteger(hoursToLive) || hoursToLive < 0 || hoursToLive > MAX_HOURS_TO_LIVE) {
      throw new IdentityCloudError('config', `hoursToLive must be a whole number from 0 to ${MAX_HOURS_TO_LIVE}`, {
        request: '',
      });
    }
    const answer = await this.call('PUT', `${clientsPath(appId)}/${segment(clientId)}/secret`, { hoursToLive });
    const client = apiClientOf(answer, jsonOf(answer));
    if (typeof client._secret !== 'string' || client._secret === '') {
      throw unexpectedShape(answer, 'the client with its new secret (no _secret)');
    }
    return client;
  }

  /**
   * One call with the owner's Basic credentials. No retry: 401 and 403 here mean the credentials or the client's
   * features, which a second try does not change; a reset must never run twice by accident.
   */
  private async call(method: 'GET' | 'PUT', pathAndQuery: string, json?: unknown): Promise<HttpAnswer> {
    const answer = await exchange(this.#ctx, {
      method,
      path: pathAndQuery,
      authorization: this.#basic,
      ...(json === undefined ? {} : { json }),
    });
    if (answer.status < 200 || answer.status > 299) throw failureOf(answer, 'owner', this.#ctx.redactor);
    return answer;
  }
}

const clientsPath = (appId: string): string => `/config/${segment(appId)}/clients`;

function apiClientOf(answer: HttpAnswer, item: unknown): ApiClientDocument {
  if (
    !isObject(item) ||
    typeof item._id !== 'string' ||
    !Array.isArray(item.features) ||
    !item.features.every((f) => typeof f === 'string')
  ) {
    throw unexpectedShape(answer, 'an API client (with _id and features)');
  }
  return item as ApiClientDocument;
}
