// Texts to throw at the engine: policies from the model, nudged at the value level (a near-miss key, a value of
// the wrong case, length or type), laid out every way a file can be (indentation, key order, CRLF, BOM, escaped
// unicode), then broken at the token and byte level (deleted, inserted and copied tokens or spans, random
// characters, truncation). Every step is drawn by fast-check, so a failure shrinks to a small counterexample.
import fc from 'fast-check';
import { createScanner, type SyntaxKind } from 'jsonc-parser';
import { policySchema } from '../../../server/src/engine/policy/schema';
import { shapeOf } from '../../../server/src/engine/schema-walk';
import { validPolicy } from './policy-arbitrary';

/** Tokens and fragments a person (or a bad merge) puts into JSON. */
export const JSON_TOKENS: readonly string[] = [
  '{', '}', '[', ']', ',', ':', '"', '""', '"a"', '"title"', '"loginURL"', '"id"', '"clientId"', '"customClaims"',
  '"id_token"', '0', '-1', '1.5e3', '01', '-', '1.', 'true', 'false', 'null', 'nul', 'NaN', '/*', '*/', '//',
  '/* c */', '// c\n', '\n', '\r\n', '\r', '\t', ' ', '\uFEFF', '\\', "'", "'a'", 'a', '"\\u00e9"', '"\\ud800"',
  '"\\x"', '"a":1', ',"a":1', '"x":', '{"a":[1,2]}', '\u2028', '\u00a0', '\u0000',
]; // prettier-ignore

/** Fragments that matter to the rules: URL parts, case, spaces, fingerprints, placeholders. */
const VALUE_WORDS: readonly string[] = [
  '/auth-ui/login', '/auth-ui/v2/login', 'http://', 'https://', 'HTTP://', 'localhost', '127.0.0.1', ':8080', '/',
  '.', '-', ' ', '  ', '\t', '\n', 'A', 'Z', 'é', '😀', '\ud800', 'sha256:', `sha256:${'ab'.repeat(32)}`,
  '5D0F3C1E-8B7A-4E2D-9C61-0A4B7E3F2D19', '..', '\\', '"', '<current secret of owner client ', '>', 'janrainCapture',
  '?x=1', '#f', 'v1.api.us.janrain.com', 'acme.janraincapture.com',
]; // prettier-ignore

/** A fragment the rules care about and one it is often mistaken for (https → http, v2 → v1, one region → another). */
const SWAPS: readonly (readonly [string, string])[] = [
  ['https://', 'http://'],
  ['/auth-ui/v2/login', '/auth-ui/login'],
  ['/auth-ui/v2/login', '/login'],
  ['.us.', '.eu.'],
  ['v1.api.us.janrain.com', 'localhost:8080'],
  ['-4000-', '-4A00-'],
  ['0000', '00000'],
];

/** Names a key can be renamed to: every key of the model (so keys move between objects), standard claims, junk. */
const KEY_WORDS: readonly string[] = [...modelKeys(), 'email', 'sub', 'zip', '1st', 'a b', '', '__proto__', 'é'];

function modelKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (schema: Parameters<typeof shapeOf>[0]): void => {
    for (const [key, child] of Object.entries(shapeOf(schema))) {
      keys.add(key);
      walk(child);
    }
  };
  walk(policySchema);
  return keys;
}

/** One step, its numbers read modulo what they index (shrinking drives them to 0: the first place, the first word). */
interface Step {
  readonly kind: number;
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly word: string;
}

const step = (words: readonly string[]): fc.Arbitrary<Step> =>
  fc.record({
    kind: fc.nat(),
    a: fc.nat(),
    b: fc.nat(),
    c: fc.nat({ max: 16 }),
    word: fc.oneof(
      { arbitrary: fc.constantFrom(...words), weight: 4 },
      { arbitrary: fc.string({ maxLength: 3, unit: 'binary' }), weight: 1 },
    ),
  });

export interface Layout {
  readonly indent: number | string;
  readonly eol: string;
  readonly bom: boolean;
  readonly escapeUnicode: boolean;
  readonly finalNewline: boolean;
  /** 0 keeps the generated key order; anything else shuffles each object's keys. */
  readonly keyOrder: number;
}

const layout: fc.Arbitrary<Layout> = fc.record({
  indent: fc.constantFrom<number | string>(2, 0, 4, '\t', 1, 3),
  eol: fc.oneof(
    { arbitrary: fc.constant('\n'), weight: 6 },
    { arbitrary: fc.constant('\r\n'), weight: 3 },
    { arbitrary: fc.constant('\r'), weight: 1 },
  ),
  bom: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
  escapeUnicode: fc.boolean(),
  finalNewline: fc.boolean(),
  keyOrder: fc.nat(),
});

/** A policy text, whole or broken. */
export function policyText(): fc.Arbitrary<string> {
  return fc
    .record({
      value: validPolicy(),
      nudges: fc.array(step(VALUE_WORDS), { maxLength: 3 }),
      layout,
      breaks: fc.array(step(JSON_TOKENS), { maxLength: 4 }),
    })
    .map(({ value, nudges, layout, breaks }) => {
      for (const nudge of nudges) value = nudgeValue(value, nudge) as Record<string, unknown>;
      return breaks.reduce(breakText, render(value, layout));
    });
}

/** Any small JSON text, broken the same ways: top-level arrays, strings, deep nesting, empty files. */
export function anyJsonText(): fc.Arbitrary<string> {
  return fc
    .record({ value: fc.jsonValue({ maxDepth: 4 }), layout, breaks: fc.array(step(JSON_TOKENS), { maxLength: 4 }) })
    .map(({ value, layout, breaks }) => breaks.reduce(breakText, render(value, layout)));
}

/** Mostly policies; some arbitrary JSON for the shapes a policy never has. */
export function engineInput(): fc.Arbitrary<string> {
  return fc.oneof({ arbitrary: policyText(), weight: 5 }, { arbitrary: anyJsonText(), weight: 1 });
}

// ---- layout -------------------------------------------------------------------------------------------------------

export function render(value: unknown, layout: Layout): string {
  let text = JSON.stringify(reorder(value, layout.keyOrder), null, layout.indent) ?? 'null';
  if (layout.escapeUnicode)
    text = text.replace(/[^ -~\t\n\r]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (layout.finalNewline) text += '\n';
  if (layout.eol !== '\n') text = text.replace(/\n/g, layout.eol);
  return layout.bom ? `\uFEFF${text}` : text;
}

/** The same object with each level's keys in an order drawn from `seed` (0: unchanged). */
function reorder(value: unknown, seed: number): unknown {
  if (seed === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => reorder(v, seed));
  let state = seed;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const entries = Object.entries(value as Record<string, unknown>);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return fromEntries(entries.map(([k, v]) => [k, reorder(v, seed + 1)]));
}

/** Object.fromEntries, except that "__proto__" stays an ordinary key. */
function fromEntries(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

// ---- nudges at the value level ------------------------------------------------------------------------------------

interface Slot {
  readonly holder: Record<string, unknown> | unknown[];
  readonly key: string | number;
}

function slotsOf(value: unknown, out: Slot[] = []): Slot[] {
  if (value === null || typeof value !== 'object') return out;
  const holder = value as Record<string, unknown> | unknown[];
  for (const key of Array.isArray(holder) ? holder.keys() : Object.keys(holder)) {
    out.push({ holder, key });
    slotsOf((holder as Record<string | number, unknown>)[key], out);
  }
  return out;
}

/** Changes one value or key of a copy of `value`: the near misses people type. */
function nudgeValue(value: unknown, nudge: Step): unknown {
  const copy = structuredClone(value);
  const all = slotsOf(copy);
  // Edits of a string go to a string: the values the rules read are strings.
  const strings = all.filter(
    ({ holder, key }) => typeof (holder as Record<string | number, unknown>)[key] === 'string',
  );
  const slots = nudge.kind % 4 === 0 && strings.length > 0 ? strings : all;
  if (slots.length === 0) return copy;
  const { holder, key } = slots[nudge.a % slots.length]!;
  const record = holder as Record<string | number, unknown>;
  const current = record[key];
  switch (nudge.kind % 4) {
    case 0:
      record[key] = typeof current === 'string' ? editString(current, nudge) : nudge.word;
      break;
    case 1:
      record[key] = [null, 0, true, [], {}, '', nudge.word, 1.5][nudge.b % 8];
      break;
    case 2:
      if (Array.isArray(holder)) holder.splice(key as number, 1);
      else delete record[key];
      break;
    default:
      if (!Array.isArray(holder)) renameKey(record, key as string, newKey(key as string, nudge));
  }
  return copy;
}

function editString(text: string, nudge: Step): string {
  const at = nudge.b % (text.length + 1);
  switch (nudge.c % 10) {
    case 9: {
      const present = SWAPS.filter(([from]) => text.includes(from));
      if (present.length === 0) return text + nudge.word;
      const [from, to] = present[nudge.b % present.length]!;
      return text.replace(from, to);
    }
    case 0:
      return text.toUpperCase();
    case 1:
      return text.slice(0, at) + text.charAt(at).toUpperCase() + text.slice(at + 1);
    case 2:
      return ` ${text} `;
    case 3:
      return text.slice(0, at) + text.slice(at + 1);
    case 4:
      return text.slice(0, at) + nudge.word + text.slice(at);
    case 5:
      return nudge.word;
    case 6:
      return `${nudge.word}${text}${nudge.word}`;
    case 7:
      return text.toLowerCase() + nudge.word;
    default:
      return text.slice(0, at) + nudge.word + text.slice(at + nudge.word.length);
  }
}

function newKey(key: string, nudge: Step): string {
  const at = nudge.b % (key.length + 1);
  switch (nudge.c % 4) {
    case 0:
      return KEY_WORDS[nudge.b % KEY_WORDS.length]!;
    case 1:
      return key.slice(0, at) + key.slice(at + 1);
    case 2:
      return key.slice(0, at) + key.charAt(at).toUpperCase() + key.slice(at + 1);
    default:
      return key.slice(0, at) + key.charAt(at + 1) + key.charAt(at) + key.slice(at + 2);
  }
}

/** Renames in place, keeping the key's position. */
function renameKey(record: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.entries(record).map(([k, v]): [string, unknown] => [k === from ? to : k, v]);
  for (const k of Object.keys(record)) delete record[k];
  Object.assign(record, fromEntries(entries));
}

// ---- breaks at the token and byte level ---------------------------------------------------------------------------

/** jsonc-parser's SyntaxKind.EOF (a const enum, which isolated modules cannot read). */
const EOF = 17 as SyntaxKind;

/** Where each token of the text starts and ends (comments and whitespace are tokens too). */
function tokenBounds(text: string): number[] {
  const scanner = createScanner(text, false);
  const bounds = [0];
  while (scanner.scan() !== EOF) {
    const end = Math.min(scanner.getTokenOffset() + scanner.getTokenLength(), text.length);
    if (end > bounds[bounds.length - 1]!) bounds.push(end);
    if (bounds.length > 10_000) break;
  }
  if (bounds[bounds.length - 1] !== text.length) bounds.push(text.length);
  return bounds;
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

export function breakText(text: string, brk: Step): string {
  const n = text.length;
  const at = brk.a % (n + 1);
  switch (brk.kind % 9) {
    case 0: // delete a span
      return splice(text, at, 1 + brk.c, '');
    case 1: // insert a JSON token
      return splice(text, at, 0, brk.word);
    case 2: {
      // copy a span elsewhere
      const from = brk.b % (n + 1);
      return splice(text, at, 0, text.slice(from, from + 1 + brk.c * 4));
    }
    case 3: // a random character, inserted or replacing one
      return splice(text, at, brk.c % 2, String.fromCharCode(brk.b % 0x10000));
    case 4: // truncation
      return text.slice(0, at);
    default: {
      const bounds = tokenBounds(text);
      const i = brk.a % bounds.length;
      const j = brk.b % bounds.length;
      const span = (k: number, count: number) => [bounds[k]!, bounds[Math.min(k + count, bounds.length - 1)]!];
      switch (brk.kind % 9) {
        case 5: {
          // delete whole tokens
          const [start, end] = span(i, 1 + (brk.c % 3));
          return splice(text, start!, end! - start!, '');
        }
        case 6: {
          // copy whole tokens (a property, a value) to another token boundary: duplicated keys, values in the wrong place
          const [start, end] = span(i, 1 + brk.c);
          return splice(text, bounds[j]!, 0, text.slice(start, end));
        }
        case 7: // a JSON token at a token boundary
          return splice(text, bounds[i]!, 0, brk.word);
        default: {
          // replace a token
          const [start, end] = span(i, 1);
          return splice(text, start!, end! - start!, brk.word);
        }
      }
    }
  }
}
