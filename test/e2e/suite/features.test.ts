// Hovers, completion and code actions through VS Code's own provider commands, as the editor calls them.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActions, codeOf, diagnostics, hoverText, labelOf, open, waitFor } from './helpers';

describe('hovers', () => {
  it('explains keys, reads loginURL and masks the client secret', async () => {
    const doc = await open('hover.loginpolicy.json');
    assert.match(await hoverText(doc, '"applicationId"'), /Capture application id/);
    assert.match(await hoverText(doc, '"applicationId"'), /Can change after creation:\*\* no/);
    const url = await hoverText(doc, '"https://v1.api.eu');
    assert.match(url, /Region:\*\* eu/);
    assert.match(url, /Hosted Login v2/);
    const secret = await hoverText(doc, '"p9o8i7u6');
    assert.match(secret, /••••••••g5h4/);
    assert.ok(!secret.includes('p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4'), 'the secret is masked');
  });
});

describe('completion', () => {
  it('completes values and keys', async () => {
    const doc = await open('completion.loginpolicy.json');
    const text = doc.getText();
    const valueAt = doc.positionAt(text.indexOf('"type": ') + '"type": '.length);
    const values = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      valueAt,
    );
    assert.ok(values.items.map(labelOf).includes('"janrainCapture"'), values.items.map(labelOf).join(', '));
    const keyAt = doc.positionAt(text.lastIndexOf('\n  \n') + 3);
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      doc.uri,
      keyAt,
    );
    const labels = keys.items.map(labelOf);
    assert.ok(labels.includes('loginURL') && labels.includes('title'), labels.join(', '));
  });
});

describe('code actions', () => {
  it('offers and applies the rename fix', async () => {
    const doc = await open('rename.loginpolicy.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'unknown-property'));
    const unknown = found.find((d) => codeOf(d) === 'unknown-property')!;
    const actions = await codeActions(doc, unknown.range);
    const rename = actions.find((a) => a.title === 'Rename to "loginURL"');
    assert.ok(rename?.edit, actions.map((a) => a.title).join(', '));
    assert.equal(rename.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    assert.ok(doc.getText().includes('"loginURL"') && !doc.getText().includes('"loginUrl"'));
    await diagnostics(doc.uri, (d) => d.length === 0, 'no diagnostics after the fix');
  });

  it('offers and applies the switch to Hosted Login v2', async () => {
    const doc = await open('v1.loginpolicy.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'hosted-login-v1'));
    const v1 = found.find((d) => codeOf(d) === 'hosted-login-v1')!;
    const actions = await codeActions(doc, v1.range);
    const v2 = actions.find((a) => a.title === 'Switch to Hosted Login v2 (/auth-ui/v2/login)');
    assert.ok(v2?.edit);
    assert.ok(await vscode.workspace.applyEdit(v2.edit));
    assert.match(
      doc.getText(),
      /"https:\/\/v1\.api\.eu\.janrain\.com\/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19\/auth-ui\/v2\/login"/,
    );
    await diagnostics(doc.uri, (d) => !d.some((x) => codeOf(x) === 'hosted-login-v1'), 'the v1 finding to go');
  });

  it('"Show documentation" opens the rule page', async () => {
    const doc = await open('broken.loginpolicy.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'unknown-property'));
    const unknown = found.find((d) => codeOf(d) === 'unknown-property')!;
    const actions = await codeActions(doc, unknown.range);
    const show = actions.find((a) => a.title === 'Show documentation for unknown-property');
    assert.ok(show?.command, actions.map((a) => a.title).join(', '));
    await vscode.commands.executeCommand(show.command.command, ...((show.command.arguments ?? []) as unknown[]));
    await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .find((t) => t.label.includes('unknown-property.md') || t.label.includes('unknown-property')),
      'a tab with the rule page',
    );
  });
});
