// A fast tokenizer for the common case: text that jsonc-parser would read without a single error. It calls the same
// visitor callbacks jsonc-parser's `visit` does, with the same offsets, lengths and values, and gives up (returns
// false) at the first thing it is not sure of, leaving that text to jsonc-parser, whose error recovery the rules rely
// on. A policy is about 1 KB: tokenizing it directly costs a fraction of jsonc-parser's general scanner.
import type { JSONVisitor } from 'jsonc-parser';

/** The callbacks parse.ts uses. */
export type FastVisitor = Required<
  Pick<
    JSONVisitor,
    | 'onObjectBegin'
    | 'onObjectEnd'
    | 'onArrayBegin'
    | 'onArrayEnd'
    | 'onObjectProperty'
    | 'onLiteralValue'
    | 'onSeparator'
    | 'onComment'
  >
>;

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

/** Thrown to leave the text to jsonc-parser; never escapes `fastVisit`. */
class GiveUp extends Error {}
const GIVE_UP = new GiveUp();

/**
 * Visits `text` as jsonc-parser's `visit` would (comments and trailing commas allowed), when it has no syntax error
 * at all. Returns false, having possibly called some callbacks, when the text needs jsonc-parser.
 */
export function fastVisit(text: string, visitor: FastVisitor): boolean {
  try {
    new Walk(text, visitor).document();
    return true;
  } catch (e) {
    if (e === GIVE_UP) return false;
    throw e;
  }
}

class Walk {
  private pos = 0;
  private readonly len: number;

  constructor(
    private readonly text: string,
    private readonly visitor: FastVisitor,
  ) {
    this.len = text.length;
  }

  document(): void {
    this.skipTrivia();
    if (this.pos >= this.len) throw GIVE_UP; // empty content is an error
    this.value();
    this.skipTrivia();
    if (this.pos < this.len) throw GIVE_UP; // something after the value
  }

  private value(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACE) this.object();
    else if (c === OPEN_BRACKET) this.array();
    else if (c === QUOTE) {
      const start = this.pos;
      const value = this.string();
      this.visitor.onLiteralValue(value, start, this.pos - start, 0, 0, noPath);
    } else this.literal();
  }

  private object(): void {
    const v = this.visitor;
    v.onObjectBegin(this.pos, 1, 0, 0, noPath);
    this.pos++;
    this.skipTrivia();
    let first = true;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === CLOSE_BRACE) {
        v.onObjectEnd(this.pos, 1, 0, 0);
        this.pos++;
        return;
      }
      if (!first) {
        if (c !== COMMA) throw GIVE_UP;
        v.onSeparator(',', this.pos, 1, 0, 0);
        this.pos++;
        this.skipTrivia();
        // A trailing comma: the closing brace comes next (jsonc-parser allows it; parse.ts records it).
        if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) continue;
      }
      first = false;
      if (this.text.charCodeAt(this.pos) !== QUOTE) throw GIVE_UP;
      const keyStart = this.pos;
      const key = this.string();
      v.onObjectProperty(key, keyStart, this.pos - keyStart, 0, 0, noPath);
      this.skipTrivia();
      if (this.text.charCodeAt(this.pos) !== COLON) throw GIVE_UP;
      v.onSeparator(':', this.pos, 1, 0, 0);
      this.pos++;
      this.skipTrivia();
      if (this.pos >= this.len) throw GIVE_UP;
      this.value();
      this.skipTrivia();
    }
  }

  private array(): void {
    const v = this.visitor;
    v.onArrayBegin(this.pos, 1, 0, 0, noPath);
    this.pos++;
    this.skipTrivia();
    let first = true;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (c === CLOSE_BRACKET) {
        v.onArrayEnd(this.pos, 1, 0, 0);
        this.pos++;
        return;
      }
      if (!first) {
        if (c !== COMMA) throw GIVE_UP;
        v.onSeparator(',', this.pos, 1, 0, 0);
        this.pos++;
        this.skipTrivia();
        if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) continue;
      }
      first = false;
      if (this.pos >= this.len) throw GIVE_UP;
      this.value();
      this.skipTrivia();
    }
  }

  /** A string token at pos (a quote); returns its value, leaves pos after the closing quote. */
  private string(): string {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
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
    if (!escaped) return text.slice(start + 1, i);
    // Escapes are rare: JSON.parse decodes them exactly as jsonc-parser does, and refuses what it would refuse.
    try {
      return JSON.parse(text.slice(start, i + 1)) as string;
    } catch {
      throw GIVE_UP;
    }
  }

  /** A number, true, false or null. */
  private literal(): void {
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
    this.visitor.onLiteralValue(value, start, this.pos - start, 0, 0, noPath);
  }

  /** Skips whitespace, line breaks and comments (reporting comments). */
  private skipTrivia(): void {
    const text = this.text;
    for (;;) {
      // Indentation is most of a pretty-printed policy: a local index, not the field, in this loop.
      let i = this.pos;
      let c = text.charCodeAt(i);
      while (c === SPACE || c === LF || c === TAB || c === CR) c = text.charCodeAt(++i);
      this.pos = i;
      if (c === SLASH) {
        const start = this.pos;
        const next = text.charCodeAt(start + 1);
        if (next === SLASH) {
          let end = start + 2;
          while (end < this.len) {
            const d = text.charCodeAt(end);
            if (d === LF || d === CR) break;
            end++;
          }
          this.pos = end;
        } else if (next === STAR) {
          const end = text.indexOf('*/', start + 2);
          if (end < 0) throw GIVE_UP; // an unterminated block comment is an error
          this.pos = end + 2;
        } else throw GIVE_UP;
        this.visitor.onComment(start, this.pos - start, 0, 0);
      } else return;
    }
  }
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

const noPath = () => [];
