// Lists of names in messages: the first few by name, the rest counted, so a message stays readable when the
// answer is long (a policy id claimed by 40 files, a policy bound to 5,000 clients).

/** Named one by one up to here; past it, "and N more". */
export const MAX_LISTED = 10;

/** `a, b, c` or `a, b, … and 12 more`. */
export function listed(items: readonly string[], max = MAX_LISTED): string {
  const shown = items.slice(0, max).join(', ');
  const more = items.length - max;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
