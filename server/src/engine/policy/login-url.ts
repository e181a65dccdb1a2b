// Reads a loginURL: https://{host}/{customerId}/auth-ui/login (v1) or …/auth-ui/v2/login (v2) (facts §1.2, §5).
// Shared by the login-url and hosted-login-v1 rules and by the hover.
import { memoizeString } from '../../shared/memo';

export interface LoginUrl {
  readonly url: URL;
  readonly https: boolean;
  /** `us`, `eu`, `jp`… when the host is the standard `v1.api.{region}.janrain.com`. */
  readonly region: string | undefined;
  /** The path segment before `/auth-ui/…`, when the path is a Hosted Login path. */
  readonly customerId: string | undefined;
  /** Hosted Login version from the path, undefined when the path is not a Hosted Login login path. */
  readonly version: 1 | 2 | undefined;
  /** Offset, inside the URL string, of the `/auth-ui/login` part of a v1 URL. */
  readonly v1PathIndex: number | undefined;
}

const STANDARD_HOST = /^v1\.api\.([a-z]{2})\.janrain\.com$/;
const HOSTED_LOGIN_PATH = /^\/([^/]+)\/auth-ui\/(v2\/)?login\/?$/;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** The login-url and hosted-login-v1 rules and the hover read the same URL on every analysis: read once. */
export const parseLoginUrl: (value: string) => LoginUrl | undefined = memoizeString(readLoginUrl);

function readLoginUrl(value: string): LoginUrl | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(url.protocol))
    return { url, https: false, region: undefined, customerId: undefined, version: undefined, v1PathIndex: undefined };
  const path = HOSTED_LOGIN_PATH.exec(url.pathname);
  const version = path ? (path[2] ? 2 : 1) : undefined;
  const v1 = version === 1 ? value.indexOf('/auth-ui/login') : -1;
  return {
    url,
    https: url.protocol === 'https:',
    region: STANDARD_HOST.exec(url.hostname)?.[1],
    customerId: path?.[1],
    version,
    v1PathIndex: v1 >= 0 ? v1 : undefined,
  };
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}
