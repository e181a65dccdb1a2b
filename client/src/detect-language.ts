// Switches an opened .json document to the login-policy language when its top-level object has an
// `identityStoreDetails` key (setting loginPolicy.detectByContent).
import * as vscode from 'vscode';
import { hasIdentityStoreDetails } from '../../server/src/shared/content-detection';
import { POLICY_LANGUAGE_ID } from './constants';

export function registerContentDetection(): vscode.Disposable {
  for (const doc of vscode.workspace.textDocuments) void detect(doc);
  return vscode.workspace.onDidOpenTextDocument((doc) => void detect(doc));
}

async function detect(doc: vscode.TextDocument): Promise<void> {
  if (doc.languageId !== 'json' && doc.languageId !== 'jsonc') return;
  if (!doc.uri.path.endsWith('.json') || doc.uri.path.endsWith('/.loginpolicyrc.json')) return;
  const enabled = vscode.workspace.getConfiguration('loginPolicy', doc.uri).get<boolean>('detectByContent', true);
  if (!enabled || !hasIdentityStoreDetails(doc.getText())) return;
  await vscode.languages.setTextDocumentLanguage(doc, POLICY_LANGUAGE_ID);
}
