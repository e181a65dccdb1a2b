// zod's compiled fast path, for the schemas a process validates again and again (the policy schema, once per
// analysis, on every keystroke). Compiling costs a few milliseconds, so a schema is compiled only once it has been
// validated a few times: the CLI on one file and the first diagnostics after start never pay for it. zod hands a
// schema it cannot compile back unchanged, and a compiled schema falls back to the runtime on any failing value, so
// the issues (and every message made from them) are the runtime's.
import * as z from 'zod/mini';

type Schema = z.core.$ZodType;

/** Validations of one schema on the runtime before it is compiled. */
export const COMPILE_AFTER = 8;

const seen = new WeakMap<Schema, { runs: number; compiled: Schema | undefined }>();

/** The schema to validate with: `schema` itself for its first few validations, then its compiled clone. */
export function validatorOf(schema: Schema): Schema {
  let state = seen.get(schema);
  if (state === undefined) {
    state = { runs: 0, compiled: undefined };
    seen.set(schema, state);
  }
  if (state.compiled) return state.compiled;
  if (++state.runs > COMPILE_AFTER) state.compiled = z.compile(schema);
  return state.compiled ?? schema;
}
