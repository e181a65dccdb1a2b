// Code lenses on clientSecret when live checks are on: "Verify owner secret now", and the last result with its age.
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import type { LiveCheck } from '../engine/facts';
import { ago } from '../engine/owner-secret/words';
import { PATHS } from '../engine/policy/paths';
import { VERIFY_OWNER_SECRET_COMMAND } from '../protocol';
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
