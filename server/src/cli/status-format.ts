// `status` as text: a table of the deployed login policies (broken ones first), then, in words, which of them break
// sign-in now and which OIDC clients they take down, which break soon, and which could not be judged.
import { utc } from '../engine/owner-secret/words';
import { count } from '../identity-cloud/progress';
import type { PulledMeta } from '../identity-cloud/pulled-folder';
import { BROKEN, type StatusRow } from '../identity-cloud/deployed-status';

const MAX_TITLE = 40;

export function formatStatusText(
  rows: readonly StatusRow[],
  meta: PulledMeta,
  options: { readonly color: boolean; readonly verified: boolean },
): string {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const stateColor: Partial<Record<StatusRow['secret']['state'], string>> = {
    stale: '31',
    'not-owner': '31',
    rotated: '33',
    'check-failed': '36',
    unknown: '2',
  };
  const out: string[] = [
    `Deployed login policies of customer ${meta.customerId} (${meta.region}), pulled ${utc(new Date(meta.pulledAt))}${options.verified ? ', with live checks (--verify)' : ''}:`,
    '',
  ];
  if (rows.length === 0) {
    out.push('No login policy is deployed.');
    return `${out.join('\n')}\n`;
  }
  const table = [
    ['STATE', 'VERSION', 'POLICY', 'TITLE', 'OIDC CLIENTS'],
    ...rows.map((r) => [
      r.secret.state,
      r.version,
      r.id,
      shorten(r.title, MAX_TITLE),
      r.clients.length ? r.clients.map((c) => c.name || c.id).join(', ') : '-',
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  table.forEach((line, index) => {
    const cells = line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]!)));
    const state = rows[index - 1]?.secret.state;
    const color = state && stateColor[state];
    if (color) cells[0] = paint(color, cells[0]!);
    out.push(cells.join('  ').trimEnd());
  });
  const broken = rows.filter((r) => BROKEN.includes(r.secret.state));
  const rotated = rows.filter((r) => r.secret.state === 'rotated');
  const undecided = rows.filter((r) => r.secret.state === 'unknown' || r.secret.state === 'check-failed');
  out.push('');
  if (broken.length > 0) {
    const takenDown = broken.reduce((n, r) => n + r.clients.length, 0);
    out.push(
      `Sign-in is broken now through ${broken.length} of ${count(rows.length, 'deployed login policy', 'deployed login policies')}, taking down ${count(takenDown, 'OIDC client')}:`,
    );
    for (const row of broken) {
      out.push(
        `  ${describe(row)}: ${row.secret.state === 'stale' ? 'stale owner secret' : 'not an owner client'}: ${row.secret.why}.`,
      );
      out.push(`    ${clientsLine(row, 'It takes down')}`);
    }
    out.push(
      '  Way out: create a new login policy with the current owner secret and point these OIDC clients at it (the policy itself cannot be changed).',
    );
  } else {
    out.push(`No deployed login policy is known to break sign-in now (${count(rows.length, 'policy', 'policies')}).`);
  }
  if (rotated.length > 0) {
    out.push('', `Sign-in will break through ${count(rotated.length, 'policy', 'policies')} when a grace period ends:`);
    for (const row of rotated) {
      out.push(`  ${describe(row)}: ${row.secret.why}.`);
      out.push(`    ${clientsLine(row, 'It will take down')}`);
    }
  }
  if (undecided.length > 0) {
    out.push('', `Not judged: ${count(undecided.length, 'policy', 'policies')}:`);
    for (const row of undecided) out.push(`  ${describe(row)}: ${row.secret.why}.`);
  }
  return `${out.join('\n')}\n`;
}

function describe(row: StatusRow): string {
  return `"${row.title}" (${row.id}, ${row.version})`;
}

function clientsLine(row: StatusRow, verb: string): string {
  if (row.clients.length === 0) return 'No OIDC client uses it.';
  const names = row.clients.map((c) => (c.name ? `${c.name} (${c.id})` : c.id)).join(', ');
  return `${verb} ${count(row.clients.length, 'OIDC client')}: ${names}.`;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
