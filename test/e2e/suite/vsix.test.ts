// Run against the packaged .vsix installed with --install-extension: a broken .vscodeignore or bundle shows here.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { codeOf, diagnostics, EXTENSION_ID, hoverText, open } from './helpers';

describe('the packaged extension (.vsix)', () => {
  it('is installed, not loaded from the source folder', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.ok(!existsSync(path.join(extension.extensionPath, 'server/src')), 'no sources in the package');
    for (const file of [
      'client/dist/extension.js',
      'server/dist/server.js',
      'docs/rules/schema.md',
      'syntaxes/login-policy.tmLanguage.json',
    ]) {
      assert.ok(existsSync(path.join(extension.extensionPath, file)), `${file} is packaged`);
    }
    assert.ok(!existsSync(path.join(extension.extensionPath, 'node_modules')), 'the bundles need no node_modules');
  });

  it('activates on a policy, lints it and answers hovers', async () => {
    const doc = await open('broken.loginpolicy.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'schema'));
    assert.ok(found.some((d) => codeOf(d) === 'unknown-property'));
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)!.isActive, true);
    assert.match(await hoverText(doc, '"entityType"'), /entity type/);
  });
});
