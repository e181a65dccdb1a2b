// The three contenders (REPORT §7.1): A = JSON.parse, P = analyze() + LSP diagnostics, D = vscode-json-languageservice
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, DEFAULT_MAX_FILE_SIZE, type AnalyzeOptions } from '../server/src/engine/analyze';
import { knownClientsFrom } from '../server/src/engine/owner-secret/known-clients';
import { fingerprint } from '../server/src/shared/fingerprint';
import { toDiagnostics } from '../server/src/features/diagnostics';
import { jsonService, type JsonService } from './json-service';

export type ContenderId = 'A' | 'P' | 'D';
export const CONTENDER_IDS: readonly ContenderId[] = ['A', 'P', 'D'];

/** One validation of a text; returns the number of diagnostics (a result the JIT cannot drop). */
export type Validate = (text: string) => number | PromiseLike<number>;

/** The document URI every contender validates under: D's fileMatch needs the `.loginpolicy.json` suffix. */
export const POLICY_URI = 'file:///bench/policy.loginpolicy.json';

/** The repository root (this file runs from out/bench/). */
export const REPO_ROOT = path.resolve(__dirname, '../..');
export const SCHEMA_PATH = path.join(REPO_ROOT, 'schemas/login-policy.schema.json');

/**
 * analyze() options for a text, as the server would pass them: the owner client's current-secret fingerprint is
 * known (as from .loginpolicyrc.json), so the owner-secret rules run their whole verdict (REPORT G9) and a valid
 * policy has no finding. Above the server's 4 MiB analysis limit (10 MB fixtures) the limit is lifted so the whole
 * pipeline runs instead of the one-line analysis-limit finding.
 */
export function analyzeOptionsFor(text: string): AnalyzeOptions {
  const details = (
    JSON.parse(text) as { identityStoreDetails: { connectionDetails: { clientId: string; clientSecret: string } } }
  ).identityStoreDetails.connectionDetails;
  const facts = {
    clients: knownClientsFrom({
      path: '.loginpolicyrc.json',
      clients: [{ clientId: details.clientId, features: ['owner'], secretSha256: fingerprint(details.clientSecret) }],
    }),
  };
  return text.length > DEFAULT_MAX_FILE_SIZE ? { facts, maxFileSize: Number.POSITIVE_INFINITY } : { facts };
}

/** P's work for one document version: analysis + every finding converted to an LSP Diagnostic on `doc`. */
export function pipelineP(doc: TextDocument, options: AnalyzeOptions = {}): Diagnostic[] {
  const analysis = analyze(doc.getText(), options);
  return toDiagnostics(doc, analysis.findings);
}

/** D with the schema file of this checkout. */
export function createJsonService(schemaText = readFileSync(SCHEMA_PATH, 'utf8')): JsonService {
  return jsonService(schemaText);
}

/** The three contenders for one text. P and D get a fresh TextDocument per validation (a new line index each time). */
export function createContenders(text: string): Record<ContenderId, Validate> {
  const json = createJsonService();
  const options = analyzeOptionsFor(text);
  let version = 0;
  return {
    A: (t) => (JSON.parse(t) === undefined ? 1 : 0),
    P: (t) => pipelineP(TextDocument.create(POLICY_URI, 'login-policy', ++version, t), options).length,
    D: (t) =>
      json.validate(TextDocument.create(POLICY_URI, 'json', ++version, t)).then((diagnostics) => diagnostics.length),
  };
}
