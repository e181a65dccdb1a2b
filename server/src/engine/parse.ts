// Text → parse tree: the fast reader of fast-build.ts for text without syntax errors, else one visit with
// jsonc-parser's error recovery (recovering-visit.ts), which the syntax rules report. Besides the tree (jsonc `Node`s,
// so jsonc-parser's helpers work on it) it records what the API would refuse and plain JSON.parse would hide:
// comments, trailing commas and duplicate keys.
//
// With a skeleton (the paths a model reads), only those parts become nodes: values elsewhere are kept as childless
// ("shallow") nodes, and maps marked `bulk` keep their entries in a compact list instead of three nodes per entry.
// A login policy's claim maps can hold thousands of entries; this keeps analysis near the cost of JSON.parse and
// the memory held per open document small. Features that need every node (hover, completion, symbols) parse the
// full tree on demand.
import { visit, type Node, type NodeType, type ParseErrorCode } from 'jsonc-parser';
import { fastParse } from './fast-build';
import { visitRecovering, type RecoveringVisitor } from './recovering-visit';
import { literalType } from './ast';
import type { OffsetRange } from './finding';

/** Deeper than this is not a login policy (they are 4 levels deep); also keeps recursion far from the stack limit. */
export const MAX_DEPTH = 256;

/** True when a parsed JSON value nests no deeper than MAX_DEPTH, the limit the parser applies to text. */
export function withinMaxDepth(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= MAX_DEPTH) return false;
  for (const inner of Array.isArray(value) ? value : Object.values(value))
    if (!withinMaxDepth(inner, depth + 1)) return false;
  return true;
}

/**
 * The object paths a model reads: nested skeletons are built, `full` subtrees built entirely, `bulk` maps kept
 * compact, `leaf` values shallow.
 */
export interface Skeleton {
  readonly [key: string]: Skeleton | 'leaf' | 'bulk' | 'full';
}

export interface SyntaxError extends OffsetRange {
  readonly code: ParseErrorCode;
}

export interface DuplicateKey extends OffsetRange {
  readonly name: string;
}

/** One entry of a bulk map: a key and a literal value, with their positions. */
export interface BulkEntry {
  readonly name: string;
  readonly keyOffset: number;
  readonly keyLength: number;
  /** undefined while the value is still being typed. */
  readonly valueType: NodeType | undefined;
  /** The value when it is a literal (string, number, boolean, null). */
  readonly value: unknown;
  readonly valueOffset: number;
  readonly valueLength: number;
}

export interface ParsedDocument {
  readonly text: string;
  /** The root value; undefined for empty or hopelessly broken text. */
  readonly root: Node | undefined;
  readonly syntaxErrors: readonly SyntaxError[];
  readonly comments: readonly OffsetRange[];
  /** Each trailing comma (the comma itself). */
  readonly trailingCommas: readonly OffsetRange[];
  /** Each repeated key after the first of its name in the same object. */
  readonly duplicateKeys: readonly DuplicateKey[];
  /** Entries of bulk maps, by the map's (childless) object node. */
  readonly bulk: ReadonlyMap<Node, readonly BulkEntry[]>;
  /** Set when nesting passed MAX_DEPTH; the tree is then incomplete. */
  readonly tooDeep: boolean;
}

export interface ParseOptions {
  /** Build only these paths (see Skeleton). Without it every value becomes a node. */
  readonly skeleton?: Skeleton;
}

class TooDeep extends Error {}

/** A jsonc `Node` while it is being built (jsonc-parser declares its nodes read-only). */
export interface BuildNode {
  type: NodeType;
  value?: unknown;
  offset: number;
  length: number;
  colonOffset?: number;
  parent?: BuildNode;
  children?: BuildNode[];
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** How a container's contents are recorded. */
type Mode = 'full' | 'skeleton' | 'shallow' | 'bulk' | 'skip';

interface Frame {
  readonly mode: Mode;
  /** The container's node; absent in `skip` mode. */
  readonly node: BuildNode | undefined;
  readonly skeleton?: Skeleton;
  readonly entries?: Mutable<BulkEntry>[];
  /** When this container is the value of a bulk entry, that entry (its length is known at the end). */
  readonly entry?: Mutable<BulkEntry>;
  /** Keys seen so far in an object: an array while small, a set once large. */
  keys?: string[] | Set<string>;
}

const SMALL_OBJECT = 12;

/** Parses JSON with comments and trailing commas tolerated (and recorded), never throwing. */
export function parse(text: string, options: ParseOptions = {}): ParsedDocument {
  // Most texts have no syntax error: the fast reader builds the same document. The rest need jsonc-parser's
  // recovery, which recovering-visit.ts reproduces faster.
  return fastParse(text, options.skeleton, MAX_DEPTH) ?? build(text, options, visitRecovering);
}

/** jsonc-parser's own pass: the reference the fast reader and the recovering visit must agree with (tests compare). */
export function parseWithJsonc(text: string, options: ParseOptions = {}): ParsedDocument {
  return build(text, options, (source, visitor) =>
    visit(source, visitor, { disallowComments: false, allowTrailingComma: true, allowEmptyContent: false }),
  );
}

/** One visit of the text, building the document from its callbacks. */
function build(
  text: string,
  options: ParseOptions,
  visitText: (text: string, visitor: RecoveringVisitor) => unknown,
): ParsedDocument {
  const syntaxErrors: SyntaxError[] = [];
  const comments: OffsetRange[] = [];
  const trailingCommas: OffsetRange[] = [];
  const duplicateKeys: DuplicateKey[] = [];
  const bulk = new Map<Node, BulkEntry[]>();
  const top: BuildNode = { type: 'array', offset: -1, length: -1, children: [] };
  /** The node new nodes attach to: a container or a property awaiting its value. */
  let parent: BuildNode = top;
  const frames: Frame[] = [];
  // Offset of a comma not yet followed by a value or property; a closing bracket right after it makes it trailing.
  let pendingComma = -1;

  const attach = (node: BuildNode): BuildNode => {
    node.parent = parent;
    parent.children!.push(node);
    return node;
  };
  const completeProperty = (end: number): void => {
    if (parent.type === 'property') {
      parent.length = end - parent.offset;
      parent = parent.parent!;
    }
  };
  const builds = (frame: Frame | undefined): boolean =>
    frame === undefined || frame.mode === 'full' || frame.mode === 'skeleton';

  /** The mode of a container opening now, from the frame it opens in. */
  const modeOfChild = (type: NodeType): { mode: Mode; skeleton?: Skeleton } => {
    const frame = frames[frames.length - 1];
    if (!frame) {
      if (!options.skeleton) return { mode: 'full' };
      return type === 'object' ? { mode: 'skeleton', skeleton: options.skeleton } : { mode: 'shallow' };
    }
    switch (frame.mode) {
      case 'full':
        return { mode: 'full' };
      case 'skeleton': {
        const key = parent.type === 'property' ? (parent.children![0]!.value as string) : undefined;
        const position = key !== undefined && Object.hasOwn(frame.skeleton!, key) ? frame.skeleton![key] : undefined;
        if (position === 'bulk' && type === 'object') return { mode: 'bulk' };
        if (position === 'full') return { mode: 'full' };
        if (typeof position === 'object' && type === 'object') return { mode: 'skeleton', skeleton: position };
        return { mode: 'shallow' };
      }
      default:
        return { mode: 'skip' };
    }
  };

  const open = (type: NodeType, offset: number): void => {
    pendingComma = -1;
    if (frames.length >= MAX_DEPTH) throw new TooDeep();
    const outer = frames[frames.length - 1];
    const { mode, skeleton } = modeOfChild(type);
    let entry: Mutable<BulkEntry> | undefined;
    if (outer?.mode === 'bulk') {
      entry = outer.entries![outer.entries!.length - 1];
      if (entry && entry.valueOffset < 0) {
        entry.valueType = type;
        entry.valueOffset = offset;
      } else {
        entry = undefined;
      }
    }
    let node: BuildNode | undefined;
    if (mode !== 'skip') {
      node = attach({ type, offset, length: -1, children: [] });
      parent = node;
    }
    const frame: Frame = { mode, node, skeleton, entry, entries: mode === 'bulk' ? [] : undefined };
    if (mode === 'bulk') bulk.set(node as Node, frame.entries!);
    frames.push(frame);
  };

  const close = (offset: number, length: number): void => {
    if (pendingComma >= 0) trailingCommas.push({ offset: pendingComma, length: 1 });
    pendingComma = -1;
    const frame = frames.pop();
    const end = offset + length;
    if (frame?.entry) frame.entry.valueLength = end - frame.entry.valueOffset;
    if (!frame?.node) return;
    completeProperty(end); // a property whose value is missing
    parent.length = end - parent.offset;
    parent = parent.parent!;
    completeProperty(end);
  };

  const recordKey = (frame: Frame, name: string, offset: number, length: number): void => {
    const keys = frame.keys;
    if (keys === undefined) {
      frame.keys = [name];
    } else if (Array.isArray(keys)) {
      if (keys.includes(name)) duplicateKeys.push({ name, offset, length });
      else if (keys.length < SMALL_OBJECT) keys.push(name);
      else frame.keys = new Set([...keys, name]);
    } else if (keys.has(name)) {
      duplicateKeys.push({ name, offset, length });
    } else {
      keys.add(name);
    }
  };

  // jsonc-parser's scanner steps one character past the end of a text that ends inside a block comment (`{}/*`),
  // and the only token after that comment, the end of the text, starts there too. Those are the ranges of the
  // comment, of the errors at the end and of the brackets the end closes: they are cut at the end of the text.
  const last = text.length;
  const fit = (offset: number): number => Math.min(offset, last);
  const fitLength = (offset: number, length: number): number => Math.min(length, last - fit(offset));
  const closeAtMost = (offset: number, length: number): void => close(fit(offset), fitLength(offset, length));

  let tooDeep = false;
  try {
    const visitor: RecoveringVisitor = {
      onObjectBegin: (offset) => open('object', offset),
      onObjectEnd: closeAtMost,
      onArrayBegin: (offset) => open('array', offset),
      onArrayEnd: closeAtMost,
      onObjectProperty: (name, offset, length) => {
        pendingComma = -1;
        const frame = frames[frames.length - 1]!;
        recordKey(frame, name, offset, length);
        if (builds(frame)) {
          parent = attach({ type: 'property', offset, length: -1, children: [] });
          attach({ type: 'string', value: name, offset, length });
        } else if (frame.mode === 'bulk') {
          frame.entries!.push({
            name,
            keyOffset: offset,
            keyLength: length,
            valueType: undefined,
            value: undefined,
            valueOffset: -1,
            valueLength: 0,
          });
        }
      },
      onLiteralValue: (value: unknown, offset, length) => {
        pendingComma = -1;
        const frame = frames[frames.length - 1];
        if (builds(frame)) {
          attach({ type: literalType(value), value, offset, length });
          completeProperty(offset + length);
        } else if (frame!.mode === 'bulk') {
          const entry = frame!.entries![frame!.entries!.length - 1];
          if (entry && entry.valueOffset < 0) {
            entry.valueType = literalType(value);
            entry.value = value;
            entry.valueOffset = offset;
            entry.valueLength = length;
          }
        }
      },
      onSeparator: (separator, offset) => {
        if (separator === ',') {
          pendingComma = offset;
          completeProperty(offset);
        } else if (parent.type === 'property') {
          parent.colonOffset = offset;
        }
      },
      onComment: (offset, length) => {
        comments.push({ offset: fit(offset), length: fitLength(offset, length) });
      },
      onError: (code, offset, length) => {
        syntaxErrors.push({ code, offset: fit(offset), length: fitLength(offset, length) });
      },
    };
    visitText(text, visitor);
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    tooDeep = true;
  }
  const root = top.children![0];
  if (root) root.parent = undefined;
  return { text, root, syntaxErrors, comments, trailingCommas, duplicateKeys, bulk, tooDeep };
}
