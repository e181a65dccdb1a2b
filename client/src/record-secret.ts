// "Login Policy: Record current owner client secret": asks for the client id and the secret (password input),
// keeps the secret in SecretStorage, gives the server only its fingerprint, and offers to write the fingerprint
// into .loginpolicyrc.json (moving the previous one to previousSecrets with the grace period the user picks).
// Callable with arguments (tests, other extensions): { clientId, secret, writeConfig, validUntilHours, configPath }.
import * as vscode from 'vscode';
import { findNodeAtLocation, modify, parseTree, applyEdits, type Node } from 'jsonc-parser';
import { shortFingerprint } from '../../server/src/shared/fingerprint';
import { POLICY_LANGUAGE_ID } from './constants';
import type { Ctx } from './ctx';
import { CONFIG_FILE, nearestConfig } from './deployed-target';
import { showInformationMessage, showWarningMessage } from './notify';

export interface RecordArgs {
  readonly clientId?: string;
  readonly secret?: string;
  /** true: write without asking; false: never; absent: ask. */
  readonly writeConfig?: boolean;
  /** Hours the previous secret keeps working (the reset's "hours to live"); absent: ask (default 0). */
  readonly validUntilHours?: number;
  /** The config file to write; absent: the nearest to the active policy, else the workspace root. */
  readonly configPath?: string;
}

export interface RecordResult {
  readonly recorded: boolean;
  readonly clientId?: string;
  readonly configPath?: string;
}

export async function recordOwnerSecret(ctx: Ctx, args: RecordArgs = {}): Promise<RecordResult> {
  const clientId = args.clientId ?? (await pickClientId());
  if (!clientId) return { recorded: false };
  const secret =
    args.secret ??
    (await vscode.window.showInputBox({
      title: `Current secret of owner client ${clientId}`,
      prompt: 'Kept in VS Code SecretStorage; only its SHA-256 fingerprint is used to check policies.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? 'Enter the secret' : undefined),
    }));
  // Capture secrets are letters and digits: blanks around a pasted one are never part of it.
  const trimmed = secret?.trim();
  if (!trimmed) return { recorded: false };
  const { sha256 } = await ctx.secrets.record(clientId, trimmed);
  ctx.sendRecordedFingerprints();
  ctx.log.info(`Recorded the current owner secret of client ${clientId} (fingerprint ${shortFingerprint(sha256)}).`);
  let write = args.writeConfig;
  if (write === undefined) {
    const choice = await showInformationMessage(
      `Recorded the current secret of ${clientId}. Write its fingerprint to .loginpolicyrc.json, so CI and the team know it too?`,
      'Write to .loginpolicyrc.json',
      'Not now',
    );
    write = choice === 'Write to .loginpolicyrc.json';
  }
  if (!write) return { recorded: true, clientId };
  const configUri = args.configPath ? vscode.Uri.file(args.configPath) : await configToWrite();
  if (!configUri) return { recorded: true, clientId };
  const written = await writeFingerprint(configUri, clientId, sha256, args.validUntilHours);
  return written ? { recorded: true, clientId, configPath: configUri.fsPath } : { recorded: true, clientId };
}

export async function forgetOwnerSecret(ctx: Ctx, clientId?: string): Promise<boolean> {
  const id =
    clientId ??
    (await vscode.window.showQuickPick(
      ctx.secrets.fingerprints().map((f) => f.clientId),
      { title: 'Forget the recorded secret of which client?' },
    ));
  if (!id) return false;
  const forgotten = await ctx.secrets.forget(id);
  ctx.sendRecordedFingerprints();
  return forgotten;
}

/** Client ids of the open policies first, then "another client id…". */
async function pickClientId(): Promise<string | undefined> {
  const ids = new Set<string>();
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.languageId !== POLICY_LANGUAGE_ID) continue;
    const node = findNodeAtLocation(parseTree(doc.getText()) ?? ({} as Node), [
      'identityStoreDetails',
      'connectionDetails',
      'clientId',
    ]);
    if (typeof node?.value === 'string' && node.value) ids.add(node.value);
  }
  const other = 'Another client id…';
  const picked =
    ids.size > 0
      ? await vscode.window.showQuickPick([...ids, other], { title: 'Owner client whose current secret to record' })
      : other;
  if (picked !== other) return picked;
  return vscode.window.showInputBox({
    title: 'Owner client id',
    prompt: 'The clientId embedded in identityStoreDetails.connectionDetails',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? 'Enter a client id' : undefined),
  });
}

/** The .loginpolicyrc.json nearest to the active editor's file, or a new one at the workspace folder's root. */
async function configToWrite(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void showWarningMessage('Open a folder to write a .loginpolicyrc.json.');
    return undefined;
  }
  const from = active && active.scheme === 'file' ? vscode.Uri.joinPath(active, '..') : folder.uri;
  return (await nearestConfig(from, folder)) ?? vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
}

/**
 * Sets the client's secretSha256; a different previous one moves to previousSecrets with its end of validity.
 * Returns false when the user dismissed the grace-period question (nothing is written then).
 */
async function writeFingerprint(
  uri: vscode.Uri,
  clientId: string,
  sha256: string,
  validUntilHours?: number,
): Promise<boolean> {
  let text = '{}\n';
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    // a new file
  }
  const formattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };
  const root = parseTree(text);
  const clients = root && findNodeAtLocation(root, ['clients']);
  const entries = clients?.type === 'array' ? (clients.children ?? []) : [];
  const index = entries.findIndex((entry) => findNodeAtLocation(entry, ['clientId'])?.value === clientId);
  let edited: string;
  if (index < 0) {
    edited = applyEdits(text, modify(text, ['clients', -1], { clientId, secretSha256: sha256 }, { formattingOptions }));
  } else {
    const previous = findNodeAtLocation(entries[index]!, ['secretSha256'])?.value as unknown;
    edited = applyEdits(text, modify(text, ['clients', index, 'secretSha256'], sha256, { formattingOptions }));
    if (typeof previous === 'string' && previous !== sha256) {
      const hours = validUntilHours ?? (await askGracePeriod());
      if (hours === undefined) return false;
      const validUntil = new Date(Date.now() + hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      edited = applyEdits(
        edited,
        modify(
          edited,
          ['clients', index, 'previousSecrets', -1],
          { sha256: previous, validUntil },
          { formattingOptions },
        ),
      );
    }
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(edited));
  return true;
}

async function askGracePeriod(): Promise<number | undefined> {
  const options = [
    { label: '0 hours', description: 'the old secret stopped working at the reset', hours: 0 },
    { label: '24 hours', hours: 24 },
    { label: '72 hours', hours: 72 },
    { label: '168 hours', description: 'the longest grace period Capture allows', hours: 168 },
  ];
  const picked = await vscode.window.showQuickPick(options, {
    title: 'From now, how long does the previous secret keep working (the reset\'s "hours to live")?',
  });
  return picked?.hours;
}
