// Settings and .loginpolicyrc.json reach the server and take effect without a restart.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, diagnostics, open, published, replace, workspaceUri } from './helpers';

const v1 = (d: vscode.Diagnostic[]) => d.find((x) => codeOf(x) === 'hosted-login-v1');

describe('settings', () => {
  const rules = () => vscode.workspace.getConfiguration('loginPolicy');

  after(async () => {
    await rules().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('a severity override in settings changes the diagnostic; "off" removes it', async () => {
    const doc = await open('settings.loginpolicy.json');
    const info = v1(await diagnostics(doc.uri, (d) => v1(d) !== undefined));
    assert.equal(info!.severity, vscode.DiagnosticSeverity.Information);
    await rules().update('rules', { 'hosted-login-v1': 'error' }, vscode.ConfigurationTarget.Workspace);
    await diagnostics(doc.uri, (d) => v1(d)?.severity === vscode.DiagnosticSeverity.Error, 'an error');
    await rules().update('rules', { 'hosted-login-v1': 'off' }, vscode.ConfigurationTarget.Workspace);
    await diagnostics(doc.uri, (d) => v1(d) === undefined, 'the finding to go');
    await rules().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await diagnostics(doc.uri, (d) => v1(d)?.severity === vscode.DiagnosticSeverity.Information, 'the default back');
  });
});

describe('.loginpolicyrc.json', () => {
  const configUri = () => workspaceUri('configured', '.loginpolicyrc.json');
  let original: Uint8Array;

  before(async () => {
    original = await vscode.workspace.fs.readFile(configUri());
  });

  after(async () => {
    await vscode.workspace.fs.writeFile(configUri(), original);
  });

  it('applies the nearest config to policies below it', async () => {
    // The config turns hosted-login-v1 off here; the file has no other problem.
    const uri = workspaceUri('configured', 'v1.loginpolicy.json');
    assert.deepEqual(await published(uri, () => open('configured/v1.loginpolicy.json')), []);
  });

  it('takes a change on disk into account without a restart', async () => {
    const uri = workspaceUri('configured', 'live.loginpolicy.json');
    assert.deepEqual(await published(uri, () => open('configured/live.loginpolicy.json')), [], 'none at first');
    await vscode.workspace.fs.writeFile(configUri(), Buffer.from('{ "rules": { "hosted-login-v1": "warning" } }\n'));
    await diagnostics(uri, (d) => v1(d)?.severity === vscode.DiagnosticSeverity.Warning, 'a warning after the change');
  });

  it('takes an edit in the editor into account as it is typed, and reports a broken config on the file', async () => {
    const policy = await open('configured/live.loginpolicy.json');
    const config = await open('configured/.loginpolicyrc.json', 'jsonc');
    await replace(config, '"warning"', '"error"');
    await diagnostics(policy.uri, (d) => v1(d)?.severity === vscode.DiagnosticSeverity.Error, 'an error while typing');
    await replace(config, '"hosted-login-v1"', '"hosted-login-1"');
    const problems = await diagnostics(config.uri, (d) => d.some((x) => codeOf(x) === 'invalid-config'));
    assert.match(problems[0]!.message, /Unknown rule "hosted-login-1"\. Did you mean "hosted-login-v1"\?/);
    await diagnostics(policy.uri, (d) => d.some((x) => codeOf(x) === 'invalid-config'), 'the broken-config notice');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
