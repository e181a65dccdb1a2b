// jsonc-parser's `visit`, for text with syntax errors, at a fraction of its cost: the same tokens, the same error
// recovery, the same callbacks with the same offsets, lengths, values and error codes, for the options parse.ts uses
// (comments and trailing commas allowed, empty content an error). The rules report what jsonc-parser's recovery
// makes of a broken text, so it must be exactly that; tests hold the two to each other on every kind of broken text.
// What makes jsonc-parser slow here is work its `visit` never needs: a string built for every run of whitespace, a
// path copied for every value, a closure per callback. While a user types, the text is often broken for a keystroke
// or two (an open quote, a missing comma), and those keystrokes were the slowest: jsonc-parser took 1.3 ms of the
// 1.7 ms it took to read a broken 100 KB policy.
import type { JSONVisitor, ParseErrorCode } from 'jsonc-parser';

/** The callbacks parse.ts gives (none of them stops the visit of a subtree, so that is not supported). */
export type RecoveringVisitor = Required<
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
    | 'onError'
  >
>;

// jsonc-parser's SyntaxKind and ScanError values: they are compared, never shown.
const enum Token {
  OpenBrace = 1,
  CloseBrace = 2,
  OpenBracket = 3,
  CloseBracket = 4,
  Comma = 5,
  Colon = 6,
  Null = 7,
  True = 8,
  False = 9,
  String = 10,
  Number = 11,
  LineComment = 12,
  BlockComment = 13,
  LineBreak = 14,
  Trivia = 15,
  Unknown = 16,
  EOF = 17,
}

// jsonc-parser's ParseErrorCode values (its enum is declared const, so it cannot be read at run time from here).
const Err = {
  InvalidSymbol: 1,
  InvalidNumberFormat: 2,
  PropertyNameExpected: 3,
  ValueExpected: 4,
  ColonExpected: 5,
  CommaExpected: 6,
  CloseBraceExpected: 7,
  CloseBracketExpected: 8,
  EndOfFileExpected: 9,
  UnexpectedEndOfComment: 11,
  UnexpectedEndOfString: 12,
  UnexpectedEndOfNumber: 13,
  InvalidUnicode: 14,
  InvalidEscapeCharacter: 15,
  InvalidCharacter: 16,
} as const satisfies Record<string, ParseErrorCode>;

type ErrorCode = (typeof Err)[keyof typeof Err];

const enum ScanError {
  None,
  UnexpectedEndOfComment,
  UnexpectedEndOfString,
  UnexpectedEndOfNumber,
  InvalidUnicode,
  InvalidEscapeCharacter,
  InvalidCharacter,
}

/** The parse error each scan error is reported as (jsonc-parser's `scanNext`). */
const SCAN_ERRORS: Record<Exclude<ScanError, ScanError.None>, ErrorCode> = {
  [ScanError.UnexpectedEndOfComment]: Err.UnexpectedEndOfComment,
  [ScanError.UnexpectedEndOfString]: Err.UnexpectedEndOfString,
  [ScanError.UnexpectedEndOfNumber]: Err.UnexpectedEndOfNumber,
  [ScanError.InvalidUnicode]: Err.InvalidUnicode,
  [ScanError.InvalidEscapeCharacter]: Err.InvalidEscapeCharacter,
  [ScanError.InvalidCharacter]: Err.InvalidCharacter,
};

/** The value of each keyword token. */
const KEYWORD_VALUES: Record<Token.Null | Token.True | Token.False, null | boolean> = {
  [Token.Null]: null,
  [Token.True]: true,
  [Token.False]: false,
};

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const STAR = 0x2a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

// eslint-disable-next-line no-control-regex -- control characters end the plain run of a string
const STRING_BODY = /[^"\\\u0000-\u001f]*/y;

/** Visits `text` exactly as jsonc-parser's `visit(text, visitor, { allowTrailingComma: true })` does. */
export function visitRecovering(text: string, visitor: RecoveringVisitor): void {
  new Visit(text, visitor).run();
}

/** jsonc-parser's scanner: the token at `tokenOffset`, `pos` after it. */
class Scanner {
  pos = 0;
  token: Token = Token.Unknown;
  tokenOffset = 0;
  /** A string's decoded value, a number's or an unknown word's text (empty for other tokens). */
  value = '';
  error: ScanError = ScanError.None;
  private readonly len: number;

  constructor(private readonly text: string) {
    this.len = text.length;
  }

  /** The token now (a call, so that no narrowing of `token` outlives the scans between). */
  current(): Token {
    return this.token;
  }

  get tokenLength(): number {
    return this.pos - this.tokenOffset;
  }

  scan(): Token {
    const text = this.text;
    const len = this.len;
    this.value = '';
    this.error = ScanError.None;
    this.tokenOffset = this.pos;
    if (this.pos >= len) {
      // After an unterminated block comment pos is one past the end, and stays there: the end token is 1 long.
      this.tokenOffset = len;
      return (this.token = Token.EOF);
    }
    let code = text.charCodeAt(this.pos);
    if (code === SPACE || code === TAB) {
      do code = text.charCodeAt(++this.pos);
      while (code === SPACE || code === TAB);
      return (this.token = Token.Trivia);
    }
    if (code === LF || code === CR) {
      this.pos++;
      if (code === CR && text.charCodeAt(this.pos) === LF) this.pos++;
      return (this.token = Token.LineBreak);
    }
    switch (code) {
      case OPEN_BRACE:
        this.pos++;
        return (this.token = Token.OpenBrace);
      case CLOSE_BRACE:
        this.pos++;
        return (this.token = Token.CloseBrace);
      case OPEN_BRACKET:
        this.pos++;
        return (this.token = Token.OpenBracket);
      case CLOSE_BRACKET:
        this.pos++;
        return (this.token = Token.CloseBracket);
      case COLON:
        this.pos++;
        return (this.token = Token.Colon);
      case COMMA:
        this.pos++;
        return (this.token = Token.Comma);
      case QUOTE:
        this.pos++;
        this.value = this.string();
        return (this.token = Token.String);
      case SLASH:
        return (this.token = this.slash());
      case MINUS:
        this.pos++;
        if (this.pos === len || !isDigit(text.charCodeAt(this.pos))) {
          this.value = '-';
          return (this.token = Token.Unknown);
        }
        this.value = '-' + this.number();
        return (this.token = Token.Number);
      default:
        if (isDigit(code)) {
          this.value = this.number();
          return (this.token = Token.Number);
        }
        // A word: a keyword, or anything else up to a delimiter (always at least one character here).
        while (this.pos < len && !isDelimiter(code)) code = text.charCodeAt(++this.pos);
        this.value = text.substring(this.tokenOffset, this.pos);
        switch (this.value) {
          case 'true':
            return (this.token = Token.True);
          case 'false':
            return (this.token = Token.False);
          case 'null':
            return (this.token = Token.Null);
          default:
            return (this.token = Token.Unknown);
        }
    }
  }

  /** A comment, or a lone slash (an unknown token). */
  private slash(): Token {
    const text = this.text;
    const len = this.len;
    const next = text.charCodeAt(this.pos + 1);
    if (next === SLASH) {
      let i = this.pos + 2;
      while (i < len) {
        const c = text.charCodeAt(i);
        if (c === LF || c === CR) break;
        i++;
      }
      this.pos = i;
      return Token.LineComment;
    }
    if (next === STAR) {
      const end = text.indexOf('*/', this.pos + 2);
      if (end >= 0 && end < len - 1) {
        this.pos = end + 2;
      } else {
        // Unterminated: jsonc-parser stops one character before the end, then steps one past it.
        this.pos = Math.max(this.pos + 2, len - 1) + 1;
        this.error = ScanError.UnexpectedEndOfComment;
      }
      return Token.BlockComment;
    }
    this.value = '/';
    this.pos++;
    return Token.Unknown;
  }

  /** The text of a number at pos (a digit); an incomplete fraction or exponent is an error. */
  private number(): string {
    const text = this.text;
    const len = this.len;
    const start = this.pos;
    if (text.charCodeAt(this.pos) === ZERO) this.pos++;
    else {
      this.pos++;
      while (this.pos < len && isDigit(text.charCodeAt(this.pos))) this.pos++;
    }
    if (this.pos < len && text.charCodeAt(this.pos) === DOT) {
      this.pos++;
      if (this.pos < len && isDigit(text.charCodeAt(this.pos))) {
        this.pos++;
        while (this.pos < len && isDigit(text.charCodeAt(this.pos))) this.pos++;
      } else {
        this.error = ScanError.UnexpectedEndOfNumber;
        return text.substring(start, this.pos);
      }
    }
    let end = this.pos;
    const e = text.charCodeAt(this.pos);
    if (this.pos < len && (e === 0x45 || e === 0x65)) {
      this.pos++;
      const sign = text.charCodeAt(this.pos);
      if (sign === PLUS || sign === MINUS) this.pos++;
      if (this.pos < len && isDigit(text.charCodeAt(this.pos))) {
        this.pos++;
        while (this.pos < len && isDigit(text.charCodeAt(this.pos))) this.pos++;
        end = this.pos;
      } else {
        this.error = ScanError.UnexpectedEndOfNumber;
      }
    }
    return text.substring(start, end);
  }

  /**
   * A string's value from pos (after its opening quote): up to the closing quote, a line break or the end (both
   * errors). Escapes are decoded; a bad one is an error and adds nothing; other control characters are errors kept in
   * the value.
   */
  private string(): string {
    const text = this.text;
    const len = this.len;
    let result = '';
    let start = this.pos;
    for (;;) {
      STRING_BODY.lastIndex = this.pos;
      STRING_BODY.test(text);
      this.pos = STRING_BODY.lastIndex;
      if (this.pos >= len) {
        this.error = ScanError.UnexpectedEndOfString;
        return result + text.substring(start, this.pos);
      }
      const c = text.charCodeAt(this.pos);
      if (c === QUOTE) {
        result += text.substring(start, this.pos);
        this.pos++;
        return result;
      }
      if (c === BACKSLASH) {
        result += text.substring(start, this.pos);
        this.pos++;
        if (this.pos >= len) {
          this.error = ScanError.UnexpectedEndOfString;
          return result;
        }
        result += this.escape(text.charCodeAt(this.pos++));
        start = this.pos;
        continue;
      }
      // A control character.
      if (c === LF || c === CR) {
        this.error = ScanError.UnexpectedEndOfString;
        return result + text.substring(start, this.pos);
      }
      this.error = ScanError.InvalidCharacter;
      this.pos++;
    }
  }

  /** What the escape `\` + `c` stands for (pos after `c`); a bad escape is an error and stands for nothing. */
  private escape(c: number): string {
    switch (c) {
      case QUOTE:
        return '"';
      case BACKSLASH:
        return '\\';
      case SLASH:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        // Up to four hex digits are read, even when there are fewer (then it is an error).
        let digits = 0;
        let value = 0;
        while (digits < 4) {
          const h = hexValue(this.text.charCodeAt(this.pos));
          if (h < 0) break;
          value = value * 16 + h;
          this.pos++;
          digits++;
        }
        if (digits === 4) return String.fromCharCode(value);
        this.error = ScanError.InvalidUnicode;
        return '';
      }
      default:
        this.error = ScanError.InvalidEscapeCharacter;
        return '';
    }
  }
}

/** jsonc-parser's recursive descent with its error recovery, calling the visitor directly. */
class Visit {
  private readonly scanner: Scanner;

  constructor(
    text: string,
    private readonly visitor: RecoveringVisitor,
  ) {
    this.scanner = new Scanner(text);
  }

  run(): void {
    const s = this.scanner;
    this.next();
    if (s.token === Token.EOF) {
      this.error(Err.ValueExpected);
      return;
    }
    if (!this.value()) {
      this.error(Err.ValueExpected);
      return;
    }
    if (s.current() !== Token.EOF) this.error(Err.EndOfFileExpected);
  }

  /** The next token that is not trivia; comments are reported, scan errors and unknown tokens are errors. */
  private next(): Token {
    const s = this.scanner;
    for (;;) {
      const token = s.scan();
      if (s.error !== ScanError.None) this.error(SCAN_ERRORS[s.error]);
      switch (token) {
        case Token.LineComment:
        case Token.BlockComment:
          this.visitor.onComment(s.tokenOffset, s.tokenLength, 0, 0);
          break;
        case Token.Unknown:
          this.error(Err.InvalidSymbol);
          break;
        case Token.Trivia:
        case Token.LineBreak:
          break;
        default:
          return token;
      }
    }
  }

  /** Reports an error on the current token. */
  private error(code: ErrorCode): void {
    this.visitor.onError(code, this.scanner.tokenOffset, this.scanner.tokenLength, 0, 0);
  }

  /** Reports an error, then skips to the next comma or `close` (the object's brace or the array's bracket). */
  private errorSkippingTo(code: ErrorCode, close: Token): void {
    this.error(code);
    let token = this.scanner.token;
    while (token !== Token.EOF && token !== close && token !== Token.Comma) token = this.next();
  }

  /** Reports a missing closing bracket, then skips past the next one (jsonc-parser's `skipUntilAfter`). */
  private errorSkippingPast(code: ErrorCode, close: Token): void {
    this.error(code);
    let token = this.scanner.token;
    while (token !== Token.EOF) {
      if (token === close) {
        this.next();
        return;
      }
      token = this.next();
    }
  }

  private value(): boolean {
    const s = this.scanner;
    switch (s.token) {
      case Token.OpenBracket:
        this.array();
        return true;
      case Token.OpenBrace:
        this.object();
        return true;
      case Token.String:
        this.visitor.onLiteralValue(s.value, s.tokenOffset, s.tokenLength, 0, 0, noPath);
        this.next();
        return true;
      case Token.Number: {
        let value = Number(s.value);
        if (Number.isNaN(value)) {
          this.error(Err.InvalidNumberFormat);
          value = 0;
        }
        this.visitor.onLiteralValue(value, s.tokenOffset, s.tokenLength, 0, 0, noPath);
        this.next();
        return true;
      }
      case Token.Null:
      case Token.True:
      case Token.False:
        this.visitor.onLiteralValue(KEYWORD_VALUES[s.token], s.tokenOffset, s.tokenLength, 0, 0, noPath);
        this.next();
        return true;
      default:
        return false;
    }
  }

  private property(): boolean {
    const s = this.scanner;
    if (s.token !== Token.String) {
      this.errorSkippingTo(Err.PropertyNameExpected, Token.CloseBrace);
      return false;
    }
    this.visitor.onObjectProperty(s.value, s.tokenOffset, s.tokenLength, 0, 0, noPath);
    this.next();
    if (s.current() === Token.Colon) {
      this.visitor.onSeparator(':', s.tokenOffset, s.tokenLength, 0, 0);
      this.next();
      if (!this.value()) this.errorSkippingTo(Err.ValueExpected, Token.CloseBrace);
    } else {
      this.errorSkippingTo(Err.ColonExpected, Token.CloseBrace);
    }
    return true;
  }

  private object(): void {
    const s = this.scanner;
    this.visitor.onObjectBegin(s.tokenOffset, s.tokenLength, 0, 0, noPath);
    this.members(Token.CloseBrace);
    this.visitor.onObjectEnd(s.tokenOffset, s.tokenLength, 0, 0);
    if (s.current() !== Token.CloseBrace) this.errorSkippingPast(Err.CloseBraceExpected, Token.CloseBrace);
    else this.next();
  }

  private array(): void {
    const s = this.scanner;
    this.visitor.onArrayBegin(s.tokenOffset, s.tokenLength, 0, 0, noPath);
    this.members(Token.CloseBracket);
    this.visitor.onArrayEnd(s.tokenOffset, s.tokenLength, 0, 0);
    if (s.current() !== Token.CloseBracket) this.errorSkippingPast(Err.CloseBracketExpected, Token.CloseBracket);
    else this.next();
  }

  /** The properties of an object (`close` a brace) or the elements of an array, from its opening token to `close`. */
  private members(close: Token.CloseBrace | Token.CloseBracket): void {
    const s = this.scanner;
    this.next();
    let needsComma = false;
    while (s.current() !== close && s.current() !== Token.EOF) {
      if (s.current() === Token.Comma) {
        if (!needsComma) this.error(Err.ValueExpected);
        this.visitor.onSeparator(',', s.tokenOffset, s.tokenLength, 0, 0);
        this.next();
        if (s.current() === close) break; // a trailing comma
      } else if (needsComma) {
        this.error(Err.CommaExpected);
      }
      const read = close === Token.CloseBrace ? this.property() : this.value();
      if (!read) this.errorSkippingTo(Err.ValueExpected, close);
      needsComma = true;
    }
  }
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** What ends a word: whitespace, a line break, a bracket, a quote, a colon, a comma or a slash. */
function isDelimiter(c: number): boolean {
  switch (c) {
    case SPACE:
    case TAB:
    case LF:
    case CR:
    case CLOSE_BRACE:
    case CLOSE_BRACKET:
    case OPEN_BRACE:
    case OPEN_BRACKET:
    case QUOTE:
    case COLON:
    case COMMA:
    case SLASH:
      return true;
    default:
      return false;
  }
}

function hexValue(c: number): number {
  if (c >= ZERO && c <= NINE) return c - ZERO;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

const noPath = (): never[] => [];
