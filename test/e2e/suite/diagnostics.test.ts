// Diagnostics for each rule family: code, source, docs link and exact range; gone once the text is fixed.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeActions, codeOf, diagnostics, open, replace } from './helpers';

function byCode(found: vscode.Diagnostic[], code: string): vscode.Diagnostic[] {
  return found.filter((d) => codeOf(d) === code);
}

describe('diagnostics', () => {
  it('reports schema, unknown-property, value-format and custom-claims problems on their exact text', async () => {
    const doc = await open('broken.loginpolicy.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'custom-claims'));
    const expect = (code: string, text: string, severity: vscode.DiagnosticSeverity) => {
      const match = byCode(found, code).find((d) => doc.getText(d.range) === text);
      assert.ok(match, `${code} on ${text}: ${JSON.stringify(found.map((d) => [codeOf(d), doc.getText(d.range)]))}`);
      assert.equal(match.severity, severity);
      assert.equal(match.source, 'login-policy');
      const target = typeof match.code === 'object' ? match.code.target.toString() : '';
      assert.match(target, new RegExp(`docs/rules/${code}\\.md$`));
    };
    expect('schema', '"janrain"', vscode.DiagnosticSeverity.Error);
    expect('unknown-property', '"loginUrl"', vscode.DiagnosticSeverity.Warning);
    expect('value-format', '"https://acme-prod.eu.janraincapture.com/"', vscode.DiagnosticSeverity.Warning);
    expect('custom-claims', '"email"', vscode.DiagnosticSeverity.Warning);
  });

  it('reports json-strict and duplicate-key problems', async () => {
    const doc = await open('strict.loginpolicy.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'duplicate-key'));
    assert.deepEqual(
      byCode(found, 'json-strict').map((d) => doc.getText(d.range)),
      ['// a comment', ','],
    );
    assert.deepEqual(
      byCode(found, 'duplicate-key').map((d) => doc.getText(d.range)),
      ['"title"'],
    );
  });

  it('reports a syntax error on its token, and clears it when the text is fixed', async () => {
    const doc = await open('syntax.loginpolicy.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'json-syntax'));
    assert.equal(doc.getText(byCode(found, 'json-syntax')[0]!.range), '"loginURL"');
    await replace(doc, '"ACME"', '"ACME",');
    const after = await diagnostics(
      doc.uri,
      (d) => !d.some((x) => codeOf(x) === 'json-syntax'),
      'the syntax error to clear',
    );
    // With the syntax fixed, the content rules speak: this policy has no identityStoreDetails.
    await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'schema'));
    assert.ok(after.every((d) => codeOf(d) !== 'json-syntax'));
  });

  it('reports the Hosted Login v1 path as information', async () => {
    const doc = await open('v1.loginpolicy.json');
    const [v1] = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'hosted-login-v1'));
    assert.equal(v1!.severity, vscode.DiagnosticSeverity.Information);
    assert.match(doc.getText(v1!.range), /\/auth-ui\/login"$/);
  });

  it('reports an http login URL, and its fix makes it https', async () => {
    const doc = await open('http.loginpolicy.json');
    const found = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'login-url'));
    const loginUrl = byCode(found, 'login-url')[0]!;
    assert.equal(loginUrl.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(doc.getText(loginUrl.range), /^"http:\/\//);
    const actions = await codeActions(doc, loginUrl.range);
    const https = actions.find((a) => a.title === 'Use https');
    assert.ok(https?.edit);
    assert.ok(await vscode.workspace.applyEdit(https.edit));
    await diagnostics(doc.uri, (d) => d.length === 0, 'no diagnostics once the URL is https');
  });

  it('clears every diagnostic once a document is fixed by edits', async () => {
    const doc = await open('fixme.loginpolicy.json');
    await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'unknown-property'));
    await replace(doc, '"loginUrl"', '"loginURL"');
    await diagnostics(doc.uri, (d) => d.length === 0, 'no diagnostics');
  });
});
