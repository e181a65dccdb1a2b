// Cold-start bundle entry for D (bundled by coldstart.ts): vscode-json-languageservice with the project's JSON Schema.
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** Configures the service with the schema, then validates a fresh document; returns the number of diagnostics. */
export async function validate(text: string, schemaText: string): Promise<number> {
  const service = getLanguageService({});
  service.configure({
    validate: true,
    allowComments: false,
    schemas: [
      {
        uri: 'file:///bench/login-policy.schema.json',
        fileMatch: ['*.loginpolicy.json'],
        schema: JSON.parse(schemaText) as object,
      },
    ],
  });
  const doc = TextDocument.create('file:///bench/policy.loginpolicy.json', 'json', 1, text);
  const diagnostics = await service.doValidation(doc, service.parseJSONDocument(doc), {
    comments: 'error',
    trailingCommas: 'error',
  });
  return diagnostics.length;
}
