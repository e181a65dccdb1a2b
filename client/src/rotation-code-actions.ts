// "Rotate owner secret through Identity Cloud…" on a stale-owner-secret or rotated-owner-secret finding: a client-side
// quick fix (the language server knows nothing of the connection), offered only in a trusted workspace connected to
// Identity Cloud and on a policy file that has an `id` (one that was created). It runs Rotate Owner Secret for that
// file. Also the offer, at activation, of the unfinished rotations of a connected workspace. Loaded at activation:
// nothing here imports the rotation core.
import * as vscode from 'vscode';
import { COMMANDS, JOURNAL_FOLDER, ROTATABLE_FINDINGS } from './constants';
import type { Ctx } from './ctx';
import { policyIdIn } from './policy-files';

export const ROTATE_ACTION_TITLE = 'Rotate owner secret through Identity Cloud…';
/** More unfinished rotations than this in one workspace are not expected; the command finds its folder's anyway. */
const MAX_JOURNALS = 200;

export class RotationCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly connected: () => boolean) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (!vscode.workspace.isTrusted || !this.connected() || document.uri.scheme !== 'file') return [];
    const findings = context.diagnostics.filter(
      (d) => d.source === 'login-policy' && ROTATABLE_FINDINGS.includes(codeOf(d)),
    );
    if (findings.length === 0 || policyIdIn(document.getText()) === undefined) return [];
    const action = new vscode.CodeAction(ROTATE_ACTION_TITLE, vscode.CodeActionKind.QuickFix);
    action.diagnostics = findings;
    action.command = {
      command: COMMANDS.rotateOwnerSecret,
      title: ROTATE_ACTION_TITLE,
      arguments: [{ policyFile: document.uri.fsPath }],
    };
    return [action];
  }
}

/** At activation of a trusted, connected workspace: each unfinished rotation offers Resume and Abort. */
export async function offerUnfinishedRotations(ctx: Ctx): Promise<void> {
  if (!vscode.workspace.isTrusted || !ctx.connection.fields()) return;
  const journals = await vscode.workspace.findFiles(`**/${JOURNAL_FOLDER}/*.json`, '**/node_modules/**', MAX_JOURNALS);
  if (journals.length === 0) return;
  (await import('./rotate-owner-secret.js')).offerUnfinished(
    ctx,
    journals.map((uri) => uri.fsPath),
  );
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}
