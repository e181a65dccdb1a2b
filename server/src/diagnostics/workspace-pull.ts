// The answer to workspace/diagnostic (pull mode): the findings of the policy files the editor has not opened, each
// with a result id made from its diagnostics, so a file whose findings did not change since the editor's last pull
// is answered "unchanged" (and, when nothing invalidated it, not analysed again). Open documents are the document
// pulls' business. Files are analysed in slices that leave the server responsive, and a cancelled pull stops.
import { createHash } from 'node:crypto';
import {
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type Diagnostic,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { DocumentAnalysis } from '../documents';
import type { Analyzer } from '../session/analysis';
import type { DocumentStore } from '../session/document-store';
import type { DiagnosticsReport } from './report';

/** Files analysed between two turns of the event loop. */
const SLICE = 200;

export interface ReportedResult {
  /** The disk copy's version the result was made from. */
  readonly version: number;
  readonly resultId: string;
}

export async function workspaceDiagnostics(
  documents: DocumentStore,
  analyzer: Analyzer,
  report: DiagnosticsReport,
  /** What each file last reported; entries are dropped by whoever invalidates a file's findings. */
  reported: Map<string, ReportedResult>,
  previous: ReadonlyMap<string, string>,
  token: CancellationToken | undefined,
  /** Each file analysed anew (findings that change with the clock plan their own refresh). */
  analysed: (uri: string, result: DocumentAnalysis) => void,
): Promise<WorkspaceDocumentDiagnosticReport[]> {
  const items: WorkspaceDocumentDiagnosticReport[] = [];
  const seen = new Set<string>();
  let inSlice = 0;
  for (const uri of [...documents.unopenedDiskUris()]) {
    if (++inSlice > SLICE) {
      inSlice = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (token?.isCancellationRequested) return items;
    const doc = documents.documentOf(uri);
    if (!doc || documents.isOpen(uri)) continue;
    seen.add(uri);
    const known = reported.get(uri);
    if (known && known.version === doc.version && previous.get(uri) === known.resultId) {
      items.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId: known.resultId });
      continue;
    }
    const result = await analyzer.analysisOf(doc);
    analysed(uri, result);
    const diagnostics = report.of(doc, result);
    const resultId = resultIdOf(diagnostics);
    reported.set(uri, { version: doc.version, resultId });
    items.push(
      previous.get(uri) === resultId
        ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version: null, resultId }
        : { kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items: diagnostics },
    );
  }
  // Files the editor heard about that are no policy on disk any more (deleted, or no longer named by a glob).
  for (const uri of previous.keys()) {
    if (seen.has(uri) || documents.isOpen(uri)) continue;
    reported.delete(uri);
    items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, items: [] });
  }
  return items;
}

function resultIdOf(diagnostics: readonly Diagnostic[]): string {
  return createHash('sha1').update(JSON.stringify(diagnostics)).digest('base64url');
}
