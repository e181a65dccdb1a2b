// Hovers explain every key and value from the schema docs; secrets are masked; loginURL is read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { MarkupContent } from 'vscode-languageserver';
import { analyze } from '../../../server/src/engine/analyze';
import { getConfigHover, getPolicyHover } from '../../../server/src/features/hover';
import { policy, VALID_POLICY } from '../harness';

function hoverAt(text: string, needle: string, delta = 1): string | undefined {
  const doc = TextDocument.create('file:///p.loginpolicy.json', 'login-policy', 1, text);
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the text`);
  const hover = getPolicyHover(doc, analyze(text), doc.positionAt(offset + delta));
  return hover ? (hover.contents as MarkupContent).value : undefined;
}

describe('policy hover', () => {
  const text = policy();

  it('explains a key: what it is, whether it can change, format and vendor page', () => {
    const value = hoverAt(text, '"domain"')!;
    assert.match(value, /\*\*`domain`\*\* · Capture domain/);
    assert.match(value, /Can change after creation:\*\* no/);
    assert.match(value, /Format:\*\* a bare host name/);
    assert.match(value, /\[Vendor documentation\]\(https:\/\/techdocs\.akamai\.com\//);
  });

  it('says mutable fields can change', () => {
    assert.match(hoverAt(text, '"title"')!, /Can change after creation:\*\* yes/);
  });

  it('masks the client secret on its key and its value', () => {
    const secret = VALID_POLICY.identityStoreDetails.connectionDetails.clientSecret;
    for (const needle of ['"clientSecret"', `"${secret}"`]) {
      const value = hoverAt(text, needle)!;
      assert.ok(!value.includes(secret), 'the secret is not shown');
      assert.match(value, /`••••••••g5h4` \(masked\)/);
    }
  });

  it('reads the login URL: region, customer id and version', () => {
    const value = hoverAt(text, '"https://v1.api.eu')!;
    assert.match(value, /Region:\*\* eu/);
    assert.match(value, /Customer id:\*\* `5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19`/);
    assert.match(value, /Version:\*\* Hosted Login v2/);
  });

  it('explains custom claims entries and their attribute paths', () => {
    const value = hoverAt(text, '"zip"')!;
    assert.match(
      value,
      /Custom claim `zip`\*\*: returned by the userinfo endpoint, read from the Capture attribute `primaryAddress\.zip`/,
    );
  });

  it('has a hover for every key and every value of a policy', () => {
    const doc = TextDocument.create('file:///p.loginpolicy.json', 'login-policy', 1, text);
    const analysis = analyze(text);
    const root = analysis.fullTree();
    const visit = (node: NonNullable<typeof root>): void => {
      if (node.type !== 'object' && node.type !== 'array' && node.type !== 'property') {
        const hover = getPolicyHover(doc, analysis, doc.positionAt(node.offset + 1));
        assert.ok(hover, `hover at ${JSON.stringify(node.value)}`);
      }
      for (const child of node.children ?? []) visit(child);
    };
    visit(root!);
  });

  it('says when a key is not part of the model', () => {
    assert.match(hoverAt('{ "mfaSettings": {} }', '"mfaSettings"')!, /is not a property of the login policy model/);
  });
});

describe('config hover', () => {
  it('explains config keys and rule ids', () => {
    const text = '{ "rules": { "hosted-login-v1": "off" }, "baseline": { "git": "HEAD" } }';
    const doc = TextDocument.create('file:///.loginpolicyrc.json', 'jsonc', 1, text);
    const at = (needle: string) =>
      (getConfigHover(doc, doc.positionAt(text.indexOf(needle) + 1))!.contents as MarkupContent).value;
    assert.match(at('"rules"'), /rule severities/);
    assert.match(at('"hosted-login-v1"'), /Rule `hosted-login-v1`\*\* \(default: info\)/);
    assert.match(at('"git"'), /git ref/);
  });
});
