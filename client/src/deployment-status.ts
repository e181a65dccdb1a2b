// "Login Policy: Show Deployment Status": the rows of `login-policy-lint status` from the pulled folder (no request),
// judged with the config's clients and the secrets recorded in VS Code, shown as a read-only Markdown document in
// the preview: which deployed policies break sign-in now, which OIDC clients they take down, each policy linked to
// its file in the workspace. Callable with arguments (tests): { configPath?, show? }.
import * as vscode from 'vscode';
import { loadConfigFile, pulledFolderOf } from '../../server/src/identity-cloud/deployed-pull';
import { BROKEN, readPulledState, statusFacts, statusRows } from '../../server/src/identity-cloud/deployed-status';
import { relative } from '../../server/src/identity-cloud/display-path';
import { COMMANDS } from './constants';
import type { Ctx } from './ctx';
import { deployedTarget } from './deployed-target';
import { workspacePolicyFiles } from './policy-files';
import { statusMarkdown } from './status-markdown';
import { showErrorMessage, showInformationMessage } from './notify';

export interface StatusArgs {
  readonly configPath?: string;
  /** False: only build the document (tests read it); default: open it in the Markdown preview. */
  readonly show?: boolean;
}

export interface StatusResult {
  /** The read-only document (scheme login-policy-status). */
  readonly uri: string;
  readonly policies: number;
  readonly broken: number;
}

export async function showDeploymentStatus(ctx: Ctx, args: StatusArgs = {}): Promise<StatusResult | undefined> {
  const target = await deployedTarget(args.configPath);
  if (!target) return undefined;
  const cwd = target.folder.uri.fsPath;
  const config = target.configPath ? loadConfigFile(target.configPath) : undefined;
  const configName = target.configPath && relative(cwd, target.configPath);
  if (config && config.findings.length > 0) {
    void showErrorMessage(
      `${configName} has errors (${config.findings[0]!.message}); fix them to see the deployment status.`,
    );
    return undefined;
  }
  const outDir = pulledFolderOf(undefined, config, cwd);
  const state = readPulledState(outDir, { cwd, stderr: (line) => ctx.log.warn(line.trim()) });
  if (!state) {
    void showInformationMessage(
      `Nothing was pulled into ${relative(cwd, outDir)}/ yet: pull the deployed policies first.`,
      'Pull Deployed Policies',
    ).then((choice) => choice && vscode.commands.executeCommand(COMMANDS.pullDeployed));
    return undefined;
  }
  const now = new Date();
  const rows = statusRows(state.policies, state.clients, statusFacts(config, cwd, ctx.secrets.fingerprints()), now);
  const files = await workspacePolicyFiles(new Set(rows.map((r) => r.id)), target.folder, outDir, config);
  const markdown = statusMarkdown({ rows, meta: state.meta, folder: `${relative(cwd, outDir)}/`, files, now });
  const uri = ctx.statusDocuments.set(target.folder, 'Deployment status.md', markdown);
  const broken = rows.filter((r) => BROKEN.includes(r.secret.state)).length;
  ctx.log.info(
    `Deployment status of ${relative(cwd, outDir)}/: ${rows.length} deployed login policies, ${broken} breaking sign-in now.`,
  );
  if (args.show !== false) await open(uri);
  return { uri: uri.toString(), policies: rows.length, broken };
}

async function open(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(uri, { preview: true });
  }
}
