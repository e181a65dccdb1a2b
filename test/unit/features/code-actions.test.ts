// Code actions: fixes from the current analysis, "fix all" for a rule, and "show documentation" everywhere.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeActionParams, TextEdit } from 'vscode-languageserver';
import { analyze } from '../../../server/src/engine/analyze';
import { getCodeActions } from '../../../server/src/features/code-actions';
import { toDiagnostics } from '../../../server/src/features/diagnostics';

function actionsFor(text: string, ruleDocs = true) {
  const doc = TextDocument.create('file:///p.loginpolicy.json', 'login-policy', 1, text);
  const findings = analyze(text).findings;
  const diagnostics = toDiagnostics(doc, findings);
  const params: CodeActionParams = {
    textDocument: { uri: doc.uri },
    range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) },
    context: { diagnostics },
  };
  return { doc, diagnostics, actions: getCodeActions(doc, findings, params, { ruleDocs }) };
}

function apply(doc: TextDocument, edits: TextEdit[]): string {
  return TextDocument.applyEdits(doc, edits);
}

describe('code actions', () => {
  it('turns fixes into quick fixes with workspace edits', () => {
    const { doc, actions } = actionsFor('{ "title": "t", "loginUrl": "https://x.example/1/auth-ui/v2/login" }');
    const rename = actions.find((a) => a.title === 'Rename to "loginURL"')!;
    assert.equal(rename.kind, 'quickfix');
    assert.equal(
      apply(doc, rename.edit!.changes![doc.uri]!),
      '{ "title": "t", "loginURL": "https://x.example/1/auth-ui/v2/login" }',
    );
  });

  it('offers "Show documentation" once per rule, as a command', () => {
    const { actions } = actionsFor('{ "a": 1, "b": 2 }');
    const docs = actions.filter((a) => a.title === 'Show documentation for unknown-property');
    assert.equal(docs.length, 1);
    assert.deepEqual(docs[0]!.command, {
      title: 'Show documentation for unknown-property',
      command: 'loginPolicy.showRuleDocumentation',
      arguments: ['unknown-property'],
    });
  });

  it('offers no "Show documentation" where the editor cannot open it, and keeps the fixes', () => {
    const { actions } = actionsFor('{ "title": "t", "loginUrl": "https://x.example/1/auth-ui/v2/login" }', false);
    assert.ok(actions.some((a) => a.title === 'Rename to "loginURL"'));
    assert.ok(!actions.some((a) => a.title.startsWith('Show documentation')));
  });

  it('fixes all findings of a rule in one edit', () => {
    const text = '{\n  // one\n  "title": "t", /* two */\n  "x": [1,],\n}';
    const { doc, actions } = actionsFor(text);
    const all = actions.find((a) => a.title === 'Fix all json-strict problems')!;
    assert.equal(apply(doc, all.edit!.changes![doc.uri]!), '{\n  "title": "t",\n  "x": [1]\n}');
  });

  it('links every diagnostic to its rule page and names the rule as its code', () => {
    const { diagnostics } = actionsFor('{ "a": 1 }');
    for (const d of diagnostics) {
      assert.equal(d.source, 'login-policy');
      assert.match(d.codeDescription!.href, new RegExp(`/docs/rules/${String(d.code)}\\.md$`));
    }
  });

  it('never offers "fix all" for fixes that are not certain (removing unknown properties)', () => {
    const { actions } = actionsFor('{ "title": "t", "pushClaims": true, "mfaSettings": {} }');
    assert.ok(actions.some((a) => a.title === 'Remove "pushClaims"'));
    assert.ok(!actions.some((a) => a.title === 'Fix all unknown-property problems'));
  });

  it('offers no fixes for a stale diagnostic whose range no longer matches', () => {
    const text = '{ "title": "t", "loginUrl": "u" }';
    const { doc, diagnostics } = actionsFor(text);
    const moved = diagnostics.map((d) => ({
      ...d,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    }));
    const actions = getCodeActions(
      doc,
      analyze(text).findings,
      {
        textDocument: { uri: doc.uri },
        range: moved[0]!.range,
        context: { diagnostics: moved },
      },
      { ruleDocs: true },
    );
    assert.ok(actions.every((a) => a.title.startsWith('Show documentation') || a.title.startsWith('Fix all')));
  });
});
