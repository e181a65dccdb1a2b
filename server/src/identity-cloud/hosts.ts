// Where a live check may go: only to a policy's own Capture domain, only when it matches an allowed host pattern,
// over HTTPS (plain HTTP only for loopback hosts listed explicitly with http://, for tests and demos).

export interface Endpoint {
  /** `https://acme.janraincapture.com` (no path). */
  readonly origin: string;
  /** `acme.janraincapture.com` or `127.0.0.1:43210`, as the policy names it. */
  readonly host: string;
}

export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['*.janraincapture.com'];

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;
const HOST_PORT = /^(\[[0-9a-f:]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/;

/**
 * The endpoint for a policy's `domain`, or why it may not be contacted. Patterns: `*.janraincapture.com`
 * (any subdomain), `acme.janraincapture.com`, `host:port`, `host:*`, and `http://127.0.0.1:*` for plain HTTP to
 * a loopback host.
 */
export function endpointFor(domain: string, allowedHosts: readonly string[]): Endpoint | { readonly refused: string } {
  const host = domain.trim().toLowerCase();
  const parts = HOST_PORT.exec(host);
  if (!parts) return { refused: `"${domain}" is not a bare host name, so it is not contacted` };
  const [, name, port] = parts as unknown as [string, string, string | undefined];
  for (const raw of allowedHosts) {
    const pattern = raw.trim().toLowerCase();
    const plainHttp = pattern.startsWith('http://');
    const body = pattern.replace(/^https?:\/\//, '').replace(/\/$/, '');
    if (plainHttp && !LOOPBACK.test(name)) continue; // plain HTTP never leaves the machine
    const [patternName = '', patternPort] = splitPort(body);
    if (!nameMatches(name, patternName)) continue;
    if (patternPort === undefined ? port !== undefined : patternPort !== '*' && patternPort !== port) continue;
    return { origin: `${plainHttp ? 'http' : 'https'}://${host}`, host };
  }
  return { refused: `${host} is not in the allowed hosts (${allowedHosts.join(', ') || 'none'})` };
}

function splitPort(pattern: string): [string, string | undefined] {
  const match = /^(.*?)(?::(\d{1,5}|\*))?$/.exec(pattern);
  return [match?.[1] ?? pattern, match?.[2]];
}

function nameMatches(name: string, pattern: string): boolean {
  if (pattern.startsWith('*.')) return name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1;
  return name === pattern;
}
