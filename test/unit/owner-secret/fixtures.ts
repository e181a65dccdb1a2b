// Shared facts for the owner-secret tests: the vendor page's scenario and helpers to build known clients.
import type { AnalysisFacts, LiveCheck, LiveCheckResult } from '../../../server/src/engine/facts';
import { liveCheckKey } from '../../../server/src/engine/facts';
import { knownClientsFrom } from '../../../server/src/engine/owner-secret/known-clients';
import type { ClientEntry } from '../../../server/src/engine/config/schema';
import { fingerprint } from '../../../server/src/shared/fingerprint';
import { mark } from '../harness';

/** The vendor page's example: the policy embeds OLD; the owner client's secret is now NEW. */
export const VENDOR = {
  domain: 'se-demos-gstemp.us-dev.janraincapture.com',
  applicationId: '79y4mqf2rt3bxs378kw5479xdu',
  entityType: 'GREG_DEMO',
  clientId: '7ns3pxeq92eghsqfu5sanshe939vmrjm',
  oldSecret: '6kr5746q7e4ex2gfedp8ehzjemwjjsqe',
  newSecret: '2s277py2cv4ffg6vfwwjb2yf762tpfmv',
};

export const NOW = new Date('2026-11-27T12:00:00Z');

/** The vendor page's policy, pretty-printed, embedding `secret` (default: the old one). */
export function vendorPolicy(secret = VENDOR.oldSecret): string {
  return JSON.stringify(
    {
      identityStoreDetails: {
        type: 'janrainCapture',
        connectionDetails: {
          domain: VENDOR.domain,
          applicationId: VENDOR.applicationId,
          entityType: VENDOR.entityType,
          clientId: VENDOR.clientId,
          clientSecret: secret,
        },
      },
      loginURL: 'https://v1.api.us.janrain.com/00000000-0000-4000-8000-000000000000/auth-ui/v2/login',
      title: 'Greg demo',
    },
    null,
    2,
  );
}

/** The vendor page's policy embedding `secret`, with that secret's value marked ⟦ ⟧ for expectFindings. */
export function markedVendorPolicy(secret = VENDOR.oldSecret): string {
  return mark(vendorPolicy(secret), `"${secret}"`);
}

/** Facts from config entries (as .loginpolicyrc.json would give them). */
export function configFacts(entries: ClientEntry[], liveChecks?: LiveCheck[]): AnalysisFacts {
  const live = new Map<string, LiveCheck>();
  for (const check of liveChecks ?? [])
    live.set(liveCheckKey(check.host, VENDOR.clientId, fingerprint(VENDOR.oldSecret)), check);
  return {
    clients: knownClientsFrom({ path: '.loginpolicyrc.json', clients: entries }),
    ...(liveChecks ? { liveChecks: live } : {}),
  };
}

export const ownerEntry = (overrides: Partial<ClientEntry> = {}): ClientEntry => ({
  clientId: VENDOR.clientId,
  features: ['owner'],
  secretSha256: fingerprint(VENDOR.newSecret),
  label: 'demo owner',
  ...overrides,
});

export function liveCheck(result: LiveCheckResult, minutesAgo = 3): LiveCheck {
  return { ...result, host: VENDOR.domain, checkedAt: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString() };
}
