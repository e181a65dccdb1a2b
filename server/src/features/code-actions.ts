// Code actions: each finding's fixes as quick fixes, "Fix all <rule> problems" when a rule has several one-fix
// findings, and "Show documentation for <rule>" on every diagnostic where the editor can open it (elsewhere the
// diagnostic's codeDescription link is the way to the page). Fixes are taken from the current analysis
// (matched by rule and range) so a stale diagnostic never applies edits to the wrong text.
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, TextEdit } from '../engine/finding';
import { SHOW_RULE_DOCUMENTATION_COMMAND } from '../protocol';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './diagnostics';
import { toOffsetRange, toTextEdit } from './positions';

export function getCodeActions(
  doc: TextDocument,
  findings: readonly Finding[],
  params: CodeActionParams,
  options: { readonly ruleDocs: boolean },
): CodeAction[] {
  const wanted = (kind: string): boolean =>
    !params.context.only || params.context.only.some((only) => kind === only || kind.startsWith(`${only}.`));
  const actions: CodeAction[] = [];
  const documented = new Set<string>();
  const fixedAll = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const ruleId =
      typeof diagnostic.code === 'string' ? diagnostic.code : (diagnostic.data as DiagnosticData | undefined)?.ruleId;
    if (!ruleId) continue;
    const finding = findingFor(doc, findings, ruleId, diagnostic);
    if (wanted(CodeActionKind.QuickFix)) {
      for (const fix of finding?.fixes ?? []) actions.push(quickFix(doc, fix, diagnostic));
      if (!fixedAll.has(ruleId)) {
        fixedAll.add(ruleId);
        const all = fixAll(doc, findings, ruleId);
        if (all) actions.push(all);
      }
      if (options.ruleDocs && !documented.has(ruleId)) {
        documented.add(ruleId);
        actions.push({
          title: `Show documentation for ${ruleId}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: {
            title: `Show documentation for ${ruleId}`,
            command: SHOW_RULE_DOCUMENTATION_COMMAND,
            arguments: [ruleId],
          },
        });
      }
    }
  }
  return actions;
}

function findingFor(
  doc: TextDocument,
  findings: readonly Finding[],
  ruleId: string,
  diagnostic: Diagnostic,
): Finding | undefined {
  const { offset, length } = toOffsetRange(doc, diagnostic.range);
  return findings.find((f) => f.ruleId === ruleId && f.range.offset === offset && f.range.length === length);
}

function quickFix(doc: TextDocument, fix: Fix, diagnostic: Diagnostic): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    ...(fix.isPreferred ? { isPreferred: true } : {}),
    edit: editOf(doc, fix.edits),
  };
}

/**
 * One edit for every finding of a rule whose only fix is its preferred one (the rule is sure of it: removing a
 * comment, yes; deleting an unknown property, no), when there are several and none overlap.
 */
function fixAll(doc: TextDocument, findings: readonly Finding[], ruleId: string): CodeAction | undefined {
  const fixable = findings.filter((f) => f.ruleId === ruleId && f.fixes?.length === 1 && f.fixes[0]!.isPreferred);
  if (fixable.length < 2) return undefined;
  const edits = fixable.flatMap((f) => f.fixes![0]!.edits).sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < edits.length; i++) {
    if (edits[i]!.offset < edits[i - 1]!.offset + edits[i - 1]!.length) return undefined;
  }
  return { title: `Fix all ${ruleId} problems`, kind: CodeActionKind.QuickFix, edit: editOf(doc, edits) };
}

function editOf(doc: TextDocument, edits: readonly TextEdit[]): WorkspaceEdit {
  return { changes: { [doc.uri]: edits.map((edit) => toTextEdit(doc, edit)) } };
}
