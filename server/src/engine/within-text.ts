// The last line of defence between rules and their consumers: a finding's range and its fixes' edits must lie
// inside the analysed text, and a fix's edits must not overlap. An editor clamps or refuses anything else, and a
// program applying the edits (the CLI, a script) would corrupt the file. Rules are meant to get this right; the
// property tests check them before this guard, through `onRuleDefect`, so a rule bug is reported, not hidden.
import type { Finding, Fix, OffsetRange, TextEdit } from './finding';

/** What a rule got wrong, in words without any text of the document (it may hold a secret). */
export interface RuleDefect {
  readonly ruleId: string;
  readonly problem: string;
}

/** The finding as reported when it is sound; otherwise its range clamped to the text and its broken fixes dropped. */
export function withinText(
  length: number,
  finding: Finding,
  onDefect: ((defect: RuleDefect) => void) | undefined,
): Finding {
  const rangeOk = inside(finding.range, length);
  const fixes = finding.fixes;
  if (rangeOk && (fixes === undefined || fixes.every((fix) => soundEdits(fix.edits, length)))) return finding;
  const problems: string[] = [];
  if (!rangeOk) problems.push(`range ${describe(finding.range)} outside a text of ${length} characters`);
  const kept: Fix[] = [];
  for (const fix of fixes ?? []) {
    if (soundEdits(fix.edits, length)) kept.push(fix);
    else
      problems.push(
        `fix "${fix.title}" with edits ${fix.edits.map(describe).join(', ')} outside the text or overlapping`,
      );
  }
  onDefect?.({ ruleId: finding.ruleId, problem: problems.join('; ') });
  const { fixes: _dropped, ...rest } = finding;
  return { ...rest, range: clamp(finding.range, length), ...(kept.length > 0 ? { fixes: kept } : {}) };
}

function inside(range: OffsetRange, length: number): boolean {
  return (
    Number.isInteger(range.offset) &&
    Number.isInteger(range.length) &&
    range.offset >= 0 &&
    range.length >= 0 &&
    range.offset + range.length <= length
  );
}

/** Inside the text, and no two edits touch the same characters (nor insert at the same place). */
function soundEdits(edits: readonly TextEdit[], length: number): boolean {
  if (!edits.every((edit) => inside(edit, length))) return false;
  if (edits.length < 2) return true;
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || a.length - b.length);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    if (sorted[i]!.offset < previous.offset + previous.length || sorted[i]!.offset === previous.offset) return false;
  }
  return true;
}

function clamp(range: OffsetRange, length: number): OffsetRange {
  const offset = Math.min(Math.max(0, Math.trunc(range.offset) || 0), length);
  const end = Math.min(Math.max(offset, Math.trunc(range.offset + range.length) || 0), length);
  return { offset, length: end - offset };
}

function describe(range: OffsetRange): string {
  return `${range.offset}+${range.length}`;
}
