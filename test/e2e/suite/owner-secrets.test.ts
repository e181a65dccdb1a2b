// Owner-secret checks in the real editor: the vendor page's scenario, the record command, the hover, and
// "Verify owner secret now" against the fake Identity Cloud on 127.0.0.1.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import {
  codeLenses,
  codeOf,
  diagnostics,
  hoverText,
  open,
  startFakeCloud,
  waitFor,
  workspaceUri,
  type FakeCloud,
} from './helpers';

const stale = (d: vscode.Diagnostic[]) => d.find((x) => codeOf(x) === 'stale-owner-secret');

describe('owner secrets', () => {
  it('shows the vendor page scenario as a stale owner secret on the clientSecret value', async () => {
    const doc = await open('vendor/greg.loginpolicy.json');
    const finding = stale(await diagnostics(doc.uri, (d) => stale(d) !== undefined));
    assert.equal(finding!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(finding!.range), '"6kr5746q7e4ex2gfedp8ehzjemwjjsqe"');
    assert.match(finding!.message, /Sign-in through this policy fails/);
    assert.ok(!finding!.message.includes('6kr5746q7e4ex2gfedp8ehzjemwjjsqe'));
  });

  it('shows the state, masked, in the clientSecret hover', async () => {
    const doc = await open('vendor/greg.loginpolicy.json');
    const text = await hoverText(doc, '"6kr5746q');
    assert.match(text, /••••••••jsqe/);
    assert.match(text, /Secret state:\*\* stale: sign-in through this policy fails \(per \.loginpolicyrc\.json\)/);
    assert.ok(!text.includes('6kr5746q7e4ex2gfedp8ehzjemwjjsqe'));
  });

  it('records the current secret: the error goes without reopening, and the config can be updated', async () => {
    const doc = await open('record/policy.loginpolicy.json');
    await diagnostics(doc.uri, (d) => stale(d) !== undefined, 'the stale error (the config is out of date)');
    const result = await vscode.commands.executeCommand<{ recorded: boolean }>('loginPolicy.recordOwnerSecret', {
      clientId: 'r3c0rdm3r3c0rdm3r3c0rdm3r3c0rdm3',
      secret: 'n3ws3cr3tn3ws3cr3tn3ws3cr3tn3ws3',
      writeConfig: true,
      validUntilHours: 24,
      configPath: workspaceUri('record', '.loginpolicyrc.json').fsPath,
    });
    assert.equal(result.recorded, true);
    await diagnostics(doc.uri, (d) => d.length === 0, 'no finding once the secret is recorded');
    const config = JSON.parse(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceUri('record', '.loginpolicyrc.json'))),
    ) as {
      clients: { secretSha256: string; previousSecrets?: { sha256: string; validUntil: string }[] }[];
    };
    const [entry] = config.clients;
    const sha256 = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
    assert.equal(entry!.secretSha256, sha256('n3ws3cr3tn3ws3cr3tn3ws3cr3tn3ws3'));
    assert.equal(
      entry!.previousSecrets?.[0]?.sha256,
      sha256('0lds3cr3t0lds3cr3t0lds3cr3t0lds3'),
      'the previous fingerprint moved',
    );
    const hours = (Date.parse(entry!.previousSecrets?.[0]?.validUntil ?? '') - Date.now()) / 3_600_000;
    assert.ok(hours > 23 && hours <= 24, `valid for 24 hours (${hours})`);
    await vscode.commands.executeCommand('loginPolicy.forgetOwnerSecret', 'r3c0rdm3r3c0rdm3r3c0rdm3r3c0rdm3');
  });

  describe('"Verify owner secret now" against the fake Identity Cloud', () => {
    let cloud: FakeCloud;
    const settings = () => vscode.workspace.getConfiguration('loginPolicy');

    before(async () => {
      cloud = await startFakeCloud({
        clients: [
          {
            clientId: 'l1v3ch3ckl1v3ch3ckl1v3ch3ckl1v3c',
            features: ['owner'],
            secrets: [{ secret: 'curr3ntcurr3ntcurr3ntcurr3ntcurr' }],
          },
        ],
      });
      await settings().update('verify.mode', 'onDemand', vscode.ConfigurationTarget.Workspace);
      await settings().update('verify.allowedHosts', ['http://127.0.0.1:*'], vscode.ConfigurationTarget.Workspace);
    });

    after(async () => {
      await settings().update('verify.mode', undefined, vscode.ConfigurationTarget.Workspace);
      await settings().update('verify.allowedHosts', undefined, vscode.ConfigurationTarget.Workspace);
      await cloud.close();
    });

    it('asks Capture from the code lens and turns its answer into the finding', async () => {
      const uri = workspaceUri('live', 'verify.loginpolicy.json');
      const policy = {
        identityStoreDetails: {
          type: 'janrainCapture',
          connectionDetails: {
            domain: cloud.host,
            applicationId: 'q7w2e9r4t6y1u8i3o5p0a2s4dz',
            entityType: 'user',
            clientId: 'l1v3ch3ckl1v3ch3ckl1v3ch3ckl1v3c',
            clientSecret: 'st4l3st4l3st4l3st4l3st4l3st4l3st',
          },
        },
        loginURL: 'https://v1.api.eu.janrain.com/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/auth-ui/v2/login',
        title: 'Live check',
      };
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(policy, null, 2)));
      const doc = await open('live/verify.loginpolicy.json');
      await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'unverified-owner-secret'));
      const lens = await waitFor(async () => {
        const lenses = await codeLenses(doc);
        return lenses.find((l) => l.command?.title === 'Verify owner secret now');
      }, 'the "Verify owner secret now" code lens');
      await vscode.commands.executeCommand(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
      const finding = stale(
        await diagnostics(doc.uri, (d) => stale(d) !== undefined, "the stale error from Capture's 402"),
      );
      assert.match(finding!.message, /Capture answered 402 invalid_client_credentials/);
      assert.ok(cloud.requests.some((r) => r.path === '/entityType.list' && r.code === 402));
      await waitFor(async () => {
        const lenses = await codeLenses(doc);
        return lenses.find((l) =>
          /^Last check: rejected by 127\.0\.0\.1:\d+ \(402 invalid_client_credentials\)/.test(l.command?.title ?? ''),
        );
      }, 'the last result in a code lens');
    });
  });
});
