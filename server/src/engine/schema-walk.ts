// Navigation over zod schemas by JSON path, so hovers, completion and messages find a field's schema and docs.
// Works for any zod (mini or classic) schema built from objects, records, optionals, unions and primitives.
import type * as z from 'zod/mini';
import type { JsonPath } from './ast';

type Schema = z.core.$ZodType;

/** The schema without optional/nullable/default wrappers. */
export function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as { type: string; innerType?: Schema };
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) {
      current = def.innerType;
    } else {
      return current;
    }
  }
}

/** The declared properties of an object schema (empty for anything else). */
export function shapeOf(schema: Schema): Readonly<Record<string, Schema>> {
  const def = unwrap(schema)._zod.def as { type: string; shape?: Record<string, Schema> };
  return def.type === 'object' && def.shape ? def.shape : {};
}

const declared = new WeakMap<Schema, readonly string[]>();

/** The declared keys of an object schema, one array per schema (callers may cache by its identity). */
export function declaredKeys(schema: Schema): readonly string[] {
  let keys = declared.get(schema);
  if (!keys) declared.set(schema, (keys = Object.freeze(Object.keys(shapeOf(schema)))));
  return keys;
}

/** True for object schemas that reject keys they do not declare. */
export function isStrictObject(schema: Schema): boolean {
  const def = unwrap(schema)._zod.def as { type: string; catchall?: Schema };
  return def.type === 'object' && def.catchall?._zod.def.type === 'never';
}

/** The schema's type, wrappers looked through. */
export function kindOf(schema: Schema): string {
  return resolve(schema).type;
}

/** Literal values a schema accepts (for completion), if it is a literal or an enum. */
export function literalsOf(schema: Schema): readonly unknown[] {
  const def = unwrap(schema)._zod.def as { type: string; values?: unknown[]; entries?: Record<string, unknown> };
  if (def.type === 'literal' && def.values) return def.values;
  if (def.type === 'enum' && def.entries) return Object.values(def.entries);
  return [];
}

export interface Resolved {
  readonly type: string;
  readonly shape?: Record<string, Schema>;
  /** The schema of undeclared keys, when the object allows them. */
  readonly rest?: Schema;
  readonly valueType?: Schema;
  readonly element?: Schema;
  readonly options?: Schema[];
}

const resolved = new WeakMap<Schema, Resolved>();

/** A schema's definition with its wrappers looked through, once per schema (validation asks for every value). */
export function resolve(schema: Schema): Resolved {
  let out = resolved.get(schema);
  if (!out) {
    const def = unwrap(schema)._zod.def as Resolved & { catchall?: Schema };
    const catchall = def.catchall;
    const rest =
      catchall && catchall._zod.def.type !== 'never' && catchall._zod.def.type !== 'unknown' ? catchall : undefined;
    out = { ...def, rest };
    resolved.set(schema, out);
  }
  return out;
}

/** The schema of a direct child: a declared property, a record's value, an array's element, a union member's. */
export function childSchema(schema: Schema, key: string | number): Schema | undefined {
  return childIn(resolve(schema), key);
}

/** childSchema for a schema resolved once, when many children of one value are looked up. */
export function childIn(def: Resolved, key: string | number): Schema | undefined {
  switch (def.type) {
    case 'object':
      if (typeof key === 'string' && def.shape && Object.hasOwn(def.shape, key)) return def.shape[key];
      return def.rest;
    case 'record':
      return typeof key === 'string' ? def.valueType : undefined;
    case 'array':
      return typeof key === 'number' ? def.element : undefined;
    case 'union':
      for (const option of def.options ?? []) {
        const child = childSchema(option, key);
        if (child) return child;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The schema at a path, or undefined where the path leaves the model. */
export function schemaAt(root: Schema, path: JsonPath): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const segment of path) {
    if (!schema) return undefined;
    schema = childSchema(schema, segment);
  }
  return schema;
}

/** Docs found, per registry and schema: the registries are filled when their schemas are made, then only read. */
const docsFound = new WeakMap<object, WeakMap<Schema, object | null>>();

/**
 * A field's docs from a registry, looking through optional wrappers. Remembered per schema: zod's lookup copies a
 * refined schema's inherited metadata on every call, and messages and hovers ask for the same fields again and again.
 */
export function docOf<M extends object>(registry: z.core.$ZodRegistry<M>, schema: Schema | undefined): M | undefined {
  if (!schema) return undefined;
  let found = docsFound.get(registry);
  if (!found) docsFound.set(registry, (found = new WeakMap()));
  let doc = found.get(schema);
  if (doc === undefined) found.set(schema, (doc = lookUpDoc(registry, schema) ?? null));
  return (doc ?? undefined) as M | undefined;
}

function lookUpDoc<M extends object>(registry: z.core.$ZodRegistry<M>, schema: Schema): M | undefined {
  let current: Schema | undefined = schema;
  while (current) {
    const doc = registry.get(current) as M | undefined;
    if (doc) return doc;
    const def = current._zod.def as { type: string; innerType?: Schema };
    current = def.type === 'optional' || def.type === 'nullable' || def.type === 'default' ? def.innerType : undefined;
  }
  return undefined;
}
