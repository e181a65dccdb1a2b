// The quick fix "Rotate owner secret through Identity Cloud…" (client/src/rotation-code-actions.ts): offered on a
// stale-owner-secret or rotated-owner-secret finding of a policy file with an `id`, only in a trusted workspace that
// is connected to Identity Cloud, and it runs Rotate Owner Secret for that file.
import { workspace } from '../../support/vscode-stub'; // first: client modules require('vscode')
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { COMMANDS } from '../../../client/src/constants';
import { ROTATE_ACTION_TITLE, RotationCodeActions } from '../../../client/src/rotation-code-actions';

const FILE = '/work/acme/policies/acme.loginpolicy.json';
const POLICY = '{\n  "id": "5dfd4950-46d1-4d53-b3b5-7fdca211d279",\n  "title": "ACME"\n}\n';

function documentOf(text: string, scheme = 'file'): vscode.TextDocument {
  return { uri: { scheme, fsPath: FILE }, getText: () => text } as unknown as vscode.TextDocument;
}

function finding(code: string, source = 'login-policy'): vscode.Diagnostic {
  return { source, code: { value: code, target: {} }, message: '' } as unknown as vscode.Diagnostic;
}

function actions(options: {
  connected?: boolean;
  text?: string;
  scheme?: string;
  diagnostics?: vscode.Diagnostic[];
}): vscode.CodeAction[] {
  const provider = new RotationCodeActions(() => options.connected ?? true);
  const context = { diagnostics: options.diagnostics ?? [finding('stale-owner-secret')] };
  return provider.provideCodeActions(
    documentOf(options.text ?? POLICY, options.scheme),
    {} as vscode.Range,
    context as unknown as vscode.CodeActionContext,
  );
}

describe('the rotation quick fix', () => {
  afterEach(() => {
    workspace.isTrusted = true;
  });

  it('runs Rotate Owner Secret for the file, on a stale or rotated owner secret', () => {
    for (const code of ['stale-owner-secret', 'rotated-owner-secret']) {
      const diagnostics = [finding(code), finding('login-url')];
      const [action, ...more] = actions({ diagnostics });
      assert.deepEqual(more, []);
      assert.equal(action!.title, ROTATE_ACTION_TITLE);
      assert.equal(action!.kind, 'quickfix');
      assert.deepEqual(action!.diagnostics, [diagnostics[0]]);
      assert.deepEqual(action!.command, {
        command: COMMANDS.rotateOwnerSecret,
        title: ROTATE_ACTION_TITLE,
        arguments: [{ policyFile: FILE }],
      });
    }
  });

  it('is not offered in Restricted Mode, nor when the workspace is not connected', () => {
    workspace.isTrusted = false;
    assert.deepEqual(actions({}), []);
    workspace.isTrusted = true;
    assert.deepEqual(actions({ connected: false }), []);
  });

  it('is not offered for a policy never created (no id), another finding, another tool, or an unsaved file', () => {
    assert.deepEqual(actions({ text: '{\n  "title": "ACME"\n}\n' }), []);
    assert.deepEqual(actions({ text: '{ "id": "" }' }), []);
    assert.deepEqual(actions({ diagnostics: [finding('divergent-owner-secret')] }), []);
    assert.deepEqual(actions({ diagnostics: [finding('stale-owner-secret', 'another-linter')] }), []);
    assert.deepEqual(actions({ scheme: 'untitled' }), []);
  });
});
