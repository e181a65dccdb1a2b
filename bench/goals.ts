// What every part of the report shares: goal rows and their verdicts (a limit with 15 % tolerance noted), and the
// shape of a report section (one table with its notes).
export type Verdict = 'PASS' | 'FAIL' | 'n/a';

export interface GoalRow {
  readonly id: string;
  readonly goal: string;
  readonly measured: string;
  readonly target: string;
  readonly verdict: Verdict;
  readonly note: string;
}

export interface Judgement {
  readonly verdict: Verdict;
  readonly note: string;
}

const TOLERANCE = 0.15;

/** PASS when the worst known value is within `limit`; n/a when none is known. */
export function verdictOf(values: readonly (number | undefined)[], limit: number): Judgement {
  const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (known.length === 0) return { verdict: 'n/a', note: 'not measured in this run' };
  const worst = Math.max(...known);
  const partial = known.length < values.length ? 'partial: not every size ran' : '';
  if (worst <= limit) return { verdict: 'PASS', note: partial };
  const close = worst <= limit * (1 + TOLERANCE) ? `within ${TOLERANCE * 100} % tolerance` : '';
  return { verdict: 'FAIL', note: [close, partial].filter(Boolean).join('; ') };
}

/** A goal of two bounds passes when both do, fails when either does, and is not judged when a bound was not measured. */
export function both(a: Judgement, b: Judgement): Judgement {
  const verdicts = [a.verdict, b.verdict];
  return {
    verdict: verdicts.includes('FAIL') ? 'FAIL' : verdicts.includes('n/a') ? 'n/a' : 'PASS',
    note: [a.note, b.note].filter(Boolean).join('; '),
  };
}

/** One table of the report, with the lines printed under it. */
export interface Section {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** One `l`/`r` per column. */
  readonly align?: string;
  readonly notes?: readonly string[];
}
