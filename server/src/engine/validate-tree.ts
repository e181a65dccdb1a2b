// Validates a parse tree against a documented zod schema and anchors every issue to the exact text: a wrong value
// on the value, a missing property on the key of the object that lacks it, an unknown property on its key.
// zod sees a "shell" of the tree: only the parts the schema declares are materialised and unknown subtrees become
// null. Childless object nodes (bulk maps and shallow values of a skeleton parse) become empty objects.
import { type Node } from 'jsonc-parser';
import type * as z from 'zod/mini';
import { formatPath, keyOf, nodeAt, propertyAt, propertyOf, rangeOf, samePath, valueOf, type JsonPath } from './ast';
import type { OffsetRange } from './finding';
import { validatorOf } from './compiled-schema';
import { childIn, childSchema, declaredKeys, docOf, kindOf, resolve } from './schema-walk';
import { FINGERPRINT_PREFIX } from '../shared/fingerprint';

type Schema = z.core.$ZodType;

/** The part of a field's docs that messages use. */
export interface MessageDoc {
  readonly label: string;
  readonly format?: string;
  readonly secret?: boolean;
}

export type IssueKind = 'missing' | 'type' | 'value' | 'empty' | 'format' | 'unknown-key';

export interface LocatedIssue {
  readonly kind: IssueKind;
  /** Path of the offending value; for `missing` and `unknown-key`, of the property concerned. */
  readonly path: JsonPath;
  readonly range: OffsetRange;
  readonly message: string;
  /** For `unknown-key`: the keys the object does declare. */
  readonly knownKeys?: readonly string[];
  /** For `unknown-key`: the property node (the last one of a repeated key, as JSON reads it). */
  readonly property?: Node;
}

export interface TreeValidation {
  readonly schema: Schema;
  readonly docs: z.core.$ZodRegistry<MessageDoc>;
  /** What the root is called in messages: "the login policy". */
  readonly rootName: string;
}

/** Runs zod over the shell of `root` and returns the issues located in the text. */
export function validateTree(root: Node, options: TreeValidation): LocatedIssue[] {
  const shell = shellOf(root, options.schema);
  // zod's own run, whose issues are raw: the Standard Schema surface would give each one a message (and copy it),
  // and only a refinement's message is used here.
  const validator = validatorOf(options.schema);
  const result = validator._zod.run({ value: shell, issues: [] }, { async: false });
  if (result instanceof Promise || result.issues.length === 0) return [];
  // What zod adds to a raw issue when it finishes it, a refinement's message and the path of an issue at the root, is
  // asked of its public surface (rarely: a placeholder value, a root that is not an object).
  const raw = result.issues;
  const found = raw.some((issue) => issue.code === 'custom' || issue.path === undefined)
    ? finishedIssues(validator, shell)
    : (raw as readonly z.core.$ZodIssue[]);
  const issues: LocatedIssue[] = [];
  for (const issue of found) {
    locate(root, issue, options, issues);
  }
  // An empty value (or a placeholder) is reported as such; saying its format is wrong as well would be noise.
  return issues.filter(
    (i) =>
      i.kind !== 'format' ||
      !issues.some((e) => (e.kind === 'empty' || e.kind === 'value') && samePath(e.path, i.path)),
  );
}

function finishedIssues(schema: Schema, value: unknown): readonly z.core.$ZodIssue[] {
  const result = schema['~standard'].validate(value);
  return result instanceof Promise ? [] : ((result.issues ?? []) as readonly z.core.$ZodIssue[]);
}

/** The value zod validates for a tree: what the schema declares, materialised (exported for the property tests). */
export function shellOf(node: Node, schema: Schema | undefined): unknown {
  switch (node.type) {
    case 'object': {
      if (!schema) return null;
      const def = resolve(schema);
      if (def.type !== 'object' && def.type !== 'record' && def.type !== 'union') return {};
      const out: Record<string, unknown> = {};
      for (const property of node.children!) {
        const key = keyOf(property).value as string;
        const value = valueOf(property);
        const child = childIn(def, key);
        // A property still being typed has no value: the syntax error says so; report nothing else about it.
        const shell = value === undefined ? PENDING : child ? shellOf(value, child) : null;
        // Assigning "__proto__" would set the prototype; it must stay an ordinary key for zod to see (and report).
        if (key === '__proto__')
          Object.defineProperty(out, key, { value: shell, enumerable: true, writable: true, configurable: true });
        else out[key] = shell;
      }
      return out;
    }
    case 'array': {
      if (!schema || kindOf(schema) !== 'array') return [];
      return node.children!.map((element, index) => shellOf(element, childSchema(schema, index)));
    }
    default:
      return node.value;
  }
}

/** Up to this many properties, an object is searched rather than indexed. */
const SMALL_OBJECT = 16;

/** Stands for a value not typed yet; zod reports it, and locate() drops that report (the property has no value node). */
const PENDING = Symbol('pending');

function locate(root: Node, issue: z.core.$ZodIssue, options: TreeValidation, out: LocatedIssue[]): void {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const schema = schemaAtPath(options.schema, path);
  const doc = docOf(options.docs, schema);
  if (issue.code === 'unrecognized_keys') {
    const object = nodeAt(root, path);
    const knownKeys = declaredKeys(schema ?? options.schema);
    // A small object is searched; a large one indexed in one pass (looking each key up would be quadratic in objects
    // of thousands of unknown keys). Either way the last property of a name is the one JSON reads.
    let properties: Map<string, Node> | undefined;
    if (object?.type === 'object' && object.children!.length > SMALL_OBJECT) {
      properties = new Map();
      for (const p of object.children!) properties.set(keyOf(p).value as string, p);
    }
    for (const key of issue.keys) {
      const property = properties ? properties.get(key) : propertyOf(object, key);
      if (!property) continue;
      out.push({
        kind: 'unknown-key',
        path: [...path, key],
        range: rangeOf(keyOf(property)),
        message: `"${key}" is not a property of ${containerName(path, options)}.`,
        knownKeys,
        property,
      });
    }
    return;
  }
  const node = nodeAt(root, path);
  if (node === undefined) {
    // Whatever zod calls it (a wrong type, a wrong constant), an absent property is a missing one; a property
    // whose value is not typed yet is left to the syntax error that already covers it.
    if (!propertyAt(root, path)) {
      out.push({
        kind: 'missing',
        path,
        range: missingAnchor(root, path),
        message: missingMessage(path, doc, options),
      });
    }
    return;
  }
  switch (issue.code) {
    case 'invalid_type':
      out.push({
        kind: 'type',
        path,
        range: path.length === 0 ? openingOf(node) : rangeOf(node),
        message: `${subject(path, options)} must be ${describeKind(issue.expected)}${expectation(doc)}, not ${describeKind(node.type)}.`,
      });
      return;
    case 'invalid_value': {
      const expected = issue.values.map((v) => JSON.stringify(v)).join(' or ');
      const found = doc?.secret ? '' : `, not ${shown(node)}`;
      out.push({
        kind: 'value',
        path,
        range: rangeOf(node),
        message: `${subject(path, options)} must be ${expected}${found}.`,
      });
      return;
    }
    case 'too_small':
      out.push(
        issue.origin === 'string' || issue.origin === 'array'
          ? {
              kind: 'empty',
              path,
              range: rangeOf(node),
              message: `${subject(path, options)} must not be empty${expectation(doc, ': expected ')}.`,
            }
          : {
              kind: 'value',
              path,
              range: rangeOf(node),
              message: `${subject(path, options)} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}.`,
            },
      );
      return;
    case 'invalid_format':
      out.push({ kind: 'format', path, range: rangeOf(node), message: formatMessage(path, node, doc, options) });
      return;
    case 'custom':
      // Refinements carry their own words (the placeholder of a generated policy, for one).
      out.push({ kind: 'value', path, range: rangeOf(node), message: `${subject(path, options)} ${issue.message}.` });
      return;
    default:
      out.push({
        kind: 'type',
        path,
        range: rangeOf(node),
        message: `${subject(path, options)} is not valid${expectation(doc, ': expected ')}.`,
      });
  }
}

/** A container at the root is marked on its opening bracket rather than as a whole. */
function openingOf(node: Node): OffsetRange {
  return node.type === 'object' || node.type === 'array' ? { offset: node.offset, length: 1 } : rangeOf(node);
}

function schemaAtPath(root: Schema, path: JsonPath): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const segment of path) schema = schema && childSchema(schema, segment);
  return schema;
}

/** The key of the object that lacks a property; for the root object, its opening brace. */
function missingAnchor(root: Node, path: JsonPath): OffsetRange {
  const parentPath = path.slice(0, -1);
  const holder = propertyAt(root, parentPath);
  if (holder) return rangeOf(keyOf(holder));
  const container = nodeAt(root, parentPath) ?? root;
  return { offset: container.offset, length: 1 };
}

function missingMessage(path: JsonPath, doc: MessageDoc | undefined, options: TreeValidation): string {
  const key = String(path[path.length - 1]);
  const label = doc && doc.label.toLowerCase() !== key.toLowerCase() ? ` (${doc.label})` : '';
  return `Missing required property "${key}"${label} in ${containerName(path.slice(0, -1), options)}${expectation(doc, ': expected ')}.`;
}

function containerName(path: JsonPath, options: TreeValidation): string {
  return path.length === 0 ? options.rootName : `"${formatPath(path)}"`;
}

function subject(path: JsonPath, options: TreeValidation): string {
  return path.length === 0 ? capitalize(options.rootName) : `"${formatPath(path)}"`;
}

function formatMessage(path: JsonPath, node: Node, doc: MessageDoc | undefined, options: TreeValidation): string {
  const value = typeof node.value === 'string' ? node.value : '';
  const hints: string[] = [];
  const format = doc ? formatOf(doc) : NO_FORMAT;
  if (value.trim() === '') hints.push('it is blank');
  else if (value !== value.trim()) hints.push('it has leading or trailing spaces');
  else if (format.lowerCase && /[A-Z]/.test(value)) hints.push('it has upper-case letters');
  // A fingerprint written instead of a secret is measured against the fingerprint's form, not the secret's length.
  if (format.fingerprint && value.trim().startsWith(FINGERPRINT_PREFIX))
    hints.push(`a fingerprint is "${FINGERPRINT_PREFIX}" and 64 lower-case hex digits`);
  else if (format.length !== undefined && value.trim() !== '' && value.trim().length !== format.length)
    hints.push(`it is ${value.trim().length} characters long`);
  if (!doc?.secret && hints.length === 0) hints.push(`found ${JSON.stringify(value)}`);
  const expected = doc?.format ? `: expected ${doc.format}` : '';
  return `${subject(path, options)} is not in the expected format${expected} (${hints.join(', ')}).`;
}

/** What a field's format, in words, says a value must be: read once per field. */
interface FormatFacts {
  readonly lowerCase: boolean;
  /** "32 lower-case letters and digits": 32. */
  readonly length: number | undefined;
  /** A fingerprint may stand in for the value. */
  readonly fingerprint: boolean;
}

const NO_FORMAT: FormatFacts = { lowerCase: false, length: undefined, fingerprint: false };
const formats = new WeakMap<MessageDoc, FormatFacts>();

function formatOf(doc: MessageDoc): FormatFacts {
  let facts = formats.get(doc);
  if (!facts) {
    const format = doc.format ?? '';
    const length = /(\d+) lower-case letters and digits/.exec(format);
    facts = {
      lowerCase: format.includes('lower-case'),
      length: length ? Number(length[1]) : undefined,
      fingerprint: format.includes(FINGERPRINT_PREFIX),
    };
    formats.set(doc, facts);
  }
  return facts;
}

function expectation(doc: MessageDoc | undefined, prefix = ' ('): string {
  if (!doc?.format) return '';
  return prefix === ' (' ? ` (${doc.format})` : `${prefix}${doc.format}`;
}

/** "a string", "an object", "null": a JSON kind in words (zod's "record" is an object to a policy author). */
export function describeKind(kind: string): string {
  switch (kind) {
    case 'null':
      return 'null';
    case 'object':
    case 'record':
    case 'property':
      return 'an object';
    case 'array':
    case 'tuple':
      return 'an array';
    default:
      return `a ${kind}`;
  }
}

function shown(node: Node): string {
  if (node.type === 'object' || node.type === 'array') return describeKind(node.type);
  const text = JSON.stringify(node.value);
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
