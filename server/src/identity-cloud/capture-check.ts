// The live check: POST https://{domain}/entityType.list with the policy's own embedded credentials (Basic auth),
// read Capture's stat/code (facts §4.2, §4.4). 402 invalid_client_credentials means stale, 403
// client_permission_error means not an owner, `ok` means the credentials work; anything else cannot decide.
// Never throws, never follows a redirect, and no message it returns contains a credential.
import type { LiveCheckResult } from '../engine/facts';
import type { Endpoint } from './hosts';
import { networkReason } from './network-reason';

export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export type Fetch = typeof fetch;

export async function checkOwnerCredentials(
  endpoint: Endpoint,
  credentials: Credentials,
  timeoutMs: number,
  fetchImpl: Fetch = fetch,
): Promise<LiveCheckResult> {
  let response: Response;
  try {
    response = await fetchImpl(`${endpoint.origin}/entityType.list`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: '',
      // A redirect could carry the credentials elsewhere; Capture does not redirect this call.
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    return { outcome: 'failed', reason: networkReason(e, timeoutMs) };
  }
  let body: string;
  try {
    body = await response.text();
  } catch (e) {
    return { outcome: 'failed', reason: networkReason(e, timeoutMs) };
  }
  if (response.status >= 500) return { outcome: 'failed', reason: `Capture answered HTTP ${response.status}` };
  if (response.status !== 200)
    return { outcome: 'failed', reason: `unexpected HTTP ${response.status} (Capture answers 200)` };
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    const type = response.headers.get('content-type')?.split(';')[0] ?? 'no content type';
    return { outcome: 'failed', reason: `the answer was not JSON (${type})` };
  }
  return classify(answer);
}

function classify(answer: unknown): LiveCheckResult {
  if (typeof answer !== 'object' || answer === null)
    return { outcome: 'failed', reason: 'the answer was not a JSON object' };
  const { stat, code, error } = answer as { stat?: unknown; code?: unknown; error?: unknown };
  if (stat === 'ok') return { outcome: 'accepted' };
  if (stat !== 'error' || typeof code !== 'number') return { outcome: 'failed', reason: 'the answer had no stat/code' };
  const name = typeof error === 'string' ? error.replace(/[^\w.-]/g, '').slice(0, 60) : 'error';
  if (code === 402) return { outcome: 'rejected', code, error: name };
  if (code === 403) return { outcome: 'not-owner', code, error: name };
  if (code === 510) return { outcome: 'failed', reason: `Capture is rate limiting (510 ${name})` };
  return { outcome: 'failed', reason: `Capture answered ${code} ${name}` };
}
