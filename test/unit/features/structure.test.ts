// Formatting, as the server offers it: jsonc-parser's formatter, made safe on text still being typed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getFormattingEdits } from '../../../server/src/features/structure';

function formatted(text: string): string {
  const doc = TextDocument.create('file:///p.loginpolicy.json', 'login-policy', 1, text);
  return TextDocument.applyEdits(doc, getFormattingEdits(doc, { tabSize: 2, insertSpaces: true }));
}

describe('formatting', () => {
  it('lays out a policy and changes nothing on a second pass', () => {
    const once = formatted('{"title":"t","identityStoreDetails":{"type":"janrainCapture"}}');
    assert.equal(once, '{\n  "title": "t",\n  "identityStoreDetails": {\n    "type": "janrainCapture"\n  }\n}');
    assert.equal(formatted(once), once);
  });

  it('never joins the next line to a string still being typed (found by fuzzing)', () => {
    // Joining the lines would pull `"loginURL": "u"` into the unterminated title.
    const text = '{\n  "title": "ACME,\n  "loginURL": "u"\n}';
    const result = formatted(text);
    assert.ok(result.includes('"ACME,\n'), JSON.stringify(result));
    assert.ok(result.includes('"loginURL": "u"'), JSON.stringify(result));
  });
});
