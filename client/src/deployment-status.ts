// "Login Policy: Show Deployment Status": the rows of `login-policy-lint status` from the pulled folder (no request),
// judged with the config's clients and the secrets recorded in VS Code, shown as a read-only Markdown document in
// the preview: which deployed policies break sign-in now, which OIDC clients they take down, each policy linked to
// its file in the workspace. Callable with arguments (tests): { configPath?, show? }.
import path from 'node:path';
import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { loadConfigFile, pulledFolderOf } from '../../server/src/identity-cloud/deployed-pull';
import { BROKEN, readPulledState, statusFacts, statusRows } from '../../server/src/identity-cloud/deployed-status';
import { relative } from '../../server/src/identity-cloud/display-path';
import { COMMANDS } from './constants';
import type { Ctx } from './ctx';
import { deployedTarget } from './deployed-target';
import { statusMarkdown } from './status-markdown';

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

/** The files the editor treats as policies by name (DESIGN §3), as the CLI's default files. */
const POLICY_GLOBS = ['**/*.loginpolicy.json', '**/loginPolicies/**/*.json', '**/login-policies/**/*.json'];
/** Enough for any real workspace; the status still shows every policy, only links past this many are missing. */
const MAX_FILES = 10_000;

export async function showDeploymentStatus(ctx: Ctx, args: StatusArgs = {}): Promise<StatusResult | undefined> {
  const target = await deployedTarget(args.configPath);
  if (!target) return undefined;
  const cwd = target.folder.uri.fsPath;
  const config = target.configPath ? loadConfigFile(target.configPath) : undefined;
  const configName = target.configPath && relative(cwd, target.configPath);
  if (config && config.findings.length > 0) {
    void vscode.window.showErrorMessage(
      `${configName} has errors (${config.findings[0]!.message}); fix them to see the deployment status.`,
    );
    return undefined;
  }
  const outDir = pulledFolderOf(undefined, config, cwd);
  const state = readPulledState(outDir, { cwd, stderr: (line) => ctx.log.warn(line.trim()) });
  if (!state) {
    void vscode.window
      .showInformationMessage(
        `Nothing was pulled into ${relative(cwd, outDir)}/ yet: pull the deployed policies first.`,
        'Pull Deployed Policies',
      )
      .then((choice) => choice && vscode.commands.executeCommand(COMMANDS.pullDeployed));
    return undefined;
  }
  const now = new Date();
  const rows = statusRows(state.policies, state.clients, statusFacts(config, cwd, ctx.secrets.fingerprints()), now);
  const files = await workspaceFiles(new Set(rows.map((r) => r.id)), target.folder, outDir, config);
  const markdown = statusMarkdown({ rows, meta: state.meta, folder: `${relative(cwd, outDir)}/`, files, now });
  const uri = ctx.statusDocuments.set(target.folder, markdown);
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

/**
 * The workspace file of each deployed policy id: the files named as policies, and those the config's `policies`
 * globs name, outside the pulled folder (its snapshots have the same ids).
 */
async function workspaceFiles(
  ids: ReadonlySet<string>,
  folder: vscode.WorkspaceFolder,
  outDir: string,
  config: ReturnType<typeof loadConfigFile>,
): Promise<Map<string, { uri: string; path: string }>> {
  const patterns = [
    new vscode.RelativePattern(folder, `{${POLICY_GLOBS.join(',')}}`),
    ...(config?.config?.policies ?? [])
      .filter((glob) => !glob.startsWith('!'))
      .map((glob) => new vscode.RelativePattern(vscode.Uri.file(config!.dir), glob)),
  ];
  const found = new Map<string, vscode.Uri>();
  for (const pattern of patterns) {
    for (const uri of await vscode.workspace.findFiles(pattern, '**/node_modules/**', MAX_FILES)) {
      if (inside(outDir, uri.fsPath)) continue;
      found.set(uri.toString(), uri);
    }
  }
  const files = new Map<string, { uri: string; path: string }>();
  for (const uri of [...found.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    const id = await policyIdOf(uri);
    if (id !== undefined && ids.has(id) && !files.has(id)) {
      files.set(id, { uri: uri.toString(), path: vscode.workspace.asRelativePath(uri, false) });
    }
  }
  return files;
}

async function policyIdOf(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const node = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, ['id']);
    return typeof node?.value === 'string' ? node.value : undefined;
  } catch {
    return undefined;
  }
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
