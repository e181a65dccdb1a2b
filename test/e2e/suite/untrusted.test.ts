// Run in a workspace that is NOT trusted (E2E_SUITE=untrusted): the extension lints, but makes no request.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  codeLenses,
  codeOf,
  diagnostics,
  open,
  outputLines,
  replace,
  startFakeCloud,
  waitFor,
  workspaceUri,
} from './helpers';

/** The extension's log: the server writes why it made no live check there (the Output view's "Login Policy"). */
const LOG_CHANNEL = 'Login Policy';

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
      // The server logs each live check it makes or declines (the command's above, then the save's) once it has
      // decided; a request it made would have reached the fake cloud before that line.
      const checks = () => outputLines(LOG_CHANNEL).filter((l) => l.includes(`Live check for ${doc.uri.toString()}: `));
      const before = await waitFor(() => checks().length > 0 && checks().length, "the command's live check logged");
      // An edit first: saving an unchanged document sends no didSave at all.
      await replace(doc, '"title": "', '"title": "Edited: ');
      assert.ok(doc.isDirty);
      assert.ok(await doc.save(), 'saved');
      const [onSave] = await waitFor(
        () => checks().length > before && checks().slice(before),
        'the save to reach the server and its live check to be logged',
      );
      assert.equal(cloud.requests.length, 0, 'no request at all');
      assert.match(onSave!, /: not made: the workspace is not trusted$/);
    } finally {
      await settings.update('verify.mode', undefined, vscode.ConfigurationTarget.Global);
      await settings.update('verify.allowedHosts', undefined, vscode.ConfigurationTarget.Global);
      await cloud.close();
    }
  });

  it('refuses to connect to Identity Cloud, pull or rotate an owner secret, and sends nothing', async () => {
    const cloud = await startFakeCloud({ clients: [] });
    process.env['LOGIN_POLICY_API_BASE'] = `http://${cloud.host}`;
    try {
      const connect = await vscode.commands.executeCommand('loginPolicy.connectIdentityCloud', {
        customerId: 'e0a70b4f-1eef-4856-bcdb-f050fee66aae',
        region: 'us',
        configClientId: '4c1d8e2a-9b3f-4a6e-8d7c-2f5e1a9b3c60',
        configClientSecret: 'Zk3vQ9rT1mX7pL2wB8nC4yH6jD0sF5gAe1uR7tK3oV9q',
      });
      assert.deepEqual(connect, { connected: false, reason: 'the workspace is not trusted' });
      const pull = await vscode.commands.executeCommand('loginPolicy.pullDeployed', { setBaseline: false });
      assert.deepEqual(pull, { pulled: false, reason: 'the workspace is not trusted' });
      // Every choice given, the dialog confirmed: still nothing, before the connection is even looked at.
      const rotate = await vscode.commands.executeCommand('loginPolicy.rotateOwnerSecret', {
        policies: ['0b5e8f2a-6c41-4d97-8e3a-5f1c2b9d7e60'],
        source: 'typed',
        newSecret: '2s277py2cv4ffg6vfwwjb2yf762tpfmv',
        deleteOld: true,
        confirmed: true,
      });
      assert.deepEqual(rotate, { outcome: 'untrusted', message: 'the workspace is not trusted' });
      assert.equal(cloud.requests.length, 0, 'no request at all');
    } finally {
      delete process.env['LOGIN_POLICY_API_BASE'];
      await cloud.close();
    }
  });
});
