// Where the Identity Cloud APIs are: `https://v1.api.{region}.janrain.com` unless an API base is given
// (LOGIN_POLICY_API_BASE); plain `http://` only for a loopback host, for tests and demos (DESIGN §13).
import { IdentityCloudError } from './api-error';

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;

/** A host name of this machine (`127.x.x.x`, `localhost`, `[::1]`): requests to it never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** `us`, `eu`, `jp` or any two letters (facts §3.1), lower case. */
export function checkRegion(region: string): string {
  const value = region.trim().toLowerCase();
  if (!/^[a-z]{2}$/.test(value)) {
    throw new IdentityCloudError('config', `the region must be two letters such as us, eu or jp`, { request: '' });
  }
  return value;
}

/** A customer id fit for a path (a UUID in practice). */
export function checkCustomerId(customerId: string): string {
  const value = customerId.trim();
  if (!/^[A-Za-z0-9._~-]+$/.test(value)) {
    throw new IdentityCloudError(
      'config',
      'the customer id must be a UUID such as e0a70b4f-1eef-4856-bcdb-f050fee66aae',
      {
        request: '',
      },
    );
  }
  return value;
}

/**
 * The API base without a trailing slash. A given base must be https:// (http:// only on a loopback host) and hold no
 * user name, password, query or fragment; the message never repeats a refused base, which could hold a secret.
 */
export function apiBaseFor(region: string, apiBase?: string): string {
  if (apiBase === undefined || apiBase.trim() === '') return `https://v1.api.${checkRegion(region)}.janrain.com`;
  const refuse = (why: string): never => {
    throw new IdentityCloudError('config', `the API base ${why}`, { request: '' });
  };
  let url: URL;
  try {
    url = new URL(apiBase.trim());
  } catch {
    return refuse('is not a URL');
  }
  if (url.username || url.password) refuse('must not hold a user name or password');
  if (url.search || url.hash) refuse('must not hold a query or a fragment');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    refuse(`must use https:// (http:// only for a loopback host such as 127.0.0.1): ${url.host} is not one`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('must start with https://');
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
