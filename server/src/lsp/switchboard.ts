// One line per request: each answered inside runSafe (a failure is logged and answered with a neutral result,
// never thrown across the connection) from the document's one cached analysis, by a feature module. The feature
// modules load on their first request: the first diagnostics of a session need none of them.
import { DocumentDiagnosticReportKind, type CodeLens, type DocumentDiagnosticReport } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentAnalysis } from '../documents';
import { refreshWhenTimeMatters } from '../diagnostics/validate';
import { parse } from '../engine/parse';
import { DocumentStatusRequest } from '../protocol';
import { runSafe } from '../util/run-safe';
import { codeLenses, documentStatus, executeCommand, policyActionEnv } from './commands';
import type { ServerParts } from './parts';

const hover = () => import('../features/hover.js');
const completion = () => import('../features/completion.js');
const codeActions = () => import('../features/code-actions.js');
const policyActions = () => import('../features/policy-actions.js');
const structure = () => import('../features/structure.js');

export function registerRequests(parts: ServerParts): void {
  const { connection, logger, documents, analyzer } = parts;

  /** The request's answer from the open document's analysis; `fallback` for a document that is not open. */
  const withDocument = <T>(
    uri: string,
    fallback: T,
    fn: (doc: TextDocument, result: DocumentAnalysis) => T | Promise<T>,
  ): Promise<T> => {
    const doc = documents.open.get(uri);
    if (!doc) return Promise.resolve(fallback);
    return analyzer.analysisOf(doc).then((result) => fn(documents.open.get(uri) ?? doc, result));
  };

  // Pull requests are cheap (a cache lookup) and not cancelled, so the report type stays simple.
  connection.languages.diagnostics.on(async (params): Promise<DocumentDiagnosticReport> => {
    const empty: DocumentDiagnosticReport = { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const report = await runSafe(logger, 'diagnostics', empty, undefined, () =>
      withDocument(params.textDocument.uri, empty, (doc, result): DocumentDiagnosticReport => {
        refreshWhenTimeMatters(parts.scheduler, parts.channel, doc.uri, result);
        return { kind: DocumentDiagnosticReportKind.Full, items: parts.report.of(doc, result) };
      }),
    );
    return report instanceof Error ? empty : report;
  });

  connection.onHover((params, token) =>
    runSafe(logger, 'hover', null, token, () =>
      withDocument(params.textDocument.uri, null, async (doc, result) => {
        if (result.kind === 'policy') return (await hover()).getPolicyHover(doc, result.analysis, params.position);
        if (result.kind === 'config') return (await hover()).getConfigHover(doc, params.position);
        return null;
      }),
    ),
  );

  connection.onCompletion((params, token) =>
    runSafe(logger, 'completion', [], token, () =>
      withDocument(params.textDocument.uri, [], async (doc, result) => {
        if (result.kind === 'policy') return (await completion()).getPolicyCompletions(doc, params.position);
        if (result.kind === 'config') return (await completion()).getConfigCompletions(doc, params.position);
        return [];
      }),
    ),
  );

  connection.onCodeAction((params, token) =>
    runSafe(logger, 'code actions', [], token, () =>
      withDocument(params.textDocument.uri, [], async (doc, result) => {
        const { getCodeActions } = await codeActions();
        if (result.kind === 'policy') {
          const { getPolicyActions } = await policyActions();
          return [
            ...getCodeActions(doc, result.analysis.findings, params),
            ...getPolicyActions(policyActionEnv(parts, doc, result.analysis), params),
          ];
        }
        if (result.kind === 'config') return getCodeActions(doc, result.config.findings, params);
        return [];
      }),
    ),
  );

  connection.onDocumentSymbol((params, token) =>
    runSafe(logger, 'symbols', [], token, () =>
      withDocument(params.textDocument.uri, [], async (doc, result) =>
        result.kind === 'other'
          ? []
          : (await structure()).getDocumentSymbols(doc, treeOf(doc, result), (text) =>
              parts.session.redactor.redact(text),
            ),
      ),
    ),
  );

  connection.onFoldingRanges((params, token) =>
    runSafe(logger, 'folding', [], token, () =>
      withDocument(params.textDocument.uri, [], async (doc, result) => {
        if (result.kind === 'other') return [];
        const comments = result.kind === 'policy' ? result.analysis.parsed.comments : parse(doc.getText()).comments;
        return (await structure()).getFoldingRanges(doc, treeOf(doc, result), comments);
      }),
    ),
  );

  connection.onDocumentFormatting((params, token) =>
    runSafe(logger, 'formatting', [], token, () =>
      withDocument(params.textDocument.uri, [], async (doc, result) =>
        result.kind === 'other' ? [] : (await structure()).getFormattingEdits(doc, params.options),
      ),
    ),
  );

  connection.onDocumentRangeFormatting((params, token) =>
    runSafe(logger, 'range formatting', [], token, () =>
      withDocument(params.textDocument.uri, [], async (doc, result) =>
        result.kind === 'other' ? [] : (await structure()).getFormattingEdits(doc, params.options, params.range),
      ),
    ),
  );

  connection.onExecuteCommand((params, token) =>
    runSafe(logger, `command ${params.command}`, null, token, () => executeCommand(parts, params)),
  );

  connection.onCodeLens((params, token) =>
    runSafe(logger, 'code lens', [], token, () =>
      withDocument(params.textDocument.uri, [] as CodeLens[], (doc, result) => codeLenses(parts, doc, result)),
    ),
  );

  connection.onRequest(DocumentStatusRequest.type, (params, token) =>
    runSafe(logger, 'document status', documentStatus(undefined), token, () =>
      withDocument(params.uri, documentStatus(undefined), (_doc, result) => documentStatus(result)),
    ),
  );
}

function treeOf(doc: TextDocument, result: DocumentAnalysis) {
  return result.kind === 'policy' ? result.analysis.fullTree() : parse(doc.getText()).root;
}
