// Cold-start bundle entry for D (bundled by coldstart.ts): vscode-json-languageservice with the project's JSON Schema.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { jsonService } from './json-service';

/** Configures the service with the schema, then validates a fresh document; returns the number of diagnostics. */
export async function validate(text: string, schemaText: string): Promise<number> {
  const doc = TextDocument.create('file:///bench/policy.loginpolicy.json', 'json', 1, text);
  return (await jsonService(schemaText).validate(doc)).length;
}
