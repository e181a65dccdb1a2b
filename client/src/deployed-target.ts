// Which workspace folder and .loginpolicyrc.json a pull or a status applies to: the config given (tests, other
// extensions), else the one nearest to the active file within its workspace folder, else the folder's own, as if
// `login-policy-lint pull` ran in that folder. Also the trust and connection checks of the commands that call Identity
// Cloud.
import * as vscode from 'vscode';
import { COMMANDS } from './constants';
import { showErrorMessage, showWarningMessage } from './notify';

export const CONFIG_FILE = '.loginpolicyrc.json';

export interface DeployedTarget {
  readonly folder: vscode.WorkspaceFolder;
  /** The config that applies, when there is one. */
  readonly configPath: string | undefined;
}

/** False, after saying why, in Restricted Mode: no request and no credential in an untrusted workspace. */
export function trusted(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void showWarningMessage(
    `${what} is not available in Restricted Mode: it sends credentials to Identity Cloud. Trust this workspace to use it.`,
  );
  return false;
}

/** Says how to connect (with a button that does), for a command that needs the connection. */
export function askToConnect(why: string): void {
  void showWarningMessage(`Connect to Identity Cloud first: ${why}.`, 'Connect to Identity Cloud').then(
    (choice) => choice && vscode.commands.executeCommand(COMMANDS.connectIdentityCloud),
  );
}

/** `pick: false`: with several folders and no active file, the first folder instead of a question. */
export async function deployedTarget(
  configPath?: string,
  { pick = true }: { readonly pick?: boolean } = {},
): Promise<DeployedTarget | undefined> {
  if (configPath !== undefined) {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(configPath));
    if (!folder) {
      void showErrorMessage(`${configPath} is not in a folder of this workspace.`);
      return undefined;
    }
    return { folder, configPath };
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const activeFolder = active && vscode.workspace.getWorkspaceFolder(active);
  const folder = activeFolder ?? (pick ? await pickFolder() : vscode.workspace.workspaceFolders?.[0]);
  if (!folder) return undefined;
  const from = activeFolder && active?.scheme === 'file' ? vscode.Uri.joinPath(active, '..') : folder.uri;
  return { folder, configPath: (await nearestConfig(from, folder))?.fsPath };
}

/** The existing .loginpolicyrc.json nearest to `dir`, walking up to the workspace folder; undefined when none. */
export async function nearestConfig(dir: vscode.Uri, folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
  let current = dir;
  while (current.path.startsWith(folder.uri.path)) {
    const candidate = vscode.Uri.joinPath(current, CONFIG_FILE);
    try {
      if ((await vscode.workspace.fs.stat(candidate)).type === vscode.FileType.File) return candidate;
    } catch {
      // none here
    }
    if (current.path === folder.uri.path) break;
    current = vscode.Uri.joinPath(current, '..');
  }
  return undefined;
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void showWarningMessage('Open a folder first: the deployed state is pulled into a workspace folder.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Workspace folder of the deployed login policies' });
}
