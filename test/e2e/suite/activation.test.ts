// The extension activates for every kind of policy file and switches plain .json policies to its language.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, diagnostics, EXTENSION_ID, metric, open, workspaceUri, waitFor } from './helpers';

describe('activation and languages', () => {
  it('activates for a *.loginpolicy.json file and shows diagnostics quickly', async () => {
    const started = Date.now();
    const doc = await open('broken.loginpolicy.json');
    await diagnostics(doc.uri, (d) => d.length > 0, 'first diagnostics');
    metric('first diagnostics after opening a file', Date.now() - started, 'ms');
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    assert.equal(extension.isActive, true);
  });

  it('treats *.json under loginPolicies/ as a policy', async () => {
    const doc = await open('loginPolicies/prod.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => /"title"/.test(x.message)));
    assert.ok(found.length > 0);
  });

  it('switches a plain .json file with identityStoreDetails to the login-policy language', async () => {
    await activate();
    const doc = await open('plain/detected.json');
    assert.equal(doc.languageId, 'login-policy');
    await diagnostics(doc.uri, (d) => d.some((x) => /entityType/.test(x.message)));
  });

  it('leaves a plain .json policy as JSON while loginPolicy.detectByContent is off', async () => {
    await activate();
    const settings = vscode.workspace.getConfiguration('loginPolicy');
    const uri = workspaceUri('plain', 'detection-off.json');
    await vscode.workspace.fs.writeFile(
      uri,
      await vscode.workspace.fs.readFile(workspaceUri('plain', 'detected.json')),
    );
    try {
      await settings.update('detectByContent', false, vscode.ConfigurationTarget.Workspace);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
      // Detection runs on open: wait for a later, known event before saying it did not switch.
      await open('healthy.loginpolicy.json');
      const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())!;
      assert.equal(current.languageId, 'json');
      assert.deepEqual(
        vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'login-policy'),
        [],
      );
    } finally {
      await settings.update('detectByContent', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('leaves other JSON alone', async () => {
    const uri = workspaceUri('plain', 'not-a-policy.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // Content detection runs on open; give it a moment to (not) switch, by waiting for a later, known event.
    await open('healthy.loginpolicy.json');
    const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())!;
    assert.equal(current.languageId, 'json');
    assert.deepEqual(
      vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'login-policy'),
      [],
    );
  });

  it('serves .loginpolicyrc.json as JSON with comments', async () => {
    const doc = await waitFor(async () => {
      const d = await vscode.workspace.openTextDocument(workspaceUri('configured', '.loginpolicyrc.json'));
      return d.languageId === 'jsonc' ? d : undefined;
    }, 'the config file to open as jsonc');
    assert.equal(doc.languageId, 'jsonc');
  });
});
