// "Show Deployment Status" as a Markdown document: which deployed login policies break sign-in now and which OIDC
// clients they take down, first, in words; then the table of `login-policy-lint status` (same rows, same states), each
// policy linked to its file in the workspace when one has its id. Every value from Identity Cloud or the workspace is
// escaped: a title cannot add a link, an image or HTML. No `vscode` import, so the unit tests load it as it is.
import type { StatusRow } from '../../server/src/identity-cloud/deployed-status';
import { count } from '../../server/src/identity-cloud/progress';
import type { PulledMeta } from '../../server/src/identity-cloud/pulled-folder';

export interface StatusDocumentInput {
  readonly rows: readonly StatusRow[];
  readonly meta: PulledMeta;
  /** The pulled folder as the user knows it (`deployed/`). */
  readonly folder: string;
  /** The workspace file of a policy id: its URI (a link target) and its path relative to the workspace. */
  readonly files: ReadonlyMap<string, { readonly uri: string; readonly path: string }>;
  readonly now: Date;
}

const BROKEN_STATES: readonly string[] = ['stale', 'not-owner'];

export function statusMarkdown(input: StatusDocumentInput): string {
  const { rows, meta, files, now } = input;
  const out: string[] = [
    '# Deployed login policies',
    '',
    `Customer ${code(meta.customerId)} (${text(meta.region)}), pulled ${utc(meta.pulledAt)} (${agoWords(new Date(meta.pulledAt), now)}) into ${code(input.folder)}. ` +
      'Owner secrets are judged from the fingerprints in the pulled files, the `clients` of .loginpolicyrc.json and the secrets recorded in VS Code, as the editor judges them.',
    '',
  ];
  if (rows.length === 0) {
    out.push('No login policy is deployed.');
    return `${out.join('\n')}\n`;
  }
  const broken = rows.filter((r) => BROKEN_STATES.includes(r.secret.state));
  const rotated = rows.filter((r) => r.secret.state === 'rotated');
  const undecided = rows.filter((r) => r.secret.state === 'unknown' || r.secret.state === 'check-failed');
  if (broken.length > 0) {
    const takenDown = broken.reduce((n, r) => n + r.clients.length, 0);
    out.push(
      `## Sign-in is broken now through ${broken.length} of ${count(rows.length, 'deployed login policy', 'deployed login policies')}, taking down ${count(takenDown, 'OIDC client')}`,
      '',
    );
    for (const row of broken) {
      const what = row.secret.state === 'stale' ? 'stale owner secret' : 'not an owner client';
      out.push(`- ${describe(row, files)}: **${what}**: ${text(row.secret.why)}.`);
      out.push(`  ${clientsLine(row, 'It takes down')}`);
    }
    out.push(
      '',
      'Way out: create a new login policy with the current owner secret and point these OIDC clients at it (the policy itself cannot be changed). In a policy file, the quick fix **Generate a new login policy** writes the new one.',
      '',
    );
  } else {
    out.push(
      `## No deployed login policy is known to break sign-in now (${count(rows.length, 'policy', 'policies')})`,
      '',
    );
  }
  if (rotated.length > 0) {
    out.push(
      `## Sign-in will break through ${count(rotated.length, 'policy', 'policies')} when a grace period ends`,
      '',
    );
    for (const row of rotated) {
      out.push(`- ${describe(row, files)}: ${text(row.secret.why)}.`);
      out.push(`  ${clientsLine(row, 'It will take down')}`);
    }
    out.push('');
  }
  if (undecided.length > 0) {
    out.push(`## Not judged: ${count(undecided.length, 'policy', 'policies')}`, '');
    for (const row of undecided) out.push(`- ${describe(row, files)}: ${text(row.secret.why)}.`);
    out.push('');
  }
  out.push('## All deployed login policies', '');
  out.push('| State | Version | Policy | Title | OIDC clients | File in the workspace |');
  out.push('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const state = BROKEN_STATES.includes(row.secret.state) ? `**${row.secret.state}**` : row.secret.state;
    const clients = row.clients.length > 0 ? row.clients.map((c) => text(c.name || c.id)).join(', ') : '—';
    const file = files.get(row.id);
    out.push(
      `| ${state} | ${row.version} | ${code(row.id)} | ${text(row.title)} | ${clients} | ${file ? link(file.path, file.uri) : 'none'} |`,
    );
  }
  return `${out.join('\n')}\n`;
}

function describe(row: StatusRow, files: StatusDocumentInput['files']): string {
  const file = files.get(row.id);
  const id = file ? link(row.id, file.uri) : code(row.id);
  return `"${text(row.title)}" (${id}, ${row.version})`;
}

function clientsLine(row: StatusRow, verb: string): string {
  if (row.clients.length === 0) return 'No OIDC client uses it.';
  const names = row.clients.map((c) => (c.name ? `${text(c.name)} (${code(c.id)})` : code(c.id))).join(', ');
  return `${verb} ${count(row.clients.length, 'OIDC client')}: ${names}.`;
}

/**
 * Text as Markdown shows it literally, on one line: every character that could open markup (emphasis, code, a link,
 * an image, HTML, an entity, a table cell) is backslash-escaped, as CommonMark allows for any ASCII punctuation.
 */
export function text(value: string): string {
  return value.replace(/\s+/g, ' ').replace(/[\\`*_[\]<>|~&!#]/g, (c) => `\\${c}`);
}

/** An id or path as inline code when it is plain (ids are); anything else as escaped text, which no span can hold. */
function code(value: string): string {
  return /^[\w.~/:-]+$/.test(value) ? `\`${value}\`` : text(value);
}

/** A link whose target is a URI as vscode.Uri.toString() writes it (percent-encoded: no blank, `<` or `>`). */
function link(label: string, uri: string): string {
  return `[${text(label)}](<${uri.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}

/** "2026-12-06 03:55 UTC" (the CLI's words), or the text itself, escaped, when it is no date. */
export function utc(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? text(iso) : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago": how long ago a pull was, for the status item too. */
export function agoWords(then: Date, now: Date): string {
  const minutes = Math.floor((now.getTime() - then.getTime()) / 60_000);
  if (!Number.isFinite(minutes)) return 'at an unknown time';
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
