// The live check's reading of Capture's answers and of network failures, with a stand-in for fetch.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOwnerCredentials, type Fetch } from '../../../server/src/identity-cloud/capture-check';

const SECRET = 'c4n4ry5ecr3tc4n4ry5ecr3tc4n4ry5e';
const endpoint = { origin: 'https://acme.janraincapture.com', host: 'acme.janraincapture.com' };
const credentials = { clientId: 'm3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6', clientSecret: SECRET };

function answering(
  body: string,
  status = 200,
  type = 'application/json',
): { fetch: Fetch; calls: { url: string; init: RequestInit }[] } {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = ((url: string, init: RequestInit) => {
    calls.push({ url, init });
    return Promise.resolve(new Response(body, { status, headers: { 'content-type': type } }));
  }) as unknown as Fetch;
  return { fetch, calls };
}

function failing(error: Error): Fetch {
  return () => Promise.reject(error);
}

describe('checkOwnerCredentials', () => {
  it('posts to /entityType.list with Basic auth and never follows a redirect', async () => {
    const { fetch, calls } = answering('{"results":["user"],"stat":"ok"}');
    assert.deepEqual(await checkOwnerCredentials(endpoint, credentials, 5000, fetch), { outcome: 'accepted' });
    const [call] = calls;
    assert.equal(call!.url, 'https://acme.janraincapture.com/entityType.list');
    assert.equal(call!.init.method, 'POST');
    assert.equal(call!.init.redirect, 'error');
    const auth = (call!.init.headers as Record<string, string>)['authorization']!;
    assert.equal(Buffer.from(auth.replace('Basic ', ''), 'base64').toString(), `${credentials.clientId}:${SECRET}`);
  });

  it('reads 402 as rejected and 403 as not an owner', async () => {
    const rejected = answering(
      '{"stat":"error","code":402,"error":"invalid_client_credentials","error_description":"x","request_id":"abc"}',
    );
    assert.deepEqual(await checkOwnerCredentials(endpoint, credentials, 5000, rejected.fetch), {
      outcome: 'rejected',
      code: 402,
      error: 'invalid_client_credentials',
    });
    const notOwner = answering('{"stat":"error","code":403,"error":"client_permission_error"}');
    assert.deepEqual(await checkOwnerCredentials(endpoint, credentials, 5000, notOwner.fetch), {
      outcome: 'not-owner',
      code: 403,
      error: 'client_permission_error',
    });
  });

  it('cannot decide on anything else, and says why', async () => {
    const cases: [ReturnType<typeof answering>, string][] = [
      [
        answering('{"stat":"error","code":510,"error":"api_limit_error"}'),
        'Capture is rate limiting (510 api_limit_error)',
      ],
      [answering('<html>oops</html>', 500, 'text/html'), 'Capture answered HTTP 500'],
      [answering('<html>hi</html>', 200, 'text/html'), 'the answer was not JSON (text/html)'],
      [
        answering('{"stat":"error","code":222,"error":"unknown_entity_type"}'),
        'Capture answered 222 unknown_entity_type',
      ],
      [answering('[]'), 'the answer had no stat/code'],
      [answering('{"error":"x"}', 401), 'unexpected HTTP 401 (Capture answers 200)'],
    ];
    for (const [{ fetch }, reason] of cases) {
      assert.deepEqual(await checkOwnerCredentials(endpoint, credentials, 5000, fetch), { outcome: 'failed', reason });
    }
  });

  it('turns network failures into words without quoting the error', async () => {
    const withCause = (code: string) => Object.assign(new TypeError(`fetch failed ${SECRET}`), { cause: { code } });
    const timeout = Object.assign(new Error(`timed out ${SECRET}`), { name: 'TimeoutError' });
    const cases: [Error, string][] = [
      [timeout, 'no answer within 2.5 s'],
      [withCause('ECONNREFUSED'), 'connection refused'],
      [withCause('ENOTFOUND'), 'host not found'],
      [withCause('ECONNRESET'), 'connection reset'],
      [withCause('ERR_TLS_CERT_ALTNAME_INVALID'), 'TLS error (ERR_TLS_CERT_ALTNAME_INVALID)'],
      [new Error(SECRET), 'network error'],
    ];
    for (const [error, reason] of cases) {
      const result = await checkOwnerCredentials(endpoint, credentials, 2500, failing(error));
      assert.deepEqual(result, { outcome: 'failed', reason });
      assert.ok(!JSON.stringify(result).includes(SECRET));
    }
  });

  it('keeps a hostile error name out of the answer', async () => {
    const { fetch } = answering(`{"stat":"error","code":999,"error":"${SECRET} <script>"}`);
    const result = await checkOwnerCredentials(endpoint, credentials, 5000, fetch);
    assert.equal(result.outcome, 'failed');
    assert.ok(!JSON.stringify(result).includes('<script>'));
  });
});
