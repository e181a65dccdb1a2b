// A login policy POST body (facts §2.1) for tests and the demo: the owner credentials, domain and title vary,
// the rest is a plausible v2 policy. The connection keys are deliberately not in GET's order (GET reorders them).

export interface PolicyBodyFields {
  domain: string;
  title: string;
  clientId: string;
  clientSecret: string;
  /** Default a made-up 26-char application id. */
  applicationId?: string;
  /** Default "user". */
  entityType?: string;
  /** Default a v2 Hosted Login URL of a made-up customer. */
  loginURL?: string;
}

export function loginPolicyBody(fields: PolicyBodyFields): Record<string, unknown> {
  return {
    identityStoreDetails: {
      type: 'janrainCapture',
      connectionDetails: {
        domain: fields.domain,
        applicationId: fields.applicationId ?? 'q7w2e9r4t6y1u8i3o5p0a2s4dz',
        clientId: fields.clientId,
        clientSecret: fields.clientSecret,
        entityType: fields.entityType ?? 'user',
      },
    },
    loginURL: fields.loginURL ?? 'https://v1.api.us.janrain.com/01000000-0000-3000-9000-000000000000/auth-ui/v2/login',
    title: fields.title,
  };
}
