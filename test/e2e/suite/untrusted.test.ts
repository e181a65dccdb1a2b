// Run in a workspace that is NOT trusted (E2E_SUITE=untrusted): the extension lints, but makes no request.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeLenses, codeOf, diagnostics, open, startFakeCloud, workspaceUri } from './helpers';

describe('an untrusted workspace', () => {
  it('is really untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('lints policies but never contacts Capture, even with live checks on', async () => {
    const cloud = await startFakeCloud({ clients: [] });
    const settings = vscode.workspace.getConfiguration('loginPolicy');
    // Restricted settings: in an untrusted workspace only user-level values count, so set them there.
    await settings.update('verify.mode', 'onSave', vscode.ConfigurationTarget.Global);
    await settings.update('verify.allowedHosts', ['http://127.0.0.1:*'], vscode.ConfigurationTarget.Global);
    try {
      const uri = workspaceUri('vendor', 'untrusted.loginpolicy.json');
      const policy = (await vscode.workspace.fs.readFile(workspaceUri('vendor', 'greg.loginpolicy.json'))).toString();
      await vscode.workspace.fs.writeFile(
        uri,
        new TextEncoder().encode(policy.replace('se-demos-gstemp.us-dev.janraincapture.com', cloud.host)),
      );
      const doc = await open('vendor/untrusted.loginpolicy.json');
      await diagnostics(
        doc.uri,
        (d) => d.some((x) => codeOf(x) === 'stale-owner-secret'),
        'offline findings still work',
      );
      const result = await vscode.commands.executeCommand('loginPolicy.verifyOwnerSecret', doc.uri.toString());
      assert.deepEqual(result, { performed: false, reason: 'the workspace is not trusted' });
      assert.deepEqual(await codeLenses(doc), []);
      await doc.save();
      assert.equal(cloud.requests.length, 0, 'no request at all');
    } finally {
      await settings.update('verify.mode', undefined, vscode.ConfigurationTarget.Global);
      await settings.update('verify.allowedHosts', undefined, vscode.ConfigurationTarget.Global);
      await cloud.close();
    }
  });
});
