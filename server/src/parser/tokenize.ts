// Line tokens, classified exactly as Python 3.11's configparser.RawConfigParser._read does with the
// settings fail2ban 1.1.0 uses (SafeConfigParserWithIncludes: inline comment prefix ';' only,
// comment prefixes '#' and ';', delimiters '=' and ':', empty lines allowed in values).
//
// scanLine()/tokenizeLine() look at one line alone; ContinuationTracker adds the only context
// configparser has — whether a line continues the value of the open option — and turns those lines
// into 'continuation' tokens. Columns are UTF-16 units within the line, ends exclusive, -1 = absent.
// Tokens are flat records of one shape (no nested spans) so that a 1 MB file tokenizes without
// garbage: the parser reuses one token object for every line.
import { splitLines } from './text';

// Python's whitespace (here, where each line is scanned).
// Python 3's str.isspace() and regex \s (they agree): unlike JavaScript it includes
// \x1c-\x1f and \x85, and it does NOT include U+FEFF (so a BOM is never stripped).
const PYTHON_SPACE_ABOVE_ASCII = new Set([
  0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
  0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

export function isPythonSpace(code: number): boolean {
  if (code < 0x80) return (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20);
  return PYTHON_SPACE_ABOVE_ASCII.has(code);
}

/** Index of the first non-whitespace character at or after `from` (or `end`). */
export function skipSpace(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isPythonSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just after the last non-whitespace character before `end` (or `from`). */
export function trimSpaceEnd(text: string, from: number, end: number): number {
  let i = end;
  while (i > from && isPythonSpace(text.charCodeAt(i - 1))) i--;
  return i;
}

export type LineTokenKind = 'blank' | 'comment' | 'header' | 'option' | 'invalid' | 'continuation';

export interface LineToken {
  /**
   * blank: whitespace only. comment: first non-space character is '#' or ';'.
   * header: `[name]` (first '[' to LAST ']'). option: `key <first '=' or ':'> value`.
   * invalid: a line configparser reports as a parsing error (see `reason`).
   * continuation: indented deeper than the current indent level while an option is open → part of its value.
   */
  kind: LineTokenKind;
  /** 0-based line number. */
  line: number;
  /** Leading whitespace characters (tabs count 1), as configparser measures it; 0 for blank lines. */
  indent: number;
  /** The line as configparser sees it: inline comment removed, stripped. Comment tokens: the comment, trimmed. */
  start: number;
  end: number;
  /** '; comment' configparser removes (a ';' at column 0 or after whitespace), trimmed; -1 if none. */
  commentStart: number;
  commentEnd: number;
  /** header: the name between the brackets. option: the key (stripped). -1 otherwise. */
  nameStart: number;
  nameEnd: number;
  /** header: ignored text after the closing ']' (trimmed); -1 if none. */
  trailingStart: number;
  trailingEnd: number;
  /** option, invalid 'empty-key': the first '=' or ':'. */
  delimiter: '=' | ':' | '';
  delimiterAt: number;
  /** option, invalid 'empty-key', continuation: the value text (may be empty). -1 otherwise. */
  valueStart: number;
  valueEnd: number;
  /**
   * invalid: 'no-delimiter' (no '=' or ':', e.g. `maxretry 3`, `[]`) or 'empty-key' (`= 3`;
   * configparser still stores option ''). '' otherwise.
   */
  reason: '' | 'no-delimiter' | 'empty-key';
  /** blank: configparser appends '' to the open option's value (kept only if more value lines follow). */
  inValue: boolean;
  /** continuation: what the line would have been without its indentation, when that looks intended. */
  looksLike: '' | 'option' | 'section';
  /**
   * Columns of the last '%(' (its '%'), '#' and ';' before the inline comment, -1 if none: the parser notes which
   * values contain them (the rules look for those) while the line is scanned anyway.
   */
  lastReferenceAt: number;
  /** Column of the last '%' before the inline comment (a reference or not), -1 if none. */
  lastPercentAt: number;
  lastHashAt: number;
  lastSemicolonAt: number;
}

export function createLineToken(): LineToken {
  return {
    kind: 'blank',
    line: 0,
    indent: 0,
    start: 0,
    end: 0,
    commentStart: -1,
    commentEnd: -1,
    nameStart: -1,
    nameEnd: -1,
    trailingStart: -1,
    trailingEnd: -1,
    delimiter: '',
    delimiterAt: -1,
    valueStart: -1,
    valueEnd: -1,
    reason: '',
    inValue: false,
    looksLike: '',
    lastReferenceAt: -1,
    lastPercentAt: -1,
    lastHashAt: -1,
    lastSemicolonAt: -1,
  };
}

const SEMICOLON = 0x3b;
const HASH = 0x23;
const EQUALS = 0x3d;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const PERCENT = 0x25;
const OPEN_PARENTHESIS = 0x28;

/** The next occurrences of one character in one text, for questions asked in increasing order: one indexOf per occurrence. */
class NextChar {
  /** indexOf(char, searchedFrom), -1 when none. */
  private found = -1;
  private searchedFrom = Number.MAX_SAFE_INTEGER; // nothing searched yet

  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}

  /** text.indexOf(char, from). */
  from(from: number): number {
    if (this.searchedFrom <= from && (this.found === -1 || this.found >= from)) return this.found;
    this.searchedFrom = from;
    return (this.found = this.text.indexOf(this.char, from));
  }
}

/**
 * Where the next ';', '#' and '%' of a text are, for scanning its lines in order (scanLineIn with a cursor): most lines
 * have none, so a few indexOf calls over the whole text replace a look at every character.
 */
export class MarkCursor {
  readonly semicolon: NextChar;
  readonly hash: NextChar;
  readonly percent: NextChar;

  constructor(readonly text: string) {
    this.semicolon = new NextChar(text, ';');
    this.hash = new NextChar(text, '#');
    this.percent = new NextChar(text, '%');
  }
}

/** findInlineComment with the marks found through `cursor` (its text is `text`). */
function findInlineCommentWith(cursor: MarkCursor, text: string, lineStart: number, from: number, end: number, token: LineToken): number {
  let commentAt = -1;
  for (let at = cursor.semicolon.from(from); at !== -1 && at < end; at = cursor.semicolon.from(at + 1)) {
    if (at === lineStart || isPythonSpace(text.charCodeAt(at - 1))) {
      commentAt = at;
      break;
    }
    token.lastSemicolonAt = at - lineStart;
  }
  const limit = commentAt === -1 ? end : commentAt;
  for (let at = cursor.hash.from(from); at !== -1 && at < limit; at = cursor.hash.from(at + 1)) token.lastHashAt = at - lineStart;
  for (let at = cursor.percent.from(from); at !== -1 && at < limit; at = cursor.percent.from(at + 1)) {
    token.lastPercentAt = at - lineStart;
    if (at + 1 < end && text.charCodeAt(at + 1) === OPEN_PARENTHESIS) token.lastReferenceAt = at - lineStart;
  }
  return commentAt;
}

/**
 * Offset of configparser's inline comment in [from, end): the first ';' at the line's start or right after whitespace.
 * A loop over the line, not indexOf: the line may be a stretch of the whole text, where indexOf would look past it.
 * Notes the last '%(', '#' and other ';' before it in `token` (columns).
 */
function findInlineComment(text: string, lineStart: number, from: number, end: number, token: LineToken): number {
  for (let index = from; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code === SEMICOLON) {
      if (index === lineStart || isPythonSpace(text.charCodeAt(index - 1))) return index;
      token.lastSemicolonAt = index - lineStart;
    } else if (code === HASH) token.lastHashAt = index - lineStart;
    else if (code === PERCENT) {
      token.lastPercentAt = index - lineStart;
      if (index + 1 < end && text.charCodeAt(index + 1) === OPEN_PARENTHESIS) token.lastReferenceAt = index - lineStart;
    }
  }
  return -1;
}

/** First '=' or ':' in [from, end), or -1 — one pass, no regex. */
function firstDelimiter(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === EQUALS || code === COLON) return i;
  }
  return -1;
}

function lastCloseBracket(text: string, from: number, end: number): number {
  for (let i = end - 1; i > from; i--) if (text.charCodeAt(i) === CLOSE_BRACKET) return i;
  return -1;
}

function reset(token: LineToken, line: number): void {
  token.kind = 'blank';
  token.line = line;
  token.indent = 0;
  token.start = 0;
  token.end = 0;
  token.commentStart = -1;
  token.commentEnd = -1;
  token.nameStart = -1;
  token.nameEnd = -1;
  token.trailingStart = -1;
  token.trailingEnd = -1;
  token.delimiter = '';
  token.delimiterAt = -1;
  token.valueStart = -1;
  token.valueEnd = -1;
  token.reason = '';
  token.inValue = false;
  token.looksLike = '';
  token.lastReferenceAt = -1;
  token.lastPercentAt = -1;
  token.lastHashAt = -1;
  token.lastSemicolonAt = -1;
}

/**
 * Classifies one line on its own into `token` (overwriting it). `startColumn` skips a prefix (the
 * BOM on line 0) so the rest of the line is read as if it were not there.
 */
export function scanLine(text: string, line: number, startColumn: number, token: LineToken): void {
  scanLineIn(text, 0, text.length, line, startColumn, token);
}

/**
 * scanLine() for the line text[lineStart, lineEnd) of a bigger text (terminator excluded): the parser scans the
 * document's text where it is instead of cutting a string for each line. Columns are relative to `lineStart`.
 */
export function scanLineIn(
  text: string,
  lineStart: number,
  lineEnd: number,
  line: number,
  startColumn: number,
  token: LineToken,
  /** For the lines of one text scanned in order (its text must be `text`). */
  cursor?: MarkCursor,
): void {
  reset(token, line);
  const first = skipSpace(text, lineStart + startColumn, lineEnd);
  if (first === lineEnd) return; // blank
  const firstCode = text.charCodeAt(first);
  if (firstCode === HASH || firstCode === SEMICOLON) {
    token.kind = 'comment';
    token.start = first - lineStart;
    token.end = trimSpaceEnd(text, first, lineEnd) - lineStart;
    return;
  }
  token.indent = first - lineStart - startColumn;
  const commentAt = cursor ? findInlineCommentWith(cursor, text, lineStart, first, lineEnd, token) : findInlineComment(text, lineStart, first, lineEnd, token);
  const contentEnd = trimSpaceEnd(text, first, commentAt === -1 ? lineEnd : commentAt);
  token.start = first - lineStart;
  token.end = contentEnd - lineStart;
  if (commentAt !== -1) {
    token.commentStart = commentAt - lineStart;
    token.commentEnd = trimSpaceEnd(text, commentAt, lineEnd) - lineStart;
  }

  if (firstCode === OPEN_BRACKET) {
    // configparser's SECTCRE is `\[(?P<header>.+)\]`: at least one character between.
    const close = lastCloseBracket(text, first + 1, contentEnd);
    if (close > first + 1) {
      token.kind = 'header';
      token.nameStart = first + 1 - lineStart;
      token.nameEnd = close - lineStart;
      const trailingStart = skipSpace(text, close + 1, contentEnd);
      if (trailingStart < contentEnd) {
        token.trailingStart = trailingStart - lineStart;
        token.trailingEnd = contentEnd - lineStart;
      }
      return;
    }
  }

  const delimiterAt = firstDelimiter(text, first, contentEnd);
  if (delimiterAt === -1) {
    token.kind = 'invalid';
    token.reason = 'no-delimiter';
    return;
  }
  token.delimiter = text.charCodeAt(delimiterAt) === EQUALS ? '=' : ':';
  token.delimiterAt = delimiterAt - lineStart;
  token.valueStart = skipSpace(text, delimiterAt + 1, contentEnd) - lineStart;
  token.valueEnd = contentEnd - lineStart;
  const keyEnd = trimSpaceEnd(text, first, delimiterAt);
  if (keyEnd === first) {
    token.kind = 'invalid';
    token.reason = 'empty-key';
    return;
  }
  token.kind = 'option';
  token.nameStart = first - lineStart;
  token.nameEnd = keyEnd - lineStart;
}

/** One line on its own (a fresh token). */
export function tokenizeLine(text: string, line: number, startColumn = 0): LineToken {
  const token = createLineToken();
  scanLine(text, line, startColumn, token);
  return token;
}

// An option name as people write them (`maxretry`, `bantime.increment`, `MaxRetry`): with at least
// one lower-case letter so that journal fields (`_SYSTEMD_UNIT=…`) continuing a journalmatch do not count.
const OPTION_NAME_LIKE = /^[A-Za-z_][\w.-]*$/;
const HAS_LOWER = /[a-z]/;
// Shell commands (`port="<port>"; …`, `num=$(…)`) and mail headers (`From: <sender>`) inside
// multi-line action values are not options someone meant to write.
const SHELL_LIKE_VALUE = /[$`"';|&]/;

function looksLikeOption(text: string, lineStart: number, token: LineToken): boolean {
  if (token.delimiter !== '=') return false; // `key: value` lines are mail headers, IPv6 addresses…
  const key = text.slice(lineStart + token.nameStart, lineStart + token.nameEnd);
  if (!OPTION_NAME_LIKE.test(key) || !HAS_LOWER.test(key)) return false;
  return !SHELL_LIKE_VALUE.test(text.slice(lineStart + token.valueStart, lineStart + token.valueEnd));
}

function looksLikeSection(text: string, lineStart: number, token: LineToken): boolean {
  if (token.trailingStart !== -1) return false;
  for (let i = lineStart + token.nameStart; i < lineStart + token.nameEnd; i++) {
    const code = text.charCodeAt(i);
    // `[[]client <HOST>[]]`-style regex pieces are not headers someone meant to write.
    if (code === OPEN_BRACKET || code === CLOSE_BRACKET) return false;
  }
  return true;
}

function makeContinuation(text: string, lineStart: number, token: LineToken): void {
  token.looksLike =
    token.kind === 'option' && looksLikeOption(text, lineStart, token)
      ? 'option'
      : token.kind === 'header' && looksLikeSection(text, lineStart, token)
        ? 'section'
        : '';
  token.kind = 'continuation';
  token.valueStart = token.start;
  token.valueEnd = token.end;
  token.nameStart = token.nameEnd = token.trailingStart = token.trailingEnd = token.delimiterAt = -1;
  token.delimiter = '';
  token.reason = '';
}

/**
 * configparser's continuation rule: while an option is open, a line indented strictly deeper than
 * the last header/option/invalid line is part of the option's value. Comment lines change nothing;
 * blank lines are (provisionally) part of the open value. Feed it every scanned line in order.
 */
export class ContinuationTracker {
  private inSection = false;
  private optionOpen = false;
  private indentLevel = 0;

  /** scanLine() then classify(): the next line of a file, in order, into `token`. */
  scanNext(text: string, line: number, startColumn: number, token: LineToken): void {
    scanLineIn(text, 0, text.length, line, startColumn, token);
    this.classify(text, token);
  }

  /** scanNext() for the line text[lineStart, lineEnd) of a bigger text (see scanLineIn). */
  scanNextIn(text: string, lineStart: number, lineEnd: number, line: number, startColumn: number, token: LineToken, cursor?: MarkCursor): void {
    scanLineIn(text, lineStart, lineEnd, line, startColumn, token, cursor);
    this.classify(text, token, lineStart);
  }

  /** Turns `token` into a continuation when configparser would, and updates the state (`lineStart`: see scanLineIn). */
  classify(text: string, token: LineToken, lineStart = 0): void {
    const kind = token.kind;
    if (kind === 'blank') {
      token.inValue = this.optionOpen;
      return;
    }
    if (kind === 'comment') return;
    if (this.optionOpen && token.indent > this.indentLevel) {
      makeContinuation(text, lineStart, token);
      return;
    }
    this.indentLevel = token.indent;
    if (kind === 'header') {
      this.inSection = true;
      this.optionOpen = false;
    } else if (kind === 'option') {
      // Before any header configparser stops (MissingSectionHeaderError); nothing opens.
      this.optionOpen = this.inSection;
    } else if (token.reason === 'empty-key') {
      // configparser stores option '' — a falsy name, so nothing continues it.
      this.optionOpen = false;
    }
    // A line without delimiter leaves the open option open: later deeper lines still continue it.
  }
}

export interface TokenizedText {
  text: string;
  lines: string[];
  lineStarts: number[];
  tokens: LineToken[];
  /** The text starts with U+FEFF; line 0 was tokenized from column 1. */
  hasBom: boolean;
}

export function hasUtf8Bom(text: string): boolean {
  return text.charCodeAt(0) === 0xfeff;
}

/** Every line of a file as a token, continuations included. */
export function tokenize(text: string): TokenizedText {
  const { lines, lineStarts } = splitLines(text);
  const hasBom = hasUtf8Bom(text);
  const tracker = new ContinuationTracker();
  const tokens: LineToken[] = [];
  for (let line = 0; line < lines.length; line++) {
    const token = tokenizeLine(lines[line], line, line === 0 && hasBom ? 1 : 0);
    tracker.classify(lines[line], token);
    tokens.push(token);
  }
  return { text, lines, lineStarts, tokens, hasBom };
}
