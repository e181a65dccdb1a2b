// What analysing a document for the editor means: its analysis, dropped when a newer version arrived meanwhile, a
// refresh planned when its findings change with the clock, then its diagnostics published.
import type { DocumentAnalysis } from '../documents';
import { verdictOf } from '../engine/owner-secret/verdict';
import type { ServerParts } from '../lsp/parts';
import type { DiagnosticsChannel } from './channel';
import type { Scheduler } from './scheduler';

export async function validate(parts: ServerParts, uri: string): Promise<void> {
  const { documents, analyzer } = parts;
  const doc = documents.documentOf(uri);
  if (!doc) return;
  const result = await analyzer.analysisOf(doc);
  const latest = documents.documentOf(uri);
  if (!latest || latest.version !== result.version) return; // a newer version is on its way
  refreshWhenTimeMatters(parts.scheduler, parts.channel, uri, result);
  parts.channel.publish(uri, documents.versionFor(uri), parts.report.of(latest, result));
}

/** Findings that change with the clock (a grace period ending) are refreshed without an edit. */
export function refreshWhenTimeMatters(
  scheduler: Scheduler,
  channel: DiagnosticsChannel,
  uri: string,
  result: DocumentAnalysis,
): void {
  const verdict = result.kind === 'policy' ? verdictOf(result.analysis) : undefined;
  const until = verdict?.secret.kind === 'rotated' ? verdict.secret.validUntil : undefined;
  scheduler.refreshAt(uri, until, () => channel.refresh(uri));
}
