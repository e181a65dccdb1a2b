// The parser for the common case: text that jsonc-parser would read without a single error. It reads the text and
// builds the document in one recursive descent (no visitor callbacks, no frame stack), exactly as parse.ts builds it
// from jsonc-parser's visitor: the same nodes, offsets, lengths and values, the same comments, trailing commas,
// repeated keys and bulk entries. At the first thing it is not sure of it gives up (returns undefined), leaving the
// text to jsonc-parser's error recovery (recovering-visit.ts), which the rules rely on. A policy is about 1 KB: reading
// it this way costs a fraction of a scanner plus callbacks.
import type { Node, NodeType } from 'jsonc-parser';
import { literalType } from './ast';
import type { OffsetRange } from './finding';
import type { BuildNode, BulkEntry, DuplicateKey, Mutable, ParsedDocument, Skeleton } from './parse';

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const STAR = 0x2a;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * How a container's contents are recorded (parse.ts explains the modes): built entirely, built along the skeleton,
 * kept as a childless node, kept as a compact entry list, or only read.
 */
const enum Mode {
  Full,
  Skeleton,
  Shallow,
  Bulk,
  Skip,
}

/** Objects with more keys than this track them in a set (repeated keys are looked for in every object). */
const SMALL_OBJECT = 12;

// eslint-disable-next-line no-control-regex -- control characters end the plain run (they are errors in a string)
const STRING_BODY = /[^"\\\u0000-\u001f]*/y;

/** Thrown to leave the text to jsonc-parser; never escapes `fastParse`. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp();

/**
 * The document parse.ts would build from jsonc-parser's visitor, for text without a syntax error; undefined when the
 * text needs jsonc-parser (a syntax error, or nesting deeper than `maxDepth`, which parse.ts records as such).
 */
export function fastParse(text: string, skeleton: Skeleton | undefined, maxDepth: number): ParsedDocument | undefined {
  try {
    return new Reader(text, skeleton, maxDepth).document();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

class Reader {
  private pos = 0;
  private depth = 0;
  private readonly len: number;
  private readonly comments: OffsetRange[] = [];
  private readonly trailingCommas: OffsetRange[] = [];
  private readonly duplicateKeys: DuplicateKey[] = [];
  private readonly bulk = new Map<Node, BulkEntry[]>();

  constructor(
    private readonly text: string,
    private readonly skeleton: Skeleton | undefined,
    private readonly maxDepth: number,
  ) {
    this.len = text.length;
  }

  document(): ParsedDocument {
    const text = this.text;
    this.skipTrivia();
    if (this.pos >= this.len) throw GIVE_UP; // empty content is an error
    const c = text.charCodeAt(this.pos);
    let root: BuildNode | undefined;
    if (c === OPEN_BRACE) {
      const mode = this.skeleton ? Mode.Skeleton : Mode.Full;
      root = this.object(container('object', this.pos, undefined), mode, this.skeleton);
    } else if (c === OPEN_BRACKET) {
      root = this.array(container('array', this.pos, undefined), this.skeleton ? Mode.Shallow : Mode.Full);
    } else {
      root = this.literal(undefined);
    }
    this.skipTrivia();
    if (this.pos < this.len) throw GIVE_UP; // something after the value
    return {
      text,
      root,
      syntaxErrors: [],
      comments: this.comments,
      trailingCommas: this.trailingCommas,
      duplicateKeys: this.duplicateKeys,
      bulk: this.bulk,
      tooDeep: false,
    };
  }

  /** A value inside a container that keeps nothing of it (Skip mode): read, checked, and its keys recorded. */
  private skipValue(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACE) this.object(undefined, Mode.Skip, undefined);
    else if (c === OPEN_BRACKET) this.array(undefined, Mode.Skip);
    else if (c === QUOTE) this.string(false);
    else this.literalValue();
  }

  /**
   * The object at pos (an opening brace), its contents recorded as `mode` says, into `node` (absent in Skip mode).
   * Returns `node` with its length set, pos after the closing brace.
   */
  private object(node: BuildNode | undefined, mode: Mode, skeleton: Skeleton | undefined): BuildNode | undefined {
    const text = this.text;
    const start = this.enter();
    const entries: Mutable<BulkEntry>[] | undefined = mode === Mode.Bulk ? [] : undefined;
    if (entries) this.bulk.set(node as Node, entries);
    let keys: string[] | Set<string> | undefined;
    let positions: ReadonlyMap<string, SkeletonPosition> | undefined;
    for (let first = true; !this.closesHere(first, CLOSE_BRACE); first = false) {
      if (text.charCodeAt(this.pos) !== QUOTE) throw GIVE_UP;
      const keyOffset = this.pos;
      const key = this.string(true)!;
      const keyLength = this.pos - keyOffset;
      // Repeated keys are looked for in every object, built or not.
      if (keys === undefined) keys = [key];
      else if (Array.isArray(keys)) {
        if (keys.includes(key)) this.duplicateKeys.push({ name: key, offset: keyOffset, length: keyLength });
        else if (keys.length < SMALL_OBJECT) keys.push(key);
        else keys = new Set([...keys, key]);
      } else if (keys.has(key)) this.duplicateKeys.push({ name: key, offset: keyOffset, length: keyLength });
      else keys.add(key);
      this.skipTrivia();
      if (text.charCodeAt(this.pos) !== COLON) throw GIVE_UP;
      const colon = this.pos;
      this.pos++;
      this.skipTrivia();
      if (this.pos >= this.len) throw GIVE_UP;
      if (mode === Mode.Full || mode === Mode.Skeleton) {
        const property: BuildNode = {
          type: 'property',
          offset: keyOffset,
          length: -1,
          children: [],
          parent: node,
          colonOffset: colon,
        };
        node!.children!.push(property);
        property.children!.push({ type: 'string', value: key, offset: keyOffset, length: keyLength, parent: property });
        if (mode === Mode.Full) this.propertyValue(property, Mode.Full, undefined);
        else {
          const position = (positions ??= positionsOf(skeleton!)).get(key);
          const c = text.charCodeAt(this.pos);
          this.propertyValue(property, childMode(position, c), position);
        }
        property.length = this.pos - keyOffset;
      } else if (entries) {
        this.entryValue(entries, key, keyOffset, keyLength);
      } else {
        this.skipValue();
      }
      this.skipTrivia();
    }
    return this.leave(node, start);
  }

  /** Into the container at pos (an opening bracket): past it and the trivia after it; returns where it starts. */
  private enter(): number {
    if (++this.depth > this.maxDepth) throw GIVE_UP; // parse.ts records the depth with jsonc-parser
    const start = this.pos;
    this.pos++;
    this.skipTrivia();
    return start;
  }

  /** Out of the container that started at `start`, past its closing bracket (at pos); its node gets its length. */
  private leave(node: BuildNode | undefined, start: number): BuildNode | undefined {
    this.pos++;
    this.depth--;
    if (node) node.length = this.pos - start;
    return node;
  }

  /**
   * Between a container's members: true at its closing bracket `close`, also right after a trailing comma (which is
   * recorded); otherwise past the comma that must separate this member from the one before (trivia skipped).
   */
  private closesHere(first: boolean, close: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === close) return true;
    if (first) return false;
    if (c !== COMMA) throw GIVE_UP;
    const comma = this.pos;
    this.pos++;
    this.skipTrivia();
    if (text.charCodeAt(this.pos) !== close) return false;
    this.trailingCommas.push({ offset: comma, length: 1 });
    return true;
  }

  /** The value of a built property: a container in `mode`, or a literal. */
  private propertyValue(property: BuildNode, mode: Mode, position: SkeletonPosition | undefined): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACE) {
      const inner = mode === Mode.Skeleton ? (position as Skeleton) : undefined;
      const node = container('object', this.pos, property);
      property.children!.push(node);
      this.object(node, mode === Mode.Shallow ? Mode.Skip : mode, inner);
    } else if (c === OPEN_BRACKET) {
      const node = container('array', this.pos, property);
      property.children!.push(node);
      this.array(node, mode === Mode.Full ? Mode.Full : Mode.Shallow);
    } else {
      property.children!.push(this.literal(property));
    }
  }

  /** The value of a bulk map's entry: a literal is kept, a container only measured. */
  private entryValue(entries: Mutable<BulkEntry>[], name: string, keyOffset: number, keyLength: number): void {
    const offset = this.pos;
    const c = this.text.charCodeAt(offset);
    let valueType: NodeType;
    let value: unknown;
    if (c === OPEN_BRACE) {
      valueType = 'object';
      this.object(undefined, Mode.Skip, undefined);
    } else if (c === OPEN_BRACKET) {
      valueType = 'array';
      this.array(undefined, Mode.Skip);
    } else if (c === QUOTE) {
      valueType = 'string';
      value = this.string(true);
    } else {
      value = this.literalValue();
      valueType = literalType(value);
    }
    entries.push({ name, keyOffset, keyLength, valueType, value, valueOffset: offset, valueLength: this.pos - offset });
  }

  /**
   * The array at pos, its elements built (Full), or read only (Shallow and Skip: a shallow array keeps its node,
   * childless). Returns `node` with its length set.
   */
  private array(node: BuildNode | undefined, mode: Mode): BuildNode | undefined {
    const text = this.text;
    const start = this.enter();
    for (let first = true; !this.closesHere(first, CLOSE_BRACKET); first = false) {
      if (this.pos >= this.len) throw GIVE_UP;
      const c = text.charCodeAt(this.pos);
      if (mode === Mode.Full) {
        if (c === OPEN_BRACE) {
          const element = container('object', this.pos, node);
          node!.children!.push(element);
          this.object(element, Mode.Full, undefined);
        } else if (c === OPEN_BRACKET) {
          const element = container('array', this.pos, node);
          node!.children!.push(element);
          this.array(element, Mode.Full);
        } else {
          node!.children!.push(this.literal(node));
        }
      } else {
        this.skipValue();
      }
      this.skipTrivia();
    }
    return this.leave(node, start);
  }

  /** A string, number, true, false or null at pos, as a node. */
  private literal(parent: BuildNode | undefined): BuildNode {
    const offset = this.pos;
    if (this.text.charCodeAt(offset) === QUOTE) {
      const value = this.string(true);
      return { type: 'string', value, offset, length: this.pos - offset, parent };
    }
    const value = this.literalValue();
    return { type: literalType(value), value, offset, length: this.pos - offset, parent };
  }

  /**
   * A string token at pos (a quote); leaves pos after the closing quote and returns its value when `wanted` (a string
   * that is only read is still checked: an escape JSON does not know is an error).
   */
  private string(wanted: boolean): string | undefined {
    const text = this.text;
    const start = this.pos;
    // One native scan over the plain characters; escapes (rare) are walked below.
    STRING_BODY.lastIndex = start + 1;
    STRING_BODY.test(text);
    let i = STRING_BODY.lastIndex;
    let escaped = false;
    for (;;) {
      if (i >= this.len) throw GIVE_UP;
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
        continue;
      }
      // Control characters (line breaks among them) are errors inside a string.
      if (c < SPACE) throw GIVE_UP;
      i++;
    }
    this.pos = i + 1;
    if (!escaped) return wanted ? text.slice(start + 1, i) : undefined;
    // Escapes are rare: JSON.parse decodes them exactly as jsonc-parser does, and refuses what it would refuse.
    try {
      return JSON.parse(text.slice(start, i + 1)) as string;
    } catch {
      throw GIVE_UP;
    }
  }

  /** A number, true, false or null at pos: its value. */
  private literalValue(): unknown {
    const text = this.text;
    const start = this.pos;
    const c = text.charCodeAt(start);
    let value: unknown;
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      let i = start;
      if (text.charCodeAt(i) === MINUS) i++;
      if (text.charCodeAt(i) === ZERO) i++;
      else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
      else throw GIVE_UP;
      if (text.charCodeAt(i) === DOT) {
        i++;
        if (!isDigit(text.charCodeAt(i))) throw GIVE_UP;
        while (isDigit(text.charCodeAt(i))) i++;
      }
      const e = text.charCodeAt(i);
      if (e === 0x65 || e === 0x45) {
        i++;
        const sign = text.charCodeAt(i);
        if (sign === 0x2b || sign === MINUS) i++;
        if (!isDigit(text.charCodeAt(i))) throw GIVE_UP;
        while (isDigit(text.charCodeAt(i))) i++;
      }
      this.pos = i;
      value = Number(text.slice(start, i));
    } else if (text.startsWith('true', start)) {
      this.pos = start + 4;
      value = true;
    } else if (text.startsWith('false', start)) {
      this.pos = start + 5;
      value = false;
    } else if (text.startsWith('null', start)) {
      this.pos = start + 4;
      value = null;
    } else throw GIVE_UP;
    // The token must end here (jsonc-parser reads `truex` or `12a` as one unknown token).
    if (this.pos < this.len && !isDelimiter(text.charCodeAt(this.pos))) throw GIVE_UP;
    return value;
  }

  /** Skips whitespace, line breaks and comments (recording comments). */
  private skipTrivia(): void {
    const text = this.text;
    for (;;) {
      // Indentation is most of a pretty-printed policy: a local index, not the field, in this loop.
      let i = this.pos;
      let c = text.charCodeAt(i);
      while (c === SPACE || c === LF || c === TAB || c === CR) c = text.charCodeAt(++i);
      this.pos = i;
      if (c !== SLASH) return;
      const next = text.charCodeAt(i + 1);
      let end: number;
      if (next === SLASH) {
        end = i + 2;
        while (end < this.len) {
          const d = text.charCodeAt(end);
          if (d === LF || d === CR) break;
          end++;
        }
      } else if (next === STAR) {
        end = text.indexOf('*/', i + 2);
        if (end < 0) throw GIVE_UP; // an unterminated block comment is an error
        end += 2;
      } else throw GIVE_UP;
      this.comments.push({ offset: i, length: end - i });
      this.pos = end;
    }
  }
}

/** A container node (its length is set when it closes). */
function container(type: 'object' | 'array', offset: number, parent: BuildNode | undefined): BuildNode {
  return { type, offset, length: -1, children: [], parent };
}

type SkeletonPosition = Skeleton[string];

const skeletonPositions = new WeakMap<Skeleton, ReadonlyMap<string, SkeletonPosition>>();

/** A skeleton's keys as a map, made once per skeleton: it is asked for every key of the objects it describes. */
function positionsOf(skeleton: Skeleton): ReadonlyMap<string, SkeletonPosition> {
  let positions = skeletonPositions.get(skeleton);
  if (!positions) skeletonPositions.set(skeleton, (positions = new Map(Object.entries(skeleton))));
  return positions;
}

/**
 * The mode of a property's value (starting with `c`) at a position of a skeleton object: a bulk map, a subtree built
 * entirely, a nested skeleton, or (anything else, unknown keys included) a shallow value.
 */
function childMode(position: SkeletonPosition | undefined, c: number): Mode {
  if (position === 'full') return Mode.Full;
  if (c !== OPEN_BRACE) return Mode.Shallow;
  if (position === 'bulk') return Mode.Bulk;
  return typeof position === 'object' ? Mode.Skeleton : Mode.Shallow;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** What may follow a literal token directly. */
function isDelimiter(c: number): boolean {
  return (
    c === SPACE ||
    c === TAB ||
    c === LF ||
    c === CR ||
    c === COMMA ||
    c === CLOSE_BRACE ||
    c === CLOSE_BRACKET ||
    c === COLON ||
    c === SLASH
  );
}
