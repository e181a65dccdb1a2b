// The CLI's offset → line and character conversion counts as the editor's LSP document does, so the CLI's JSON,
// text and SARIF positions and the server's diagnostics agree for the same finding.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../../../server/src/shared/line-index';

describe('LineIndex', () => {
  it('agrees with an LSP document at every offset of a text with LF, CRLF and lone CR line breaks', () => {
    const text = '{\r\n "a": "\\\r\n",\r "b": 1\n}\r\n';
    const lines = new LineIndex(text);
    const doc = TextDocument.create('file:///x.json', 'json', 1, text);
    for (let offset = 0; offset <= text.length; offset++)
      assert.deepEqual(lines.positionAt(offset), doc.positionAt(offset), `offset ${offset}`);
  });

  it('puts an offset between the CR and the LF of a line break at the end of its line (found by fuzzing)', () => {
    // A string with an escaped CR ends there; its error's range ends inside the line break.
    assert.deepEqual(new LineIndex('ab\r\ncd').positionAt(3), { line: 0, character: 2 });
  });

  it('agrees with an LSP document on texts without CR (the native search) and with odd line breaks', () => {
    for (const text of ['', '\n', 'a\n\nb\n', '{\n  "a": 1\n}', '\r', '\r\r\n\n\r', 'x\r\n\r\ny']) {
      const lines = new LineIndex(text);
      const doc = TextDocument.create('file:///x.json', 'json', 1, text);
      for (let offset = -1; offset <= text.length + 1; offset++)
        assert.deepEqual(lines.positionAt(offset), doc.positionAt(offset), `${JSON.stringify(text)} at ${offset}`);
    }
  });

  it('puts an offset past the end at the end', () => {
    assert.deepEqual(new LineIndex('ab\ncd').positionAt(9), { line: 1, character: 2 });
    assert.deepEqual(new LineIndex('ab').positionAt(-1), { line: 0, character: 0 });
  });
});
