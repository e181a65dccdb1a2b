// Body checks with the Hosted Login API's error wording: Python pydantic (v1) style, `('<field>',) field required`
// (facts §1.2, §9.9). The first problem found is the one reported, as one `{"errors": "<string>"}` text.

export type Loc = readonly (string | number)[];

/** A request body the API refuses: `message` is the whole `errors` text. */
export class BodyError extends Error {}

/** `('a',)` for one element, `('a', 'b')` for more: Python's tuple repr, as pydantic prints a location. */
export function locText(loc: Loc): string {
  const parts = loc.map((part) => (typeof part === 'number' ? String(part) : `'${part}'`));
  return `(${parts.join(', ')}${parts.length === 1 ? ',' : ''})`;
}

export function fail(loc: Loc, message: string): never {
  throw new BodyError(`${locText(loc)} ${message}`);
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or "value is not a valid dict" at `loc` (the body itself is `('__root__',)`). */
export function dict(value: unknown, loc: Loc): JsonObject {
  if (!isObject(value)) fail(loc.length === 0 ? ['__root__'] : loc, 'value is not a valid dict');
  return value;
}

/** A required string property. */
export function requiredString(object: JsonObject, key: string, loc: Loc = []): string {
  const value = object[key];
  if (value === undefined) fail([...loc, key], 'field required');
  if (value === null) fail([...loc, key], 'none is not an allowed value');
  if (typeof value !== 'string') fail([...loc, key], 'str type expected');
  return value;
}

/** Refuses any key outside `allowed` ("extra fields not permitted"), in the order the body has them. */
export function noExtraKeys(object: JsonObject, allowed: readonly string[], loc: Loc = []): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail([...loc, key], 'extra fields not permitted');
  }
}

/** A map of strings to strings (custom claims: claim name → Capture attribute path). */
export function stringMap(value: unknown, loc: Loc): Record<string, string> {
  const object = dict(value, loc);
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(object)) {
    if (typeof entry !== 'string') fail([...loc, key], 'str type expected');
    out[key] = entry;
  }
  return out;
}

/** The request body parsed as JSON, or a 400-worthy BodyError in the words of Python's json module. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') fail(['__root__'], 'field required');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError('Expecting value: the request body is not valid JSON');
  }
}
