// After "Generate a new login policy": fills the new file's secret placeholder from SecretStorage when the owner
// client's current secret was recorded, and otherwise says how to fill it. Also lists the OIDC client files that
// use a policy (the code lens on its id).
import * as vscode from 'vscode';
import { secretPlaceholder } from '../../server/src/shared/secret-placeholder';
import type { Ctx } from './ctx';
import { showInformationMessage, showWarningMessage } from './notify';

export async function fillSecretPlaceholder(
  ctx: Ctx,
  uri: unknown,
  clientId: unknown,
  options: unknown,
): Promise<boolean> {
  if (typeof uri !== 'string' || typeof clientId !== 'string') return false;
  // A file in an untrusted folder could name any client to get its secret written where its author can read it.
  if (!vscode.workspace.isTrusted) {
    void showWarningMessage(
      'Login Policy Lint writes a recorded owner secret into a file only in a trusted workspace.',
    );
    return false;
  }
  const placeholder = secretPlaceholder(clientId);
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  } catch (e) {
    ctx.log.warn(`Could not open the new policy ${uri}: ${e instanceof Error ? e.message : String(e)}`);
    return false;
  }
  const offset = doc.getText().indexOf(placeholder);
  if (offset < 0) return false;
  await vscode.window.showTextDocument(doc, { preview: false });
  const secret = await ctx.secrets.secretOf(clientId);
  if (!secret) {
    void showInformationMessage(
      `The new policy needs the current secret of owner client ${clientId}. Record it ("Login Policy: Record Current Owner Client Secret"), then use the quick fix "Fill in the recorded owner secret" on the placeholder; or type it in.`,
    );
    return false;
  }
  const generated = typeof options === 'object' && options !== null && (options as { generated?: unknown }).generated;
  if (generated !== true) {
    const answer = await showWarningMessage(
      `Write the current secret of owner client ${clientId}, recorded in VS Code, into ${vscode.workspace.asRelativePath(doc.uri)}?`,
      {
        modal: true,
        detail:
          'The file then holds the secret in clear, as a login policy must. Do not commit it where it should not be.',
      },
      'Write the Secret',
    );
    if (answer !== 'Write the Secret') return false;
  }
  const edit = new vscode.WorkspaceEdit();
  // JSON.stringify(…).slice(1, -1): the secret as the inside of a JSON string.
  edit.replace(
    doc.uri,
    new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + placeholder.length)),
    JSON.stringify(secret).slice(1, -1),
  );
  const applied = await vscode.workspace.applyEdit(edit);
  if (applied) ctx.log.info(`Filled the new policy's owner secret for client ${clientId} from SecretStorage.`);
  return applied;
}

export async function showPolicyClients(files: unknown): Promise<void> {
  const uris = Array.isArray(files)
    ? files.filter((f): f is string => typeof f === 'string').map((f) => vscode.Uri.parse(f))
    : [];
  if (uris.length === 0) return;
  const picked =
    uris.length === 1
      ? uris[0]
      : (
          await vscode.window.showQuickPick(
            uris.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
            { title: 'OIDC clients that use this login policy' },
          )
        )?.uri;
  if (picked) await vscode.window.showTextDocument(picked);
}
