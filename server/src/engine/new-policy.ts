// Builds the text of a new login policy from an existing one: the way out when the frozen identityStoreDetails
// must change (an edit, a reset owner secret). Without id and _links (the server assigns them), with a title
// made unique by a date, loginURL and customClaims kept, and the new identityStoreDetails. Facts §6.1 step 4.
import { getNodeValue, type Node } from 'jsonc-parser';
import { documentFormatting } from './edits';
import { secretPlaceholder } from '../shared/secret-placeholder';

export interface NewPolicyOptions {
  /** The document's whole tree. */
  readonly root: Node;
  /** The identityStoreDetails for the new policy: the document's (edited) one, or the deployed one. */
  readonly identityStoreDetails: unknown;
  /** Put a placeholder where the current secret goes (it is not known here). */
  readonly secretPlaceholder: boolean;
  readonly date: Date;
  /** The document's text, to copy its indentation. */
  readonly text: string;
  /** Titles other policies of the workspace have: the new title is none of them. */
  readonly takenTitles?: ReadonlySet<string>;
}

/** The new policy's JSON text, ending with a line break, with the document's indentation and line ends. */
export function newPolicyText(options: NewPolicyOptions): string {
  const old = getNodeValue(options.root) as Record<string, unknown>;
  const store = structuredClone(options.identityStoreDetails) as Record<string, unknown> | undefined;
  const connection = store?.['connectionDetails'] as Record<string, unknown> | undefined;
  if (options.secretPlaceholder && connection) {
    // Without a client id there is no placeholder to name; the old secret is never copied over.
    if (typeof connection['clientId'] === 'string')
      connection['clientSecret'] = secretPlaceholder(connection['clientId']);
    else delete connection['clientSecret'];
  }
  const policy: Record<string, unknown> = { identityStoreDetails: store };
  if (old['loginURL'] !== undefined) policy['loginURL'] = old['loginURL'];
  policy['title'] = uniqueTitle(
    typeof old['title'] === 'string' ? old['title'] : 'Login policy',
    options.date,
    options.takenTitles,
  );
  for (const [key, value] of Object.entries(old)) {
    if (!(key in policy) && key !== 'id' && key !== '_links') policy[key] = value;
  }
  // The document's indentation and line ends: a CRLF repository stays CRLF.
  const { insertSpaces, tabSize, eol } = documentFormatting(options.text);
  return `${JSON.stringify(policy, null, insertSpaces ? tabSize : '\t')}\n`.replace(/\n/g, eol);
}

/**
 * "ACME EU Login Policy (2026-11-27)", in the author's local date; "(2026-11-27, 2)" and on when that title is
 * taken. A date suffix from an earlier generation is replaced, not stacked.
 */
export function uniqueTitle(title: string, date: Date, taken: ReadonlySet<string> = new Set()): string {
  const day = [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((n) => String(n).padStart(2, '0'));
  const base = title.replace(/ \(\d{4}-\d{2}-\d{2}(?:, \d+)?\)$/, '');
  let candidate = `${base} (${day.join('-')})`;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base} (${day.join('-')}, ${n})`;
  return candidate;
}
