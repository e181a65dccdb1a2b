// The OIDC client files of the workspace bound to a policy (their `loginPolicy` is its id), and how to name them.
import type { AnalysisFacts, OidcClientSummary } from '../engine/facts';
import { samePolicyId } from '../engine/policy/policy-id';

export function boundClients(facts: AnalysisFacts, policyId: string | undefined): OidcClientSummary[] {
  return (facts.workspace?.oidcClients ?? []).filter((c) => samePolicyId(c.loginPolicy, policyId));
}

/** Named one by one up to here; a workspace of hundreds of clients gets "and N more". */
const MAX_LISTED = 10;

/** `ACME Web (clients/web.json), clients/app.json`; with `code`, paths in Markdown backticks. */
export function clientList(clients: readonly OidcClientSummary[], code = false): string {
  const quoted = (path: string) => (code ? `\`${path}\`` : path);
  const listed = clients
    .slice(0, MAX_LISTED)
    .map((c) => (c.name ? `${c.name} (${quoted(c.path)})` : quoted(c.path)))
    .join(', ');
  const more = clients.length - MAX_LISTED;
  return more > 0 ? `${listed} and ${more} more` : listed;
}
