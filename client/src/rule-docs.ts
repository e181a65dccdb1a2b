// Opens a rule's documentation page (shipped in the extension under docs/rules/) in a Markdown preview.
import * as vscode from 'vscode';
import { showWarningMessage } from './notify';

const NON_RULE_PAGES: Record<string, string> = { 'invalid-config': 'docs/configuration.md' };

export function ruleDocumentationUri(context: vscode.ExtensionContext, ruleId: string): vscode.Uri {
  return vscode.Uri.joinPath(context.extensionUri, NON_RULE_PAGES[ruleId] ?? `docs/rules/${ruleId}.md`);
}

export async function openRuleDocumentation(context: vscode.ExtensionContext, ruleId: string): Promise<void> {
  const uri = ruleDocumentationUri(context, ruleId);
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void showWarningMessage(`No documentation for rule "${ruleId}".`);
    return;
  }
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    await vscode.window.showTextDocument(uri, { preview: true });
  }
}

/** Rule ids, from the documentation pages shipped with the extension. */
export async function knownRuleIds(context: vscode.ExtensionContext): Promise<string[]> {
  const dir = vscode.Uri.joinPath(context.extensionUri, 'docs/rules');
  const entries = await vscode.workspace.fs.readDirectory(dir);
  return entries
    .filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.md') && name !== 'README.md')
    .map(([name]) => name.slice(0, -3))
    .sort();
}
