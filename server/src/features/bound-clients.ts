// The OIDC client files of the workspace bound to a policy (their `loginPolicy` is its id), and how to name them.
import type { AnalysisFacts, OidcClientSummary } from '../engine/facts';
import { samePolicyId } from '../engine/policy/policy-id';

export function boundClients(facts: AnalysisFacts, policyId: string | undefined): OidcClientSummary[] {
  return (facts.workspace?.oidcClients ?? []).filter((c) => samePolicyId(c.loginPolicy, policyId));
}

/** `ACME Web (clients/web.json), clients/app.json`; with `code`, paths in Markdown backticks. */
export function clientList(clients: readonly OidcClientSummary[], code = false): string {
  const quoted = (path: string) => (code ? `\`${path}\`` : path);
  return clients.map((c) => (c.name ? `${c.name} (${quoted(c.path)})` : quoted(c.path))).join(', ');
}
