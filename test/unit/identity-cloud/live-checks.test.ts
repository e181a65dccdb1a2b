// Live checks with manners: caching, back-off after failures, one request at a time per host, refused hosts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveCheckResult } from '../../../server/src/engine/facts';
import { LiveCheckService } from '../../../server/src/identity-cloud/live-checks';

const settings = { allowedHosts: ['*.janraincapture.com'], timeoutMs: 1000 };
const request = (clientSecret = 'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4', domain = 'acme.janraincapture.com') => ({
  domain,
  clientId: 'm3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6',
  clientSecret,
});

function service(answers: LiveCheckResult[], clock: { now: number }) {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const live = new LiveCheckService({
    now: () => new Date(clock.now),
    ttlMs: 60_000,
    backoffMs: 1000,
    maxBackoffMs: 4000,
    checker: async (endpoint) => {
      calls.push(endpoint.host);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return answers.shift() ?? { outcome: 'accepted' };
    },
  });
  return { live, calls, maxInFlight: () => maxInFlight };
}

describe('LiveCheckService', () => {
  it('reuses a fresh result, and checks again when forced or after the time to live', async () => {
    const clock = { now: Date.parse('2026-11-27T12:00:00Z') };
    const { live, calls } = service([], clock);
    assert.equal((await live.check(request(), settings)).performed, true);
    const cached = await live.check(request(), settings);
    assert.deepEqual([cached.performed, !cached.performed && cached.reason], [false, 'a recent result exists']);
    assert.equal((await live.check(request(), settings, true)).performed, true);
    clock.now += 61_000;
    assert.equal((await live.check(request(), settings)).performed, true);
    assert.equal(calls.length, 3);
  });

  it('backs off exponentially after failures, even when forced', async () => {
    const clock = { now: 0 };
    const failed: LiveCheckResult = { outcome: 'failed', reason: 'connection refused' };
    const { live, calls } = service([failed, failed, failed], clock);
    await live.check(request(), settings);
    assert.equal((await live.check(request(), settings, true)).performed, false);
    clock.now += 1001;
    await live.check(request(), settings, true); // second failure: 2 s
    clock.now += 1500;
    assert.equal((await live.check(request(), settings, true)).performed, false);
    clock.now += 600;
    assert.equal((await live.check(request(), settings, true)).performed, true);
    assert.equal(calls.length, 3);
  });

  it('keys results by host, client and secret fingerprint', async () => {
    const clock = { now: 0 };
    const { live } = service([{ outcome: 'rejected', code: 402, error: 'invalid_client_credentials' }], clock);
    await live.check(request('old-secret-old-secret-old-secret'), settings);
    assert.equal(live.lastResult(request('old-secret-old-secret-old-secret'))?.outcome, 'rejected');
    assert.equal(live.lastResult(request()), undefined, 'another secret has no result');
    const [key] = [...live.results().keys()];
    assert.match(key!, /^acme\.janraincapture\.com\|m3n8b2v7c1x6z9l4k5j0h2g7f3d8s1a6\|[0-9a-f]{64}$/);
  });

  it('sends one request at a time per host', async () => {
    const clock = { now: 0 };
    const { live, maxInFlight } = service([], clock);
    await Promise.all([1, 2, 3, 4].map((i) => live.check(request(`secret-number-${i}-xxxxxxxxxxxxxxxxxx`), settings)));
    assert.equal(maxInFlight(), 1);
  });

  it('refuses hosts that are not allowed, without a request, naming where to allow them', async () => {
    const clock = { now: 0 };
    const { live, calls } = service([], clock);
    const outcome = await live.check(request(undefined, 'evil.example.com'), {
      ...settings,
      allowedHostsSetting: 'the setting',
    });
    assert.equal(outcome.performed, false);
    assert.match(
      !outcome.performed ? outcome.reason : '',
      /not in the allowed hosts \(\*\.janraincapture\.com\); add it to the setting to check it$/,
    );
    assert.equal(calls.length, 0);
  });

  it('sends one request for identical credentials asked for at once', async () => {
    const clock = { now: 0 };
    const { live, calls } = service([], clock);
    const outcomes = await Promise.all([1, 2, 3].map(() => live.check(request(), settings)));
    assert.equal(calls.length, 1);
    assert.ok(outcomes.every((o) => o.performed));
  });

  it('keeps the last decisive answer when a later check fails', async () => {
    const clock = { now: 0 };
    const { live } = service(
      [
        { outcome: 'rejected', code: 402, error: 'invalid_client_credentials' },
        { outcome: 'failed', reason: 'connection reset' },
      ],
      clock,
    );
    await live.check(request(), settings);
    await live.check(request(), settings, true);
    assert.equal(live.lastResult(request())?.outcome, 'failed', 'the code lens shows the latest attempt');
    assert.equal([...live.results().values()][0]?.outcome, 'rejected', 'the facts keep what Capture said');
  });
});
