// Completion offers the keys an object may still take (with docs and skeletons) and values for known fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, TextEdit } from 'vscode-languageserver';
import { getConfigCompletions, getPolicyCompletions } from '../../../server/src/features/completion';

/** Completions at the `|` in the text. */
function complete(marked: string, config = false): CompletionItem[] {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const doc = TextDocument.create(
    config ? 'file:///.loginpolicyrc.json' : 'file:///p.loginpolicy.json',
    'json',
    1,
    text,
  );
  return config ? getConfigCompletions(doc, doc.positionAt(offset)) : getPolicyCompletions(doc, doc.positionAt(offset));
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const newText = (items: CompletionItem[], label: string) =>
  (items.find((i) => i.label === label)?.textEdit as TextEdit).newText;

describe('completion', () => {
  it('offers the top-level keys still missing, with docs', () => {
    const items = complete('{ "title": "t", | }');
    assert.ok(labels(items).includes('identityStoreDetails'));
    assert.ok(labels(items).includes('loginURL'));
    assert.ok(!labels(items).includes('title'), 'existing keys are not offered');
    const login = items.find((i) => i.label === 'loginURL')!;
    assert.match(JSON.stringify(login.documentation), /Hosted Login version/);
  });

  it('inserts key skeletons: constants, objects and URL templates', () => {
    assert.equal(newText(complete('{ "identityStoreDetails": { | } }'), 'type'), '"type": "janrainCapture"');
    assert.equal(
      newText(complete('{ "identityStoreDetails": { | } }'), 'connectionDetails'),
      '"connectionDetails": {\n\t$1\n}',
    );
    assert.match(
      newText(complete('{ | }'), 'loginURL'),
      /^"loginURL": "https:\/\/v1\.api\.\$\{1\|us,eu,jp\|\}\.janrain\.com\//,
    );
  });

  it('completes a key being typed without adding a second colon', () => {
    const items = complete('{ "identityStoreDetails": { "connectionDetails": { "cli|": "x" } } }');
    assert.deepEqual(
      labels(items)
        .filter((l) => l.startsWith('client'))
        .sort(),
      ['clientId', 'clientSecret'],
    );
    assert.equal(newText(items, 'clientId'), '"clientId"');
  });

  it('completes values: the store type and login URL forms', () => {
    assert.deepEqual(labels(complete('{ "identityStoreDetails": { "type": | } }')), ['"janrainCapture"']);
    const urls = complete(
      '{ "loginURL": |, "_links": { "self": { "href": "/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/config/loginPolicies/x" } } }',
    );
    assert.deepEqual(labels(urls), ['Hosted Login v2 URL', 'Hosted Login v1 URL']);
    assert.match(newText(urls, 'Hosted Login v2 URL'), /5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19\/auth-ui\/v2\/login"$/);
  });

  it('offers id_token and userinfo inside customClaims', () => {
    assert.deepEqual(labels(complete('{ "customClaims": { | } }')).sort(), ['id_token', 'userinfo']);
  });

  it('completes rule ids and severities in the config file', () => {
    const ids = labels(complete('{ "rules": { | } }', true));
    assert.ok(ids.includes('hosted-login-v1') && ids.includes('schema'));
    assert.deepEqual(labels(complete('{ "rules": { "schema": | } }', true)), [
      '"off"',
      '"hint"',
      '"info"',
      '"warning"',
      '"error"',
    ]);
    assert.ok(labels(complete('{ | }', true)).includes('policies'));
  });
});
