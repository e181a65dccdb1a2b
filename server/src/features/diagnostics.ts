// Findings → LSP diagnostics: code = rule id, a link to the rule's docs, source "login-policy", and the fixes in
// `data`, so code actions need no server-side state. Fix edits never hold a secret (rules guarantee it).
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, Severity } from '../engine/finding';
import { ruleDocsPath } from '../engine/rules/index';
import { packageFileUrl } from '../util/package-root';
import { toRange } from './positions';

export const DIAGNOSTIC_SOURCE = 'login-policy';

/** Where findings that are not rules (config problems) link to. */
const NON_RULE_DOCS: Record<string, string> = { 'invalid-config': 'docs/configuration.md' };

export interface DiagnosticData {
  readonly ruleId: string;
  readonly fixes?: readonly Fix[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const docsUrls = new Map<string, string>();

export function docsUrlOf(ruleId: string): string {
  let url = docsUrls.get(ruleId);
  if (url === undefined) {
    url = packageFileUrl(NON_RULE_DOCS[ruleId] ?? ruleDocsPath(ruleId));
    docsUrls.set(ruleId, url);
  }
  return url;
}

export function toDiagnostic(doc: TextDocument, finding: Finding): Diagnostic {
  const data: DiagnosticData = finding.fixes?.length
    ? { ruleId: finding.ruleId, fixes: finding.fixes }
    : { ruleId: finding.ruleId };
  return {
    range: toRange(doc, finding.range),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: docsUrlOf(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(finding.unnecessary ? { tags: [DiagnosticTag.Unnecessary] } : {}),
    data,
  };
}

export function toDiagnostics(doc: TextDocument, findings: readonly Finding[]): Diagnostic[] {
  return findings.map((finding) => toDiagnostic(doc, finding));
}
