// Cold-start bundle entry for P (bundled by coldstart.ts): the engine + LSP diagnostics conversion, nothing else.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../server/src/engine/analyze';
import { toDiagnostics } from '../server/src/features/diagnostics';

/** One validation of a fresh document; returns the number of diagnostics. */
export function validate(text: string): number {
  const doc = TextDocument.create('file:///bench/policy.loginpolicy.json', 'login-policy', 1, text);
  return toDiagnostics(doc, analyze(text).findings).length;
}
