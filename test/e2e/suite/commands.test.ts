// The extension's commands are registered and work; a restarted server keeps serving.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, codeOf, diagnostics, open, replace, waitFor } from './helpers';

describe('commands', () => {
  before(activate);

  it('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'loginPolicy.restartServer',
      'loginPolicy.showOutput',
      'loginPolicy.openRuleDocumentation',
      'loginPolicy.showRuleDocumentation',
    ]) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('shows the output channel', async () => {
    await vscode.commands.executeCommand('loginPolicy.showOutput');
  });

  it('opens a rule page by id', async () => {
    await vscode.commands.executeCommand('loginPolicy.openRuleDocumentation', 'schema');
    await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.includes('schema.md')),
      'the schema page',
    );
  });

  it('restarts the server, which then analyses edits again', async () => {
    await vscode.commands.executeCommand('loginPolicy.restartServer');
    const doc = await open('healthy.loginpolicy.json');
    await replace(doc, '"janrainCapture"', '"janrain"');
    const found = await diagnostics(
      doc.uri,
      (d) => d.some((x) => codeOf(x) === 'schema'),
      'a schema error after the restart',
    );
    assert.ok(found.length > 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
