// What the editor is shown for a document, in push and pull mode alike: its findings as diagnostics, and for a
// policy under a broken .loginpolicyrc.json a note at its top, with the config's own problems shown on the config
// file even when that is not open.
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { DocumentAnalysis } from '../documents';
import { CONFIG_FINDING } from '../engine/config/analyze-config';
import { DIAGNOSTIC_SOURCE, docsUrlOf, toDiagnostics } from '../features/diagnostics';
import type { ClientPort } from '../lsp/client-port';
import type { LoadedConfig } from '../project/config-store';
import type { DocumentStore } from '../session/document-store';

export class DiagnosticsReport {
  /** Config files whose problems were pushed while they were not open. */
  private readonly pushedConfigs = new Set<string>();

  constructor(
    private readonly client: ClientPort,
    private readonly documents: DocumentStore,
  ) {}

  /** The diagnostics of an analysed document. */
  of(doc: TextDocument, result: DocumentAnalysis): Diagnostic[] {
    switch (result.kind) {
      case 'policy':
        return [...toDiagnostics(doc, result.analysis.findings), ...this.brokenConfigNotice(result.config)];
      case 'config':
        return toDiagnostics(doc, result.config.findings);
      default:
        return [];
    }
  }

  /** A config file was opened: the editor now asks about it, and what was pushed for it goes. */
  configOpened(uri: string): void {
    if (this.pushedConfigs.delete(uri)) this.client.publish(uri, undefined, []);
  }

  /** Configs may have changed: the problems pushed for unopened ones go (they come back if still there). */
  clearConfigProblems(): void {
    for (const uri of this.pushedConfigs) this.client.publish(uri, undefined, []);
    this.pushedConfigs.clear();
  }

  /** A policy whose config is broken says so once, at its top, with a link to the config file. */
  private brokenConfigNotice(config: LoadedConfig | undefined): Diagnostic[] {
    if (!config || config.findings.length === 0) return [];
    this.showConfigProblems(config);
    return [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: 2,
        code: CONFIG_FINDING,
        codeDescription: { href: docsUrlOf(CONFIG_FINDING) },
        source: DIAGNOSTIC_SOURCE,
        message: `${config.path} has ${config.findings.length} problem(s); its rules and clients are ignored until it is fixed.`,
      },
    ];
  }

  /** Shows a broken config's problems on the config file even when it is not open. */
  private showConfigProblems(config: LoadedConfig): void {
    const uri = URI.file(config.path).toString();
    if (this.documents.isOpen(uri)) return;
    const doc = TextDocument.create(uri, 'jsonc', 0, config.text);
    this.pushedConfigs.add(uri);
    this.client.publish(uri, undefined, toDiagnostics(doc, config.findings));
  }
}
