// The OIDC client files of the workspace bound to a policy (their `loginPolicy` is its id), and how to name them.
import type { AnalysisFacts, OidcClientSummary } from '../engine/facts';
import { listed } from '../engine/list-words';

/** The clients bound to the analysed policy's id, as the analysis saw them. */
export function boundClients(facts: AnalysisFacts): readonly OidcClientSummary[] {
  return facts.workspace?.boundClients ?? [];
}

/** `ACME Web (clients/web.json), clients/app.json`; with `code`, paths in Markdown backticks. */
export function clientList(clients: readonly OidcClientSummary[], code = false): string {
  const quoted = (path: string) => (code ? `\`${path}\`` : path);
  return listed(clients.map((c) => (c.name ? `${c.name} (${quoted(c.path)})` : quoted(c.path))));
}
