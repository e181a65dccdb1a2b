// The workspace's policy files by their `id`: the files named as policies (DESIGN §3) and those the config's `policies`
// globs name, outside the pulled folder (its snapshots have the same ids). The deployment status links to them; a
// rotation writes the new policy file beside them. Open documents are read as the editor holds them.
import path from 'node:path';
import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { LoadedConfig } from '../../server/src/identity-cloud/deployed-pull';

/** The files the editor treats as policies by name (DESIGN §3), as the CLI's default files. */
const POLICY_GLOBS = ['**/*.loginpolicy.json', '**/loginPolicies/**/*.json', '**/login-policies/**/*.json'];
/** Enough for any real workspace; the status still shows every policy, only links past this many are missing. */
const MAX_FILES = 10_000;

/**
 * The workspace file of each policy id in `ids` (the first file in path order when several have it).
 */
export async function workspacePolicyFiles(
  ids: ReadonlySet<string>,
  folder: vscode.WorkspaceFolder,
  outDir: string,
  config: LoadedConfig | undefined,
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

export async function policyIdOf(uri: vscode.Uri): Promise<string | undefined> {
  try {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return policyIdIn(text);
  } catch {
    return undefined;
  }
}

/** A policy text's `id` (a policy that was created has one). */
export function policyIdIn(text: string): string | undefined {
  return stringAt(text, ['id']);
}

/** The owner client a policy text embeds: `identityStoreDetails.connectionDetails.clientId`. */
export function ownerClientIdIn(text: string): string | undefined {
  return stringAt(text, ['identityStoreDetails', 'connectionDetails', 'clientId']);
}

function stringAt(text: string, at: string[]): string | undefined {
  const node = findNodeAtLocation(parseTree(text) ?? { type: 'null', offset: 0, length: 0 }, at);
  return typeof node?.value === 'string' && node.value !== '' ? node.value : undefined;
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
