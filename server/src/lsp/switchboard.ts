// One line per request: each answered inside runSafe (a failure is logged and answered with a neutral result,
// never thrown across the connection) from the document's one cached analysis, by a feature module.
import { DocumentDiagnosticReportKind, type CodeLens, type DocumentDiagnosticReport } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentAnalysis } from '../documents';
import { PullChannel } from '../diagnostics/channel';
import { refreshWhenTimeMatters } from '../diagnostics/validate';
import { parse } from '../engine/parse';
import { getCodeActions } from '../features/code-actions';
import { getConfigCompletions, getPolicyCompletions } from '../features/completion';
import { getConfigHover, getPolicyHover } from '../features/hover';
import { getPolicyActions } from '../features/policy-actions';
import { getDocumentSymbols, getFoldingRanges, getFormattingEdits } from '../features/structure';
import { DocumentStatusRequest } from '../protocol';
import { runSafe } from '../util/run-safe';
import { canShowRuleDocs } from './capabilities';
import { codeLenses, documentStatus, executeCommand, policyActionEnv } from './commands';
import type { ServerParts } from './parts';

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

  connection.languages.diagnostics.onWorkspace(async (params, token) => {
    const channel = parts.channel;
    if (!(channel instanceof PullChannel)) return { items: [] };
    const previous = new Map(params.previousResultIds.map(({ uri, value }) => [uri, value]));
    const items = await runSafe(logger, 'workspace diagnostics', [], token, () => channel.workspace(previous, token));
    return { items: items instanceof Error ? [] : items };
  });

  connection.onHover((params, token) =>
    runSafe(logger, 'hover', null, token, () =>
      withDocument(params.textDocument.uri, null, (doc, result) => {
        if (result.kind === 'policy') return getPolicyHover(doc, result.analysis, params.position);
        if (result.kind === 'config') return getConfigHover(doc, params.position);
        return null;
      }),
    ),
  );

  connection.onCompletion((params, token) =>
    runSafe(logger, 'completion', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) => {
        if (result.kind === 'policy') return getPolicyCompletions(doc, params.position);
        if (result.kind === 'config') return getConfigCompletions(doc, params.position);
        return [];
      }),
    ),
  );

  connection.onCodeAction((params, token) =>
    runSafe(logger, 'code actions', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) => {
        const docsOption = { ruleDocs: canShowRuleDocs(parts.caps) };
        if (result.kind === 'policy') {
          return [
            ...getCodeActions(doc, result.analysis.findings, params, docsOption),
            ...getPolicyActions(policyActionEnv(parts, doc, result.analysis), params),
          ];
        }
        if (result.kind === 'config') return getCodeActions(doc, result.config.findings, params, docsOption);
        return [];
      }),
    ),
  );

  connection.onDocumentSymbol((params, token) =>
    runSafe(logger, 'symbols', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) =>
        result.kind === 'other'
          ? []
          : getDocumentSymbols(doc, treeOf(doc, result), (text) => parts.session.redactor.redact(text)),
      ),
    ),
  );

  connection.onFoldingRanges((params, token) =>
    runSafe(logger, 'folding', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) => {
        if (result.kind === 'other') return [];
        const comments = result.kind === 'policy' ? result.analysis.parsed.comments : parse(doc.getText()).comments;
        return getFoldingRanges(doc, treeOf(doc, result), comments);
      }),
    ),
  );

  connection.onDocumentFormatting((params, token) =>
    runSafe(logger, 'formatting', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) =>
        result.kind === 'other' ? [] : getFormattingEdits(doc, params.options),
      ),
    ),
  );

  connection.onDocumentRangeFormatting((params, token) =>
    runSafe(logger, 'range formatting', [], token, () =>
      withDocument(params.textDocument.uri, [], (doc, result) =>
        result.kind === 'other' ? [] : getFormattingEdits(doc, params.options, params.range),
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
