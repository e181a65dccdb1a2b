// Policies generated from the zod model itself (server/src/engine/policy/schema.ts): every object, optional part,
// record and constant the model declares, each string drawn from its own checks (regex, minimum length, refinements)
// or from the documented example. A change to the model changes what is generated, with no second copy of it here.
import fc from 'fast-check';
import type * as z from 'zod/mini';
import { policyDocs, policySchema } from '../../../server/src/engine/policy/schema';
import { docOf, unwrap } from '../../../server/src/engine/schema-walk';

type Schema = z.core.$ZodType;

interface Def {
  readonly type: string;
  readonly shape?: Record<string, Schema>;
  readonly catchall?: Schema;
  readonly keyType?: Schema;
  readonly valueType?: Schema;
  readonly values?: readonly unknown[];
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
}

interface CheckDef {
  readonly check: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
}

/** A JSON value the model accepts: what `policySchema` validates without an issue. */
export function validPolicy(): fc.Arbitrary<Record<string, unknown>> {
  return arbitraryOf(policySchema) as fc.Arbitrary<Record<string, unknown>>;
}

function arbitraryOf(schema: Schema): fc.Arbitrary<unknown> {
  const inner = unwrap(schema);
  const def = inner._zod.def as Def;
  switch (def.type) {
    case 'object':
      return objectOf(def);
    case 'record':
      return fc.dictionary(stringOf(def.keyType!), arbitraryOf(def.valueType!), { maxKeys: 5 });
    case 'literal':
      return fc.constantFrom(...def.values!);
    case 'string':
      return stringOf(schema);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectOf(def: Def): fc.Arbitrary<Record<string, unknown>> {
  const shape = def.shape ?? {};
  const members: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const [key, child] of Object.entries(shape)) {
    members[key] = arbitraryOf(child);
    if (child._zod.def.type !== 'optional') requiredKeys.push(key);
  }
  const declared = fc.record(members, { requiredKeys });
  // A loose object (the API's `_links`) accepts keys it does not declare: generate some.
  const loose = def.catchall !== undefined && def.catchall._zod.def.type !== 'never';
  if (!loose) return declared;
  return fc
    .tuple(declared, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }))
    .map(([known, extra]) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(extra)) if (!(key in shape) && key !== '__proto__') out[key] = value;
      return { ...out, ...known };
    });
}

/** A string the field's own schema accepts: its documented example, or one drawn from its checks. */
function stringOf(schema: Schema): fc.Arbitrary<string> {
  const def = unwrap(schema)._zod.def as Def;
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const pattern = checks.find((c) => c.check === 'string_format' && c.pattern)?.pattern;
  const minLength = Math.max(0, ...checks.filter((c) => c.check === 'min_length').map((c) => c.minimum ?? 0));
  const drawn = pattern
    ? fc.stringMatching(pattern)
    : fc.oneof(
        fc.string({ minLength, maxLength: 24 }),
        fc.string({ minLength, maxLength: 12, unit: 'grapheme' }),
        fc.string({ minLength, maxLength: 12, unit: 'binary' }),
      );
  const accepted = (value: string) => ok(schema, value);
  const example = exampleOf(schema);
  const choices: fc.WeightedArbitrary<string>[] = [{ arbitrary: drawn.filter(accepted), weight: 2 }];
  if (example !== undefined && accepted(example)) choices.push({ arbitrary: fc.constant(example), weight: 3 });
  return fc.oneof(...choices);
}

function ok(schema: Schema, value: unknown): boolean {
  const result = schema['~standard'].validate(value);
  return !(result instanceof Promise) && result.issues === undefined;
}

function exampleOf(schema: Schema): string | undefined {
  const example = docOf(policyDocs, schema)?.example;
  if (example === undefined) return undefined;
  const value: unknown = JSON.parse(example);
  return typeof value === 'string' ? value : undefined;
}
