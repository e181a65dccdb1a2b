// --verify of lint and status: each policy's own owner credentials tried against its own Capture domain, one request
// at a time per host, only to hosts in `verify.allowedHosts` of the config. A host that may not be contacted is
// recorded as a check that could not decide, with the reason; a failed check never makes a secret stale.
import type { LiveCheck } from '../engine/facts';
import { liveCheckKey } from '../engine/facts';
import type { LoginPolicyConfig } from '../engine/config/schema';
import { DEFAULT_ALLOWED_HOSTS } from '../identity-cloud/hosts';
import {
  DEFAULT_TIMEOUT_MS,
  LiveCheckService,
  type LiveCheckRequest,
  type LiveCheckSettings,
} from '../identity-cloud/live-checks';
import { fingerprint } from '../shared/fingerprint';
import type { CliIo } from './io';
import { count } from '../identity-cloud/progress';

/** The live-check settings of a config (the editor reads its own settings instead). */
export function liveCheckSettings(config: LoginPolicyConfig | undefined): LiveCheckSettings {
  const verify = config?.verify;
  return {
    allowedHosts: verify?.allowedHosts ?? DEFAULT_ALLOWED_HOSTS,
    timeoutMs: verify?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    allowedHostsSetting: '"verify.allowedHosts" in .loginpolicyrc.json',
  };
}

/** Every check's result by liveCheckKey, for the analysis facts. */
export async function verifyCredentials(
  requests: readonly { readonly request: LiveCheckRequest; readonly settings: LiveCheckSettings }[],
  io: CliIo,
): Promise<Map<string, LiveCheck>> {
  const service = new LiveCheckService();
  const results = new Map<string, LiveCheck>();
  if (requests.length === 0) return results;
  io.stderr(`login-policy-lint: checking ${count(requests.length, 'embedded owner credential')} against Capture…\n`);
  await Promise.all(
    requests.map(async ({ request, settings }) => {
      const outcome = await service.check(request, settings);
      const key = liveCheckKey(request.domain, request.clientId, fingerprint(request.clientSecret));
      if (outcome.performed || outcome.check) results.set(key, outcome.check!);
      else
        results.set(key, {
          outcome: 'failed',
          reason: `not checked: ${outcome.reason}`,
          host: request.domain,
          checkedAt: (io.now?.() ?? new Date()).toISOString(),
        });
    }),
  );
  return results;
}
