// Code lenses on clientSecret when live checks are on: "Verify owner secret now", and the last result with its age.
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import type { LiveCheck } from '../engine/facts';
import { ago } from '../engine/owner-secret/words';
import { PATHS } from '../engine/policy/paths';
import { SHOW_POLICY_CLIENTS_COMMAND, VERIFY_OWNER_SECRET_COMMAND } from '../protocol';
import { toRange } from './positions';

export function getCodeLenses(
  doc: TextDocument,
  analysis: Analysis,
  last: LiveCheck | undefined,
  now: Date,
): CodeLens[] {
  const node = analysis.model.node(PATHS.clientSecret);
  if (!node) return [];
  const range = toRange(doc, node);
  const verify = { command: VERIFY_OWNER_SECRET_COMMAND, arguments: [doc.uri] };
  const lenses: CodeLens[] = [{ range, command: { title: 'Verify owner secret now', ...verify } }];
  if (last)
    lenses.push({
      range,
      command: { title: `Last check: ${resultWords(last)} · ${ago(last.checkedAt, now)}`, ...verify },
    });
  return lenses;
}

/** On a policy's id: how many OIDC client files of the workspace use it (a click lists them). */
export function getIdLenses(doc: TextDocument, analysis: Analysis, clientUris: readonly string[]): CodeLens[] {
  const node = analysis.model.node(PATHS.id);
  if (!node || clientUris.length === 0) return [];
  const title = `${clientUris.length} OIDC client${clientUris.length === 1 ? '' : 's'} use${clientUris.length === 1 ? 's' : ''} this policy`;
  return [
    { range: toRange(doc, node), command: { title, command: SHOW_POLICY_CLIENTS_COMMAND, arguments: [clientUris] } },
  ];
}

function resultWords(check: LiveCheck): string {
  switch (check.outcome) {
    case 'accepted':
      return `accepted by ${check.host}`;
    case 'rejected':
      return `rejected by ${check.host} (${check.code} ${check.error})`;
    case 'not-owner':
      return `not an owner client (${check.code} ${check.error})`;
    case 'failed':
      return `inconclusive (${check.reason})`;
  }
}
