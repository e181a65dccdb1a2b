// D: vscode-json-languageservice as VS Code's JSON server runs it, with the project's JSON Schema. Shared by the
// throughput runs (contenders.ts) and the cold-start bundle (coldstart-entry-d.ts), which must not pull in the engine.
import { getLanguageService, type JSONDocument } from 'vscode-json-languageservice';
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

const SCHEMA_URI = 'file:///bench/login-policy.schema.json';

export interface JsonService {
  /** D's work for one document version: parse + validate, as VS Code's JSON server does. */
  validate(doc: TextDocument): PromiseLike<Diagnostic[]>;
  parse(doc: TextDocument): JSONDocument;
}

/** The service with the schema registered by fileMatch for `*.loginpolicy.json`. */
export function jsonService(schemaText: string): JsonService {
  const service = getLanguageService({});
  service.configure({
    validate: true,
    allowComments: false,
    schemas: [{ uri: SCHEMA_URI, fileMatch: ['*.loginpolicy.json'], schema: JSON.parse(schemaText) as object }],
  });
  return {
    parse: (doc) => service.parseJSONDocument(doc),
    validate: (doc) =>
      service.doValidation(doc, service.parseJSONDocument(doc), { comments: 'error', trailingCommas: 'error' }),
  };
}
