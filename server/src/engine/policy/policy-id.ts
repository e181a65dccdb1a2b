// Policy ids are lower-case UUIDs (facts §2.1), but a hand-edited file may spell one in upper case: it still names
// the same policy, so every comparison of ids goes through here.

export function samePolicyId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}
