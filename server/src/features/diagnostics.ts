// Findings → LSP diagnostics: code = rule id, a link to the rule's docs, source "login-policy", and the fixes in
// `data`, so code actions need no server-side state. Fix edits never hold a secret (rules guarantee it).
import type { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, OffsetRange, Severity } from '../engine/finding';
import { ruleDocsPath } from '../engine/rules/index';
import { packageFileUrl } from '../util/package-root';
import { rangesOf } from './positions';

export const DIAGNOSTIC_SOURCE = 'login-policy';

/** Where findings that are not rules (config problems) link to. */
const NON_RULE_DOCS: Record<string, string> = { 'invalid-config': 'docs/configuration.md' };

export interface DiagnosticData {
  readonly ruleId: string;
  readonly fixes?: readonly Fix[];
}

// LSP's numbers, written out: importing the enums would load the whole language server library with the engine (the
// CLI and the cold start of the first diagnostics pay for every module evaluated).
const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: 1, warning: 2, info: 3, hint: 4 };
/** DiagnosticTag.Unnecessary */
const UNNECESSARY = 1;

const docsUrls = new Map<string, string>();

export function docsUrlOf(ruleId: string): string {
  let url = docsUrls.get(ruleId);
  if (url === undefined) {
    url = packageFileUrl(NON_RULE_DOCS[ruleId] ?? ruleDocsPath(ruleId));
    docsUrls.set(ruleId, url);
  }
  return url;
}

function toDiagnostic(toRange: (range: OffsetRange) => Range, finding: Finding): Diagnostic {
  const data: DiagnosticData = finding.fixes?.length
    ? { ruleId: finding.ruleId, fixes: finding.fixes }
    : { ruleId: finding.ruleId };
  return {
    range: toRange(finding.range),
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: docsUrlOf(finding.ruleId) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    ...(finding.unnecessary ? { tags: [UNNECESSARY] } : {}),
    data,
  };
}

export function toDiagnostics(doc: TextDocument, findings: readonly Finding[]): Diagnostic[] {
  const toRange = rangesOf(doc);
  return findings.map((finding) => toDiagnostic(toRange, finding));
}
