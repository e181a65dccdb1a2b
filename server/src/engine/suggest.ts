// "Did you mean": the closest known names to a misspelled one.
import { compareIds } from './finding';

/** Known names close to `name`: same letters ignoring case first, then small edit distances. */
export function closestNames(name: string, known: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const sameLetters = known.filter((k) => k.toLowerCase() === lower);
  if (sameLetters.length > 0) return sameLetters;
  const budget = Math.max(1, Math.floor(name.length / 3));
  const scored: { k: string; d: number }[] = [];
  for (const k of known) {
    // Names whose lengths differ by more than the budget cannot be within it.
    if (Math.abs(k.length - name.length) > budget) continue;
    const d = distance(lower, k.toLowerCase(), budget);
    if (d <= budget) scored.push({ k, d });
  }
  // Ties by code unit, not localeCompare: the same order on every machine (no ICU locale), and no collator to set up.
  scored.sort((a, b) => a.d - b.d || compareIds(a.k, b.k));
  return scored.slice(0, 3).map(({ k }) => k);
}

// Three rows of the table, reused: a suggestion is asked for on every unknown key, and allocating a table each time
// cost more than the rest of the rule.
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions). With `limit`, gives up as soon as
 * the distance must exceed it and returns `limit + 1`.
 */
export function distance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const cols = b.length + 1;
  if (rows[0].length < cols) rows = [new Int32Array(cols), new Int32Array(cols), new Int32Array(cols)];
  let [before, previous, current] = rows;
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j < cols; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[cols - 1]!;
}
